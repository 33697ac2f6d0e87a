"""Contracts, their renewal decisions, documents and the reminders sent about them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from stacksteward.core.models import BaseModel, unique_slug
from stacksteward.core.querysets import RestrictedQuerySet

from ..choices import BillingFrequencyChoices, ContractStatusChoices, RenewalDecisionChoices, RenewalTypeChoices
from ..deadlines import notice_deadline

S = ContractStatusChoices
LIVE = (S.ACTIVE, S.RENEWING)


def clean_currency(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) != 3 or not value.isalpha():
        raise ValidationError("Use a three-letter ISO currency code such as USD or EUR.")
    return value


class ContractQuerySet(RestrictedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE)

    def undecided(self):
        return self.filter(status__in=LIVE, decisions__isnull=True)

    def with_list_data(self):
        return self.select_related("vendor", "business_owner", "procurement_owner", "legal_reviewer").prefetch_related(
            "components").annotate(decision_count=models.Count("decisions", distinct=True))


class Contract(BaseModel):
    key = models.SlugField(
        max_length=100, unique=True, blank=True,
        help_text="A short stable name (letters, digits, hyphens) that stack-as-code files use to refer to the "
                  "contract; made from the vendor and the reference when left empty.")
    vendor = models.ForeignKey("catalog.Vendor", on_delete=models.PROTECT, related_name="contracts")
    components = models.ManyToManyField("catalog.Component", blank=True, related_name="contracts",
                                        help_text="The components this contract covers.")
    reference = models.CharField(max_length=100, help_text="The contract or order number.")
    start_date = models.DateField()
    end_date = models.DateField(help_text="The last day of this term.")
    renewal_type = models.CharField(max_length=10, choices=RenewalTypeChoices.choices,
                                    default=RenewalTypeChoices.AUTO)
    renewal_term_months = models.PositiveSmallIntegerField(
        "renewal term (months)", default=12, validators=[MinValueValidator(1)],
        help_text="How long the next term runs when it renews.")
    notice_period_days = models.PositiveIntegerField(
        "notice period (days)", default=30, help_text="Days before the end date by which notice must be given.")
    notice_deadline = models.DateField(editable=False, db_index=True,
                                       help_text="Computed: the last day to cancel or renegotiate.")
    annual_value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default=settings.STEWARD_CURRENCY)
    billing_frequency = models.CharField(max_length=10, choices=BillingFrequencyChoices.choices,
                                         default=BillingFrequencyChoices.ANNUALLY)
    seats = models.PositiveIntegerField(null=True, blank=True)
    allocation_shares = models.JSONField(
        default=dict, blank=True,
        help_text="How the cost is split over the components it covers: component slug → percent, summing to "
                  "100. Left empty: by the components' seats purchased, else equally.")
    payment_terms = models.CharField(max_length=100, blank=True, help_text="E.g. “30 days net”.")
    dpa_signed = models.BooleanField("data processing agreement signed", default=False)
    security_review_done = models.BooleanField(default=False)
    procurement_owner = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="contracts_procured")
    legal_reviewer = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="contracts_reviewed")
    business_owner = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="contracts_owned")
    status = models.CharField(max_length=10, choices=ContractStatusChoices.choices, default=S.DRAFT, db_index=True)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next",
                                    help_text="The term this one continues.")
    notice_sent_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["notice_deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="finance_contract_dates"),
            models.CheckConstraint(condition=models.Q(annual_value__gte=0), name="finance_contract_value"),
        ]

    def __str__(self):
        return f"{self.vendor} · {self.reference}" if self.vendor_id else self.reference

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_contract_key(self)
        if self.end_date is not None:
            self.notice_deadline = notice_deadline(self.end_date, self.notice_period_days or 0)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("finance:contract", args=[self.pk])

    def clean(self):
        errors = {}
        if self.pk is None and self.key and self.previous_id and self.previous.key == self.key:
            self.key = ""  # the next term of a renewal (copied from the previous one) gets a key of its own
        if not self.key and self.reference:
            self.key = unique_contract_key(self)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The term cannot end before it starts."
        try:
            self.currency = clean_currency(self.currency)
        except ValidationError as exc:
            errors["currency"] = exc.messages
        if self.end_date is not None:
            self.notice_deadline = notice_deadline(self.end_date, self.notice_period_days or 0)
        if errors:
            raise ValidationError(errors)

    @property
    def notice_before_start(self) -> bool:
        """The notice period is longer than the term: notice was due before the term began."""
        return bool(self.start_date and self.notice_deadline and self.notice_deadline < self.start_date)


def unique_contract_key(contract: Contract) -> str:
    """A contract key made from its vendor and reference (``hubspot-hs-2027-01``), unique among the contracts:
    the start year is added when the key is taken (the next term of a renewal), then ``-2``, ``-3``…"""
    vendor = contract.vendor.slug if contract.vendor_id else ""
    return unique_slug(Contract, f"{vendor} {contract.reference}", field="key", exclude_pk=contract.pk,
                       fallback="contract", suffix=str(contract.start_date.year) if contract.start_date else "")


class RenewalDecision(BaseModel):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=12, choices=RenewalDecisionChoices.choices)
    reasons = models.TextField()
    new_seats = models.PositiveIntegerField(null=True, blank=True, help_text="For a downsize: the seats to keep.")
    notice_sent_on = models.DateField(null=True, blank=True, help_text="For a cancellation: when notice was sent.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.contract}: {self.get_decision_display()}"

    def get_absolute_url(self):
        return self.contract.get_absolute_url()


class ContractDocument(BaseModel):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class ContractReminder(models.Model):
    """A reminder sent for one contract at one lead time; the unique key stops duplicates."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveIntegerField()
    notice_deadline = models.DateField(help_text="The deadline the reminder was about (a new term resets it).")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "notice_deadline", "days_before"],
                                    name="finance_reminder_once"),
        ]

    def __str__(self):
        return f"{self.contract}: {self.days_before} days before {self.notice_deadline}"
