"""The workflow engine (``core.workflow``) on the request workflow: the declared table, and one move —
checked in order (the move, the step's rule, the required inputs), written once (status, version,
audit entry, one transition on the timeline) or not at all."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.models import AuditEntry, Transition
from stacksteward.intake import permissions as perms
from stacksteward.intake import services
from stacksteward.intake.choices import RequestStatusChoices as S
from stacksteward.intake.models import Request
from stacksteward.intake.workflow import REQUEST_WORKFLOW

from .factories import in_days

# The table as docs/intake.md describes it, written out by hand.
EXPECTED = {
    S.SUBMITTED: [S.CLARIFYING, S.ACCEPTED, S.DECLINED, S.WITHDRAWN],
    S.CLARIFYING: [S.SUBMITTED, S.ACCEPTED, S.DECLINED, S.WITHDRAWN],
    S.ACCEPTED: [S.PLANNED, S.DECLINED, S.WITHDRAWN],
    S.PLANNED: [S.IN_PROGRESS, S.ACCEPTED, S.WITHDRAWN],
    S.IN_PROGRESS: [S.DELIVERED, S.PLANNED],
    S.NEEDS_REESTIMATE: [S.PLANNED, S.CLARIFYING, S.ACCEPTED, S.DECLINED, S.WITHDRAWN],
    S.DELIVERED: [S.MEASURED],
    S.MEASURED: [],
    S.DECLINED: [],
    S.WITHDRAWN: [],
}


# Taken only by a service as the consequence of something else: a requester's scope change after the estimate.
EXPECTED_INTERNAL = {
    "change_scope": ([S.SUBMITTED, S.CLARIFYING, S.ACCEPTED, S.PLANNED, S.IN_PROGRESS], S.NEEDS_REESTIMATE),
}


def test_request_workflow_table_is_the_documented_one():
    assert {state: REQUEST_WORKFLOW.targets_from(state) for state in S.values} == EXPECTED
    internal = {s.name: (list(s.sources), s.target) for s in REQUEST_WORKFLOW.steps if s.internal}
    assert internal == EXPECTED_INTERNAL


def test_needs_reestimate_is_entered_only_by_the_internal_step():
    for state in EXPECTED_INTERNAL["change_scope"][0]:
        assert S.NEEDS_REESTIMATE not in REQUEST_WORKFLOW.targets_from(state)  # never offered as a button
        assert REQUEST_WORKFLOW.step_between(state, S.NEEDS_REESTIMATE, internal=True).name == "change_scope"
    assert perms.TRANSITIONS[S.NEEDS_REESTIMATE] == tuple(EXPECTED[S.NEEDS_REESTIMATE])
    assert perms.STEP_TO[S.NEEDS_REESTIMATE] == "change_scope"


def test_the_requester_cannot_press_needs_reestimate(filed, marketer):
    with pytest.raises(ValidationError) as caught:
        REQUEST_WORKFLOW.move(filed, actor=marketer, to=S.NEEDS_REESTIMATE)
    assert "cannot move to “needs re-estimate”" in caught.value.message_dict["status"][0]


@pytest.fixture
def filed(marketer, capability):
    request, _check = services.request_file(actor=marketer, data={
        "title": "Spring landing page", "objective": "A page for the campaign.", "why": "Traffic has nowhere to land.",
        "lost_cost_amount": Decimal(2000), "needed_by": in_days(60), "capability": capability})
    return Request.objects.get(pk=request.pk)


def _written(request):
    return (Request.objects.get(pk=request.pk).version, AuditEntry.objects.count(),
            Transition.objects.about(request).count())


def test_move_takes_the_step_once_status_version_audit_and_transition(filed, it_editor):
    moved, transition = REQUEST_WORKFLOW.move(filed, actor=it_editor, to=S.ACCEPTED, note="Fits the template.",
                                              expected_version=filed.version)
    assert moved.status == S.ACCEPTED and moved.version == filed.version + 1
    entry = AuditEntry.objects.filter(object_id=str(filed.pk), action="update").get()
    assert entry.before["status"] == S.SUBMITTED and entry.after["status"] == S.ACCEPTED
    assert (transition.step, transition.from_status, transition.to_status) == ("accept", S.SUBMITTED, S.ACCEPTED)
    assert transition.note == "Fits the template." and transition.actor == it_editor
    assert transition.get_to_status_display() == "Accepted" and transition.get_from_status_display() == "Submitted"
    assert [t.to_status for t in filed.transitions.all()] == [S.SUBMITTED, S.ACCEPTED]
    assert [t.step for t in REQUEST_WORKFLOW.timeline(filed)] == ["file", "accept"]


def test_move_not_in_the_table_names_the_field_and_the_way_out_and_writes_nothing(filed, it_editor):
    before = _written(filed)
    with pytest.raises(ValidationError) as caught:
        REQUEST_WORKFLOW.move(filed, actor=it_editor, to=S.DELIVERED)
    assert caught.value.message_dict["status"] == [
        "A request that is submitted cannot move to “delivered”; from here it can go to: "
        "clarifying, accepted, declined, withdrawn."]
    assert _written(filed) == before


def test_move_to_an_unknown_status_is_refused(filed, it_editor):
    with pytest.raises(ValidationError) as caught:
        REQUEST_WORKFLOW.move(filed, actor=it_editor, to="shipped")
    assert "'shipped' is not a request status" in caught.value.message_dict["status"][0]


def test_move_the_policy_refuses_is_permission_denied_and_writes_nothing(filed, other_editor, marketer):
    before = _written(filed)
    with pytest.raises(PermissionDenied):  # an editor outside the delivering department
        REQUEST_WORKFLOW.move(filed, actor=other_editor, to=S.ACCEPTED)
    with pytest.raises(PermissionDenied):  # the requester cannot accept their own request
        REQUEST_WORKFLOW.move(filed, actor=marketer, to=S.ACCEPTED)
    assert _written(filed) == before


def test_move_without_a_required_note_names_the_note(filed, it_editor):
    before = _written(filed)
    with pytest.raises(ValidationError) as caught:
        REQUEST_WORKFLOW.move(filed, actor=it_editor, to=S.DECLINED, note="   ")
    assert caught.value.message_dict == {"note": ["Say why the request is declined."]}
    assert _written(filed) == before


def test_move_from_a_stale_version_is_refused(filed, it_editor):
    before = _written(filed)
    with pytest.raises(StaleVersionError):
        REQUEST_WORKFLOW.move(filed, actor=it_editor, to=S.ACCEPTED, expected_version=filed.version - 1 or 99)
    assert _written(filed) == before


def test_available_steps_follow_state_and_policy(filed, it_editor, marketer):
    assert [s.name for s in REQUEST_WORKFLOW.available(it_editor, filed)] == ["clarify", "accept", "decline"]
    assert [s.name for s in REQUEST_WORKFLOW.available(marketer, filed)] == ["withdraw"]
