"""API schemas for intake: capabilities, requests (with their answer, workflow, timeline and lead-time
check), backlog items with their priority score, roadmaps, iterations, milestones and schedule changes."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema

from stacksteward.catalog.schemas import ComponentBrief
from stacksteward.core.api_support import InputSchema, patch_schema
from stacksteward.org.schemas import PERSON_REF, DepartmentBrief, PersonBrief, PersonRef

from . import permissions, priority
from .choices import (
    BacklogItemKindChoices,
    BacklogItemStatusChoices,
    CapabilityOfferingChoices,
    CostPeriodChoices,
    FeasibilityChoices,
    IterationStatusChoices,
    RequestStatusChoices,
)

SCHEDULE_REASON = ("Why the date moves: required when this edit moves a planned date (everyone affected "
                   "is told, with this reason).")


def _version():
    return Field(..., ge=1, description="The version your change is based on (from the last read).")


# Capabilities ----------------------------------------------------------------------------------


class CapabilityBrief(Schema):
    slug: str
    name: str
    lead_time_days: int


class CapabilityIn(InputSchema):
    name: str = Field(..., max_length=150)
    slug: str | None = Field(None, max_length=150, description="Made from the name when left out.")
    department: str = Field(..., description="Slug of the department that delivers this kind of work.")
    lead_time_days: int = Field(..., ge=1, description="Standard lead time in working days.")
    offering: CapabilityOfferingChoices = CapabilityOfferingChoices.FULL
    description: str = ""
    can_do: str = Field("", description="In plain words: what is possible.")
    cannot_do: str = Field("", description="In plain words: what is not possible.")
    active: bool = Field(True, description="False: no longer offered for new requests.")


CapabilityPatch = patch_schema(CapabilityIn, "CapabilityPatch")


class CapabilityOut(Schema):
    id: int
    slug: str
    name: str
    department: DepartmentBrief
    lead_time_days: int
    offering: str
    description: str
    can_do: str
    cannot_do: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


# Requests --------------------------------------------------------------------------------------


class RequestBrief(Schema):
    id: int
    title: str
    status: str


class RequestIn(InputSchema):
    title: str = Field(..., max_length=200)
    objective: str = Field(..., description="The business objective: what should be possible when this is done?")
    why: str = Field(..., description="Why it matters: who gains what, and what happens if nothing is done.")
    lost_cost_amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2,
        description="Lost-opportunity cost per lost_cost_period; leave out only with lost_cost_unquantifiable.")
    lost_cost_currency: str = Field(settings.STEWARD_CURRENCY, description="ISO 4217 code, e.g. USD, EUR.")
    lost_cost_period: CostPeriodChoices = CostPeriodChoices.WEEK
    lost_cost_unquantifiable: str = Field("", description="Why the cost cannot be put in numbers (instead of an "
                                                          "amount).")
    needed_by: date = Field(..., description="Today or later.")
    success_kpis: str = Field("", description="How you will judge that it worked.")
    components: list[str] = Field(default_factory=list, description="Slugs of the components concerned.")
    capability: str | None = Field(None, description="Capability slug (gives the lead-time check and the "
                                                     "delivering department).")
    requester: PersonRef | None = Field(None, description=PERSON_REF + " Default: your own person record.")
    delivering_department: str | None = Field(None, description="Department slug; default: the capability's.")


RequestPatch = patch_schema(RequestIn, "RequestPatch")


class RequestOut(Schema):
    id: int
    title: str
    objective: str
    why: str
    lost_cost_amount: Decimal | None
    lost_cost_currency: str
    lost_cost_period: str
    lost_cost_unquantifiable: str
    weekly_lost_cost: Decimal | None = Field(..., description="The lost-opportunity cost per week.")
    needed_by: date
    success_kpis: str
    components: list[ComponentBrief]
    capability: CapabilityBrief | None
    requester: PersonBrief
    delivering_department: DepartmentBrief | None
    status: str
    approach: str
    estimate_days: Decimal | None
    estimate_cost: Decimal | None
    feasibility: str
    constraints: str
    responder: PersonBrief | None
    responded_at: datetime | None
    planned_delivery: date | None
    delivered_on: date | None
    measured_outcome: str
    decline_reason: str
    open_questions: int = Field(..., description="Questions about the request not yet marked answered.")
    change_order_count: int = Field(..., description="Scope changes by the requester after the delivering side "
                                                     "answered or planned it (see /change-orders).")
    next_steps: list[str] = Field(..., description="The statuses you may move the request to now.")
    can_respond: bool = Field(..., description="Whether you may give the delivering side's answer.")
    watching: bool = Field(..., description="Whether you are notified of its changes.")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_next_steps(obj, context) -> list[str]:
        return permissions.next_steps(context["request"].auth, obj)

    @staticmethod
    def resolve_can_respond(obj, context) -> bool:
        return not obj.is_closed and permissions.can_respond(context["request"].auth, obj)


class LeadTimeOut(Schema):
    needed_by: date
    filed_on: date
    working_days_available: int = Field(..., description="Working days from filing to the needed-by date.")
    standard_days: int | None = Field(..., description="The capability's standard lead time (working days).")
    observed_median_days: float | None = Field(
        ..., description="Median working days the capability's delivered requests took (once min_history exist).")
    history_count: int = Field(..., description="Delivered requests of the capability counted.")
    min_history: int
    warnings: list[str] = Field(..., description="Why the needed-by date looks too tight, with the numbers.")
    ok: bool


class RequestCreatedOut(RequestOut):
    lead_time: LeadTimeOut = Field(..., description="Whether the needed-by date leaves enough time.")


class RequestResponseIn(InputSchema):
    """The delivering side's answer. Fields left out keep their current value."""

    version: int = _version()
    feasibility: FeasibilityChoices | None = None
    approach: str | None = Field(None, description="How it will be done (or why it cannot be).")
    constraints: str | None = Field(None, description="Required unless feasible.")
    estimate_days: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=1)
    estimate_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class RequestTransitionIn(InputSchema):
    to: RequestStatusChoices = Field(..., description="The status to move to (see next_steps).")
    note: str = Field("", description="Required to decline (the reason) and to mark measured (the outcome).")
    planned_delivery: date | None = Field(None, description="Required to plan, unless already set.")
    delivered_on: date | None = Field(None, description="When moving to delivered; default today.")
    version: int = _version()


