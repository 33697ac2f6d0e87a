"""Intake's policies: the matrix of every registered intake policy × action × actor, ``restrict()`` agreeing with
``allows()`` row by row, and every write service refusing (called directly) an actor its policy refuses."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from stacksteward.core.actors import SystemActor, forget_facts
from stacksteward.core.models import AuditEntry, Notification, Transition
from stacksteward.core.policies import ACTIONS, registered
from stacksteward.core.roles import set_role
from stacksteward.intake import permissions as perms
from stacksteward.intake import services
from stacksteward.intake.choices import RequestStatusChoices as S
from stacksteward.intake.models import (
    BacklogItem,
    Capability,
    ChangeOrder,
    Iteration,
    Milestone,
    Request,
    Roadmap,
    ScheduleChange,
)
from stacksteward.intake.policies import REQUESTS
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import (
    BacklogItemFactory,
    CapabilityFactory,
    IterationFactory,
    MilestoneFactory,
    RequestFactory,
    RoadmapFactory,
    in_days,
)

SYSTEM = SystemActor("test")

# Who is who ---------------------------------------------------------------------------------------
#   requester   a Marketing viewer who filed the request
#   it_editor   an editor of IT, the department that delivers the request and offers the capability
#   it_viewer   a viewer in IT
#   mkt_editor  an editor in Marketing (neither side of the request)
#   viewer, editor, admin   users with that role and no person record
#   inactive    a deactivated admin of IT (every rule refuses them)
#   anonymous   not signed in;  system   a SystemActor (every rule allows it)
ALL = frozenset({"anonymous", "inactive", "viewer", "editor", "admin", "system", "requester", "it_editor",
                 "it_viewer", "mkt_editor"})
SIGNED_IN = ALL - {"anonymous", "inactive"}
EDITORS = frozenset({"editor", "admin", "system", "it_editor", "mkt_editor"})
ADMINS = frozenset({"admin", "system"})
DELIVERING = ADMINS | {"it_editor"}
REQUESTER = ADMINS | {"requester"}
EITHER_SIDE = DELIVERING | REQUESTER
OFFERING = ADMINS | {"it_editor"}
NOBODY = frozenset({"system"})  # a system actor passes every rule

DEFAULT = {"view": SIGNED_IN, "add": EDITORS, "change": EDITORS, "delete": EDITORS, "audit": SIGNED_IN}
RECORD = {"view": SIGNED_IN, "add": NOBODY, "change": NOBODY, "delete": NOBODY, "audit": SIGNED_IN}

EXPECTED: dict[str, dict[str, frozenset]] = {
    "intake.request": {
        "view": SIGNED_IN, "add": SIGNED_IN, "change": EITHER_SIDE, "delete": ADMINS, "audit": SIGNED_IN,
        "respond": DELIVERING, "reschedule": DELIVERING, "watch": SIGNED_IN,
        "resubmit": EITHER_SIDE, "clarify": DELIVERING, "accept": DELIVERING, "plan": DELIVERING,
        "start": DELIVERING, "deliver": DELIVERING, "measure": EITHER_SIDE, "decline": DELIVERING,
        "withdraw": REQUESTER, "change_scope": REQUESTER, "follow_iteration": EDITORS,
    },
    "intake.capability": {**DEFAULT, "change": OFFERING, "delete": OFFERING},
    "intake.backlogitem": {**DEFAULT, "plan": EDITORS},
    "intake.roadmap": DEFAULT,
    "intake.iteration": DEFAULT,
    "intake.milestone": DEFAULT,
    "intake.schedulechange": RECORD,
    "intake.changeorder": RECORD,
}


def _declared() -> dict[str, set[str]]:
    """Every intake policy and every action, step and field group it declares."""
    return {label: {*ACTIONS, "audit", *policy.actions, *policy.steps}
            for label, policy in registered().items() if label.startswith("intake.")}


def _user(username, role, department=None, *, person=True, active=True):
    user = UserFactory(username=username, is_active=active)
    set_role(user, role)
    forget_facts(user)
    if person:
        PersonFactory(name=username, department=department, user=user)
    return user


@pytest.fixture
def world(db):
    it = DepartmentFactory(name="IT", slug="it", kind="it")
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    actors = {
        "anonymous": AnonymousUser(),
        "inactive": _user("inactive", "admin", it, active=False),
        "viewer": _user("viewer", "viewer", person=False),
        "editor": _user("editor", "editor", person=False),
        "admin": _user("admin", "admin", person=False),
        "system": SYSTEM,
        "requester": _user("requester", "viewer", marketing),
        "it_editor": _user("it_editor", "editor", it),
        "it_viewer": _user("it_viewer", "viewer", it),
        "mkt_editor": _user("mkt_editor", "editor", marketing),
    }
    capability = CapabilityFactory(department=it)
    request = RequestFactory(capability=capability, requester=actors["requester"].person)
    roadmap = RoadmapFactory(department=marketing)
    iteration = IterationFactory(roadmap=roadmap)
    milestone = MilestoneFactory(roadmap=roadmap)
    item = BacklogItemFactory(request=request, iteration=iteration)
    change = ScheduleChange.objects.create(milestone=milestone, field="due", old_date=in_days(20),
                                           new_date=in_days(30), reason="Vendor late.", actor_name="admin")
    order = ChangeOrder.objects.create(request=request, number=1, from_status="planned", actor_name="requester",
                                       changes=[{"field": "needed_by", "label": "needed by", "before": "1 Jun 2026",
                                                 "after": "15 Jun 2026"}])
    objects = {"intake.changeorder": order, "intake.request": request, "intake.capability": capability,
               "intake.roadmap": roadmap,
               "intake.iteration": iteration, "intake.milestone": milestone, "intake.backlogitem": item,
               "intake.schedulechange": change}
    return {"actors": actors, "objects": objects, "it": it, "marketing": marketing}


def test_every_intake_model_has_a_policy_and_every_declared_rule_an_expectation():
    from django.apps import apps

    models = {m._meta.label_lower for m in apps.get_app_config("intake").get_models()}
    declared = _declared()
    assert set(declared) == models
    assert {label: set(actions) for label, actions in EXPECTED.items()} == declared


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_policy_matrix(world, label):
    """For every action the policy declares and every actor: the expected answer, on the object and on the
    model, and ``restrict()`` lists the object exactly when ``allows()`` says yes."""
    policy = registered()[label]
    obj = world["objects"][label]
    model = type(obj)
    wrong = []
    for action in sorted(_declared()[label]):
        for name, actor in sorted(world["actors"].items()):
            expected = name in EXPECTED[label][action]
            target = None if action == "add" else obj
            allowed = policy.allows(actor, action, target)
            if allowed != expected:
                wrong.append(f"{action} by {name}: allows() {allowed}, expected {expected}")
            listed = model.objects.restrict(actor, action).filter(pk=obj.pk).exists()
            if listed != allowed:
                wrong.append(f"{action} by {name}: restrict() lists it {listed}, allows() {allowed}")
            # On the model ("on some rows at all?") the answer agrees with the rows the rule can give.
            if policy.allows(actor, action) != (policy.q(actor, action) is not False):
                wrong.append(f"{action} by {name}: allows() on the model disagrees with its rows")
            if expected and not policy.allows(actor, action):
                wrong.append(f"{action} by {name}: allowed on the object but not on the model")
    assert wrong == []


# restrict() honours the row rules ----------------------------------------------------------------

@pytest.fixture
def requests_world(world):
    """Requests delivered by IT, by Marketing, through a capability only, and by nobody in particular."""
    marketing = world["marketing"]
    mine = world["actors"]["requester"].person
    other = PersonFactory(name="Someone else", department=marketing)
    it_capability = world["objects"]["intake.capability"]
    marketing_capability = CapabilityFactory(department=marketing)
    found = {
        "mine_to_it": world["objects"]["intake.request"],
        "other_to_it": RequestFactory(capability=it_capability, requester=other),
        "mine_to_marketing": RequestFactory(capability=marketing_capability, requester=mine),
        "other_via_it_capability": RequestFactory(capability=it_capability, delivering_department=None,
                                                  requester=other),
        "other_to_nobody": RequestFactory(capability=None, delivering_department=None, requester=other),
        "other_to_marketing_despite_it_capability": RequestFactory(capability=it_capability,
                                                                   delivering_department=marketing, requester=other),
    }
    return found


CHANGE_ROWS = {
    "requester": {"mine_to_it", "mine_to_marketing"},
    "it_editor": {"mine_to_it", "other_to_it", "other_via_it_capability"},
    "mkt_editor": {"mine_to_marketing", "other_to_marketing_despite_it_capability"},
    "it_viewer": set(),
    "viewer": set(),
    "editor": set(),
    "anonymous": set(),
    "inactive": set(),
}
DELIVERING_ROWS = {**CHANGE_ROWS, "requester": set()}
WITHDRAW_ROWS = {name: (rows if name == "requester" else set()) for name, rows in CHANGE_ROWS.items()}


@pytest.mark.parametrize(("action", "expected_rows"), [
    ("change", CHANGE_ROWS), ("respond", DELIVERING_ROWS), ("reschedule", DELIVERING_ROWS),
    ("accept", DELIVERING_ROWS), ("decline", DELIVERING_ROWS), ("withdraw", WITHDRAW_ROWS),
    ("measure", CHANGE_ROWS),
])
def test_restrict_lists_exactly_the_requests_the_user_may_act_on(world, requests_world, action, expected_rows):
    names = {obj.pk: name for name, obj in requests_world.items()}
    everything = set(requests_world)
    for actor_name, actor in world["actors"].items():
        expected = everything if actor_name in ("admin", "system") else expected_rows[actor_name]
        listed = {names[pk] for pk in Request.objects.restrict(actor, action).values_list("pk", flat=True)}
        assert listed == expected, actor_name
        allowed = {name for name, obj in requests_world.items() if REQUESTS.allows(actor, action, obj)}
        assert allowed == expected, actor_name


def test_restrict_lists_the_capabilities_of_the_editors_department(world):
    it_capability = world["objects"]["intake.capability"]
    marketing_capability = CapabilityFactory(department=world["marketing"])
    actors = world["actors"]
    assert list(Capability.objects.restrict(actors["it_editor"], "change")) == [it_capability]
    assert list(Capability.objects.restrict(actors["mkt_editor"], "delete")) == [marketing_capability]
    assert list(Capability.objects.restrict(actors["it_viewer"], "change")) == []
    assert set(Capability.objects.restrict(actors["admin"], "change")) == {it_capability, marketing_capability}
    assert set(Capability.objects.restrict(actors["it_viewer"], "view")) == {it_capability, marketing_capability}


def test_next_steps_follow_the_step_rules(world):
    request = world["objects"]["intake.request"]
    actors = world["actors"]
    assert perms.next_steps(actors["it_editor"], request) == [S.CLARIFYING, S.ACCEPTED, S.DECLINED]
    assert perms.next_steps(actors["requester"], request) == [S.WITHDRAWN]
    assert perms.next_steps(actors["admin"], request) == [S.CLARIFYING, S.ACCEPTED, S.DECLINED, S.WITHDRAWN]
    assert perms.next_steps(actors["mkt_editor"], request) == []
    assert perms.next_steps(actors["inactive"], request) == []
    assert not perms.can_transition(actors["admin"], request, S.DELIVERED)  # not a move from "submitted"


# Every write service refuses an actor its policy refuses ------------------------------------------

def _state():
    """Everything a write could leave behind: row counts, versions, audit entries, notifications."""
    versioned = (Capability, Request, Roadmap, Iteration, Milestone, BacklogItem)
    return {
        "counts": {m.__name__: m.objects.count() for m in (*versioned, Transition, ScheduleChange,
                                                            AuditEntry, Notification)},
        "versions": {m.__name__: sorted(m.objects.values_list("pk", "version")) for m in versioned},
        "watchers": sorted(Request.watchers.through.objects.values_list("request_id", "user_id")),
        "links": sorted(BacklogItem.depends_on.through.objects.values_list("pk", flat=True)),
        "statuses": sorted(Request.objects.values_list("pk", "status", "planned_delivery")),
        "items": sorted(BacklogItem.objects.values_list("pk", "iteration_id", "title")),
    }


def _filing(w):
    return {"title": "A new page", "objective": "A page.", "why": "Traffic.", "lost_cost_amount": Decimal(10),
            "needed_by": in_days(60), "capability": w["objects"]["intake.capability"],
            "requester": w["actors"]["requester"].person}


@pytest.fixture
def spares(world):
    """Objects the services write to, made before anything is counted."""
    it_capability = world["objects"]["intake.capability"]
    return {
        "capability": CapabilityFactory(department=world["it"]),
        "request": RequestFactory(capability=it_capability),
        "planned": RequestFactory(capability=it_capability, requester=world["actors"]["requester"].person,
                                  status=S.PLANNED, planned_delivery=in_days(40), feasibility="feasible",
                                  approach="CMS template."),
        "item": BacklogItemFactory(),
        "roadmap": RoadmapFactory(),
        "iteration": IterationFactory(),
        "milestone": MilestoneFactory(),
    }


# name → (call(world, spares, actor), the actors the policy refuses)
SERVICES = {
    "capability_create": (lambda w, s, a: services.capability_create(actor=a, data={
        "name": "Email template", "department": w["it"], "lead_time_days": 5}), {"viewer", "it_viewer", "inactive"}),
    "capability_update": (lambda w, s, a: services.capability_update(
        w["objects"]["intake.capability"], actor=a, data={"lead_time_days": 20}, expected_version=None),
        {"mkt_editor", "it_viewer", "inactive"}),
    "capability_delete": (lambda w, s, a: services.capability_delete(s["capability"], actor=a),
                          {"mkt_editor", "it_viewer", "inactive"}),
    "request_file": (lambda w, s, a: services.request_file(actor=a, data=_filing(w)), {"anonymous", "inactive"}),
    "request_update": (lambda w, s, a: services.request_update(
        w["objects"]["intake.request"], actor=a, data={"title": "Changed"}, expected_version=None),
        {"mkt_editor", "it_viewer", "editor", "inactive"}),
    "request_respond": (lambda w, s, a: services.request_respond(
        w["objects"]["intake.request"], actor=a, expected_version=None,
        data={"approach": "CMS template.", "feasibility": "feasible", "estimate_days": Decimal(3)}),
        {"requester", "mkt_editor", "it_viewer", "inactive"}),
    "request_transition_accept": (lambda w, s, a: services.request_transition(
        w["objects"]["intake.request"], actor=a, to_status=S.ACCEPTED),
        {"requester", "mkt_editor", "it_viewer", "editor", "inactive"}),
    "request_transition_withdraw": (lambda w, s, a: services.request_transition(
        w["objects"]["intake.request"], actor=a, to_status=S.WITHDRAWN, note="No longer needed."),
        {"it_editor", "mkt_editor", "inactive"}),
    "request_reschedule": (lambda w, s, a: services.request_reschedule(
        s["planned"], actor=a, planned_delivery=in_days(50), reason="Vendor is late."),
        {"requester", "mkt_editor", "it_viewer", "inactive"}),
    "request_watch": (lambda w, s, a: services.request_watch(w["objects"]["intake.request"], actor=a),
                      {"anonymous", "inactive"}),
    "request_delete": (lambda w, s, a: services.request_delete(s["request"], actor=a),
        {"requester", "it_editor", "editor", "inactive"}),
    "backlog_item_create": (lambda w, s, a: services.backlog_item_create(actor=a, data={
        "title": "Fix UTM tracking", "effort_days": Decimal(2)}), {"viewer", "requester", "inactive"}),
    "backlog_item_update": (lambda w, s, a: services.backlog_item_update(
        w["objects"]["intake.backlogitem"], actor=a, data={"title": "Changed"}, expected_version=None),
        {"viewer", "requester", "inactive"}),
    "backlog_item_plan": (lambda w, s, a: services.backlog_item_plan(
        s["item"], actor=a, iteration=w["objects"]["intake.iteration"]),
        {"viewer", "requester", "inactive"}),
    "backlog_item_delete": (lambda w, s, a: services.backlog_item_delete(s["item"], actor=a),
                            {"viewer", "it_viewer", "inactive"}),
    "roadmap_create": (lambda w, s, a: services.roadmap_create(actor=a, data={"name": "Data platform"}),
                       {"viewer", "inactive"}),
    "roadmap_update": (lambda w, s, a: services.roadmap_update(
        w["objects"]["intake.roadmap"], actor=a, data={"vision": "Changed."}, expected_version=None),
        {"viewer", "inactive"}),
    "roadmap_delete": (lambda w, s, a: services.roadmap_delete(s["roadmap"], actor=a), {"viewer", "inactive"}),
    "iteration_create": (lambda w, s, a: services.iteration_create(actor=a, data={
        "roadmap": w["objects"]["intake.roadmap"], "name": "MVP 2", "start": in_days(20), "end": in_days(30)}),
        {"viewer", "inactive"}),
    "iteration_update": (lambda w, s, a: services.iteration_update(
        w["objects"]["intake.iteration"], actor=a, expected_version=None,
        data={"end": in_days(20), "schedule_reason": "More work than planned."}), {"viewer", "inactive"}),
    "iteration_delete": (lambda w, s, a: services.iteration_delete(s["iteration"], actor=a),
                         {"viewer", "inactive"}),
    "milestone_create": (lambda w, s, a: services.milestone_create(actor=a, data={
        "roadmap": w["objects"]["intake.roadmap"], "name": "Go live", "due": in_days(45)}), {"viewer", "inactive"}),
    "milestone_update": (lambda w, s, a: services.milestone_update(
        w["objects"]["intake.milestone"], actor=a, expected_version=None,
        data={"due": in_days(40), "schedule_reason": "Vendor is late."}), {"viewer", "inactive"}),
    "milestone_delete": (lambda w, s, a: services.milestone_delete(s["milestone"], actor=a),
                         {"viewer", "inactive"}),
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_write_service_refuses_whom_the_policy_refuses(world, spares, service):
    call, refused = SERVICES[service]
    assert refused <= ALL - {"admin", "system"}
    for name in sorted(refused):
        before = _state()
        with pytest.raises(PermissionDenied):
            call(world, spares, world["actors"][name])
        assert _state() == before, f"{service} by {name} left something behind"
    # The same call by an admin goes through: the refusal was the policy's, not bad data.
    before = _state()
    call(world, spares, world["actors"]["admin"])
    assert _state() != before


def test_a_workflow_step_is_one_versioned_audited_write(world):
    request = world["objects"]["intake.request"]
    entries = AuditEntry.objects.count()
    moved = services.request_transition(request, actor=world["actors"]["it_editor"], to_status=S.ACCEPTED,
                                        expected_version=request.version)
    assert moved.status == S.ACCEPTED and moved.version == request.version + 1
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.before["status"], entry.after["status"]) == ("update", S.SUBMITTED, S.ACCEPTED)


def test_a_reschedule_bumps_the_version_once_and_is_audited(world, spares):
    request = spares["planned"]
    entries = AuditEntry.objects.count()
    change = services.request_reschedule(request, actor=world["actors"]["it_editor"], planned_delivery=in_days(55),
                                         reason="Vendor is late.", expected_version=request.version)
    request.refresh_from_db()
    assert request.version == 2 and request.planned_delivery == in_days(55)
    assert change.old_date == in_days(40) and change.new_date == in_days(55)
    # The schedule change and the request's update.
    assert AuditEntry.objects.count() == entries + 2
    assert isinstance(change.new_date, datetime.date)
