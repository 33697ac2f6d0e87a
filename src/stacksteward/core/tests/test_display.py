"""Values as pages show them: times in the viewer's zone, labels instead of keys, sentences instead of dicts,
and one name for a person everywhere."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stacksteward.catalog.models import DataCategory, Relation
from stacksteward.changes.impact import describe_snapshot, describe_summary
from stacksteward.changes.models import ChangeRequest
from stacksteward.core import audit
from stacksteward.core.actors import SystemActor, actor_name, display_names, shown_name
from stacksteward.core.display import plain, readable
from stacksteward.core.models import AuditEntry
from stacksteward.intake.models import Request
from stacksteward.org.tests.factories import PersonFactory, UserFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_a_stored_date_time_reads_in_the_current_time_zone_to_the_minute():
    # 11:24:01.570657 UTC on 2 Dec 2026 is 12:24 in Berlin (CET, UTC+1) and 06:24 in New York (EST, UTC-5).
    stored = "2026-12-02T11:24:01.570657+00:00"
    with timezone.override(BERLIN):
        assert readable(ChangeRequest, "impact_computed_at", stored) == "2 Dec 2026, 12:24"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert readable(ChangeRequest, "impact_computed_at", stored) == "2 Dec 2026, 06:24"


def test_a_stored_date_reads_as_a_day_and_a_choice_by_its_label():
    assert readable(Request, "needed_by", "2027-03-09") == "9 Mar 2027"
    assert readable(ChangeRequest, "type", "emergency") == "Emergency"
    assert readable(ChangeRequest, "window_start", None) == "—"


def test_json_values_never_read_as_python_structures():
    value = {"kind": "event", "other_name": "Spring launch", "start": "2026-12-11T07:00:00+00:00", "flag": True}
    with timezone.override(datetime.UTC):
        text = plain(value)
    assert text == "Kind: event; Other name: Spring launch; Start: 11 Dec 2026, 07:00; Flag: Yes"
    assert plain([{"id": 1, "name": "Segment"}, {"id": 2, "name": "HubSpot"}]) == "Segment, HubSpot"
    assert plain([str(n) for n in range(10)]) == "0, 1, 2, 3, 4, 5, 6, 7 and 2 more"
    assert "{" not in plain([{"id": 1}]) and "'" not in plain([{"id": 1}])


@pytest.mark.django_db
def test_data_categories_frozen_by_key_read_by_name():
    DataCategory.objects.create(key="test.contact", name="Contact details")
    DataCategory.objects.create(key="test.sensor", name="Sensor data")
    labels = {}
    assert readable(Relation, "data_categories", ["test.contact", "test.sensor"], labels=labels) \
        == "Contact details, Sensor data"
    # a key no longer in the taxonomy still shows (as stored)
    assert readable(Relation, "data_categories", ["user.gone"], labels=labels) == "user.gone"


def test_impact_snapshot_reads_as_a_sentence():
    snapshot = {
        "changed": [{"id": 1, "name": "Salesforce"}],
        "components": [{"id": 2, "name": "HubSpot", "tier": 1}, {"id": 3, "name": "Segment", "tier": 2}],
        "departments": [{"id": 1, "name": "Legal", "must_approve": True},
                        {"id": 2, "name": "Marketing", "must_approve": False}],
        "data_categories": [{"key": "user.contact", "name": "Contact details", "personal": True}],
        "personal_data": True, "highest_tier": 1,
    }
    assert describe_snapshot(snapshot) == (
        "Changes Salesforce; 2 components impacted (HubSpot, Segment); 2 departments involved, must approve: "
        "Legal; data carried: Contact details; personal data; highest tier 1.")
    summary = {"impacted_count": 1, "must_approve": ["Legal"], "informed": [], "personal_data": False,
               "highest_tier": 2, "conflicts": [{"kind": "event", "other_name": "Launch",
                                                 "start": "2026-12-11T07:00:00+00:00",
                                                 "end": "2026-12-18T17:00:00+00:00"}]}
    with timezone.override(BERLIN):
        assert describe_summary(summary) == ("1 component impacted; must approve: Legal; no personal data; highest "
                                             "tier 2; 1 conflict: Launch (11 Dec 2026, 08:00 – 18 Dec 2026, 18:00).")


@pytest.mark.django_db
def test_actor_name_is_the_persons_display_name_for_new_rows():
    user = UserFactory(username="pnair")
    assert actor_name(user) == "pnair"
    PersonFactory(name="Priya Nair", user=user)
    fresh = UserFactory._meta.model.objects.get(pk=user.pk)
    assert actor_name(fresh) == "Priya Nair"
    entry = audit.record(actor=fresh, action="update", obj=fresh, before={}, after={})
    assert entry.actor_name == "Priya Nair"


@pytest.mark.django_db
def test_old_rows_that_froze_a_login_show_the_persons_name():
    PersonFactory(name="Priya Nair", user=UserFactory(username="admin2"))
    PersonFactory(name="No Login")
    names = display_names()
    assert names == {"admin2": "Priya Nair"}
    assert shown_name("admin2", names) == "Priya Nair"
    assert shown_name("somebody", names) == "somebody"
    assert shown_name("demo") == "Demo data"
    assert shown_name(str(SystemActor.job("finance_daily"))) == "Scheduled job finance_daily"
    assert shown_name(str(SystemActor.cli("alice"))) == "alice (command line)"
    assert shown_name(str(SystemActor.importer("stack.yaml"))) == "Import of stack.yaml"
    assert shown_name("") == ""


@pytest.mark.django_db
def test_audit_log_shows_display_names_and_readable_values(admin_client, admin_user):
    """An entry frozen with a login, a dict and ISO date-times is shown with the person's name, words and the
    viewer's local time, in the same number of queries for 3 entries as for 20."""
    PersonFactory(name="Kevin O'Brien", user=UserFactory(username="kobrien"))
    PersonFactory(name="Sofia Lindqvist", user=UserFactory(username="slindqvist"))
    change_ct = AuditEntry._meta.get_field("content_type").related_model.objects.get_for_model(ChangeRequest)

    def add(n):
        AuditEntry.objects.create(
            actor_name="kobrien", source="ui", action="update", content_type=change_ct, object_id=str(900 + n),
            object_repr=f"C-{900 + n}: Rename",
            before={"impact_snapshot": None, "impact_computed_at": None},
            after={"impact_snapshot": {"changed": [{"id": 1, "name": "Salesforce"}], "components": [],
                                       "departments": [], "personal_data": False, "highest_tier": 1},
                   "impact_computed_at": "2026-12-02T11:24:01.570657+00:00"})

    for n in range(3):
        add(n)
    admin_client.get(reverse("audit_list"))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("audit_list"))
    for n in range(3, 20):
        add(n)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(reverse("audit_list"))
    assert len(many) == len(few)
    html = response.content.decode()
    assert "Kevin O&#x27;Brien" in html or "Kevin O'Brien" in html
    assert ">kobrien<" not in html
    assert "{'" not in html and "{&#x27;" not in html
    assert "Changes Salesforce; 0 components impacted" in html
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", html)
    assert "2 Dec 2026, 11:24" in html  # the company's zone is UTC in the tests


