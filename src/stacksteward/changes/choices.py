from django.db import models


class ChangeTypeChoices(models.TextChoices):
    STANDARD = "standard", "Standard (pre-approved routine)"
    NORMAL = "normal", "Normal"
    EMERGENCY = "emergency", "Emergency"


class ChangeStatusChoices(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ASSESSING = "assessing", "Assessing"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SCHEDULED = "scheduled", "Scheduled"
    IMPLEMENTED = "implemented", "Implemented"
    FAILED = "failed", "Failed"
    ROLLED_BACK = "rolled_back", "Rolled back"
    REVIEWED = "reviewed", "Reviewed"


class RiskLevelChoices(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ApprovalDecisionChoices(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class CalendarEventKindChoices(models.TextChoices):
    FREEZE = "freeze", "Change freeze"
    CAMPAIGN_LAUNCH = "campaign_launch", "Campaign launch"
    TRADE_SHOW = "trade_show", "Trade show"
    WEBINAR = "webinar", "Webinar"
    PRODUCT_LAUNCH = "product_launch", "Product launch"
    QUARTER_END = "quarter_end", "End of quarter"
    OTHER = "other", "Other event"


class MeetingDecisionChoices(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    DEFER = "defer", "Defer"


class MeetingStatusChoices(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# What each state looks like (core/status.py: one palette for every workflow).
from stacksteward.core.status import Tone, tones  # noqa: E402

tones(ChangeStatusChoices, {
    ChangeStatusChoices.DRAFT: Tone.NEUTRAL, ChangeStatusChoices.SUBMITTED: Tone.WAITING,
    ChangeStatusChoices.ASSESSING: Tone.PROGRESS, ChangeStatusChoices.AWAITING_APPROVAL: Tone.WAITING,
    ChangeStatusChoices.APPROVED: Tone.DONE, ChangeStatusChoices.REJECTED: Tone.STOPPED,
    ChangeStatusChoices.SCHEDULED: Tone.PROGRESS, ChangeStatusChoices.IMPLEMENTED: Tone.DONE,
    ChangeStatusChoices.FAILED: Tone.STOPPED, ChangeStatusChoices.ROLLED_BACK: Tone.STOPPED,
    ChangeStatusChoices.REVIEWED: Tone.DONE,
})
tones(ApprovalDecisionChoices, {
    ApprovalDecisionChoices.PENDING: Tone.WAITING, ApprovalDecisionChoices.APPROVED: Tone.DONE,
    ApprovalDecisionChoices.REJECTED: Tone.STOPPED,
})
tones(MeetingStatusChoices, {
    MeetingStatusChoices.PLANNED: Tone.PROGRESS, MeetingStatusChoices.HELD: Tone.DONE,
    MeetingStatusChoices.CANCELLED: Tone.STOPPED,
})
