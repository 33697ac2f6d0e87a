"""Change-control meetings: recurring series, generated agendas, minutes and decisions.

The agenda of a meeting lists the changes awaiting a decision, and the approved or scheduled
changes whose window opens before the next meeting, highest risk first, each with its impact
summary, conflicts and pending approvals (all read from the impact snapshot kept at submission,
so an agenda of hundreds of changes is a handful of queries). Invitees are the departments that
must approve or be informed of any change on it.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from stacksteward.core import audit
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.services import object_create, object_delete, object_update
from stacksteward.org.models import Department

from . import services
from .choices import ApprovalDecisionChoices as D
from .choices import ChangeStatusChoices as S
from .choices import MeetingDecisionChoices as M
from .choices import MeetingStatusChoices
from .models import ChangeRequest, Meeting, MeetingDecision, MeetingSeries
from .policies import APPROVALS, MEETING_DECISIONS, MEETINGS, SERIES

UI = AuditSourceChoices.UI
AWAITING = (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL)
UPCOMING = (S.APPROVED, S.SCHEDULED)
RISK_ORDER = {"high": 0, "medium": 1, "low": 2, "": 3}
DEFAULT_HORIZON = datetime.timedelta(days=7)
SCHEDULE_AHEAD_WEEKS = 12


# Series and meetings ---------------------------------------------------------------------------

def occurrences(series: MeetingSeries, *, start: datetime.date, until: datetime.date) -> list[datetime.datetime]:
    """The aware start times of the series' meetings between two dates (both included)."""
    tz = zoneinfo.ZoneInfo(series.timezone)
    first = series.starts_on + datetime.timedelta(days=(series.weekday - series.starts_on.weekday()) % 7)
    last = min(until, series.ends_on) if series.ends_on else until
    step = datetime.timedelta(weeks=series.every_weeks)
    found, day = [], first
    while day <= last:
        if day >= start:
            found.append(datetime.datetime.combine(day, series.time, tz))
        day += step
    return found


@transaction.atomic
def series_create(*, actor, data: dict, source=UI) -> MeetingSeries:
    SERIES.require(actor, "add")
    series = object_create(MeetingSeries, actor=actor, data=data, source=source)
    series_schedule(series, actor=actor, source=source)
    return series


def series_update(series: MeetingSeries, *, actor, data: dict, expected_version, source=UI) -> MeetingSeries:
    SERIES.require(actor, "change", series)
    return object_update(series, actor=actor, data=data, expected_version=expected_version, source=source)


def series_delete(series: MeetingSeries, *, actor, expected_version=None, source=UI) -> None:
    SERIES.require(actor, "delete", series)
    object_delete(series, actor=actor, expected_version=expected_version, source=source)


@transaction.atomic
def series_schedule(series: MeetingSeries, *, actor, until: datetime.date | None = None, source=UI) -> list[Meeting]:
    """Create the series' meetings up to ``until`` (default: twelve weeks ahead); existing ones are kept."""
    SERIES.require(actor, "schedule", series)
    if not series.active:
        return []
    today = datetime.date.today()
    until = until or today + datetime.timedelta(weeks=SCHEDULE_AHEAD_WEEKS)
    existing = set(series.meetings.values_list("starts_at", flat=True))
    created = []
    for starts_at in occurrences(series, start=max(series.starts_on, today), until=until):
        if starts_at in existing:
            continue
        created.append(object_create(Meeting, actor=actor, source=source, data={
            "series": series, "title": series.name, "starts_at": starts_at, "location": series.location,
            "ends_at": starts_at + datetime.timedelta(minutes=series.duration_minutes)}))
    return created


def _check_order(data: dict, meeting: Meeting | None = None) -> None:
    start = data.get("starts_at", meeting.starts_at if meeting is not None else None)
    end = data.get("ends_at", meeting.ends_at if meeting is not None else None)
    if start and end and end <= start:
        raise ValidationError({"ends_at": "The meeting must end after it starts."})


def meeting_create(*, actor, data: dict, source=UI) -> Meeting:
    MEETINGS.require(actor, "add")
    _check_order(data)
    return object_create(Meeting, actor=actor, data=data, source=source)


def meeting_update(meeting: Meeting, *, actor, data: dict, expected_version, source=UI) -> Meeting:
    """Edit a meeting, e.g. its minutes (``notes``), attendees and status."""
    MEETINGS.require(actor, "change", meeting)
    _check_order(data, meeting)
    return object_update(meeting, actor=actor, data=data, expected_version=expected_version, source=source)


def meeting_delete(meeting: Meeting, *, actor, expected_version=None, source=UI) -> None:
    MEETINGS.require(actor, "delete", meeting)
    object_delete(meeting, actor=actor, expected_version=expected_version, source=source)


def next_meeting(meeting: Meeting) -> Meeting | None:
    later = Meeting.objects.filter(starts_at__gt=meeting.starts_at).exclude(status=MeetingStatusChoices.CANCELLED)
    if meeting.series_id:
        later = later.filter(series_id=meeting.series_id)
    return later.order_by("starts_at").first()


