"""The stack-as-code format, version ``stacksteward/v1``: sections, fields and how values are written.

One definition serves the exporter (what to write, in which order), the readers (which
columns a sheet may have) and the importer (how to read and compare each value). Objects
are named by natural keys — slugs, emails, data-category keys — never by database ids.

A field's ``kind`` says how its value is read and written:

``slug`` a key (letters, digits, ``-``, ``_``) · ``str`` one line of text · ``text`` free text
(kept exactly) · ``email`` · ``enum`` one of ``choices`` (value or label) · ``int`` a whole
number ≥ 0 · ``tier`` 1–4 · ``bool`` · ``decimal`` an amount ≥ 0 · ``number`` a number that may be
negative, without a currency (a KPI's value or target) · ``days`` / ``hours`` a number of days or hours
(one decimal) · ``currency`` an ISO code · ``date`` · ``datetime`` a date and time with its UTC offset
(ISO 8601, ``2027-03-29T18:00:00+02:00``; written in ``settings.TIME_ZONE``) · ``tags`` a list of tag
names · ``names`` a list of names of parts owned by the entry (an objective's success factors) · ``ref`` a
reference to another section's key · ``refs`` a list of references · ``candidate`` a candidate of the entry's
selection, by name · ``criterion`` a criterion of the entry's selection, as ``department/name``.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings

from stacksteward.catalog.choices import (
    ComponentHostingChoices,
    ComponentKindChoices,
    ComponentLifecycleChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationFrequencyChoices,
    RelationMechanismChoices,
    RelationTypeChoices,
    VendorStatusChoices,
)
from stacksteward.changes.choices import CalendarEventKindChoices
from stacksteward.finance.choices import (
    BillingFrequencyChoices,
    ContractStatusChoices,
    CostKindChoices,
    KpiDirectionChoices,
    KpiFrequencyChoices,
    KpiValueKindChoices,
    RenewalDecisionChoices,
    RenewalTypeChoices,
    SelectionStatusChoices,
)
from stacksteward.intake.choices import (
    BacklogItemKindChoices,
    BacklogItemStatusChoices,
    CapabilityOfferingChoices,
)
from stacksteward.org.choices import DepartmentKindChoices, PersonArchetypeChoices

API_VERSION = "stacksteward/v1"
KIND = "Stack"
LIST_SEPARATOR = "; "  # lists (tags, data categories) in one CSV/XLSX cell
META_SHEET = "stack"  # the XLSX sheet / CSV file holding apiVersion and kind
LIST_KINDS = ("refs", "tags", "names")  # fields holding a list
# Fields naming a part of the entry's selection (read and written like a ref, looked up within the selection).
SELECTION_PART_KINDS = ("candidate", "criterion")
SCORE_RANGES = {"selection_scores": (0, 5), "value_scores": (1, 5)}  # the allowed scores, inclusive
# Money that only people who see all values (``finance.permissions.sees_all_values``) may export or import:
# contracts' value and payment terms, and the amounts and hours of cost entries (their columns are left out).
MONEY_FIELDS: dict[str, tuple[str, ...]] = {
    "contracts": ("annual_value", "payment_terms"),
    "cost_entries": ("amount", "hours"),
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False
    choices: type | None = None
    ref: str | None = None  # the section a ref/refs field points to ("data_categories" is built in)
    attr: str | None = None  # the model attribute when it differs from ``name``
    default: object = None  # what an empty value means for fields that cannot be empty

    @property
    def model_attr(self) -> str:
        return self.attr or self.name

    def choice_values(self) -> list[str]:
        return [str(v) for v in self.choices.values] if self.choices else []


@dataclass(frozen=True)
class Section:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # the fields that identify an entry
    singular: str = ""
    one_of: tuple[str, ...] = field(default=())  # exactly one of these fields must be set

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in [
        Section(
            "departments",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("kind", "enum", choices=DepartmentKindChoices, default=DepartmentKindChoices.OTHER.value),
                Field("description", "text"),
            ),
            key=("slug",),
            singular="department",
        ),
        Section(
            "people",
            (
                Field("email", "email"),
                Field("name", "str", required=True),
                Field("department", "ref", ref="departments"),
                Field("title", "str"),
                Field("archetype", "enum", choices=PersonArchetypeChoices, default=PersonArchetypeChoices.NONE.value),
                Field("manager", "ref", ref="people"),
                Field("available", "bool", default=True),
            ),
            key=("email",),  # the name when there is no email
            singular="person",
        ),
        Section(
            "vendors",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("website", "str"),
                Field("status", "enum", choices=VendorStatusChoices, default=VendorStatusChoices.ACTIVE.value),
                Field("notes", "text"),
            ),
            key=("slug",),
            singular="vendor",
        ),
        Section(
            "categories",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("parent", "ref", ref="categories"),
                Field("description", "text"),
            ),
            key=("slug",),
            singular="category",
        ),
        Section(
            "components",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("kind", "enum", choices=ComponentKindChoices, default=ComponentKindChoices.APPLICATION.value),
                Field("category", "ref", ref="categories"),
                Field("vendor", "ref", ref="vendors"),
                Field("hosting", "enum", choices=ComponentHostingChoices, default=ComponentHostingChoices.SAAS.value),
                Field("lifecycle", "enum", choices=ComponentLifecycleChoices,
                      default=ComponentLifecycleChoices.ACTIVE.value),
                Field("tier", "tier", default=3),
                Field("business_owner", "ref", ref="people"),
                Field("technical_owner", "ref", ref="people"),
                Field("description", "text"),
                Field("url", "str"),
                Field("tags", "tags"),
                Field("seats_purchased", "int"),
                Field("seats_used", "int"),
                Field("annual_cost", "decimal"),
                Field("currency", "currency"),
                Field("renewal_date", "date"),
                Field("data_categories", "refs", ref="data_categories"),
            ),
            key=("slug",),
            singular="component",
        ),
        Section(
            "relations",
            (
                Field("from", "ref", required=True, ref="components", attr="source"),
                Field("to", "ref", required=True, ref="components", attr="target"),
                Field("type", "enum", choices=RelationTypeChoices, default=RelationTypeChoices.DATA_FLOW.value),
                Field("data_categories", "refs", ref="data_categories"),
                Field("mechanism", "enum", choices=RelationMechanismChoices, default=""),
                Field("frequency", "enum", choices=RelationFrequencyChoices, default=""),
                Field("description", "text"),
            ),
            key=("from", "to", "type"),
            singular="relation",
        ),
        Section(
            "raci",
            (
                Field("component", "ref", required=True, ref="components"),
                Field("activity", "enum", required=True, choices=RaciActivityChoices),
                Field("role", "enum", required=True, choices=RaciRoleChoices),
                Field("department", "ref", ref="departments"),
                Field("person", "ref", ref="people"),
            ),
            key=("component", "activity", "role", "department", "person"),
            singular="RACI assignment",
            one_of=("department", "person"),
        ),
        Section(
            "capabilities",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("department", "ref", required=True, ref="departments"),
                Field("lead_time_days", "int", required=True),
                Field("offering", "enum", choices=CapabilityOfferingChoices,
                      default=CapabilityOfferingChoices.FULL.value),
                Field("description", "text"),
                Field("can_do", "text"),
                Field("cannot_do", "text"),
                Field("active", "bool", default=True),
            ),
            key=("slug",),
            singular="capability",
        ),
        Section(
            "backlog_items",
            (
                Field("key", "slug", required=True),
                Field("title", "str", required=True),
                Field("kind", "enum", choices=BacklogItemKindChoices,
                      default=BacklogItemKindChoices.ENHANCEMENT.value),
                Field("description", "text"),
                Field("components", "refs", ref="components"),
                Field("effort_days", "days"),
                Field("value", "int", default=5),
                Field("needed_by", "date"),
                Field("status", "enum", choices=BacklogItemStatusChoices, default=BacklogItemStatusChoices.NEW.value),
                Field("assignee", "ref", ref="people"),
                Field("depends_on", "refs", ref="backlog_items"),
                Field("priority_override", "decimal"),
                Field("override_reason", "text"),
            ),
            key=("key",),
            singular="backlog item",
        ),
        Section(
            "calendar_events",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("kind", "enum", choices=CalendarEventKindChoices,
                      default=CalendarEventKindChoices.CAMPAIGN_LAUNCH.value),
                Field("start", "datetime", required=True),
                Field("end", "datetime", required=True),
                Field("all_components", "bool", default=False),
                Field("components", "refs", ref="components"),
                Field("description", "text"),
            ),
            key=("slug",),
            singular="calendar event",
        ),
        Section(
            "contracts",
            (
                Field("key", "slug", required=True),
                Field("vendor", "ref", required=True, ref="vendors"),
                Field("components", "refs", ref="components"),
                Field("reference", "str", required=True),
                Field("start_date", "date", required=True),
                Field("end_date", "date", required=True),
                Field("renewal_type", "enum", choices=RenewalTypeChoices, default=RenewalTypeChoices.AUTO.value),
                Field("renewal_term_months", "int", default=12),
                Field("notice_period_days", "int", default=30),
                Field("annual_value", "decimal"),  # required by the model; not by the file (see MONEY_FIELDS)
                Field("currency", "currency"),
                Field("billing_frequency", "enum", choices=BillingFrequencyChoices,
                      default=BillingFrequencyChoices.ANNUALLY.value),
                Field("seats", "int"),
                Field("payment_terms", "str"),
                Field("dpa_signed", "bool", default=False),
                Field("security_review_done", "bool", default=False),
                Field("procurement_owner", "ref", ref="people"),
                Field("legal_reviewer", "ref", ref="people"),
                Field("business_owner", "ref", ref="people"),
                Field("status", "enum", choices=ContractStatusChoices, default=ContractStatusChoices.DRAFT.value),
                Field("previous", "ref", ref="contracts"),
                Field("notice_sent_on", "date"),
                Field("notes", "text"),
            ),
            key=("key",),
            singular="contract",
        ),
        Section(
            "objectives",
            (
                Field("name", "str", required=True),
                Field("description", "text"),
                Field("owner", "ref", ref="people"),
                Field("period_start", "date", required=True),
                Field("period_end", "date", required=True),
                Field("success_factors", "names"),
            ),
            key=("name",),
            singular="objective",
        ),
        Section(
            "kpis",
            (
                Field("slug", "slug", required=True),
                Field("name", "str", required=True),
                Field("definition", "text"),
                Field("unit", "str"),
                Field("value_kind", "enum", choices=KpiValueKindChoices, default=KpiValueKindChoices.COUNT.value),
                Field("currency", "currency", default=""),  # money KPIs only
                Field("direction", "enum", choices=KpiDirectionChoices, default=KpiDirectionChoices.HIGHER.value),
                Field("target", "number"),
                Field("frequency", "enum", choices=KpiFrequencyChoices, default=KpiFrequencyChoices.MONTHLY.value),
                Field("objective", "ref", ref="objectives"),
                Field("components", "refs", ref="components"),
            ),
            key=("slug",),
            singular="KPI",
        ),
        Section(
            "kpi_measurements",
            (
                Field("kpi", "ref", required=True, ref="kpis"),
                Field("period_start", "date", required=True),
                Field("value", "number", required=True),
                Field("note", "str"),
            ),
            key=("kpi", "period_start"),
            singular="KPI measurement",
        ),
        Section(
            "budgets",
            (
                Field("year", "int", required=True),
                Field("component", "ref", ref="components"),
                Field("category", "ref", ref="categories"),
                Field("amount", "decimal", required=True),
                Field("currency", "currency"),
                Field("notes", "str"),
            ),
            key=("year", "component", "category"),
            singular="budget",
            one_of=("component", "category"),
        ),
        Section(
            "cost_entries",
            (
                Field("component", "ref", required=True, ref="components"),
                Field("year", "int", required=True),
                Field("kind", "enum", choices=CostKindChoices, default=CostKindChoices.SERVICES.value),
                Field("description", "str"),
                Field("amount", "decimal"),
                Field("hours", "hours"),
                Field("currency", "currency"),
            ),
            key=("component", "year", "kind", "description"),
            singular="cost entry",
        ),
        Section(
            "selections",
            (
                Field("key", "slug", required=True),
                Field("title", "str", required=True),
                Field("need", "text"),
                Field("replaces", "ref", ref="components"),
                Field("status", "enum", choices=SelectionStatusChoices, default=SelectionStatusChoices.OPEN.value),
                Field("chosen", "candidate", ref="selection_candidates"),
                Field("decision_reasons", "text"),
                Field("dissent", "text"),
                Field("decided_at", "datetime"),
            ),
            key=("key",),
            singular="selection",
        ),
        Section(
            "selection_candidates",
            (
                Field("selection", "ref", required=True, ref="selections"),
                Field("name", "str", required=True),
                Field("vendor", "ref", ref="vendors"),
                Field("notes", "text"),
            ),
            key=("selection", "name"),
            singular="selection candidate",
        ),
        Section(
            "selection_criteria",
            (
                Field("selection", "ref", required=True, ref="selections"),
                Field("department", "ref", required=True, ref="departments"),
                Field("name", "str", required=True),
                Field("weight", "decimal", required=True),
                Field("description", "text"),
            ),
            key=("selection", "department", "name"),
            singular="selection criterion",
        ),
        Section(
            "selection_scores",
            (
                Field("selection", "ref", required=True, ref="selections", attr="criterion__selection"),
                Field("criterion", "criterion", required=True, ref="selection_criteria"),
                Field("candidate", "candidate", required=True, ref="selection_candidates"),
                Field("reviewer", "ref", required=True, ref="people"),
                Field("score", "int", required=True),
                Field("comment", "text"),
            ),
            key=("selection", "criterion", "candidate", "reviewer"),
            singular="selection score",
        ),
        Section(
            "renewal_decisions",
            (
                Field("contract", "ref", required=True, ref="contracts"),
                Field("decision", "enum", required=True, choices=RenewalDecisionChoices),
                Field("reasons", "text", required=True),
                Field("new_seats", "int"),
                Field("notice_sent_on", "date"),
                Field("decided_by", "str", attr="decided_by_name"),
            ),
            key=("contract",),  # a contract term has at most one renewal decision
            singular="renewal decision",
        ),
        Section(
            "contract_documents",
            (
                Field("contract", "ref", required=True, ref="contracts"),
                Field("url", "str", required=True),
                Field("title", "str", required=True),
            ),
            key=("contract", "url"),
            singular="contract document",
        ),
        Section(
            "value_scores",
            (
                Field("component", "ref", required=True, ref="components"),
                Field("year", "int", required=True),
                Field("scorer", "ref", required=True, ref="people"),
                Field("score", "int", required=True),
                Field("reasons", "text", required=True),
            ),
            key=("component", "year", "scorer"),
            singular="value score",
        ),
    ]
}
SECTION_ORDER = list(SECTIONS)


def field_name(text: str) -> str:
    """A file or column name as the format spells it: ``KPI measurements`` → ``kpi_measurements``,
    ``Start date`` → ``start_date``."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def section_for_file(stem: str) -> Section | None:
    """The section a CSV file or XLSX sheet holds, from its name (``components.csv`` → components,
    ``KPI measurements`` → kpi_measurements)."""
    return SECTIONS.get(field_name(stem))


