"""Intake: what IT can do (capabilities), what Marketing asks for (requests), the backlog and the roadmap."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from stacksteward.core.models import BaseModel, unique_slug
from stacksteward.core.querysets import RestrictedQuerySet

from .choices import (
    BacklogItemKindChoices,
    BacklogItemStatusChoices,
    CapabilityOfferingChoices,
    CostPeriodChoices,
    FeasibilityChoices,
    IterationStatusChoices,
    RequestStatusChoices,
    ScheduleFieldChoices,
)
from .querysets import BacklogItemQuerySet, RequestQuerySet

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def _clean_currency(obj, field: str) -> None:
    value = (getattr(obj, field) or "").strip().upper()
    setattr(obj, field, value)
    if value and (len(value) != 3 or not value.isalpha()):
        raise ValidationError({field: "Use a three-letter ISO currency code such as USD or EUR."})


class Capability(BaseModel):
    """A kind of work a department takes on, how long it usually takes, and what is and is not possible."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="capabilities",
                                   help_text="The department that delivers this kind of work.")
    lead_time_days = models.PositiveIntegerField(
        "standard lead time (working days)", validators=[MinValueValidator(1)],
        help_text="How many working days this usually takes from an accepted request to delivery.")
    offering = models.CharField(max_length=10, choices=CapabilityOfferingChoices.choices,
                                default=CapabilityOfferingChoices.FULL)
    description = models.TextField(blank=True)
    can_do = models.TextField("what is possible", blank=True)
    cannot_do = models.TextField("what is not possible", blank=True)
    active = models.BooleanField(default=True, help_text="Untick to stop offering it for new requests.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "capabilities"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("intake:capability", args=[self.slug])


class Request(BaseModel):
    """Marketing's *what* and *why*, and the delivering side's *how*."""

    title = models.CharField(max_length=200)
    objective = models.TextField("business objective", blank=True,
                                 help_text="What should be possible when this is done?")
    why = models.TextField("why it matters", blank=True,
                           help_text="Who gains what, and what happens if nothing is done.")
    lost_cost_amount = models.DecimalField(
        "lost-opportunity cost", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="What the business loses while this is not delivered.")
    lost_cost_currency = models.CharField("currency", max_length=3, default=settings.STEWARD_CURRENCY, blank=True)
    lost_cost_period = models.CharField("per", max_length=5, choices=CostPeriodChoices.choices,
                                        default=CostPeriodChoices.WEEK)
    lost_cost_unquantifiable = models.TextField(
        "why the cost cannot be put in numbers", blank=True,
        help_text="Only when no amount can be given: say why (e.g. brand reputation, legal duty).")
    needed_by = models.DateField("needed by")
    success_kpis = models.TextField("success KPIs", blank=True,
                                    help_text="How you will judge that it worked (e.g. +10 % demo requests).")
    components = models.ManyToManyField("catalog.Component", blank=True, related_name="requests")
    capability = models.ForeignKey(Capability, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="requests")
    requester = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="requests")
    delivering_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="requests_to_deliver")
    status = models.CharField(max_length=12, choices=RequestStatusChoices.choices,
                              default=RequestStatusChoices.SUBMITTED, db_index=True)
    # The delivering side's answer
    approach = models.TextField(blank=True, help_text="How it will be done.")
    estimate_days = models.DecimalField("estimated effort (days)", max_digits=7, decimal_places=1, null=True,
                                        blank=True)
    estimate_cost = models.DecimalField("estimated cost", max_digits=14, decimal_places=2, null=True, blank=True)
    feasibility = models.CharField(max_length=12, choices=FeasibilityChoices.choices, blank=True)
    constraints = models.TextField(blank=True, help_text="What limits the approach: budget, data, security, time.")
    responder = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="request_responses")
    responded_at = models.DateTimeField(null=True, blank=True)
    # Workflow
    planned_delivery = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    measured_outcome = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_requests")
    transitions = GenericRelation("core.Transition")  # the workflow steps taken (``core.workflow``)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(lost_cost_amount__gte=0) | models.Q(lost_cost_amount=None),
                                   name="intake_request_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(estimate_days__gte=0) | models.Q(estimate_days=None),
                                   name="intake_request_estimate_not_negative"),
            models.CheckConstraint(condition=models.Q(estimate_cost__gte=0) | models.Q(estimate_cost=None),
                                   name="intake_request_estimate_cost_not_negative"),
        ]

    def __str__(self):
        return f"R-{self.pk}: {self.title}" if self.pk else self.title

    def get_absolute_url(self):
        return reverse("intake:request", args=[self.pk])

    def clean(self):
        errors = {}
        if not (self.why or "").strip():
            errors["why"] = "Say why it matters: who gains what, and what happens if nothing is done."
        if not (self.objective or "").strip():
            errors["objective"] = "Say what should be possible when this is done."
        if self.lost_cost_amount is not None and self.lost_cost_amount < 0:
            errors["lost_cost_amount"] = "The lost-opportunity cost cannot be negative."
        if self.lost_cost_amount is None and not (self.lost_cost_unquantifiable or "").strip():
            errors["lost_cost_amount"] = ("Give the lost-opportunity cost per week or month, or say why it "
                                          "cannot be put in numbers.")
        if self.lost_cost_amount is not None and (self.lost_cost_unquantifiable or "").strip():
            errors["lost_cost_unquantifiable"] = "Give either an amount or a reason it cannot be quantified, not both."
        for field in ("estimate_days", "estimate_cost"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Cannot be negative."
        try:
            _clean_currency(self, "lost_cost_currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.status == RequestStatusChoices.DECLINED and not (self.decline_reason or "").strip():
            errors["decline_reason"] = "A declined request needs the reason."
        if errors:
            raise ValidationError(errors)

    @property
    def weekly_lost_cost(self) -> Decimal | None:
        """The lost-opportunity cost per week (a monthly amount × 12 ÷ 52)."""
        if self.lost_cost_amount is None:
            return None
        if self.lost_cost_period == CostPeriodChoices.MONTH:
            return (self.lost_cost_amount / WEEKS_PER_MONTH).quantize(Decimal("0.01"))
        return self.lost_cost_amount

    @property
    def is_closed(self) -> bool:
        return self.status in (RequestStatusChoices.MEASURED, RequestStatusChoices.DECLINED,
                               RequestStatusChoices.WITHDRAWN)

    @property
    def has_response(self) -> bool:
        return bool(self.feasibility)


class Roadmap(BaseModel):
    """A long-term vision with its milestones and time-boxed iterations."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    vision = models.TextField("vision statement", blank=True,
                              help_text="Where the stack should be in two or three years, in plain words.")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="roadmaps", verbose_name="owning department")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("intake:roadmap", args=[self.slug])


class Iteration(BaseModel):
    """A time box (an MVP increment) into which backlog items are planned."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="iterations")
    name = models.CharField(max_length=150)
    goal = models.TextField(blank=True)
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=IterationStatusChoices.choices,
                              default=IterationStatusChoices.PLANNED)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "name"], name="intake_iteration_unique_name"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="intake_iteration_dates"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("intake:iteration", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The iteration cannot end before it starts."})


class Milestone(BaseModel):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(max_length=150)
    due = models.DateField("due date")
    description = models.TextField(blank=True)
    reached = models.BooleanField(default=False)
    requests = models.ManyToManyField(Request, blank=True, related_name="milestones",
                                      help_text="The requests this milestone serves.")

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "name"], name="intake_milestone_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("intake:milestone", args=[self.pk])


