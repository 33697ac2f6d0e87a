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
