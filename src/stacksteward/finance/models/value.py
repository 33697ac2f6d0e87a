"""Objectives, KPIs and their measurements; costs, budgets and the owners' value scores."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from stacksteward.core.models import BaseModel

from ..choices import (
    CostKindChoices,
    KpiAttributionChoices,
    KpiDirectionChoices,
    KpiFrequencyChoices,
    KpiValueKindChoices,
    MeasurementSourceChoices,
)
from .contracts import clean_currency


class Objective(BaseModel):
    """A strategic objective, e.g. “grow marketing-sourced pipeline 20 % in 2027”."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="objectives")
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["-period_start", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:objective", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period cannot end before it starts."})


class SuccessFactor(BaseModel):
    """A critical success factor under an objective."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="success_factors")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["objective_id", "name"]

    def __str__(self):
        return self.name


class Kpi(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    definition = models.TextField(help_text="Exactly what is counted, and from which source.")
    unit = models.CharField(max_length=30, help_text="E.g. leads, %, EUR.")
    value_kind = models.CharField(max_length=10, choices=KpiValueKindChoices.choices,
                                  default=KpiValueKindChoices.COUNT,
                                  help_text="Money and counts feed ROI and cost per unit.")
    currency = models.CharField(max_length=3, blank=True, help_text="For money KPIs.")
    direction = models.CharField(max_length=6, choices=KpiDirectionChoices.choices,
                                 default=KpiDirectionChoices.HIGHER)
    target = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True,
                                 help_text="The value per period that counts as on target.")
    frequency = models.CharField(max_length=10, choices=KpiFrequencyChoices.choices,
                                 default=KpiFrequencyChoices.MONTHLY)
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpis")
    components = models.ManyToManyField("catalog.Component", blank=True, related_name="kpis",
                                        help_text="The investments this KPI measures.")
    request = models.ForeignKey("intake.Request", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="kpis", help_text="The request that promised it.")
    attribution = models.CharField(
        max_length=10, choices=KpiAttributionChoices.choices, default=KpiAttributionChoices.EQUAL,
        help_text="How the KPI's value is shared among the components it measures (each value counts once).")
    attribution_shares = models.JSONField(
        default=dict, blank=True,
        help_text="With explicit shares: component slug → percent, summing to 100 (e.g. {\"crm\": \"60\"}).")

    class Meta:
        ordering = ["name"]
        verbose_name = "KPI"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:kpi", args=[self.slug])

    def clean(self):
        if self.value_kind == KpiValueKindChoices.MONEY:
            try:
                self.currency = clean_currency(self.currency)
            except ValidationError as exc:
                raise ValidationError({"currency": ["A money KPI needs its currency. " + exc.messages[0]]})
        elif self.currency:
            raise ValidationError({"currency": "Only money KPIs have a currency."})

    def on_target(self, value) -> bool | None:
        """Whether a period's value meets the target (None when there is no value or no target)."""
        if value is None or self.target is None:
            return None
        if self.direction == KpiDirectionChoices.LOWER:
            return value <= self.target
        return value >= self.target


class Measurement(BaseModel):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(help_text="The first day of the period measured.")
    value = models.DecimalField(max_digits=16, decimal_places=2)
    source = models.CharField(max_length=10, choices=MeasurementSourceChoices.choices,
                              default=MeasurementSourceChoices.UI)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kpi_id", "period_start"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"], name="finance_measurement_once")]

    def __str__(self):
        return f"{self.kpi} {self.period_start:%Y-%m-%d}: {self.value}"


class CostEntry(BaseModel):
    """A cost of a component in a year beyond its licence (which comes from its contracts)."""

    component = models.ForeignKey("catalog.Component", on_delete=models.CASCADE, related_name="cost_entries")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(max_length=10, choices=CostKindChoices.choices, default=CostKindChoices.SERVICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)], help_text="Leave empty for internal hours.")
    hours = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0)], help_text="Internal effort, priced at the rate.")
    currency = models.CharField(max_length=3, default=settings.STEWARD_CURRENCY)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "component_id", "id"]
        verbose_name_plural = "cost entries"

    def __str__(self):
        return f"{self.component} {self.year}: {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == CostKindChoices.INTERNAL:
            if self.hours is None and self.amount is None:
                errors["hours"] = "Give the hours of internal effort (or an amount)."
        elif self.amount is None:
            errors["amount"] = "Give the amount."
        try:
            self.currency = clean_currency(self.currency)
        except ValidationError as exc:
            errors["currency"] = exc.messages
        if errors:
            raise ValidationError(errors)


class Budget(BaseModel):
    """A planned amount for a year: for one component, or for a category."""

    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    component = models.ForeignKey("catalog.Component", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="budgets")
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="budgets")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default=settings.STEWARD_CURRENCY)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(component__isnull=False, category__isnull=True)
                           | models.Q(component__isnull=True, category__isnull=False)),
                name="finance_budget_one_subject"),
            models.UniqueConstraint(fields=["year", "component"], condition=models.Q(component__isnull=False),
                                    name="finance_budget_component_year"),
            models.UniqueConstraint(fields=["year", "category"], condition=models.Q(category__isnull=False),
                                    name="finance_budget_category_year"),
        ]

    def __str__(self):
        return f"{self.component or self.category} {self.year}"

    def clean(self):
        errors = {}
        if bool(self.component_id) == bool(self.category_id):
            errors["component"] = "Budget either one component or one category."
        try:
            self.currency = clean_currency(self.currency)
        except ValidationError as exc:
            errors["currency"] = exc.messages
        if errors:
            raise ValidationError(errors)


class ValueScore(BaseModel):
    """The business owner's judgement of a tool's value where it cannot be measured (1–5, with reasons)."""

    component = models.ForeignKey("catalog.Component", on_delete=models.CASCADE, related_name="value_scores")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    scorer = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="value_scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    reasons = models.TextField()

    class Meta:
        ordering = ["-year", "component_id"]
        constraints = [
            models.UniqueConstraint(fields=["component", "year", "scorer"], name="finance_value_score_once"),
        ]

    def __str__(self):
        return f"{self.component} {self.year}: {self.score}/5"
