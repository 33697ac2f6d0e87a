from django.db import models


class CapabilityOfferingChoices(models.TextChoices):
    FULL = "full", "Offered fully"
    PARTIAL = "partial", "Offered partly"
    NONE = "none", "Not offered"


class RequestStatusChoices(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CLARIFYING = "clarifying", "Clarifying"
    ACCEPTED = "accepted", "Accepted"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    NEEDS_REESTIMATE = "reestimate", "Needs re-estimate"  # the requester changed the scope after the estimate
    DELIVERED = "delivered", "Delivered"
    MEASURED = "measured", "Measured"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FeasibilityChoices(models.TextChoices):
    FEASIBLE = "feasible", "Feasible"
    PARTLY = "partly", "Partly feasible"
    NOT_FEASIBLE = "not_feasible", "Not feasible"


class CostPeriodChoices(models.TextChoices):
    WEEK = "week", "per week"
    MONTH = "month", "per month"


class BacklogItemKindChoices(models.TextChoices):
    BUG = "bug", "Bug"
    ISSUE = "issue", "Issue"
    ENHANCEMENT = "enhancement", "Enhancement"
    FEATURE_IDEA = "feature_idea", "Feature idea"
    CUSTOMER_FEEDBACK = "customer_feedback", "Customer feedback"


class BacklogItemStatusChoices(models.TextChoices):
    NEW = "new", "New"
    READY = "ready", "Ready"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class IterationStatusChoices(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ScheduleFieldChoices(models.TextChoices):
    PLANNED_DELIVERY = "planned_delivery", "Planned delivery"
    ITERATION = "iteration", "Iteration"
    START = "start", "Start"
    END = "end", "End"
    DUE = "due", "Due date"


# What each state looks like (core/status.py: one palette for every workflow).
from stacksteward.core.status import Tone, tones  # noqa: E402

tones(RequestStatusChoices, {
    RequestStatusChoices.SUBMITTED: Tone.WAITING, RequestStatusChoices.CLARIFYING: Tone.WAITING,
    RequestStatusChoices.NEEDS_REESTIMATE: Tone.WAITING,
    RequestStatusChoices.ACCEPTED: Tone.PROGRESS, RequestStatusChoices.PLANNED: Tone.PROGRESS,
    RequestStatusChoices.IN_PROGRESS: Tone.PROGRESS, RequestStatusChoices.DELIVERED: Tone.DONE,
    RequestStatusChoices.MEASURED: Tone.DONE, RequestStatusChoices.DECLINED: Tone.STOPPED,
    RequestStatusChoices.WITHDRAWN: Tone.NEUTRAL,
})
tones(FeasibilityChoices, {
    FeasibilityChoices.FEASIBLE: Tone.DONE, FeasibilityChoices.PARTLY: Tone.WAITING,
    FeasibilityChoices.NOT_FEASIBLE: Tone.STOPPED,
})
tones(BacklogItemStatusChoices, {
    BacklogItemStatusChoices.NEW: Tone.WAITING, BacklogItemStatusChoices.READY: Tone.PROGRESS,
    BacklogItemStatusChoices.PLANNED: Tone.PROGRESS, BacklogItemStatusChoices.IN_PROGRESS: Tone.PROGRESS,
    BacklogItemStatusChoices.DONE: Tone.DONE, BacklogItemStatusChoices.CANCELLED: Tone.STOPPED,
})
tones(IterationStatusChoices, {
    IterationStatusChoices.PLANNED: Tone.NEUTRAL, IterationStatusChoices.ACTIVE: Tone.PROGRESS,
    IterationStatusChoices.CLOSED: Tone.NEUTRAL,
})
tones(CapabilityOfferingChoices, {
    CapabilityOfferingChoices.FULL: Tone.DONE, CapabilityOfferingChoices.PARTIAL: Tone.WAITING,
    CapabilityOfferingChoices.NONE: Tone.STOPPED,
})