class BacklogItem(BaseModel):
    key = models.SlugField(
        max_length=100, unique=True, blank=True,
        help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer to the "
                  "item; made from the title when left empty.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=BacklogItemKindChoices.choices,
                            default=BacklogItemKindChoices.ENHANCEMENT)
    description = models.TextField(blank=True)
    components = models.ManyToManyField("catalog.Component", blank=True, related_name="backlog_items")
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="backlog_items", help_text="The request this item came from.")
    effort_days = models.DecimalField("effort (days)", max_digits=7, decimal_places=1, null=True, blank=True,
                                      help_text="Estimated effort; the priority score needs it.")
    value = models.PositiveSmallIntegerField(
        "business value (1–10)", default=5, validators=[MinValueValidator(1), MaxValueValidator(10)])
    needed_by = models.DateField("needed by", null=True, blank=True,
                                 help_text="Leave empty to use the request's needed-by date.")
    status = models.CharField(max_length=12, choices=BacklogItemStatusChoices.choices,
                              default=BacklogItemStatusChoices.NEW, db_index=True)
    assignee = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="backlog_items")
    iteration = models.ForeignKey(Iteration, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="items")
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                        help_text="Items that must be done before this one can start.")
    computed_score = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, editable=False)
    priority_override = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                            help_text="A score set by hand; needs a reason.")
    override_reason = models.TextField(blank=True)
    score = models.DecimalField("priority score", max_digits=10, decimal_places=2, null=True, blank=True,
                                editable=False, db_index=True)

    objects = BacklogItemQuerySet.as_manager()

    class Meta:
        # Highest score first; items without a score (no estimate) last on every database.
        ordering = [models.F("score").desc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(effort_days__gt=0) | models.Q(effort_days=None),
                                   name="intake_item_effort_positive"),
        ]

    def __str__(self):
        return f"B-{self.pk}: {self.title}" if self.pk else self.title

    def get_absolute_url(self):
        return reverse("intake:backlog_item", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_item_key(self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.effort_days is not None and self.effort_days <= 0:
            errors["effort_days"] = "Effort must be more than 0 days."
        if self.priority_override is not None and not (self.override_reason or "").strip():
            errors["override_reason"] = "Say why the priority is set by hand."
        if self.priority_override is not None and self.priority_override < 0:
            errors["priority_override"] = "The priority cannot be negative."
        if errors:
            raise ValidationError(errors)

    @property
    def effective_needed_by(self):
        if self.needed_by:
            return self.needed_by
        return self.request.needed_by if self.request_id and self.request else None

    @property
    def is_overridden(self) -> bool:
        return self.priority_override is not None


def unique_item_key(title: str, *, exclude_pk=None, taken: set[str] | None = None) -> str:
    """A backlog item key made from ``title`` ("Fix UTM tracking" → ``fix-utm-tracking``), unique among the
    items (and ``taken``)."""
    return unique_slug(BacklogItem, title, field="key", exclude_pk=exclude_pk, taken=taken)


class ScheduleChange(models.Model):
    """A planned date that moved: what, from when to when, why, who, and how many people were told."""

    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="schedule_changes")
    backlog_item = models.ForeignKey(BacklogItem, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="schedule_changes")
    iteration = models.ForeignKey(Iteration, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="schedule_changes")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="schedule_changes")
    field = models.CharField(max_length=20, choices=ScheduleFieldChoices.choices)
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    old_label = models.CharField(max_length=200, blank=True, help_text="E.g. the iteration it was planned in.")
    new_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    notified_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(request__isnull=False, backlog_item__isnull=True, iteration__isnull=True,
                             milestone__isnull=True)
                    | models.Q(request__isnull=True, backlog_item__isnull=False, iteration__isnull=True,
                               milestone__isnull=True)
                    | models.Q(request__isnull=True, backlog_item__isnull=True, iteration__isnull=False,
                               milestone__isnull=True)
                    | models.Q(request__isnull=True, backlog_item__isnull=True, iteration__isnull=True,
                               milestone__isnull=False)
                ),
                name="intake_schedule_change_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.old_label or self.old_date} → {self.new_label or self.new_date}"

    @property
    def subject(self):
        return self.request or self.backlog_item or self.iteration or self.milestone

    @property
    def slip_days(self) -> int | None:
        """Calendar days the date moved (positive: later)."""
        if self.old_date and self.new_date:
            return (self.new_date - self.old_date).days
        return None