def looks_like_full_format(stem: str, headers: list[str]) -> bool:
    """A lone CSV file or sheet is in the full format when it is named after a section and either every
    header is one of that section's fields or every required field has its column (headers compared like
    ``field_name``); anything else is read as an inventory. With the required columns there, a column that is
    not a field is then reported as an error rather than the whole file being misread as an inventory."""
    section = section_for_file(stem)
    if section is None:
        return False
    names = {field_name(h) for h in headers if h and h.strip()}
    if not names:
        return False
    return names <= set(section.field_names) or (bool(section.required) and set(section.required) <= names)


# Values as the format writes them ---------------------------------------------------------

def person_key(person) -> str:
    """How a file names a person: the email, or the name when there is no email."""
    return person.email or person.name


def ref_key(section: str, obj) -> str:
    """How a file names an object of ``section``: its key (strings are keys already)."""
    if isinstance(obj, str):
        return obj
    if section == "people":
        return person_key(obj)
    if section in ("data_categories", "backlog_items", "contracts", "selections"):
        return obj.key
    if section == "selection_candidates":
        return obj.name
    if section == "selection_criteria":
        return criterion_key(obj)
    if section == "objectives":
        return obj.name
    return obj.slug


def criterion_key(criterion) -> str:
    """How a file names a criterion within its selection: ``department/name`` (``it/Security``)."""
    return f"{criterion.department.slug}/{criterion.name}"


