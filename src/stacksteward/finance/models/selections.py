"""Tool selections: candidates, weighted criteria per department, scores by named reviewers, the decision."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from stacksteward.core.models import BaseModel, unique_slug

from ..choices import SelectionStatusChoices

SCORE_MIN, SCORE_MAX = 0, 5


class Selection(BaseModel):
    """The decision to buy or replace a tool."""

    key = models.SlugField(
        max_length=100, unique=True, blank=True,
        help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer to the "
                  "selection; made from the title when left empty.")
    title = models.CharField(max_length=200)
    need = models.TextField(blank=True, help_text="What the tool must make possible.")
    request = models.ForeignKey("intake.Request", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="selections", help_text="The request this selection answers.")
    replaces = models.ForeignKey("catalog.Component", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replacement_selections")
    status = models.CharField(max_length=10, choices=SelectionStatusChoices.choices,
                              default=SelectionStatusChoices.OPEN)
    chosen = models.ForeignKey("SelectionCandidate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    decision_reasons = models.TextField(blank=True)
    dissent = models.TextField(blank=True, help_text="Who disagreed with the decision, and why.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_selection_key(self)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.key and self.title:
            self.key = unique_selection_key(self)

    def get_absolute_url(self):
        return reverse("finance:selection", args=[self.pk])


def unique_selection_key(selection: Selection) -> str:
    """A selection key made from its title (``new-webinar-platform``), unique among the selections."""
    return unique_slug(Selection, selection.title, field="key", exclude_pk=selection.pk, fallback="selection")


class SelectionCandidate(BaseModel):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField("product", max_length=150)
    vendor = models.ForeignKey("catalog.Vendor", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="candidacies")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "name"], name="finance_candidate_unique")]

    def __str__(self):
        return self.name


class Criterion(BaseModel):
    """What a department judges candidates on, and how much it weighs."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="criteria")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="selection_criteria")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)],
                                 help_text="Relative weight: a criterion of weight 2 counts twice as much as 1.")

    class Meta:
        ordering = ["department__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "department", "name"], name="finance_criterion_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="finance_criterion_weight"),
        ]

    def __str__(self):
        return f"{self.department}: {self.name}"


class Score(BaseModel):
    """One reviewer's score of one candidate on one criterion (0–5)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(SelectionCandidate, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="selection_scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion_id", "candidate_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "candidate", "reviewer"], name="finance_score_once"),
            models.CheckConstraint(condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                                   name="finance_score_range"),
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.candidate} on {self.criterion.name} = {self.score}"

    def clean(self):
        if self.criterion_id and self.candidate_id and self.criterion.selection_id != self.candidate.selection_id:
            raise ValidationError({"candidate": "The candidate belongs to another selection."})