class ChangeOrder(models.Model):
    """A scope change by the requester after the delivering side estimated or planned the request: what
    changed (before → after, as people read it), from which status, the estimate and plan it made stale,
    who, and how many people of the delivering side were told. Written only by ``services.request_update``."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="change_orders")
    number = models.PositiveIntegerField(help_text="1 for the request's first change order, 2 for the next…")
    from_status = models.CharField(max_length=12, choices=RequestStatusChoices.choices,
                                   help_text="The request's status when the scope changed.")
    changes = models.JSONField(
        default=list, help_text="What changed: a list of {field, label, before, after}, the values as people read "
                                "them.")
    estimate_days = models.DecimalField("estimate it made stale (days)", max_digits=7, decimal_places=1, null=True,
                                        blank=True)
    planned_delivery = models.DateField("planned delivery at the time", null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    notified_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="intake_change_order_number")]

    def __str__(self):
        return f"Change order {self.number} on R-{self.request_id}"

    def get_absolute_url(self):
        return f"{reverse('intake:request', args=[self.request_id])}#change-order-{self.number}"

    @property
    def labels(self) -> list[str]:
        return [change["label"] for change in self.changes]

    @property
    def summary(self) -> str:
        """“Needed by and success KPIs changed”."""
        labels = self.labels
        if not labels:
            return "Nothing changed"
        text = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        return f"{text[:1].upper()}{text[1:]} changed"
