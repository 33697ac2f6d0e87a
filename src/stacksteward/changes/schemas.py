"""API schemas for change control: change requests (with their computed impact, conflicts, risk and
approvals), the change calendar (freeze periods and events), meeting series, meetings with their
generated agenda and decisions, and the calendar feed."""

from datetime import date, datetime
from datetime import time as TimeOfDay
from typing import Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import BaseModel

from stacksteward.catalog.schemas import ComponentBrief
from stacksteward.core.api_support import InputSchema, patch_schema
from stacksteward.intake.schemas import BacklogItemBrief, RequestBrief
from stacksteward.org.schemas import PERSON_REF, DepartmentBrief, PersonBrief, PersonRef

from . import policies
from .choices import (
    CalendarEventKindChoices,
    ChangeStatusChoices,
    ChangeTypeChoices,
    MeetingDecisionChoices,
    MeetingStatusChoices,
)


def _version():
    return Field(..., ge=1, description="The version your change is based on (from the last read).")


WINDOW = "An ISO 8601 date-time; without an offset it is read in the server's time zone."

# Computed impact -------------------------------------------------------------------------------
# Snapshots are plain dicts (``ChangeImpact.as_dict()``), validated by plain pydantic models.


class ChangedComponentOut(BaseModel):
    id: int
    slug: str
    name: str
    tier: int


class ImpactedComponentOut(ChangedComponentOut):
    depth: int = Field(..., description="Relations between a changed component and this one (1 = direct).")
    path: list[str] = Field(..., description="Slugs from a changed component to this one (shortest path).")
    via: list[str] = Field(..., description="The type of each relation along the path.")


class ImpactPersonOut(BaseModel):
    id: int
    name: str
    roles: list[str] = Field(..., description="Why the person is concerned: owner or RACI role, per component.")


class ImpactDepartmentOut(BaseModel):
    id: int
    slug: str
    name: str
    must_approve: bool = Field(..., description="False: the department is only informed.")
    reasons: list[str] = Field(..., description="Why the department must approve.")
    rules: list[str] = Field(..., description="The approval rules that apply: accountable, personal_data, tier_1.")
    people: list[ImpactPersonOut]


class ImpactDataCategoryOut(BaseModel):
    key: str
    name: str
    personal: bool
    held: bool = Field(..., description="Held by a changed component.")
    carried: bool = Field(..., description="Carried on an impacted relation.")


class ImpactCountsOut(BaseModel):
    components: int
    departments: int
    approvers: int


class ChangeConflictOut(BaseModel):
    kind: Literal["change", "freeze", "event"]
    reason: str
    other_id: int = Field(..., description="The other change's or the calendar event's id.")
    other_name: str
    start: datetime
    end: datetime


class ChangeImpactOut(BaseModel):
    changed: list[ChangedComponentOut]
    components: list[ImpactedComponentOut] = Field(..., description="Impacted components, nearest first.")
    departments: list[ImpactDepartmentOut] = Field(..., description="Approvers first, then those informed.")
    unassigned_people: list[ImpactPersonOut] = Field(..., description="Concerned people without a department.")
    data_categories: list[ImpactDataCategoryOut]
    personal_data: bool
    highest_tier: int | None
    tier_1_impacted: bool
    counts: ImpactCountsOut
    conflicts: list[ChangeConflictOut] = Field(default_factory=list)


class ChangeImpactReportOut(BaseModel):
    computed_at: datetime | None = Field(..., description="When the kept snapshot was computed; null for a draft.")
    impact: ChangeImpactOut | None = Field(..., description="The snapshot kept at submission or last recompute.")


class DeltaOut(BaseModel):
    added: list[str]
    removed: list[str]


class ImpactDiffOut(BaseModel):
    changed: bool = Field(..., description="Whether components, departments, approvers, personal data or the "
                                           "highest tier differ from the kept snapshot.")
    components: DeltaOut
    departments: DeltaOut
    approvers: DeltaOut
    personal_data: list[bool | None] = Field(..., description="[before, after].")
    highest_tier: list[int | None] = Field(..., description="[before, after].")


class RecomputeOut(BaseModel):
    diff: ImpactDiffOut
    computed_at: datetime | None
    impact: ChangeImpactOut = Field(..., description="The new snapshot (kept, unless the change is a draft).")
    risk: str
    risk_reasons: list[str]


class ImpactPreviewIn(InputSchema):
    components: list[str] = Field(default_factory=list, description="Slugs of the components the change would touch.")
    window_start: datetime = Field(..., description=WINDOW)
    window_end: datetime = Field(..., description=WINDOW)
    type: ChangeTypeChoices = ChangeTypeChoices.NORMAL
    change: int | None = Field(None, description="When editing a saved change: its id (so it does not conflict "
                                                 "with itself).")


