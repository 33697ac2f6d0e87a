"""API for change control: change requests and their workflow, computed impact, conflicts, risk and
approvals; the change calendar (freeze periods and events); meeting series, meetings with their
generated agenda and decisions; the ICS calendar feed. Handlers parse, fetch-and-authorize, resolve
natural keys and call ``changes.services`` / ``changes.meetings`` / ``changes.calendar``; every rule
lives there (or in ``changes.policies``). Their plain CRUD routes are built from ``resources.py``."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Query, Router, Status

from stacksteward.catalog.models import Component
from stacksteward.core.api_support import (
    CREATE_ERRORS,
    GET_BY_ID_ERRORS,
    PageParams,
    Refs,
    errors,
    fetch_or_404,
    page_schema,
    paginate,
)
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.resources import add_routes
from stacksteward.org.models import Department

from . import calendar, meetings, services
from .models import ChangeApproval, ChangeRequest, Meeting, MeetingDecision
from .policies import CHANGES, EVENTS, SERIES
from .resources import CHANGE_REQUESTS, MEETING_SERIES, RESOURCES, aware, change_rows, meeting_rows
from .schemas import (
    AgendaOut,
    ApprovalDecisionIn,
    CalendarFeedOut,
    ChangeApprovalOut,
    ChangeImpactReportOut,
    ChangeRequestOut,
    ChangeReviewIn,
    ChangeSubmitIn,
    ChangeTransitionIn,
    ImpactPreviewIn,
    ImpactPreviewOut,
    MeetingDecisionIn,
    MeetingDecisionOut,
    MeetingOut,
    RecomputeOut,
    ScheduleIn,
)

router = Router(tags=["changes"])

API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them (``status`` → ``to``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})


def _visible_components(user):
    return Component.objects.restrict(user, "view")


# Change requests -------------------------------------------------------------------------------

def _change(user, id: int) -> ChangeRequest:
    return CHANGE_REQUESTS.fetch(user, id)


@router.post("/change-requests/impact-preview", response={200: ImpactPreviewOut, **errors(*CREATE_ERRORS)})
def preview_change_impact(request, payload: ImpactPreviewIn):
    """Impact, conflicts and risk of a change not yet saved (or of a saved one with other values): what the
    change form shows as components and the window are chosen. Nothing is written."""
    CHANGES.require(request.auth, "view")
    data = payload.model_dump()
    aware(data, "window_start", "window_end")
    refs = Refs()
    components = refs.many(_visible_components(request.auth), "components", data["components"])
    base = ChangeRequest(type=data["type"])
    if data["change"] is not None:
        base = refs.one(change_rows(request.auth), "change", data["change"], key="pk") or base
    refs.check()
    problems = {}
    if not components:
        problems["components"] = "Name at least one component the change touches."
    if data["window_end"] <= data["window_start"]:
        problems["window_end"] = "The window must end after it starts."
    if problems:
        raise ValidationError(problems)
    impact, conflicts, risk = services.assess_change(
        base, component_ids=[c.pk for c in components], start=data["window_start"], end=data["window_end"],
        change_type=data["type"])
    found = [c.as_dict() for c in conflicts]
    return {"impact": {**impact.as_dict(), "conflicts": found}, "conflicts": found, "risk": risk.level,
            "risk_points": risk.points, "risk_reasons": risk.reasons}


# The declared CRUD routes come after …/impact-preview, which /change-requests/{id} would otherwise match.
for resource in RESOURCES:
    add_routes(router, resource)


@router.post("/change-requests/{id}/submit", response={200: ChangeRequestOut, **errors(*ACTION_ERRORS)})
def submit_change_request(request, id: int, payload: ChangeSubmitIn):
    """Draft → submitted: impact, conflicts and risk are computed and kept, and one approval is created per
    department that must approve (a standard change is approved at once). With conflicts, give
    ``conflict_justification`` (else 422 naming it, and nothing is written)."""
    change = _change(request.auth, id)
    services.change_submit(change, actor=request.auth, conflict_justification=payload.conflict_justification,
                           expected_version=payload.version, source=API)
    return _change(request.auth, id)


@router.post("/change-requests/{id}/transitions", response={200: ChangeRequestOut, **errors(*ACTION_ERRORS)})
def transition_change_request(request, id: int, payload: ChangeTransitionIn):
    """Move the change along its workflow; ``next_steps`` lists the moves you may make. Approval and
    rejection come from the departments' decisions, *reviewed* from POST …/review. Failed and rolled back
    need ``note``."""
    change = _change(request.auth, id)
    try:
        services.change_transition(change, actor=request.auth, to_status=payload.to, note=payload.note,
                                   expected_version=payload.version, source=API)
    except ValidationError as exc:
        raise _renamed(exc, {"status": "to"}) from exc
    return _change(request.auth, id)


@router.post("/change-requests/{id}/review", response={200: ChangeRequestOut, **errors(*ACTION_ERRORS)})
def review_change_request(request, id: int, payload: ChangeReviewIn):
    """The post-implementation review of an implemented, failed or rolled-back change: outcome, what went
    well, what did not. The change becomes *reviewed*."""
    change = _change(request.auth, id)
    services.change_review(change, actor=request.auth, outcome=payload.outcome, went_well=payload.went_well,
                           went_badly=payload.went_badly, expected_version=payload.version, source=API)
    return _change(request.auth, id)


@router.get("/change-requests/{id}/impact", response={200: ChangeImpactReportOut, **errors(*GET_BY_ID_ERRORS)})
def get_change_impact(request, id: int):
    """The impact snapshot kept at submission (or at the last recompute) with its conflicts; null for a draft."""
    change = _change(request.auth, id)
    return {"computed_at": change.impact_computed_at, "impact": change.impact_snapshot}


@router.post("/change-requests/{id}/recompute", response={200: RecomputeOut, **errors(*ACTION_ERRORS)})
def recompute_change_impact(request, id: int):
    """Recompute impact, conflicts and risk now (editors). Returns what changed against the kept snapshot and
    the new snapshot; a submitted change keeps the new one and its approvals follow it."""
    change = _change(request.auth, id)
    diff = services.change_recompute(change, actor=request.auth, source=API)
    change = _change(request.auth, id)
    if change.impact_snapshot is None:  # a draft keeps nothing: show what it would be
        impact, conflicts, risk = services.assess_change(change)
        snapshot = {**impact.as_dict(), "conflicts": [c.as_dict() for c in conflicts]}
        level, reasons = risk.level, risk.reasons
    else:
        snapshot, level, reasons = change.impact_snapshot, change.risk, change.risk_reasons
    return {"diff": diff, "computed_at": change.impact_computed_at, "impact": snapshot, "risk": level,
            "risk_reasons": reasons}


# Approvals -------------------------------------------------------------------------------------


def _approvals(user):
    return (ChangeApproval.objects.restrict(user, "view").select_related("department")
            .filter(change__in=ChangeRequest.objects.restrict(user, "view")))


@router.get("/change-requests/{id}/approvals", response={200: page_schema(ChangeApprovalOut),
                                                         **errors(*GET_BY_ID_ERRORS)})
def list_change_approvals(request, id: int, page: Query[PageParams]):
    """One approval per department that must approve, with why, its decision and whether you may decide it."""
    change = fetch_or_404(ChangeRequest.objects.restrict(request.auth, "view"), pk=id)
    return paginate(_approvals(request.auth).filter(change=change), page)


@router.post("/change-approvals/{id}/decision", response={200: ChangeApprovalOut, **errors(*ACTION_ERRORS)})
def decide_change_approval(request, id: int, payload: ApprovalDecisionIn):
    """Approve or reject for your department (its editors, or an admin); rejecting needs ``comment``. Any
    rejection rejects the change; the last approval approves it and everyone informed is told."""
    approval = fetch_or_404(_approvals(request.auth), pk=id)
    services.approval_decide(approval, actor=request.auth, decision=payload.decision, comment=payload.comment,
                             source=API)
    return _approvals(request.auth).get(pk=id)


# Meeting series --------------------------------------------------------------------------------


@router.post("/meeting-series/{id}/schedule", response={200: list[MeetingOut], **errors(401, 403, 404, 422)})
def schedule_meeting_series(request, id: int, payload: ScheduleIn):
    """Create the series' missing meetings up to ``until`` (default twelve weeks ahead); returns those created."""
    series = MEETING_SERIES.fetch(request.auth, id)
    SERIES.require(request.auth, "schedule", series)
    created = meetings.series_schedule(series, actor=request.auth, until=payload.until, source=API)
    return list(meeting_rows(request.auth).filter(pk__in=[m.pk for m in created]))