def test_ago_is_relative_with_the_exact_time_and_zone_in_its_tooltip():
    now = timezone.now()
    template = Template("{% load steward %}{% ago when %}|{% at when %}")
    with timezone.override(BERLIN):
        html = template.render(Context({"when": now - datetime.timedelta(hours=3, minutes=5)}))
        local = timezone.localtime(now - datetime.timedelta(hours=3, minutes=5))
    relative, exact = html.split("|")
    assert ">3\xa0hours ago</time>" in relative
    assert f'title="{local:%-d %b %Y, %H:%M:%S} {local.tzname()}"' in relative
    assert f">{local:%-d %b %Y, %H:%M}</time>" in exact
    old = Template("{% load steward %}{% ago when %}").render(Context({"when": now - datetime.timedelta(days=30)}))
    assert f">{timezone.localtime(now - datetime.timedelta(days=30)):%-d %b %Y}</time>" in old


@pytest.mark.django_db
def test_the_header_names_the_signed_in_person(viewer, viewer_client):
    html = viewer_client.get(reverse("audit_list")).content.decode()
    assert '<span class="who" title="Your role">Viewer' in html  # no person: the user's full name
    PersonFactory(name="Isabel Ortega", user=viewer)
    html = viewer_client.get(reverse("audit_list")).content.decode()
    assert '<span class="who" title="Your role">Isabel Ortega' in html


@pytest.mark.django_db
def test_the_audit_log_finds_old_entries_by_the_persons_name(admin_client):
    user = UserFactory(username="kobrien")
    PersonFactory(name="Kevin O'Brien", user=user)
    person_ct = AuditEntry._meta.get_field("content_type").related_model.objects.get_for_model(UserFactory._meta.model)
    AuditEntry.objects.create(actor=user, actor_name="kobrien", source="ui", action="create",
                              content_type=person_ct, object_id="1", object_repr="Found me", after={})
    AuditEntry.objects.create(actor_name="demo", source="system", action="create", content_type=person_ct,
                              object_id="2", object_repr="Not me", after={})
    html = admin_client.get(reverse("audit_list"), {"q": "o'brien"}).content.decode()
    assert "Found me" in html and "Not me" not in html
