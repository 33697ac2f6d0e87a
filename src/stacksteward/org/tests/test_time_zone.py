"""Dates and times in the viewer's time zone: the company's (STEWARD_TIME_ZONE), or a person's own."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stacksteward.core.models import AuditEntry
from stacksteward.org.models import Person
from stacksteward.org.services import person_set_time_zone
from stacksteward.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _audit_row_at(hour_utc: int) -> AuditEntry:
    entry = AuditEntry.objects.create(actor_name="demo", source="system", action="create",
                                      content_type_id=AuditEntry._meta.get_field("content_type").related_model
                                      .objects.get_for_model(Person).pk, object_id="1", object_repr="Someone",
                                      after={"name": "Someone"})
    AuditEntry.objects.filter(pk=entry.pk).update(
        timestamp=datetime.datetime(2026, 12, 2, hour_utc, 24, 1, 570657, tzinfo=datetime.UTC))
    return entry


def test_pages_show_times_in_the_company_time_zone(viewer_client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    _audit_row_at(11)
    html = viewer_client.get(reverse("audit_list")).content.decode()
    assert "2 Dec 2026, 12:24" in html  # 11:24 UTC is 12:24 in Berlin in winter (CET, UTC+1)
    assert 'title="2 Dec 2026, 12:24:01 CET"' in html
    assert "Times in Europe/Berlin" in html


def test_a_persons_own_time_zone_wins_over_the_companys(viewer, viewer_client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    PersonFactory(name="Vera Viewer", user=viewer, time_zone="America/New_York")
    _audit_row_at(11)
    html = viewer_client.get(reverse("audit_list")).content.decode()
    assert "2 Dec 2026, 06:24" in html  # 11:24 UTC is 06:24 in New York (EST, UTC-5)
    assert "Times in America/New_York" in html


def test_anyone_sets_their_own_time_zone_on_their_page(viewer, viewer_client):
    person = PersonFactory(name="Vera Viewer", user=viewer)
    response = viewer_client.post(reverse("org:time_zone"), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "Asia/Tokyo"
    assert person.version == 2
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").get()
    assert entry.after["time_zone"] == "Asia/Tokyo" and entry.actor_name == "Vera Viewer"
    page = viewer_client.get(reverse("org:time_zone")).content.decode()
    assert "Asia/Tokyo" in page and "(your own choice)" in page
    # back to the company's
    viewer_client.post(reverse("org:time_zone"), {"time_zone": ""})
    person.refresh_from_db()
    assert person.time_zone == ""


def test_an_unknown_time_zone_is_refused_naming_the_field_and_nothing_is_saved(viewer, viewer_client):
    person = PersonFactory(name="Vera Viewer", user=viewer)
    response = viewer_client.post(reverse("org:time_zone"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Time zone" in html and "“Mars/Olympus” is not a time zone name" in html
    person.refresh_from_db()
    assert person.time_zone == "" and person.version == 1


def test_the_service_refuses_an_unknown_zone_and_another_persons_zone(viewer, editor):
    own = PersonFactory(user=viewer)
    other = PersonFactory()
    with pytest.raises(ValidationError) as refused:
        person_set_time_zone(own, actor=viewer, time_zone="Europe/Nowhere")
    assert "time_zone" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        person_set_time_zone(other, actor=viewer, time_zone="Europe/Paris")
    assert person_set_time_zone(other, actor=editor, time_zone="Europe/Paris").time_zone == "Europe/Paris"


def test_the_api_refuses_an_unknown_zone_naming_the_field(editor_api):
    person = PersonFactory()
    response = editor_api.patch(f"/api/people/{person.pk}", {"time_zone": "Nowhere/Land", "version": 1},
                                content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["time_zone"]
    response = editor_api.patch(f"/api/people/{person.pk}", {"time_zone": "Europe/Lisbon", "version": 1},
                                content_type="application/json")
    assert response.status_code == 200 and response.json()["time_zone"] == "Europe/Lisbon"


def test_the_person_form_offers_zone_names(editor_client):
    person = PersonFactory()
    html = editor_client.get(reverse("org:person_edit", args=[person.pk])).content.decode()
    assert '<option value="Europe/Berlin">' in html
    assert "The company&#x27;s (UTC)" in html or "The company's (UTC)" in html


@pytest.mark.parametrize("variable", ["STEWARD_TIME_ZONE", "TIME_ZONE"])
def test_a_bad_company_time_zone_stops_start_up_naming_the_variable(variable, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("STEWARD_TIME_ZONE", "TIME_ZONE")}
    env.update({variable: "Mars/Olympus", "STEWARD_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE":
                "stacksteward.settings"})
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"{variable} must be a time zone name such as Europe/Berlin, not 'Mars/Olympus'." in result.stderr
    env[variable] = "Europe/Berlin"
    result = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.TIME_ZONE)"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "Europe/Berlin"
