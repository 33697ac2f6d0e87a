from django.db import models


class VendorStatusChoices(models.TextChoices):
    ACTIVE = "active", "Active"
    ACQUIRED = "acquired", "Acquired"
    DEFUNCT = "defunct", "Defunct"


class ComponentKindChoices(models.TextChoices):
    APPLICATION = "application", "Application"
    DATABASE = "database", "Database"
    WEBSITE = "website", "Website"
    SOCIAL_ACCOUNT = "social_account", "Social account"
    DOCUMENT_STORE = "document_store", "Document store"
    INTEGRATION_PLATFORM = "integration_platform", "Integration platform"
    OTHER = "other", "Other"


class ComponentHostingChoices(models.TextChoices):
    SAAS = "saas", "SaaS"
    SELF_HOSTED = "self_hosted", "Self-hosted"
    VENDOR_MANAGED = "vendor_managed", "Vendor-managed"
    SHADOW_IT = "shadow_it", "Shadow IT"


class ComponentLifecycleChoices(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    EVALUATING = "evaluating", "Evaluating"
    PILOT = "pilot", "Pilot"
    ACTIVE = "active", "Active"
    SUNSETTING = "sunsetting", "Sunsetting"
    RETIRED = "retired", "Retired"


class ComponentTierChoices(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 – business critical"
    TIER_2 = 2, "Tier 2 – important"
    TIER_3 = 3, "Tier 3 – supporting"
    TIER_4 = 4, "Tier 4 – nice to have"


class RelationTypeChoices(models.TextChoices):
    DATA_FLOW = "data_flow", "Data flow (data moves from → to)"
    DEPENDS_ON = "depends_on", "Depends on (from needs to)"
    HOSTED_ON = "hosted_on", "Hosted on (from runs on to)"


class RelationMechanismChoices(models.TextChoices):
    API = "api", "API"
    FILE = "file", "File transfer"
    WEBHOOK = "webhook", "Webhook"
    NATIVE_CONNECTOR = "native_connector", "Native connector"
    MANUAL = "manual", "Manual"


class RelationFrequencyChoices(models.TextChoices):
    REAL_TIME = "real_time", "Real time"
    HOURLY = "hourly", "Hourly"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    ON_DEMAND = "on_demand", "On demand"


class RaciActivityChoices(models.TextChoices):
    SELECTION = "selection", "Selection"
    BUDGET = "budget", "Budget"
    CONTRACT = "contract", "Contract"
    CONFIGURATION = "configuration", "Configuration"
    CONTENT = "content", "Content"
    DATA_PRIVACY = "data_privacy", "Data privacy"
    SECURITY = "security", "Security"
    INTEGRATION = "integration", "Integration"
    SUPPORT = "support", "Support"
    CONTINUITY = "continuity", "Continuity"


class RaciRoleChoices(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


# The built-in data categories (keys follow the fideslang taxonomy so the privacy area can
# extend them without renaming): (key, name, holds personal data).
DATA_CATEGORIES = [
    ("user.contact", "Contact details (email, phone, address)", True),
    ("user.name", "Names", True),
    ("user.unique_id", "Customer and device identifiers", True),
    ("user.behavior", "Behaviour and online activity", True),
    ("user.demographic", "Demographics", True),
    ("user.location", "Location", True),
    ("user.financial", "Payment and financial data", True),
    ("user.sensor", "Cookies and tracking data", True),
    ("user.sensitive", "Special category data (health, beliefs, …)", True),
    ("user.content", "User-generated content", True),
    ("system.operations", "Operational and system data", False),
    ("business.aggregate", "Aggregated and anonymised data", False),
    ("business.content", "Marketing content and assets", False),
]


# What each state looks like (core/status.py: one palette for every workflow).
from stacksteward.core.status import Tone, tones  # noqa: E402

tones(VendorStatusChoices, {
    VendorStatusChoices.ACTIVE: Tone.DONE, VendorStatusChoices.ACQUIRED: Tone.WAITING,
    VendorStatusChoices.DEFUNCT: Tone.STOPPED,
})