class RequestRescheduleIn(InputSchema):
    planned_delivery: date = Field(..., description="The new planned delivery date.")
    reason: str = Field(..., description="Why it moves; everyone affected reads it.")
    version: int = _version()


class TimelineEntryOut(Schema):
    at: datetime
    kind: Literal["transition", "response", "question", "answer", "question_closed", "schedule_change",
                  "change_order"]
    actor_name: str
    summary: str = Field(..., description="One line for people.")
    text: str = Field(..., description="The note, answer, question or reason.")
    from_status: str | None = None
    to_status: str | None = None
    question_id: int | None = None
    question_status: str | None = None
    old_date: date | None = None
    new_date: date | None = None
    backlog_item_id: int | None = Field(None, description="Set when a backlog item of the request moved.")
    change_order: int | None = Field(None, description="The change order's number (kind change_order).")


class ScopeChangeOut(Schema):
    field: str = Field(..., description="title, objective, why, needed_by or success_kpis.")
    label: str = Field(..., description="The field as people read it.")
    before: str = Field(..., description="The value before, as shown on the page (dates as “15 Jun 2026”).")
    after: str


class ChangeOrderOut(Schema):
    number: int = Field(..., description="1 for the request's first change order, 2 for the next…")
    summary: str = Field(..., description="One line for people: “Needed by and success KPIs changed”.")
    from_status: str = Field(..., description="The request's status when the scope changed.")
    changes: list[ScopeChangeOut]
    estimate_days: Decimal | None = Field(..., description="The estimate the change made stale.")
    planned_delivery: date | None = Field(..., description="The planned delivery date at the time.")
    actor_name: str
    notified_count: int = Field(..., description="People of the delivering side told about it.")
    created_at: datetime


# Backlog items ---------------------------------------------------------------------------------


class BacklogItemBrief(Schema):
    id: int
    title: str
    status: str


class IterationBrief(Schema):
    id: int
    name: str
    start: date
    end: date


class BacklogItemIn(InputSchema):
    title: str = Field(..., max_length=200)
    kind: BacklogItemKindChoices = BacklogItemKindChoices.ENHANCEMENT
    description: str = ""
    components: list[str] = Field(default_factory=list, description="Component slugs.")
    request: int | None = Field(None, description="Id of the request it came from.")
    effort_days: Decimal | None = Field(None, gt=0, max_digits=7, decimal_places=1,
                                        description="Estimated effort; the score needs it.")
    value: int = Field(5, ge=1, le=10, description="Business value, 1–10.")
    needed_by: date | None = Field(None, description="Default: the request's needed-by date.")
    status: BacklogItemStatusChoices = BacklogItemStatusChoices.NEW
    assignee: PersonRef | None = Field(None, description=PERSON_REF)
    iteration: int | None = Field(None, description="Id of the iteration it is planned in.")
    depends_on: list[int] = Field(default_factory=list, description="Ids of the items that must be done first.")
    priority_override: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2,
                                              description="A score set by hand (needs override_reason).")
    override_reason: str = ""


class _BacklogItemEdit(BacklogItemIn):
    schedule_reason: str = Field("", description=SCHEDULE_REASON + " Moving the item out of its iteration.")


BacklogItemPatch = patch_schema(_BacklogItemEdit, "BacklogItemPatch")


class BacklogItemPlanIn(InputSchema):
    iteration: int | None = Field(..., description="Iteration id, or null to take it back to the backlog.")
    reason: str = Field("", description="Required when the item leaves an iteration it was planned in.")
    version: int = _version()


