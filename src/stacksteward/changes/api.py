"""API for change control: change requests and their workflow, computed impact, conflicts, risk and
approvals; the change calendar (freeze periods and events); meeting series, meetings with their
generated agenda and decisions; the ICS calendar feed. Handlers parse, fetch-and-authorize, resolve
natural keys and call ``changes.services`` / ``changes.meetings`` / ``changes.calendar``; every rule
lives there (or in ``changes.policies``)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from stacksteward.catalog.models import Component
from stacksteward.core.api_support import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    GET_BY_ID_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    PageParams,
    PlainRows,
    Refs,
    all_fields,
    apply_filters,
    changed_fields,
    errors,
    fetch_or_404,
    filter_schema,
    page_schema,
    paginate,
    paginate_plain,
)
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.intake.models import BacklogItem
from stacksteward.intake.models import Request as IntakeRequest
from stacksteward.org.models import Department, Person

from . import calendar, meetings, services
from .filtersets import CalendarEventFilterSet, ChangeRequestFilterSet, MeetingFilterSet
from .models import CalendarEvent, ChangeApproval, ChangeRequest, Meeting, MeetingDecision, MeetingSeries
from .policies import CHANGES, EVENTS, MEETINGS, SERIES
from .schemas import (
    AgendaOut,
    ApprovalDecisionIn,
    CalendarEventIn,
    CalendarEventOut,
    CalendarEventPatch,
    CalendarFeedOut,
    ChangeApprovalOut,
    ChangeImpactReportOut,
    ChangeRequestIn,
    ChangeRequestOut,
    ChangeRequestPatch,
    ChangeReviewIn,
    ChangeSubmitIn,
    ChangeTransitionIn,
    ImpactPreviewIn,
    ImpactPreviewOut,
    MeetingDecisionIn,
    MeetingDecisionOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingSeriesIn,
    MeetingSeriesOut,
    MeetingSeriesPatch,
    RecomputeOut,
    ScheduleIn,
)

router = Router(tags=["changes"])
API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version
TEXT_FIELDS = ("description", "rollback_plan", "conflict_justification", "location", "notes")


def _input(payload, *, partial: bool) -> dict:
    """The body as model field values; ``null`` for a text field means blank."""
    data = changed_fields(payload) if partial else all_fields(payload)
    for name in TEXT_FIELDS:
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _aware(data: dict, *names: str) -> None:
    """Date-times sent without an offset are read in the server's time zone."""
    for name in names:
        value = data.get(name)
        if value is not None and timezone.is_naive(value):
            data[name] = timezone.make_aware(value)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them (``status`` → ``to``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})


def _visible_components(user):
    return Component.objects.restrict(user, "view")


# Change requests -------------------------------------------------------------------------------

ChangeRequestFilters = filter_schema(ChangeRequestFilterSet)


def _changes(user):
    """Changes with what a row shows (constant queries whatever the page size)."""
    return (ChangeRequest.objects.restrict(user, "view").with_list_data()
            .select_related("request", "backlog_item")
            .prefetch_related(Prefetch("approvals", queryset=ChangeApproval.objects.select_related("department"))))


def _change(user, id: int) -> ChangeRequest:
    return fetch_or_404(_changes(user), pk=id)


def _change_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    for name in ("type", "requester"):
        if partial and name in data and data[name] is None:
            data.pop(name)  # cannot be emptied: null keeps the current value
    _aware(data, "window_start", "window_end")
    refs = Refs()
    if "components" in data:
        data["components"] = refs.many(_visible_components(user), "components", data["components"] or [])
    for name in ("requester", "implementer"):
        if name in data:
            data[name] = refs.person(Person.objects.restrict(user, "view"), name, data[name])
    if "request" in data:
        data["request"] = refs.one(IntakeRequest.objects.restrict(user, "view"), "request", data["request"],
                                   key="pk")
    if "backlog_item" in data:
        data["backlog_item"] = refs.one(BacklogItem.objects.restrict(user, "view"), "backlog_item",
                                        data["backlog_item"], key="pk")
    refs.check()
    return data


@router.get("/change-requests", response={200: page_schema(ChangeRequestOut), **errors(*LIST_ERRORS)})
def list_change_requests(request, filters: Query[ChangeRequestFilters], page: Query[PageParams]):
    """Changes, latest window first, with their risk, approvals and the steps you may take (constant queries).
    ``awaiting_my_approval=true`` lists the changes waiting for your department's decision."""
    return paginate(apply_filters(ChangeRequestFilterSet, request, _changes(request.auth)), page)


@router.post("/change-requests/impact-preview", response={200: ImpactPreviewOut, **errors(*CREATE_ERRORS)})
def preview_change_impact(request, payload: ImpactPreviewIn):
    """Impact, conflicts and risk of a change not yet saved (or of a saved one with other values): what the
    change form shows as components and the window are chosen. Nothing is written."""
    CHANGES.require(request.auth, "view")
    data = payload.model_dump()
    _aware(data, "window_start", "window_end")
    refs = Refs()
    components = refs.many(_visible_components(request.auth), "components", data["components"])
    base = ChangeRequest(type=data["type"])
    if data["change"] is not None:
        base = refs.one(_changes(request.auth), "change", data["change"], key="pk") or base
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


