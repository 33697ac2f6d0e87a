from django.db import models


class RenewalTypeChoices(models.TextChoices):
    AUTO = "auto", "Renews automatically"
    MANUAL = "manual", "Must be renewed by hand"


class BillingFrequencyChoices(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"
    UPFRONT = "upfront", "Up front for the term"


class ContractStatusChoices(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RENEWING = "renewing", "Renewing"
    RENEWED = "renewed", "Renewed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class RenewalDecisionChoices(models.TextChoices):
    RENEW = "renew", "Renew as is"
    RENEGOTIATE = "renegotiate", "Renegotiate"
    DOWNSIZE = "downsize", "Downsize seats"
    REPLACE = "replace", "Replace the tool"
    CANCEL = "cancel", "Cancel"


class SelectionStatusChoices(models.TextChoices):
    OPEN = "open", "Open: scoring"
    DECIDED = "decided", "Decided"
    ABANDONED = "abandoned", "Abandoned"


class KpiDirectionChoices(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class KpiFrequencyChoices(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


class KpiValueKindChoices(models.TextChoices):
    MONEY = "money", "Money (revenue, pipeline)"
    COUNT = "count", "A count (leads, conversions)"
    PERCENT = "percent", "A percentage"
    OTHER = "other", "Other"


class KpiAttributionChoices(models.TextChoices):
    EQUAL = "equal", "Equal split over the components it measures"
    SHARES = "shares", "Explicit shares per component"


class MeasurementSourceChoices(models.TextChoices):
    UI = "ui", "Typed in"
    IMPORT = "import", "Imported"
    API = "api", "Pushed through the API"


class CostKindChoices(models.TextChoices):
    SERVICES = "services", "Services (agency, consultants)"
    INTERNAL = "internal", "Internal effort"
    OTHER = "other", "Other"


# What each state looks like (core/status.py: one palette for every workflow).
from stacksteward.core.status import Tone, named_tones, tones  # noqa: E402

tones(ContractStatusChoices, {
    ContractStatusChoices.DRAFT: Tone.NEUTRAL, ContractStatusChoices.ACTIVE: Tone.DONE,
    ContractStatusChoices.RENEWING: Tone.PROGRESS, ContractStatusChoices.RENEWED: Tone.DONE,
    ContractStatusChoices.CANCELLED: Tone.STOPPED, ContractStatusChoices.EXPIRED: Tone.NEUTRAL,
})
tones(SelectionStatusChoices, {
    SelectionStatusChoices.OPEN: Tone.PROGRESS, SelectionStatusChoices.DECIDED: Tone.DONE,
    SelectionStatusChoices.ABANDONED: Tone.STOPPED,
})
# A contract's notice deadline (computed by finance.services.deadline_state).
named_tones("deadline", {"overdue": Tone.STOPPED, "due": Tone.WAITING, "upcoming": Tone.WAITING,
                                  "ok": Tone.DONE, "decided": Tone.PROGRESS, "closed": Tone.NEUTRAL})
# A KPI's latest value against its target (finance.views.value.kpi_status).
named_tones("kpi_target", {"on": Tone.DONE, "off": Tone.WAITING, "none": Tone.NEUTRAL})