class ImpactPreviewOut(BaseModel):
    impact: ChangeImpactOut
    conflicts: list[ChangeConflictOut]
    risk: str
    risk_points: int
    risk_reasons: list[str]


# Change requests -------------------------------------------------------------------------------


class ChangeRequestBrief(Schema):
    id: int
    title: str
    status: str
    type: str
    window_start: datetime
    window_end: datetime


class ChangeRequestIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    components: list[str] = Field(default_factory=list, description="Slugs of the components the change touches "
                                                                    "(at least one).")
    type: ChangeTypeChoices = ChangeTypeChoices.NORMAL
    requester: PersonRef | None = Field(None, description=PERSON_REF + " Default: your own person record.")
    implementer: PersonRef | None = Field(None, description=PERSON_REF)
    window_start: datetime = Field(..., description=WINDOW)
    window_end: datetime = Field(..., description=WINDOW + " After window_start.")
    rollback_plan: str = Field("", description="Required for normal and emergency changes.")
    request: int | None = Field(None, description="Id of the intake request the change delivers.")
    backlog_item: int | None = Field(None, description="Id of the backlog item the change delivers.")
    conflict_justification: str = Field("", description="Why the change should go ahead despite its conflicts.")


ChangeRequestPatch = patch_schema(ChangeRequestIn, "ChangeRequestPatch")


class ApprovalBrief(Schema):
    id: int
    department: DepartmentBrief
    decision: str
    comment: str
    decided_by_name: str
    decided_at: datetime | None


class ChangeRequestOut(Schema):
    id: int
    title: str
    description: str
    components: list[ComponentBrief]
    type: str
    requester: PersonBrief
    implementer: PersonBrief | None
    window_start: datetime
    window_end: datetime
    rollback_plan: str
    request: RequestBrief | None
    backlog_item: BacklogItemBrief | None
    status: str
    risk: str = Field(..., description="low, medium or high; blank until the change is submitted.")
    risk_reasons: list[str] = Field(..., description="The rules that produced the risk level.")
    impact_computed_at: datetime | None
    conflicts: list[ChangeConflictOut] = Field(..., description="Conflicts found at submission or last "
                                                                "recompute.")
    conflict_justification: str
    reject_reason: str
    review_required: bool = Field(..., description="An emergency change that went ahead before approval.")
    outcome: str
    went_well: str
    went_badly: str
    reviewed_at: datetime | None
    approvals: list[ApprovalBrief]
    next_steps: list[str] = Field(..., description="The statuses you may move the change to now "
                                                   "(POST …/transitions); empty if you may not move it.")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_conflicts(obj) -> list[dict]:
        return (obj.impact_summary or {}).get("conflicts", [])

    @staticmethod
    def resolve_next_steps(obj, context) -> list[str]:
        actor = context["request"].auth
        return [str(s) for s in policies.allowed_next(obj) if policies.CHANGES.allows(actor, policies.step_to(s), obj)]


class ChangeSubmitIn(InputSchema):
    conflict_justification: str = Field("", description="Required when the change has conflicts.")
    version: int = _version()


class ChangeTransitionIn(InputSchema):
    to: ChangeStatusChoices = Field(..., description="The status to move to (see next_steps).")
    note: str = Field("", description="Required for failed and rolled back (what happened).")
    version: int = _version()


class ChangeReviewIn(InputSchema):
    outcome: str = Field(..., description="The outcome of the change.")
    went_well: str = ""
    went_badly: str = ""
    version: int = _version()


# Approvals -------------------------------------------------------------------------------------


class ChangeApprovalOut(Schema):
    id: int
    change: int = Field(..., description="Id of the change.")
    department: DepartmentBrief
    reasons: list[str] = Field(..., description="Why this department must approve.")
    decision: str = Field(..., description="pending, approved or rejected.")
    comment: str
    decided_by_name: str
    decided_at: datetime | None
    meeting: int | None = Field(..., description="Id of the meeting where it was decided.")
    can_decide: bool = Field(..., description="Whether you may decide it now.")
    version: int

    @staticmethod
    def resolve_change(obj) -> int:
        return obj.change_id

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_can_decide(obj, context) -> bool:
        return obj.decision == "pending" and policies.APPROVALS.allows(context["request"].auth, "decide", obj)


class ApprovalDecisionIn(InputSchema):
    decision: Literal["approved", "rejected"]
    comment: str = Field("", description="Required to reject.")


# Calendar events -------------------------------------------------------------------------------


class CalendarEventIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: CalendarEventKindChoices = CalendarEventKindChoices.CAMPAIGN_LAUNCH
    start: datetime = Field(..., description=WINDOW)
    end: datetime = Field(..., description=WINDOW + " After start.")
    all_components: bool = Field(False, description="The event relies on every component (a general freeze).")
    components: list[str] = Field(default_factory=list, description="Slugs of the components the event relies on.")
    description: str = ""


