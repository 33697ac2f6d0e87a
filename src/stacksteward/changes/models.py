"""Change control: change requests, their computed impact and approvals, the change calendar
(freeze periods and marketing events) and change-control meetings."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from stacksteward.core.models import BaseModel, unique_slug
from stacksteward.core.querysets import RestrictedQuerySet

from .choices import (
    ApprovalDecisionChoices,
    CalendarEventKindChoices,
    ChangeStatusChoices,
    ChangeTypeChoices,
    MeetingDecisionChoices,
    MeetingStatusChoices,
    RiskLevelChoices,
)

S = ChangeStatusChoices
# Changes whose window still matters for conflicts and agendas.
LIVE_STATUSES = (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL, S.APPROVED, S.SCHEDULED)


class ChangeQuerySet(RestrictedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def overlapping(self, start, end):
        """Windows that overlap [start, end); windows that only touch do not."""
        return self.filter(window_start__lt=end, window_end__gt=start)

    def with_list_data(self):
        """What a list row shows; the (possibly large) impact snapshot stays in the database."""
        return self.select_related("requester", "implementer").prefetch_related("components").defer("impact_snapshot")


class ChangeRequest(BaseModel):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    components = models.ManyToManyField("catalog.Component", related_name="change_requests",
                                        help_text="The components this change touches.")
    type = models.CharField(max_length=10, choices=ChangeTypeChoices.choices, default=ChangeTypeChoices.NORMAL)
    requester = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="change_requests")
    transitions = GenericRelation("core.Transition")  # the workflow steps taken (``core.workflow``)
    implementer = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="changes_to_implement")
    window_start = models.DateTimeField("window start")
    window_end = models.DateTimeField("window end")
    rollback_plan = models.TextField(blank=True, help_text="How to undo the change if it goes wrong.")
    request = models.ForeignKey("intake.Request", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="change_requests", help_text="The request this change delivers.")
    backlog_item = models.ForeignKey("intake.BacklogItem", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="change_requests")
    status = models.CharField(max_length=20, choices=ChangeStatusChoices.choices, default=S.DRAFT, db_index=True)
    # Computed at submission (and on demand): never typed by hand.
    risk = models.CharField(max_length=6, choices=RiskLevelChoices.choices, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    impact_snapshot = models.JSONField(null=True, blank=True)
    impact_summary = models.JSONField(
        null=True, blank=True, help_text="The snapshot's counts, departments, conflicts and component ids: what "
                                         "lists, agendas and feeds read instead of the whole snapshot.")
    impact_computed_at = models.DateTimeField(null=True, blank=True)
    conflict_justification = models.TextField(
        blank=True, help_text="Why the change should go ahead despite the conflicts listed.")
    reject_reason = models.TextField(blank=True)
    review_required = models.BooleanField(default=False, help_text="Set for emergency changes approved after the fact.")
    # Post-implementation review
    outcome = models.TextField(blank=True)
    went_well = models.TextField("what went well", blank=True)
    went_badly = models.TextField("what did not go well", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeQuerySet.as_manager()
    # How the history shows the computed JSON fields (``core.display.readable``): a sentence, not the structure.
    audit_readers = {"impact_snapshot": "stacksteward.changes.impact.describe_snapshot",
                     "impact_summary": "stacksteward.changes.impact.describe_summary"}

    class Meta:
        ordering = ["-window_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(window_end__gt=models.F("window_start")),
                                   name="changes_change_window_order"),
        ]

    def __str__(self):
        return f"C-{self.pk}: {self.title}" if self.pk else self.title

    def get_absolute_url(self):
        return reverse("changes:change", args=[self.pk])

    def clean(self):
        errors = {}
        if self.window_start and self.window_end and self.window_end <= self.window_start:
            errors["window_end"] = "The window must end after it starts."
        if self.type in (ChangeTypeChoices.NORMAL, ChangeTypeChoices.EMERGENCY) and not (
                self.rollback_plan or "").strip():
            errors["rollback_plan"] = "Normal and emergency changes need a rollback plan."
        if errors:
            raise ValidationError(errors)

    @property
    def window_hours(self) -> float:
        return (self.window_end - self.window_start).total_seconds() / 3600


class ChangeApproval(BaseModel):
    """One department's approval of a change; which departments must approve is computed."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="approvals")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="change_approvals")
    reasons = models.JSONField(default=list, blank=True, help_text="Why this department must approve.")
    decision = models.CharField(max_length=10, choices=ApprovalDecisionChoices.choices,
                                default=ApprovalDecisionChoices.PENDING)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    meeting = models.ForeignKey("Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="approvals", help_text="The meeting where it was decided.")

    class Meta:
        ordering = ["department__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["change", "department"], name="changes_approval_one_per_department"),
        ]

    def __str__(self):
        return f"{self.department} on C-{self.change_id}: {self.get_decision_display()}"

    def get_absolute_url(self):
        return self.change.get_absolute_url()


class CalendarEvent(BaseModel):
    """A freeze period or a marketing event that changes must not disturb."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, blank=True,
        help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer to the "
                  "event; made from the name when left empty.")
    kind = models.CharField(max_length=20, choices=CalendarEventKindChoices.choices,
                            default=CalendarEventKindChoices.CAMPAIGN_LAUNCH)
    start = models.DateTimeField()
    end = models.DateTimeField()
    all_components = models.BooleanField("relies on every component", default=False)
    components = models.ManyToManyField("catalog.Component", blank=True, related_name="calendar_events",
                                        help_text="The components the event relies on.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="changes_event_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("changes:event", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_event_slug(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.slug and self.name:
            self.slug = unique_event_slug(self.name, exclude_pk=self.pk)
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The event must end after it starts."})

    @property
    def is_freeze(self) -> bool:
        return self.kind == CalendarEventKindChoices.FREEZE


def unique_event_slug(name: str, *, exclude_pk=None) -> str:
    """A calendar event slug made from ``name`` ("Q3 freeze" → ``q3-freeze``), unique among the events."""
    return unique_slug(CalendarEvent, name, exclude_pk=exclude_pk, fallback="event")


class MeetingSeries(BaseModel):
    """A recurring change-control meeting, e.g. every Tuesday at 10:00."""

    name = models.CharField(max_length=150, unique=True)
    weekday = models.PositiveSmallIntegerField(
        choices=[(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
                 (5, "Saturday"), (6, "Sunday")])
    time = models.TimeField()
    duration_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(5),
                                                                           MaxValueValidator(480)])
    every_weeks = models.PositiveSmallIntegerField("every … weeks", default=1,
                                                   validators=[MinValueValidator(1), MaxValueValidator(8)])
    timezone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("changes:series", args=[self.pk])

    def clean(self):
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"timezone": f"'{self.timezone}' is not a time zone such as Europe/Berlin."})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The series cannot end before it starts."})


class Meeting(BaseModel):
    """One change-control meeting (an occurrence of a series, or a single meeting)."""

    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatusChoices.choices,
                              default=MeetingStatusChoices.PLANNED)
    attendees = models.ManyToManyField("org.Person", blank=True, related_name="change_meetings")
    notes = models.TextField("minutes", blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="changes_meeting_one_per_slot"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="changes_meeting_order"),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("changes:meeting", args=[self.pk])


class MeetingDecision(models.Model):
    """What the meeting decided about one change; approvals taken there point back at the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="meeting_decisions")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="The department deciding; empty for the meeting.")
    decision = models.CharField(max_length=10, choices=MeetingDecisionChoices.choices)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.meeting}: C-{self.change_id} {self.decision}"


class CalendarFeedToken(models.Model):
    """A secret URL for a user's ICS feed; only its SHA-256 hash is stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    def __str__(self):
        return f"calendar feed of {self.user}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "cal_" + secrets.token_urlsafe(32)