# Meetings --------------------------------------------------------------------------------------

def _approval_rows(approvals) -> list[dict]:
    return [{"id": a.pk, "department": a.department, "decision": a.decision, "reasons": a.reasons}
            for a in approvals]


@router.get("/meetings/{id}/agenda", response={200: AgendaOut, **errors(*GET_BY_ID_ERRORS)})
def get_meeting_agenda(request, id: int):
    """The generated agenda: changes awaiting a decision, then approved or scheduled changes whose window opens
    before the next meeting, highest risk first, each with its impact summary, conflicts and approvals; and the
    invitees, from the departments that must approve or are informed."""
    meeting = fetch_or_404(Meeting.objects.restrict(request.auth, "view"), pk=id)
    generated = meetings.agenda(meeting)
    items = [{
        "change": item.change, "section": item.section, "risk": item.change.risk,
        "risk_reasons": item.change.risk_reasons, "impacted_count": item.impacted_count,
        "department_count": len(item.summary.get("department_ids", [])),
        "personal_data": bool(item.summary.get("personal_data")), "must_approve": item.must_approve,
        "informed": item.informed, "conflicts": item.conflicts,
        "pending_approvals": _approval_rows(item.pending), "decided_approvals": _approval_rows(item.decided),
    } for item in generated.items]
    invitees = [{"department": entry["department"], "must_approve": entry["must_approve"],
                 "changes": entry["changes"]} for entry in generated.invitees]
    return {"meeting": meeting, "until": generated.until, "items": items, "invitees": invitees}


