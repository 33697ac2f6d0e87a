"""Writes and workflow of change control. Every function takes ``actor=``, is authorized by
``changes.policies`` (its first line, and again by the core write it goes through), runs in one
transaction, writes the change through ``core.services.object_update`` (locked, version-checked,
bumped and audited, with ``rule=`` the workflow step) and tells the people concerned through
``core.notifications``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stacksteward.core import audit
from stacksteward.core.choices import AuditSourceChoices, NotificationKindChoices
from stacksteward.core.display import when
from stacksteward.core.notifications import notify
from stacksteward.core.services import check_version, object_create, object_delete, object_update
from stacksteward.org.models import Department, Person
from stacksteward.org.permissions import person_of

from .choices import ApprovalDecisionChoices as D
from .choices import ChangeStatusChoices as S
from .choices import ChangeTypeChoices as T
from .conflicts import Conflict, find_conflicts
from .impact import ChangeImpact, compute_impact, impact_diff, summary_of
from .models import CalendarEvent, ChangeApproval, ChangeRequest
from .policies import APPROVALS, CHANGES, EVENTS, STEP_TO, allowed_next, step_to
from .risk import Risk, assess
from .workflow import CHANGE_WORKFLOW, CREATE_STEP, DECIDABLE

UI = AuditSourceChoices.UI
EDITABLE_FIELDS = ("title", "description", "components", "type", "requester", "implementer", "window_start",
                   "window_end", "rollback_plan", "request", "backlog_item", "conflict_justification")


# Reading the computed parts ---------------------------------------------------------------------

def assess_change(change: ChangeRequest, *, component_ids=None, start=None, end=None, change_type=None
                  ) -> tuple[ChangeImpact, list[Conflict], Risk]:
    """Impact, conflicts and risk of a change as it stands (or as it would be with other values)."""
    ids = list(component_ids) if component_ids is not None else list(change.components.values_list("pk", flat=True))
    start = start or change.window_start
    end = end or change.window_end
    impact = compute_impact(ids)
    conflicts = find_conflicts(component_ids=ids, impacted_ids=[c["id"] for c in impact.components],
                               start=start, end=end, exclude_pk=change.pk)
    risk = assess(change_type=change_type or change.type, highest_tier=impact.highest_tier,
                  tier_1_impacted=impact.tier_1_impacted, department_count=len(impact.departments),
                  personal_data=impact.personal_data, window_hours=(end - start).total_seconds() / 3600,
                  conflict_count=len(conflicts))
    return impact, conflicts, risk


def _informed(change: ChangeRequest) -> list:
    """Everyone the change's impact names, plus its requester and implementer."""
    snapshot = change.impact_snapshot or {}
    ids = {p["id"] for d in snapshot.get("departments", []) for p in d["people"]}
    ids |= {p["id"] for p in snapshot.get("unassigned_people", [])}
    ids |= {pk for pk in (change.requester_id, change.implementer_id) if pk}
    return list(Person.objects.filter(pk__in=ids))


def _tell(change: ChangeRequest, actor, what: str, body: str = "",
          kind=NotificationKindChoices.STATUS_CHANGED) -> int:
    sent = notify(_informed(change), kind=kind, actor=actor, target=change, url=change.get_absolute_url(),
                  title=f"{change} {what}", body=body)
    return len(sent)


def _transition_row(change, from_status, to_status, note, actor) -> None:
    """A step a service took as part of a larger write (submission, decisions, the review) on the timeline."""
    CHANGE_WORKFLOW.record(change, from_state=from_status, to_state=to_status, note=note, actor=actor,
                           step=STEP_TO.get(to_status, CREATE_STEP) if from_status else CREATE_STEP)


def _write(change: ChangeRequest, *, actor, step: str, data: dict, source, expected_version=None) -> ChangeRequest:
    """One workflow write of a change: the core path (policy ``step``, lock, version, bump, audit)."""
    return object_update(change, actor=actor, data=data, expected_version=expected_version, source=source,
                         rule=step)


# Create and edit --------------------------------------------------------------------------------