@router.post("/change-requests", response={201: ChangeRequestOut, **errors(*CREATE_ERRORS)})
def create_change_request(request, payload: ChangeRequestIn):
    """File a change as a draft (editors). The requester defaults to your own person record."""
    CHANGES.require(request.auth, "add")
    change = services.change_create(actor=request.auth, source=API,
                                    data=_change_data(request.auth, payload, partial=False))
    return Status(201, _change(request.auth, change.pk))


@router.get("/change-requests/{id}", response={200: ChangeRequestOut, **errors(*GET_BY_ID_ERRORS)})
def get_change_request(request, id: int):
    return _change(request.auth, id)


@router.patch("/change-requests/{id}", response={200: ChangeRequestOut, **errors(*UPDATE_ERRORS)})
def patch_change_request(request, id: int, payload: ChangeRequestPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409). Once submitted, new
    components, type or window recompute impact, conflicts and risk; a moved window tells everyone informed."""
    change = _change(request.auth, id)
    CHANGES.require(request.auth, "change", change)
    services.change_update(change, actor=request.auth, expected_version=payload.version, source=API,
                           data=_change_data(request.auth, payload, partial=True))
    return _change(request.auth, id)


@router.delete("/change-requests/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_change_request(request, id: int, version: int | None = None):
    """Delete a draft (others are rejected or reviewed instead); (409) if ``?version=`` is stale."""
    change = _change(request.auth, id)
    CHANGES.require(request.auth, "delete", change)
    services.change_delete(change, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


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


# Calendar events -------------------------------------------------------------------------------

CalendarEventFilters = filter_schema(CalendarEventFilterSet)
EVENT_ROWS = PlainRows(CalendarEvent, CalendarEventOut)


def _events(user):
    return CalendarEvent.objects.restrict(user, "view").prefetch_related("components")


def _event_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if partial and data.get("all_components", False) is None:
        data.pop("all_components")
    _aware(data, "start", "end")
    refs = Refs()
    if "components" in data:
        data["components"] = refs.many(_visible_components(user), "components", data["components"] or [])
    refs.check()
    return data


@router.get("/calendar-events", response={200: page_schema(CalendarEventOut), **errors(*LIST_ERRORS)})
def list_calendar_events(request, filters: Query[CalendarEventFilters], page: Query[PageParams]):
    """Freeze periods and marketing events, soonest first, with the components they rely on."""
    queryset = apply_filters(CalendarEventFilterSet, request, CalendarEvent.objects.restrict(request.auth, "view"))
    return paginate_plain(queryset, page, EVENT_ROWS)


@router.post("/calendar-events", response={201: CalendarEventOut, **errors(*CREATE_ERRORS)})
def create_calendar_event(request, payload: CalendarEventIn):
    """A freeze period or an event, relying on some components or (``all_components``) on all of them."""
    EVENTS.require(request.auth, "add")
    event = services.event_create(actor=request.auth, source=API,
                                  data=_event_data(request.auth, payload, partial=False))
    return Status(201, _events(request.auth).get(pk=event.pk))


@router.get("/calendar-events/{id}", response={200: CalendarEventOut, **errors(*GET_BY_ID_ERRORS)})
def get_calendar_event(request, id: int):
    return fetch_or_404(_events(request.auth), pk=id)


@router.patch("/calendar-events/{id}", response={200: CalendarEventOut, **errors(*UPDATE_ERRORS)})
def patch_calendar_event(request, id: int, payload: CalendarEventPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    event = fetch_or_404(_events(request.auth), pk=id)
    EVENTS.require(request.auth, "change", event)
    services.event_update(event, actor=request.auth, expected_version=payload.version, source=API,
                          data=_event_data(request.auth, payload, partial=True))
    return _events(request.auth).get(pk=id)


@router.delete("/calendar-events/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_calendar_event(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    event = fetch_or_404(_events(request.auth), pk=id)
    EVENTS.require(request.auth, "delete", event)
    services.event_delete(event, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Meeting series --------------------------------------------------------------------------------


def _series(user):
    return MeetingSeries.objects.restrict(user, "view")


def _series_data(payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if partial:
        for name in ("weekday", "time", "duration_minutes", "every_weeks", "timezone", "starts_on", "active"):
            if name in data and data[name] is None:
                data.pop(name)  # cannot be emptied: null keeps the current value
    return data


@router.get("/meeting-series", response={200: page_schema(MeetingSeriesOut), **errors(*LIST_ERRORS)})
def list_meeting_series(request, page: Query[PageParams]):
    """Recurring change-control meetings, e.g. every Tuesday at 10:00."""
    return paginate(_series(request.auth), page)


@router.post("/meeting-series", response={201: MeetingSeriesOut, **errors(*CREATE_ERRORS)})
def create_meeting_series(request, payload: MeetingSeriesIn):
    """A recurring meeting; its meetings for the next twelve weeks are created with it."""
    SERIES.require(request.auth, "add")
    series = meetings.series_create(actor=request.auth, source=API, data=_series_data(payload, partial=False))
    return Status(201, series)


@router.get("/meeting-series/{id}", response={200: MeetingSeriesOut, **errors(*GET_BY_ID_ERRORS)})
def get_meeting_series(request, id: int):
    return fetch_or_404(_series(request.auth), pk=id)


@router.patch("/meeting-series/{id}", response={200: MeetingSeriesOut, **errors(*UPDATE_ERRORS)})
def patch_meeting_series(request, id: int, payload: MeetingSeriesPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409). Meetings already
    created keep their time; POST …/schedule adds the missing ones."""
    series = fetch_or_404(_series(request.auth), pk=id)
    SERIES.require(request.auth, "change", series)
    return meetings.series_update(series, actor=request.auth, expected_version=payload.version, source=API,
                                  data=_series_data(payload, partial=True))