def in_file_zone(value: datetime.datetime) -> datetime.datetime:
    """An aware date-time as files write it: in ``settings.TIME_ZONE`` (so ``+02:00`` in a Berlin summer)."""
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def tag_sort_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def plain_value(spec: Field, value):
    """A model value (objects for references) as the format writes it: slugs, emails, keys,
    ``"12000.00"`` for amounts, sorted lists, ``""`` for empty text, ``None`` for an empty number."""
    kind = spec.kind
    if kind == "ref" or kind in SELECTION_PART_KINDS:
        if value is None:
            return None
        return ref_key(spec.ref, value)
    if kind == "refs":
        return sorted(ref_key(spec.ref, v) for v in value)
    if kind in ("tags", "names"):
        return sorted((getattr(v, "name", v) for v in value), key=tag_sort_key)
    if kind in ("decimal", "number"):
        return None if value is None else f"{value:.2f}"
    if kind in ("days", "hours"):
        return None if value is None else f"{value:.1f}"
    if kind in ("int", "tier"):
        return None if value is None else int(value)
    if kind == "bool":
        return bool(value)
    if kind == "date":
        return value
    if kind == "datetime":
        return None if value is None else in_file_zone(value)
    return "" if value is None else str(value)


def model_value(obj, spec: Field):
    value = getattr(obj, spec.model_attr)
    if spec.kind in LIST_KINDS:
        return list(value.all())
    return value


def plain_entry(section: str, obj) -> dict:
    """Every field of ``obj`` as the format writes it (in the section's field order)."""
    return {spec.name: plain_value(spec, model_value(obj, spec)) for spec in SECTIONS[section].fields}


def comparable(spec: Field, plain):
    """Two plain values mean the same when these are equal (tags ignore case, as tags do)."""
    if spec.kind == "tags":
        return sorted(name.casefold() for name in plain)
    return plain