CalendarEventPatch = patch_schema(CalendarEventIn, "CalendarEventPatch")


class CalendarEventOut(Schema):
    id: int
    name: str
    kind: str
    start: datetime
    end: datetime
    all_components: bool
    components: list[ComponentBrief]
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


# Meeting series --------------------------------------------------------------------------------


class MeetingSeriesBrief(Schema):
    id: int
    name: str


class MeetingSeriesIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=150)
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday.")
    time: TimeOfDay = Field(..., description="Local start time in the series' time zone, e.g. 10:00.")
    duration_minutes: int = Field(60, ge=5, le=480)
    every_weeks: int = Field(1, ge=1, le=8)
    timezone: str = Field(settings.TIME_ZONE, description="An IANA time zone such as Europe/Berlin.")
    starts_on: date
    ends_on: date | None = None
    location: str = ""
    active: bool = True


MeetingSeriesPatch = patch_schema(MeetingSeriesIn, "MeetingSeriesPatch")


class MeetingSeriesOut(Schema):
    id: int
    name: str
    weekday: int
    time: TimeOfDay
    duration_minutes: int
    every_weeks: int
    timezone: str
    starts_on: date
    ends_on: date | None
    location: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ScheduleIn(InputSchema):
    until: date | None = Field(None, description="Create meetings up to this day (default: twelve weeks ahead).")


# Meetings --------------------------------------------------------------------------------------


class MeetingBrief(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime


class MeetingIn(InputSchema):
    series: int | None = Field(None, description="Id of the series the meeting belongs to; null for a single one.")
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime = Field(..., description=WINDOW)
    ends_at: datetime = Field(..., description=WINDOW + " After starts_at.")
    location: str = ""
    status: MeetingStatusChoices = MeetingStatusChoices.PLANNED
    attendees: list[PersonRef] = Field(default_factory=list, description="People present: " + PERSON_REF)
    notes: str = Field("", description="The minutes.")


MeetingPatch = patch_schema(MeetingIn, "MeetingPatch")


class MeetingDecisionOut(Schema):
    id: int
    change: ChangeRequestBrief
    department: DepartmentBrief | None = Field(..., description="The deciding department; null for the meeting.")
    decision: str
    comment: str
    actor_name: str
    created_at: datetime


class MeetingOut(Schema):
    id: int
    series: MeetingSeriesBrief | None
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    attendees: list[PersonBrief]
    notes: str = Field(..., description="The minutes.")
    decisions: list[MeetingDecisionOut]
    version: int
    created_at: datetime
    updated_at: datetime


class MeetingDecisionIn(InputSchema):
    change: int = Field(..., description="Id of the change decided.")
    decision: MeetingDecisionChoices
    department: str | None = Field(None, description="Slug of the department deciding its approval; leave out to "
                                                     "decide every pending approval you may decide.")
    comment: str = Field("", description="Required to reject or defer.")


# Agenda ----------------------------------------------------------------------------------------


class AgendaApprovalOut(Schema):
    id: int
    department: DepartmentBrief
    decision: str
    reasons: list[str]


class AgendaItemOut(Schema):
    change: ChangeRequestBrief
    section: Literal["decide", "upcoming"] = Field(..., description="decide: awaiting approval; upcoming: approved "
                                                                    "or scheduled before the next meeting.")
    risk: str
    risk_reasons: list[str]
    impacted_count: int = Field(..., description="Components impacted.")
    department_count: int = Field(..., description="Departments concerned.")
    personal_data: bool
    must_approve: list[str] = Field(..., description="Names of the departments that must approve.")
    informed: list[str] = Field(..., description="Names of the departments only informed.")
    conflicts: list[ChangeConflictOut]
    pending_approvals: list[AgendaApprovalOut]
    decided_approvals: list[AgendaApprovalOut]


class InviteeOut(Schema):
    department: DepartmentBrief
    must_approve: bool = Field(..., description="Must approve at least one change on the agenda.")
    changes: list[str]


class AgendaOut(Schema):
    meeting: MeetingBrief
    until: datetime = Field(..., description="Upcoming changes are those whose window opens before this "
                                             "(the next meeting).")
    items: list[AgendaItemOut] = Field(..., description="Changes to decide first, then upcoming; highest risk first.")
    invitees: list[InviteeOut] = Field(..., description="Departments that must approve first, then those informed.")


# Calendar feed ---------------------------------------------------------------------------------


class CalendarFeedOut(Schema):
    url: str = Field(..., description="Your secret ICS feed URL; shown once. Rotating again retires it.")
