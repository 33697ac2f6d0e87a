"""Loading the demo company from scratch: sizes, reuse of what exists, all-or-nothing, the logins and the
command. Tests that read the loaded company share one load (test_demo.py)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from stacksteward import demo
from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.models import Component, Vendor
from stacksteward.catalog.taxonomy import LANDSCAPE
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.org.models import Department, Person

pytestmark = pytest.mark.django_db


def test_load_demo_empty_catalog_creates_company_within_required_sizes():
    assert not demo.demo_loaded()
    labels = []

    result = demo.load_demo(progress=labels.append)

    assert demo.demo_loaded()
    assert len(labels) == demo.step_count()
    assert 40 <= Component.objects.count() <= 60
    assert Department.objects.count() >= 6
    assert Person.objects.count() >= 25
    assert result.created["components"] == Component.objects.count()
    assert result.created["people"] == Person.objects.count()
    kinds = set(Department.objects.values_list("kind", flat=True))
    assert {"marketing", "it", "legal", "procurement", "pr", "product", "data", "sales", "finance"} <= kinds
    # people: the four archetypes, titles, reporting lines
    people = Person.objects.all()
    assert {"maestro", "marketer", "maker", "modeler"} <= set(people.values_list("archetype", flat=True))
    assert not people.filter(title="").exists()
    assert people.filter(manager__isnull=False).count() >= 25
    assert people.get(name="Tom Becker").manager.name == "Priya Nair"
    # components: across the taxonomy, every kind, costs, seats, personal data
    groups = set(Component.objects.values_list("category__parent__name", flat=True))
    assert groups == set(LANDSCAPE)
    per_kind = dict(Component.objects.values_list("kind").annotate(n=Count("id")))
    assert per_kind["social_account"] >= 4
    for kind in ("website", "database", "document_store", "integration_platform", "application"):
        assert per_kind.get(kind, 0) >= 1, kind
    assert Component.objects.filter(annual_cost__gt=0).count() >= 30
    assert Component.objects.filter(seats_purchased__isnull=False, seats_used__isnull=False).count() >= 15
    assert Component.objects.filter(data_categories__is_personal=True).distinct().count() >= 25
    for slug in ("salesforce-sales-cloud", "hubspot-marketing-hub", "corporate-website", "google-analytics-4",
                 "google-tag-manager", "segment", "snowflake", "tableau", "bynder", "sharepoint-marketing",
                 "sendgrid", "zoom-webinars", "qualtrics", "onetrust-consent", "workato", "demandbase", "drift",
                 "cvent", "semrush", "optimizely"):
        assert Component.objects.filter(slug=slug).exists(), slug


def test_load_demo_existing_vendor_reused_not_duplicated():
    own = catalog_services.vendor_create(actor=SystemActor("test"), data={"name": "hubspot", "notes": "ours"})

    demo.load_demo()

    assert Vendor.objects.filter(name__iexact="hubspot").count() == 1
    assert Component.objects.get(slug="hubspot-marketing-hub").vendor == own


def test_load_demo_invalid_data_rolls_everything_back(monkeypatch):
    broken = [*demo.COMPONENTS, demo.C("broken", "Broken", "CRM", None, tier=9)]
    monkeypatch.setattr(demo, "COMPONENTS", broken)

    with pytest.raises(Exception, match="tier"):
        demo.load_demo()

    assert not Component.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_ensure_demo_logins_without_demo_creates_unlinked_logins():
    logins = demo.ensure_demo_logins()

    assert [login.username for login in logins] == ["admin", "editor", "viewer", "marketer"]
    assert all(login.created and login.password_matches for login in logins)


def test_ensure_demo_logins_second_run_keeps_changed_password():
    demo.ensure_demo_logins()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-new-secret-1")
    admin.save()

    logins = demo.ensure_demo_logins()

    assert not any(login.created for login in logins)
    assert [login.password_matches for login in logins] == [False, True, True, True]


def test_demo_command_prints_the_marketer_login(db):
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)

    text = out.getvalue()
    for username, password, role, person in demo.LOGINS:
        assert re.search(rf"{username}\s.*{password}\s.*{role}", text), username
    assert re.search(r"marketer\s.*steward-marketer\s.*viewer\s.*Tom Becker", text)


def test_describe_says_one_roadmap_not_one_roadmaps():
    from collections import Counter

    from stacksteward.demo import DemoResult

    result = DemoResult(created=Counter({"roadmaps": 1, "people": 1, "capabilities": 1, "meeting series": 1,
                                         "components": 2}))
    assert result.describe() == "1 roadmap, 1 person, 1 capability, 1 meeting series, 2 components"