@router.post("/meetings/{id}/decisions", response={201: MeetingDecisionOut, **errors(*CREATE_ERRORS, 404)})
def decide_in_meeting(request, id: int, payload: MeetingDecisionIn):
    """Record the meeting's decision on a change (editors). Approve or reject decides that department's
    approval (or, without ``department``, every pending approval you may decide), noting the meeting; defer
    records the decision and leaves the change as it is. Reject and defer need ``comment``."""
    meeting = fetch_or_404(Meeting.objects.restrict(request.auth, "view"), pk=id)
    refs = Refs()
    change = refs.one(ChangeRequest.objects.restrict(request.auth, "view"), "change", payload.change, key="pk")
    department = refs.one(Department.objects.restrict(request.auth, "view"), "department", payload.department)
    refs.check()
    row = meetings.meeting_decide(meeting, change, actor=request.auth, decision=payload.decision,
                                  department=department, comment=payload.comment, source=API)
    return Status(201, MeetingDecision.objects.select_related("change", "department").get(pk=row.pk))


# Calendar feed ---------------------------------------------------------------------------------


@router.post("/calendar-feed", response={201: CalendarFeedOut, **errors(401, 403, 422)})
def rotate_calendar_feed(request):
    """A new secret URL for your ICS calendar feed (meetings, freeze periods and the change windows that
    concern your components). It is shown once; the previous URL stops working."""
    EVENTS.require(request.auth, "view")
    key = calendar.feed_token_rotate(actor=request.auth, user=request.auth)
    return Status(201, {"url": request.build_absolute_uri(reverse("changes:calendar_ics", args=[key]))})