class ScorePartsOut(Schema):
    value_points: int = Field(..., description="The item's business value, 1–10.")
    cost_points: int = Field(..., description="0–10 from the request's lost-opportunity cost per week.")
    urgency_points: int = Field(..., description="1–10 from the working days left until needed-by.")
    cost_of_delay: int = Field(..., description="value + cost + urgency points.")
    effort_days: Decimal | None
    working_days_left: int | None
    score: Decimal | None = Field(..., description="cost_of_delay ÷ effort_days, as of today.")


class BacklogItemOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    components: list[ComponentBrief]
    request: RequestBrief | None
    request_change_orders: int = Field(0, description="Change orders of the item's request (scope changes after "
                                                      "its estimate).")
    effort_days: Decimal | None
    value: int
    needed_by: date | None
    effective_needed_by: date | None = Field(..., description="needed_by, else the request's.")
    status: str
    assignee: PersonBrief | None
    iteration: IterationBrief | None
    depends_on: list[BacklogItemBrief]
    score: Decimal | None = Field(..., description="The score the backlog sorts by: the override, else computed.")
    computed_score: Decimal | None
    priority_override: Decimal | None
    override_reason: str
    is_overridden: bool
    score_parts: ScorePartsOut
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_score_parts(obj) -> dict:
        parts = priority.score_item(obj, timezone.localdate())
        return {"value_points": parts.value_points, "cost_points": parts.cost_points,
                "urgency_points": parts.urgency_points, "cost_of_delay": parts.cost_of_delay,
                "effort_days": parts.effort_days, "working_days_left": parts.working_days_left,
                "score": parts.score}


# Roadmaps, iterations, milestones --------------------------------------------------------------


class RoadmapBrief(Schema):
    slug: str
    name: str


class RoadmapIn(InputSchema):
    name: str = Field(..., max_length=150)
    slug: str | None = Field(None, max_length=150, description="Made from the name when left out.")
    vision: str = Field("", description="Where the stack should be in two or three years.")
    department: str | None = Field(None, description="Slug of the owning department.")


RoadmapPatch = patch_schema(RoadmapIn, "RoadmapPatch")


class RoadmapOut(Schema):
    id: int
    slug: str
    name: str
    vision: str
    department: DepartmentBrief | None
    version: int
    created_at: datetime
    updated_at: datetime


class IterationIn(InputSchema):
    roadmap: str = Field(..., description="Roadmap slug.")
    name: str = Field(..., max_length=150)
    goal: str = ""
    start: date
    end: date = Field(..., description="On or after start.")
    status: IterationStatusChoices = IterationStatusChoices.PLANNED


class _IterationEdit(IterationIn):
    schedule_reason: str = Field("", description=SCHEDULE_REASON + " Moving start or end.")


IterationPatch = patch_schema(_IterationEdit, "IterationPatch")


class IterationOut(Schema):
    id: int
    roadmap: RoadmapBrief
    name: str
    goal: str
    start: date
    end: date
    status: str
    item_count: int = Field(..., description="Backlog items planned in it.")
    version: int
    created_at: datetime
    updated_at: datetime


class MilestoneIn(InputSchema):
    roadmap: str = Field(..., description="Roadmap slug.")
    name: str = Field(..., max_length=150)
    due: date
    description: str = ""
    reached: bool = False
    requests: list[int] = Field(default_factory=list, description="Ids of the requests it serves.")


class _MilestoneEdit(MilestoneIn):
    schedule_reason: str = Field("", description=SCHEDULE_REASON + " Moving the due date.")


MilestonePatch = patch_schema(_MilestoneEdit, "MilestonePatch")


class MilestoneOut(Schema):
    id: int
    roadmap: RoadmapBrief
    name: str
    due: date
    description: str
    reached: bool
    requests: list[RequestBrief]
    version: int
    created_at: datetime
    updated_at: datetime


# Schedule changes ------------------------------------------------------------------------------

SUBJECTS = ("request", "backlog_item", "iteration", "milestone")


class ScheduleChangeOut(Schema):
    id: int
    subject_type: Literal["request", "backlog_item", "iteration", "milestone"]
    subject_id: int
    subject_label: str
    field: str = Field(..., description="planned_delivery, iteration, start, end or due.")
    old_date: date | None
    new_date: date | None
    old_label: str
    new_label: str
    slip_days: int | None = Field(..., description="Calendar days the date moved (positive: later).")
    reason: str
    actor_name: str
    notified_count: int = Field(..., description="People told about it.")
    created_at: datetime

    @staticmethod
    def resolve_subject_type(obj) -> str:
        return next(name for name in SUBJECTS if getattr(obj, f"{name}_id"))

    @staticmethod
    def resolve_subject_id(obj) -> int:
        return next(getattr(obj, f"{name}_id") for name in SUBJECTS if getattr(obj, f"{name}_id"))

    @staticmethod
    def resolve_subject_label(obj) -> str:
        return str(obj.subject)