@router.delete("/meeting-series/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_meeting_series(request, id: int, version: int | None = None):
    """Delete; refused (422) while it has meetings, (409) if ``?version=`` is stale."""
    series = fetch_or_404(_series(request.auth), pk=id)
    SERIES.require(request.auth, "delete", series)
    meetings.series_delete(series, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


@router.post("/meeting-series/{id}/schedule", response={200: list[MeetingOut], **errors(401, 403, 404, 422)})
def schedule_meeting_series(request, id: int, payload: ScheduleIn):
    """Create the series' missing meetings up to ``until`` (default twelve weeks ahead); returns those created."""
    series = fetch_or_404(_series(request.auth), pk=id)
    SERIES.require(request.auth, "schedule", series)
    created = meetings.series_schedule(series, actor=request.auth, until=payload.until, source=API)
    return list(_meetings(request.auth).filter(pk__in=[m.pk for m in created]))


# Meetings --------------------------------------------------------------------------------------

MeetingFilters = filter_schema(MeetingFilterSet)


def _meetings(user):
    decisions = MeetingDecision.objects.select_related("change", "department")
    return (Meeting.objects.restrict(user, "view").select_related("series")
            .prefetch_related("attendees", Prefetch("decisions", queryset=decisions)))


def _meeting_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    for name in ("title", "starts_at", "ends_at", "status"):
        if partial and name in data and data[name] is None:
            data.pop(name)  # cannot be emptied: null keeps the current value
    _aware(data, "starts_at", "ends_at")
    refs = Refs()
    if "series" in data:
        data["series"] = refs.one(_series(user), "series", data["series"], key="pk")
    if "attendees" in data:
        people = Person.objects.restrict(user, "view")
        found = [refs.person(people, "attendees", ref) for ref in data["attendees"] or []]
        data["attendees"] = list(dict.fromkeys(p for p in found if p is not None))
    refs.check()
    if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
        raise ValidationError({"ends_at": "The meeting must end after it starts."})
    return data


@router.get("/meetings", response={200: page_schema(MeetingOut), **errors(*LIST_ERRORS)})
def list_meetings(request, filters: Query[MeetingFilters], page: Query[PageParams]):
    """Change-control meetings, soonest first, with attendees and decisions (constant queries)."""
    return paginate(apply_filters(MeetingFilterSet, request, _meetings(request.auth)), page)


@router.post("/meetings", response={201: MeetingOut, **errors(*CREATE_ERRORS)})
def create_meeting(request, payload: MeetingIn):
    """A single meeting (or one added to a series by hand)."""
    MEETINGS.require(request.auth, "add")
    meeting = meetings.meeting_create(actor=request.auth, source=API,
                                      data=_meeting_data(request.auth, payload, partial=False))
    return Status(201, _meetings(request.auth).get(pk=meeting.pk))


@router.get("/meetings/{id}", response={200: MeetingOut, **errors(*GET_BY_ID_ERRORS)})
def get_meeting(request, id: int):
    return fetch_or_404(_meetings(request.auth), pk=id)


@router.patch("/meetings/{id}", response={200: MeetingOut, **errors(*UPDATE_ERRORS)})
def patch_meeting(request, id: int, payload: MeetingPatch):
    """Change only the fields sent, e.g. the minutes (``notes``), attendees or status; ``version`` required."""
    meeting = fetch_or_404(_meetings(request.auth), pk=id)
    MEETINGS.require(request.auth, "change", meeting)
    data = _meeting_data(request.auth, payload, partial=True)
    start, end = data.get("starts_at", meeting.starts_at), data.get("ends_at", meeting.ends_at)
    if end <= start:
        raise ValidationError({"ends_at": "The meeting must end after it starts."})
    meetings.meeting_update(meeting, actor=request.auth, expected_version=payload.version, source=API, data=data)
    return _meetings(request.auth).get(pk=id)


@router.delete("/meetings/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_meeting(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    meeting = fetch_or_404(_meetings(request.auth), pk=id)
    MEETINGS.require(request.auth, "delete", meeting)
    meetings.meeting_delete(meeting, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


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
