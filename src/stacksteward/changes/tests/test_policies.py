"""Change control's policies: a matrix generated from the registered policies, and every write service
refusing (called directly) an actor its policy refuses, without writing anything."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from stacksteward.changes import calendar, meetings, policies, services
from stacksteward.changes.choices import ChangeStatusChoices as S
from stacksteward.changes.models import (
    CalendarEvent,
    CalendarFeedToken,
    ChangeApproval,
    ChangeRequest,
    Meeting,
    MeetingDecision,
    MeetingSeries,
)
from stacksteward.changes.workflow import CHANGE_WORKFLOW
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry, Notification, Transition
from stacksteward.core.policies import ACTIONS, registered
from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import PersonFactory, UserFactory

from .factories import CalendarEventFactory, ChangeRequestFactory, at

# The answer every (policy, action) must give, written out by hand: a new rule in changes.policies must be
# added here (the test below fails while one is missing), so the matrix always covers every declaration.
SIGNED_IN, EDITOR, NOBODY, DECIDER, OWN_FEED, ADMIN = "signed in", "editor", "nobody", "decider", "own feed", "admin"
CRUD = {"view": SIGNED_IN, "add": EDITOR, "change": EDITOR, "delete": EDITOR, "audit": SIGNED_IN}
WORKFLOW_STEPS = {"submit", "assess", "request_approval", "approve", "reject", "schedule", "implement", "fail",
                  "roll_back", "review"}
EXPECTED = {
    "changes.changerequest": {**CRUD, **dict.fromkeys(WORKFLOW_STEPS, EDITOR), "recompute": EDITOR},
    "changes.changeapproval": {**CRUD, "decide": DECIDER},
    "changes.calendarevent": CRUD,
    "changes.meetingseries": {**CRUD, "schedule": EDITOR},
    "changes.meeting": CRUD,
    "changes.meetingdecision": {**CRUD, "change": NOBODY, "delete": NOBODY},
    "changes.calendarfeedtoken": {"view": OWN_FEED, "add": OWN_FEED, "change": OWN_FEED, "delete": OWN_FEED,
                                  "audit": ADMIN},
}
HUMANS = ("anonymous", "inactive", "viewer", "editor", "marketing editor", "legal editor", "admin")


def _changes_policies():
    return {label: policy for label, policy in registered().items() if label.startswith("changes.")}


def _declared(policy) -> set[str]:
    return {*ACTIONS, "audit", *policy.steps, *policy.actions}


def test_every_changes_model_has_a_policy_and_the_matrix_covers_every_rule():
    models = {m._meta.label_lower for m in apps.get_app_config("changes").get_models()}
    found = _changes_policies()
    assert set(found) == models
    assert set(EXPECTED) == models
    for label, policy in found.items():
        assert _declared(policy) == set(EXPECTED[label]), label


def test_every_workflow_move_has_a_step():
    reachable = {step.target for step in CHANGE_WORKFLOW.steps}  # approved, rejected: internal (decisions)
    assert {policies.step_to(status) for status in reachable} == WORKFLOW_STEPS == set(policies.CHANGES.steps)


def _member(username, role, department, *, active=True):
    user = UserFactory(username=username, first_name=username.capitalize(), is_active=active)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), department=department, user=user, email=f"{username}@example.com")
    return user


@pytest.fixture
def actors(people, departments):
    return {
        "anonymous": AnonymousUser(),
        "inactive": _member("ines", "editor", departments["it"], active=False),
        "viewer": people["vic"],
        "editor": people["ivan"],
        "marketing editor": people["maria"],
        "legal editor": people["lena"],
        "admin": _member("ada", "admin", departments["it"]),
        "system": SystemActor.job("policy-matrix"),
    }


@pytest.fixture
def world(people, stack, departments):
    """One object of every changes model (two approvals and two feed keys, for the scoped rules)."""
    change = services.change_submit(services.change_create(actor=people["ivan"], data={
        "title": "Rename the CRM's lead source field", "components": [stack["crm"]], "window_start": at(7, 10),
        "window_end": at(7, 12), "rollback_plan": "Rename it back."}), actor=people["ivan"])
    approvals = {a.department.slug: a for a in change.approvals.select_related("department")}
    assert set(approvals) == {"marketing", "legal"}
    meeting = meetings.meeting_create(actor=people["ivan"], data={"title": "CAB", "starts_at": at(1, 10),
                                                                  "ends_at": at(1, 11)})
    decision = meetings.meeting_decide(meeting, change, actor=people["ivan"], decision="defer", comment="Later.")
    series = meetings.series_create(actor=people["ivan"], data={
        "name": "Weekly CAB", "weekday": 1, "time": datetime.time(10), "timezone": "UTC",
        "starts_on": datetime.date.today(), "active": False})
    calendar.feed_token_rotate(actor=people["vic"], user=people["vic"])
    calendar.feed_token_rotate(actor=people["ivan"], user=people["ivan"])
    return {
        "changes.changerequest": [change],
        "changes.changeapproval": list(approvals.values()),
        "changes.calendarevent": [CalendarEventFactory()],
        "changes.meetingseries": [series],
        "changes.meeting": [meeting],
        "changes.meetingdecision": [decision],
        "changes.calendarfeedtoken": list(CalendarFeedToken.objects.all()),
    }


def _expected(kind: str, who: str, actor, obj) -> bool:
    if who == "system":
        return True
    if who in ("anonymous", "inactive"):
        return False
    role = {"viewer": "viewer", "admin": "admin"}.get(who, "editor")
    if kind == SIGNED_IN:
        return True
    if kind == NOBODY:
        return False
    if kind == ADMIN:
        return role == "admin"
    if kind == EDITOR:
        return role in ("editor", "admin")
    if kind == DECIDER:
        if role == "admin":
            return True
        return role == "editor" and (obj is None or obj.department_id == actor.person.department_id)
    if kind == OWN_FEED:
        return role == "admin" or obj is None or obj.user_id == actor.pk
    raise AssertionError(kind)


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_policy_matrix(label, actors, world):
    policy = registered()[label]
    model = apps.get_model(label)
    checked = 0
    for action, kind in EXPECTED[label].items():
        for who, actor in actors.items():
            assert policy.allows(actor, action) is _expected(kind, who, actor, None), (label, action, who)
            for obj in world[label]:
                allowed = policy.allows(actor, action, obj)
                assert allowed is _expected(kind, who, actor, obj), (label, action, who, obj)
                listed = model.objects.restrict(actor, action).filter(pk=obj.pk).exists()
                assert listed is allowed, (label, action, who, obj)
                checked += 1
    assert checked >= len(EXPECTED[label]) * len(actors)


def test_a_department_editor_decides_only_their_departments_approval(actors, world):
    legal, marketing = sorted(world["changes.changeapproval"], key=lambda a: a.department.slug)
    maria = actors["marketing editor"]
    assert policies.APPROVALS.allows(maria, "decide", marketing)
    assert not policies.APPROVALS.allows(maria, "decide", legal)
    assert list(ChangeApproval.objects.restrict(maria, "decide")) == [marketing]
    assert set(ChangeApproval.objects.restrict(actors["admin"], "decide")) == {marketing, legal}
    assert not ChangeApproval.objects.restrict(actors["viewer"], "decide").exists()


def test_a_string_is_not_an_actor(world, stack):
    with pytest.raises(TypeError):
        services.change_create(actor="cli", data={"title": "x", "components": [stack["crm"]]})
    with pytest.raises(TypeError):
        policies.CHANGES.allows("system", "change")
    assert ChangeRequest.objects.count() == 1


# Every write service refuses, called directly -------------------------------------------------------

def _fingerprint():
    """Everything a write could touch: rows of every changes model, their versions and states, the audit
    log and the notifications."""
    return {
        "changes": list(ChangeRequest.objects.order_by("pk").values_list("pk", "version", "status", "title")),
        "approvals": list(ChangeApproval.objects.order_by("pk").values_list("pk", "version", "decision")),
        "transitions": Transition.objects.count(),
        "events": list(CalendarEvent.objects.order_by("pk").values_list("pk", "version", "name")),
        "series": list(MeetingSeries.objects.order_by("pk").values_list("pk", "version", "name")),
        "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "version", "notes")),
        "decisions": MeetingDecision.objects.count(),
        "feed keys": list(CalendarFeedToken.objects.order_by("pk").values_list("pk", "key_hash")),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.fixture
def targets(people, stack):
    """What the write services act on (the submitted change with its approvals is made by the services)."""
    ivan = people["ivan"].person
    submitted = services.change_submit(services.change_create(actor=people["ivan"], data={
        "title": "Rename the CRM's lead source field", "components": [stack["crm"]], "window_start": at(7, 10),
        "window_end": at(7, 12), "rollback_plan": "Rename it back."}), actor=people["ivan"])
    ChangeRequest.objects.filter(pk=submitted.pk).update(risk="")  # kept risk out of date: a recompute writes
    return {
        "submitted": submitted,
        "approval": submitted.approvals.get(department__slug="marketing"),
        "draft": ChangeRequestFactory(status="draft", requester=ivan, components=[stack["forms"]],
                                      window_start=at(20, 10), window_end=at(20, 12)),
        "implemented": ChangeRequestFactory(status="implemented", requester=ivan, components=[stack["automation"]],
                                            window_start=at(-3, 10), window_end=at(-3, 12)),
        "event": CalendarEventFactory(start=at(30, 0), end=at(31, 0)),
        "series": MeetingSeries.objects.create(name="Weekly CAB", weekday=1, time=datetime.time(10), timezone="UTC",
                                               starts_on=datetime.date.today()),
        "meeting": Meeting.objects.create(title="CAB", starts_at=at(1, 10), ends_at=at(1, 11)),
        "ivan's feed": CalendarFeedToken.objects.create(user=people["ivan"], key_hash="0" * 64),
        "ivan": people["ivan"],
        "crm": stack["crm"],
    }


WRITES = {
    "change_create": lambda actor, t: services.change_create(actor=actor, data={
        "title": "New", "components": [t["crm"]], "requester": t["ivan"].person, "window_start": at(40, 10),
        "window_end": at(40, 11), "rollback_plan": "Undo."}),
    "change_update": lambda actor, t: services.change_update(t["draft"], actor=actor, data={"title": "Renamed"},
                                                             expected_version=t["draft"].version),
    "change_delete": lambda actor, t: services.change_delete(t["draft"], actor=actor),
    "change_submit": lambda actor, t: services.change_submit(t["draft"], actor=actor),
    "change_transition": lambda actor, t: services.change_transition(t["submitted"], actor=actor,
                                                                     to_status=S.ASSESSING),
    "change_review": lambda actor, t: services.change_review(t["implemented"], actor=actor, outcome="Done."),
    "change_recompute": lambda actor, t: services.change_recompute(t["submitted"], actor=actor),
    "approval_decide": lambda actor, t: services.approval_decide(t["approval"], actor=actor, decision="approved"),
    "event_create": lambda actor, t: services.event_create(actor=actor, data={
        "name": "Launch", "kind": "campaign_launch", "start": at(50, 0), "end": at(51, 0)}),
    "event_update": lambda actor, t: services.event_update(t["event"], actor=actor, data={"name": "Moved"},
                                                           expected_version=None),
    "event_delete": lambda actor, t: services.event_delete(t["event"], actor=actor),
    "series_create": lambda actor, t: meetings.series_create(actor=actor, data={
        "name": "Monthly CAB", "weekday": 2, "time": datetime.time(9), "timezone": "UTC",
        "starts_on": datetime.date.today()}),
    "series_update": lambda actor, t: meetings.series_update(t["series"], actor=actor, data={"name": "CAB"},
                                                             expected_version=None),
    "series_delete": lambda actor, t: meetings.series_delete(t["series"], actor=actor),
    "series_schedule": lambda actor, t: meetings.series_schedule(t["series"], actor=actor),
    "meeting_create": lambda actor, t: meetings.meeting_create(actor=actor, data={
        "title": "Extra CAB", "starts_at": at(2, 10), "ends_at": at(2, 11)}),
    "meeting_update": lambda actor, t: meetings.meeting_update(t["meeting"], actor=actor, data={"notes": "Minutes"},
                                                               expected_version=None),
    "meeting_delete": lambda actor, t: meetings.meeting_delete(t["meeting"], actor=actor),
    "meeting_decide": lambda actor, t: meetings.meeting_decide(t["meeting"], t["submitted"], actor=actor,
                                                               decision="defer", comment="Needs a test plan."),
    "feed_token_rotate": lambda actor, t: calendar.feed_token_rotate(actor=actor, user=t["ivan"]),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_service_refuses_whom_its_policy_refuses(name, people, departments, targets):
    write = WRITES[name]
    refused = {"viewer": people["vic"], "inactive editor": _member("ines", "editor", departments["it"], active=False),
               "anonymous": AnonymousUser()}
    if name == "approval_decide":
        refused["editor of another department"] = people["lena"]
    if name == "feed_token_rotate":
        refused["another user (editor)"] = people["maria"]
    before = _fingerprint()
    for who, actor in refused.items():
        with pytest.raises(PermissionDenied):
            write(actor, targets)
        assert _fingerprint() == before, f"{name} wrote something for {who}"
    # The same call by an actor the policy allows goes through and writes: the refusals were the policy's.
    write(SystemActor.job("policy-test"), targets)
    assert _fingerprint() != before


def test_a_meeting_decision_for_a_department_the_actor_may_not_decide_writes_nothing(people, targets, departments):
    before = _fingerprint()
    with pytest.raises(PermissionDenied):
        meetings.meeting_decide(targets["meeting"], targets["submitted"], actor=people["lena"], decision="approve",
                                department=departments["marketing"])
    assert _fingerprint() == before
    meetings.meeting_decide(targets["meeting"], targets["submitted"], actor=people["maria"], decision="approve",
                            department=departments["marketing"])
    targets["approval"].refresh_from_db()
    assert targets["approval"].decision == "approved" and targets["approval"].meeting == targets["meeting"]


def test_workflow_writes_go_through_the_locked_versioned_path(people, targets):
    """Every workflow step bumps the version once per write and is refused on a stale version."""
    from stacksteward.core.exceptions import StaleVersionError

    change = targets["submitted"]
    audited = AuditEntry.objects.filter(content_type__model="changerequest", object_id=str(change.pk))
    entries = audited.count()
    moved = services.change_transition(change, actor=people["ivan"], to_status=S.ASSESSING,
                                       expected_version=change.version)
    assert moved.version == change.version + 1
    assert ChangeRequest.objects.get(pk=change.pk).version == moved.version
    assert audited.count() == entries + 1
    latest = audited.order_by("-pk").first()
    assert latest.before["status"] == S.SUBMITTED and latest.after["status"] == S.ASSESSING
    with pytest.raises(StaleVersionError):
        services.change_transition(moved, actor=people["ivan"], to_status=S.AWAITING_APPROVAL,
                                   expected_version=change.version)
    assert ChangeRequest.objects.get(pk=change.pk).status == S.ASSESSING
