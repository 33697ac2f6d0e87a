"""The demo company: sizes, idempotence, health findings of every kind, audit of every write, and the
intake process (capabilities, requests in every state, Q&A, backlog, roadmap, one bumped item)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count

from stacksteward import demo
from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.choices import RaciActivityChoices
from stacksteward.catalog.health import KINDS, catalog_health
from stacksteward.catalog.impact import component_impact
from stacksteward.catalog.models import Component, RaciAssignment, Relation, Vendor
from stacksteward.catalog.taxonomy import LANDSCAPE
from stacksteward.core.models import Answer, AuditEntry, Notification, Question
from stacksteward.core.roles import role_of
from stacksteward.intake.choices import BacklogItemKindChoices, RequestStatusChoices
from stacksteward.intake.leadtime import MIN_HISTORY
from stacksteward.intake.models import (
    BacklogItem,
    Capability,
    Iteration,
    Milestone,
    Request,
    Roadmap,
    ScheduleChange,
)
from stacksteward.intake.services import request_lead_time
from stacksteward.org.models import Department, Person

INTAKE_MODELS = (Capability, Request, Question, Answer, Roadmap, Iteration, Milestone, BacklogItem, ScheduleChange)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    return demo.load_demo()


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


def test_load_demo_relations_form_the_expected_graph(loaded):
    assert Relation.objects.count() >= 60
    assert set(Relation.objects.values_list("type", flat=True)) == {"data_flow", "depends_on", "hosted_on"}
    assert Relation.objects.filter(data_categories__isnull=False).distinct().count() >= 60
    hubspot = Component.objects.get(slug="hubspot-marketing-hub")
    downstream = {row.component.slug for row in component_impact(hubspot).downstream}
    # CRM ↔ automation → CDP → warehouse → BI
    assert {"salesforce-sales-cloud", "segment", "snowflake", "tableau"} <= downstream
    consent = Component.objects.get(slug="onetrust-consent")
    impacted = {row.component.slug: row for row in component_impact(consent).downstream}
    # consent manager → tag manager → ads; and the website needs the consent manager
    assert {"google-tag-manager", "google-ads", "corporate-website"} <= set(impacted)
    assert [c.slug for c in impacted["google-ads"].path][:2] == ["onetrust-consent", "google-tag-manager"]
    website = Component.objects.get(slug="corporate-website")
    upstream = {row.component.slug for row in component_impact(website).upstream}
    assert {"vercel", "contentful", "product-database", "onetrust-consent"} <= upstream


def test_load_demo_raci_gives_important_components_every_activity(loaded):
    components = Component.objects.filter(slug__in=list(demo.RACI))
    assert components.count() >= 10
    for component in components:
        activities = set(component.raci_assignments.values_list("activity", flat=True))
        assert activities == set(RaciActivityChoices.values), component.slug
    assert RaciAssignment.objects.filter(department__isnull=False).exists()
    assert RaciAssignment.objects.filter(person__isnull=False).exists()


def test_load_demo_health_has_a_finding_of_every_kind(loaded):
    findings = catalog_health()
    assert {f.kind for f in findings} >= set(KINDS)
    about = {(f.kind, f.object_slug) for f in findings}
    assert ("missing_business_owner", "looker-studio") in about
    assert ("missing_technical_owner", "zapier") in about
    assert ("contested_accountable", "corporate-website") in about
    assert ("no_accountable", "segment") in about
    assert ("shadow_it", "google-drive-agency-share") in about
    assert ("retired_still_needed", "marketo-engage") in about
    assert ("owner_unavailable", "zoom-webinars") in about
    assert ("defunct_vendor", "reviewradar") in about


def test_load_demo_every_write_has_a_system_audit_entry(loaded):
    for model in (Department, Person, Vendor, Component, Relation, RaciAssignment):
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        audited = set(AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action="create",
            source="system", actor_name="demo",
        ).values_list("object_id", flat=True))
        assert ids and ids == audited, model.__name__
    entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Component),
                                      object_id=str(Component.objects.get(slug="segment").pk)).get()
    assert entry.after["name"] == "Segment" and entry.after["vendor"] == "Twilio"
    relation = Relation.objects.filter(target__slug="tableau", source__slug="snowflake").get()
    relation_entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Relation),
                                            object_id=str(relation.pk))
    assert relation_entry.related_object_id == str(relation.source_id)


def test_load_demo_second_run_creates_nothing(loaded):
    counts = {m: m.objects.count() for m in (Department, Person, Vendor, Component, Relation, RaciAssignment,
                                             *INTAKE_MODELS, Notification)}
    audit_count = AuditEntry.objects.count()

    again = demo.load_demo()

    assert again.total == 0
    assert "nothing new" in again.describe()
    assert AuditEntry.objects.count() == audit_count
    assert {m: m.objects.count() for m in counts} == counts


def test_load_demo_existing_vendor_reused_not_duplicated():
    own = catalog_services.vendor_create(actor="test", data={"name": "hubspot", "notes": "ours"})

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


def test_ensure_demo_logins_creates_one_login_per_role_linked_to_people():
    demo.load_demo()  # creates the logins: its intake steps act through them

    logins = demo.ensure_demo_logins()

    assert [(login.username, login.role, login.person) for login in logins] == [
        ("admin", "admin", "Priya Nair"), ("editor", "editor", "Kevin O'Brien"), ("viewer", "viewer", "Isabel Ortega"),
        ("marketer", "viewer", "Tom Becker")]
    for login in logins:
        person = Person.objects.select_related("user").get(name=login.person)
        assert person.user.username == login.username
        assert person.user.check_password(login.password)
        assert role_of(person.user) == login.role
        assert not login.created and login.password_matches
    assert Person.objects.get(name="Tom Becker").department.slug == "marketing"


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


# Intake ---------------------------------------------------------------------------------------

def test_load_demo_capabilities_say_what_each_department_can_and_cannot_do(loaded):
    capabilities = Capability.objects.select_related("department")
    assert 6 <= capabilities.count() <= 8
    assert {c.department.slug for c in capabilities} == {"it", "data-analytics", "marketing"}
    assert {"full", "partial", "none"} <= set(capabilities.values_list("offering", flat=True))
    for capability in capabilities:
        assert capability.lead_time_days > 0 and capability.can_do and capability.cannot_do, capability.slug
    assert loaded.created["capabilities"] == capabilities.count()


def test_load_demo_requests_cover_every_state_with_why_cost_and_kpis(loaded):
    requests = Request.objects.select_related("requester__department")
    assert 12 <= requests.count() <= 15
    assert set(requests.values_list("status", flat=True)) == set(RequestStatusChoices.values)
    for request in requests:
        assert request.why and request.objective and request.success_kpis, request.title
        assert request.components.exists(), request.title
        assert request.requester.department.slug == "marketing", request.title
    unquantifiable = requests.filter(lost_cost_amount__isnull=True)
    assert unquantifiable.count() == 1 and unquantifiable.get().lost_cost_unquantifiable
    declined = requests.get(status="declined")
    assert declined.decline_reason and declined.capability.offering == "none"
    assert requests.filter(feasibility="partly").exists()
    answered = requests.exclude(feasibility="")
    assert answered.count() >= 6 and answered.filter(responder__name="Kevin O'Brien").exists()
    assert requests.get(title__startswith="Launch page for the PX-9").requester.user.username == "marketer"


def test_load_demo_questions_open_answered_and_marked_answered(loaded):
    assert Question.objects.count() >= 5
    open_questions = Question.objects.filter(status="open")
    assert open_questions.filter(answers__isnull=True).exists()  # waiting for an answer
    assert open_questions.filter(answers__isnull=False).exists()  # answered, not yet marked so by its asker
    assert Question.objects.filter(status="answered").count() >= 2
    assert Question.objects.filter(addressed_department__slug="marketing").exists()
    assert len({q.object_id for q in Question.objects.all()}) >= 4  # on several requests


def test_load_demo_delivered_history_gives_the_observed_median_warning(loaded):
    delivered = Request.objects.filter(capability__slug="new-landing-page", status__in=["delivered", "measured"])
    assert delivered.count() >= MIN_HISTORY
    assert all(r.created_at.date() < r.delivered_on for r in delivered)
    check = request_lead_time(Request.objects.get(title__startswith="Launch page for the PX-9"))
    assert check.observed_median_days is not None and check.observed_median_days > check.standard_days
    assert any("median" in warning for warning in check.warnings)


def test_load_demo_roadmap_has_vision_current_and_next_iteration_and_milestone(loaded):
    roadmap = Roadmap.objects.get()
    assert roadmap.vision
    current, following = roadmap.iterations.order_by("start")
    today = current.start.__class__.today()
    assert current.start <= today <= current.end and current.status == "active"
    assert following.start > current.end and following.status == "planned"
    milestone = roadmap.milestones.get()
    assert milestone.due > today and milestone.requests.count() == 2


def test_load_demo_backlog_is_scored_with_every_kind_dependencies_and_an_override(loaded):
    items = BacklogItem.objects.all()
    assert 12 <= items.count() <= 18
    assert set(items.values_list("kind", flat=True)) == set(BacklogItemKindChoices.values)
    assert not items.filter(effort_days__isnull=True).exists()
    assert not items.filter(score__isnull=True).exists()
    assert BacklogItem.depends_on.through.objects.count() >= 3
    [overridden] = items.filter(priority_override__isnull=False)
    assert overridden.override_reason and overridden.score == overridden.priority_override
    assert overridden.score != overridden.computed_score
    assert items.filter(request__isnull=False).count() >= 3
    assert items.filter(iteration__isnull=False).count() >= 5 and items.filter(iteration__isnull=True).exists()
    first = list(items.order_by("-score", "id"))[0]
    assert first == overridden  # the override puts it on top


def test_load_demo_bumped_item_has_schedule_change_with_reason_and_notified_the_marketer(loaded):
    change = ScheduleChange.objects.select_related("backlog_item").get()
    current, following = Iteration.objects.order_by("start")
    assert change.backlog_item.key == "px9-launch-page" and change.backlog_item.iteration == following
    assert change.field == "iteration" and change.old_date == current.end and change.new_date == following.end
    assert "launch moved" in change.reason and change.actor_name == "editor"
    assert change.notified_count >= 1
    notification = Notification.objects.get(kind="schedule_changed", recipient__username="marketer")
    assert notification.body == change.reason


def test_load_demo_every_intake_write_is_audited_as_system(loaded):
    for model in INTAKE_MODELS:
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        audited = set(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                action="create", source="system")
                      .values_list("object_id", flat=True))
        assert ids and ids == audited, model.__name__
    transitions = Request.objects.get(status="measured").transitions.values_list("to_status", flat=True)
    assert list(transitions) == ["submitted", "accepted", "planned", "in_progress", "delivered", "measured"]


def test_demo_command_prints_the_marketer_login(db):
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)

    text = out.getvalue()
    for username, password, role, person in demo.LOGINS:
        assert re.search(rf"{username}\s.*{password}\s.*{role}", text), username
    assert re.search(r"marketer\s.*steward-marketer\s.*viewer\s.*Tom Becker", text)