def _check_fields(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    if "components" in data and not data["components"]:
        raise ValidationError({"components": "Name at least one component the change touches."})
    return dict(data)


@transaction.atomic
def change_create(*, actor, data: dict, source=UI) -> ChangeRequest:
    """A new change, as a draft."""
    CHANGES.require(actor, "add")
    data = _check_fields(data)
    if not data.get("components"):
        raise ValidationError({"components": "Name at least one component the change touches."})
    if data.get("requester") is None:
        person = person_of(actor)
        if person is None:
            raise ValidationError({"requester": "Your account is not linked to a person: name the requester."})
        data["requester"] = person
    change = object_create(ChangeRequest, actor=actor, data={**data, "status": S.DRAFT}, source=source)
    _transition_row(change, "", S.DRAFT, "", actor)
    return change


@transaction.atomic
def change_update(change: ChangeRequest, *, actor, data: dict, expected_version, source=UI) -> ChangeRequest:
    """Edit a change. Once submitted, new components or a new window recompute impact, conflicts and
    risk; a moved window tells everyone informed (a reschedule)."""
    CHANGES.require(actor, "change", change)
    data = _check_fields(data)
    current = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    check_version(current, expected_version)
    if current.status in (S.REVIEWED, S.REJECTED):
        raise ValidationError({"status": f"A {current.get_status_display().lower()} change cannot be edited."})
    moved = any(k in data and data[k] != getattr(current, k) for k in ("window_start", "window_end"))
    updated = object_update(current, actor=actor, data=data, expected_version=None, source=source)
    if updated.status != S.DRAFT and ({"components", "window_start", "window_end", "type"} & set(data)):
        updated, _impact, _conflicts = _reassess(updated, actor=actor, step="change", source=source,
                                                 justification=data.get("conflict_justification"))
        if moved:
            start = timezone.localtime(updated.window_start)  # frozen in the text: say which zone
            _tell(updated, actor, f"rescheduled: {when(start)} {start.tzname()}",
                  kind=NotificationKindChoices.SCHEDULE_CHANGED)
    return updated


def change_delete(change: ChangeRequest, *, actor, expected_version=None, source=UI) -> None:
    CHANGES.require(actor, "delete", change)
    if change.status != S.DRAFT:
        raise ValidationError({"status": "Only drafts can be deleted; reject or review the change instead."})
    object_delete(change, actor=actor, expected_version=expected_version, source=source)


# Impact, conflicts and approvals ---------------------------------------------------------------

def _refuse_unjustified(conflicts: list[Conflict], justification: str | None) -> None:
    if conflicts and not (justification or "").strip():
        listed = "; ".join(c.reason for c in conflicts)
        raise ValidationError({"conflict_justification": f"The change conflicts with: {listed}. "
                                                         "Say why it should go ahead anyway."})


def _kept_impact(snapshot: dict, conflicts: list[dict]) -> dict:
    """The fields that keep a computed impact on the change."""
    return {"impact_snapshot": {**snapshot, "conflicts": conflicts}, "impact_summary": summary_of(snapshot, conflicts),
            "impact_computed_at": timezone.now()}


def _sync_approvals(change: ChangeRequest, impact: ChangeImpact, actor, source=UI) -> None:
    """One pending approval per department that must approve; approvals no longer required and not yet
    decided are dropped; decided ones stay (the audit shows them)."""
    wanted = {d.id: d for d in impact.approvers}
    existing = {a.department_id: a for a in change.approvals.all()}
    for dept_id, approval in existing.items():
        if dept_id not in wanted and approval.decision == D.PENDING:
            object_delete(approval, actor=actor, related_attr="change", source=source)
    for dept_id, dept in wanted.items():
        if dept_id in existing:
            approval = existing[dept_id]
            if approval.reasons != dept.reasons:
                object_update(approval, actor=actor, data={"reasons": dept.reasons}, expected_version=None,
                              related_attr="change", source=source)
        else:
            object_create(ChangeApproval, actor=actor, related_attr="change", source=source, data={
                "change": change, "department": Department.objects.get(pk=dept_id), "reasons": dept.reasons})


REQUIRES_APPROVALS = (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL, S.APPROVED, S.SCHEDULED)


def _reassess(change: ChangeRequest, *, actor, step: str, justification, source, data: dict | None = None
              ) -> tuple[ChangeRequest, ChangeImpact, list[Conflict]]:
    """Compute impact, conflicts and risk, sync the approvals, and write them (with ``data``) as ``step``."""
    data = dict(data or {})
    impact, conflicts, risk = assess_change(change)
    _refuse_unjustified(conflicts, justification if justification is not None else change.conflict_justification)
    data.update(_kept_impact(impact.as_dict(), [c.as_dict() for c in conflicts]), risk=risk.level,
                risk_reasons=risk.reasons)
    if change.type != T.STANDARD and data.get("status", change.status) in REQUIRES_APPROVALS:
        _sync_approvals(change, impact, actor, source)
    return _write(change, actor=actor, step=step, data=data, source=source), impact, conflicts


@transaction.atomic
def change_submit(change: ChangeRequest, *, actor, conflict_justification: str = "", expected_version=None,
                  source=UI) -> ChangeRequest:
    """Draft → submitted: impact, conflicts and risk are computed and kept; approvals are created.

    A standard (pre-approved) change is approved at once; conflicts need a justification.
    """
    CHANGES.require(actor, "submit", change)
    current = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    check_version(current, expected_version)
    if current.status != S.DRAFT:
        raise ValidationError({"status": f"Only a draft can be submitted; this change is "
                                         f"{current.get_status_display().lower()}."})
    if not current.components.exists():
        raise ValidationError({"components": "Name at least one component the change touches."})
    data = {"status": S.SUBMITTED}
    justification = current.conflict_justification
    if conflict_justification:
        justification = data["conflict_justification"] = conflict_justification.strip()
    current, impact, _conflicts = _reassess(current, actor=actor, step="submit", justification=justification,
                                            source=source, data=data)
    _transition_row(current, S.DRAFT, S.SUBMITTED, "", actor)
    if current.type == T.STANDARD:
        current = _write(current, actor=actor, step="approve", data={"status": S.APPROVED}, source=source)
        _transition_row(current, S.SUBMITTED, S.APPROVED, "Standard change: pre-approved.", actor)
        _tell(current, actor, "is approved (standard change)")
    else:
        notify([Department(pk=d.id) for d in impact.approvers], kind=NotificationKindChoices.STATUS_CHANGED,
               actor=actor, target=current, url=current.get_absolute_url(),
               title=f"{current} needs your department's approval")
    return current


@transaction.atomic
def change_recompute(change: ChangeRequest, *, actor, source=UI) -> dict:
    """Recompute impact, conflicts and risk now; returns the diff against the kept snapshot.

    A submitted change keeps the new snapshot whenever anything in it differs (people, paths, conflicts),
    not only what the diff summarises."""
    CHANGES.require(actor, "recompute", change)
    current = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    old = current.impact_snapshot
    impact, conflicts, risk = assess_change(current)
    new = impact.as_dict()
    new["conflicts"] = [c.as_dict() for c in conflicts]
    diff = impact_diff(old, new)
    if current.status != S.DRAFT and (new != old or current.risk != risk.level or current.risk_reasons != risk.reasons):
        if current.type != T.STANDARD and current.status in (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL):
            _sync_approvals(current, impact, actor, source)
        _write(current, actor=actor, step="recompute", source=source,
               data={**_kept_impact(new, new["conflicts"]), "risk": risk.level, "risk_reasons": risk.reasons})
    return diff


AFTER_THE_FACT = (S.SCHEDULED, S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK, S.REVIEWED)


@transaction.atomic
def approval_decide(approval: ChangeApproval, *, actor, decision: str, comment: str = "", meeting=None,
                    source=UI) -> ChangeApproval:
    """A department approves or rejects. Any rejection rejects the change; all approvals approve it."""
    APPROVALS.require(actor, "decide", approval)
    if decision not in (D.APPROVED, D.REJECTED):
        raise ValidationError({"decision": "Decide approved or rejected."})
    current = ChangeApproval.objects.select_for_update().select_related("change", "department").get(pk=approval.pk)
    change = ChangeRequest.objects.select_for_update().get(pk=current.change_id)
    after_the_fact = change.type == T.EMERGENCY and change.status in AFTER_THE_FACT
    if change.status not in DECIDABLE and not after_the_fact:
        raise ValidationError({"decision": f"The change is {change.get_status_display().lower()}; "
                                           "approvals can no longer be decided."})
    if current.decision != D.PENDING:
        raise ValidationError({"decision": f"{current.department} already decided: "
                                           f"{current.get_decision_display().lower()}."})
    comment = (comment or "").strip()
    if decision == D.REJECTED and not comment:
        raise ValidationError({"comment": "Say why the change is rejected."})
    user = actor if getattr(actor, "is_authenticated", False) else None
    current = object_update(current, actor=actor, expected_version=None, source=source, related_attr="change",
                            rule="decide", data={
                                "decision": decision, "comment": comment, "decided_by": user,
                                "decided_by_name": audit.actor_name(actor)[:150], "decided_at": timezone.now(),
                                "meeting": meeting})
    decisions = list(change.approvals.values_list("decision", flat=True))
    if decision == D.REJECTED and not after_the_fact:
        from_status = change.status
        change = _write(change, actor=actor, step="reject", source=source, data={
            "status": S.REJECTED, "reject_reason": f"{current.department}: {comment}"})
        _transition_row(change, from_status, S.REJECTED, change.reject_reason, actor)
        _tell(change, actor, f"is rejected by {current.department}", comment)
    elif all(d == D.APPROVED for d in decisions) and not after_the_fact:
        from_status = change.status
        change = _write(change, actor=actor, step="approve", source=source, data={"status": S.APPROVED})
        _transition_row(change, from_status, S.APPROVED, "Every required department approved.", actor)
        _tell(change, actor, "is approved", comment)
    return current


@transaction.atomic
def change_transition(change: ChangeRequest, *, actor, to_status: str, note: str = "", expected_version=None,
                      source=UI) -> ChangeRequest:
    """Move a change along its workflow (submission, approval and review have their own functions)."""
    step = step_to(to_status)
    CHANGES.require(actor, step, change)
    current = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    check_version(current, expected_version)
    if to_status == S.SUBMITTED:
        return change_submit(current, actor=actor, conflict_justification=note, source=source)
    if to_status == S.REVIEWED:
        raise ValidationError({"status": "Record the post-implementation review to mark it reviewed."})
    note = (note or "").strip()
    target, data, internal = to_status, {}, False
    if to_status == S.AWAITING_APPROVAL and to_status in allowed_next(current) and not current.approvals.exists():
        # no department must approve: the assessment is the approval
        target, internal, note = S.APPROVED, True, note or "No department must approve this change."
    if current.type == T.EMERGENCY and to_status in (S.SCHEDULED, S.IMPLEMENTED) and current.status in DECIDABLE:
        data["review_required"] = True  # went ahead before approval: approvals after the fact, review required
    current, _transition = CHANGE_WORKFLOW.move(current, actor=actor, to=target, note=note, data=data, source=source,
                                                expected_version=current.version, internal=internal)
    if current.status == S.APPROVED:
        _tell(current, actor, "is approved", note)
    if to_status in (S.IMPLEMENTED, S.ROLLED_BACK, S.FAILED, S.SCHEDULED):
        label = {S.IMPLEMENTED: "is implemented", S.ROLLED_BACK: "was rolled back", S.FAILED: "failed",
                 S.SCHEDULED: "is scheduled"}[to_status]
        _tell(current, actor, label, note)
    return current


@transaction.atomic
def change_review(change: ChangeRequest, *, actor, outcome: str, went_well: str = "", went_badly: str = "",
                  expected_version=None, source=UI) -> ChangeRequest:
    """The post-implementation review: outcome, what went well, what did not."""
    CHANGES.require(actor, "review", change)
    current = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    check_version(current, expected_version)
    if current.status not in (S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK):
        raise ValidationError({"status": "Only an implemented, failed or rolled-back change can be reviewed."})
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Describe the outcome."})
    from_status = current.status
    current = _write(current, actor=actor, step="review", source=source, data={
        "status": S.REVIEWED, "outcome": outcome.strip(), "went_well": went_well.strip(),
        "went_badly": went_badly.strip(), "reviewed_at": timezone.now()})
    _transition_row(current, from_status, S.REVIEWED, "", actor)
    return current


# Calendar events ------------------------------------------------------------------------------

def event_create(*, actor, data: dict, source=UI) -> CalendarEvent:
    EVENTS.require(actor, "add")
    return object_create(CalendarEvent, actor=actor, data=data, source=source)


def event_update(event: CalendarEvent, *, actor, data: dict, expected_version, source=UI) -> CalendarEvent:
    EVENTS.require(actor, "change", event)
    return object_update(event, actor=actor, data=data, expected_version=expected_version, source=source)


def event_delete(event: CalendarEvent, *, actor, expected_version=None, source=UI) -> None:
    EVENTS.require(actor, "delete", event)
    object_delete(event, actor=actor, expected_version=expected_version, source=source)