# Agenda ------------------------------------------------------------------------------------------

@dataclass
class AgendaItem:
    change: ChangeRequest
    section: str  # "decide" or "upcoming"
    pending: list = field(default_factory=list)  # ChangeApproval objects still pending
    decided: list = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return self.change.impact_summary or {}

    @property
    def conflicts(self) -> list[dict]:
        return self.summary.get("conflicts", [])

    @property
    def impacted_count(self) -> int:
        return self.summary.get("impacted_count", 0)

    @property
    def must_approve(self) -> list[str]:
        return self.summary.get("must_approve", [])

    @property
    def informed(self) -> list[str]:
        return self.summary.get("informed", [])


@dataclass
class Agenda:
    meeting: Meeting
    until: datetime.datetime
    items: list[AgendaItem]
    invitees: list[dict]  # {"department": Department, "must_approve": bool, "changes": [...]}

    @property
    def to_decide(self) -> list[AgendaItem]:
        return [i for i in self.items if i.section == "decide"]

    @property
    def upcoming(self) -> list[AgendaItem]:
        return [i for i in self.items if i.section == "upcoming"]


def agenda(meeting: Meeting) -> Agenda:
    """The generated agenda (four queries, whatever the number of changes)."""
    following = next_meeting(meeting)
    until = following.starts_at if following else meeting.starts_at + DEFAULT_HORIZON
    changes = list(
        ChangeRequest.objects.filter(Q(status__in=AWAITING) | Q(status__in=UPCOMING, window_start__lt=until,
                                                                  window_end__gt=meeting.starts_at))
        .select_related("requester", "implementer").prefetch_related("components", "approvals__department")
        .defer("impact_snapshot"))
    items = []
    for change in changes:
        approvals = list(change.approvals.all())
        items.append(AgendaItem(change, "decide" if change.status in AWAITING else "upcoming",
                                pending=[a for a in approvals if a.decision == D.PENDING],
                                decided=[a for a in approvals if a.decision != D.PENDING]))
    items.sort(key=lambda i: (i.section != "decide", RISK_ORDER.get(i.change.risk, 3), i.change.window_start,
                              i.change.pk))
    invited: dict[int, dict] = {}
    for item in items:
        approvers = set(item.summary.get("approver_ids", []))
        for dept_id in item.summary.get("department_ids", []):
            entry = invited.setdefault(dept_id, {"must_approve": False, "changes": []})
            entry["must_approve"] = entry["must_approve"] or dept_id in approvers
            entry["changes"].append(str(item.change))
    departments = Department.objects.in_bulk(list(invited))
    invitees = [{"id": pk, "name": departments[pk].name, "department": departments[pk], **entry}
                for pk, entry in invited.items() if pk in departments]
    invitees.sort(key=lambda e: (not e["must_approve"], e["name"]))
    return Agenda(meeting=meeting, until=until, items=items, invitees=invitees)


# Decisions ---------------------------------------------------------------------------------------

@transaction.atomic
def meeting_decide(meeting: Meeting, change: ChangeRequest, *, actor, decision: str, department=None,
                   comment: str = "", source=UI) -> MeetingDecision:
    """Record the meeting's decision on a change.

    With a department, approve/reject decides that department's approval (as ``approval_decide``,
    noting the meeting); without one, approve/reject decides every pending approval the actor may
    decide. Defer records the decision and leaves the change as it is.
    """
    MEETING_DECISIONS.require(actor, "add")
    if decision not in M.values:
        raise ValidationError({"decision": f"Decide one of: {', '.join(M.values)}."})
    if meeting.status == MeetingStatusChoices.CANCELLED:
        raise ValidationError({"meeting": "The meeting is cancelled."})
    comment = (comment or "").strip()
    if decision in (M.REJECT, M.DEFER) and not comment:
        raise ValidationError({"comment": "Say why." if decision == M.REJECT else "Say what is needed first."})
    if decision != M.DEFER:
        pending = change.approvals.filter(decision=D.PENDING).select_related("department")
        if department is not None:
            pending = pending.filter(department=department)
            if not pending.exists():
                raise ValidationError({"department": f"{department} has no pending approval on {change}."})
        targets = [a for a in pending if department is not None or APPROVALS.allows(actor, "decide", a)]
        if not targets:
            raise ValidationError({"department": "There is no pending approval you may decide on this change."})
        outcome = D.APPROVED if decision == M.APPROVE else D.REJECTED
        for approval in targets:
            services.approval_decide(approval, actor=actor, decision=outcome, comment=comment, meeting=meeting,
                                     source=source)
            if outcome == D.REJECTED:
                break
    user = actor if getattr(actor, "is_authenticated", False) else None
    return object_create(MeetingDecision, actor=actor, source=source, related_attr="meeting", data={
        "meeting": meeting, "change": change, "department": department, "decision": decision, "comment": comment,
        "actor": user, "actor_name": audit.actor_name(actor)[:150]})
