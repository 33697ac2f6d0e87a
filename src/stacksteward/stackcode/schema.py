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
selection, by name · ``criterion`` a criterion of the entry's selection, as ``department/name`` · ``shares``
percentages per component, ``crm: 60.00; web: 40.00`` (a mapping in YAML also reads), summing to 100.
"""

import datetime
import operator
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from .registry import MONEY_FIELDS, REF_TARGETS, SECTION_ORDER, SECTIONS

API_VERSION = "stacksteward/v1"
KIND = "Stack"
LIST_SEPARATOR = "; "  # lists (tags, data categories) in one CSV/XLSX cell
META_SHEET = "stack"  # the XLSX sheet / CSV file holding apiVersion and kind
LIST_KINDS = ("refs", "tags", "names")  # fields holding a list
# Fields naming a part of the entry's selection (read and written like a ref, looked up within the selection).
SELECTION_PART_KINDS = ("candidate", "criterion")
# Money that only people who see all values (``finance.policies.sees_all_money``) may export or import is
# what the models' policies declare as money (``core.policies.money_group``); ``MONEY_FIELDS`` collects it
# per section (``registry``).
__all__ = ["MONEY_FIELDS", "REF_TARGETS", "SECTION_ORDER", "SECTIONS"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False
    choices: type | None = None
    ref: str | None = None  # the section a ref/refs field points to (or a ``RefTarget``: "data_categories")
    attr: str | None = None  # the model attribute when it differs from ``name``
    default: object = None  # what an empty value means for fields that cannot be empty

    @property
    def model_attr(self) -> str:
        return self.attr or self.name

    def choice_values(self) -> list[str]:
        return [str(v) for v in self.choices.values] if self.choices else []


Check = Callable[[object, dict], tuple[str, str, object] | None]  # (entry, values) → (field, message, value)


@dataclass(frozen=True, eq=False)
class Section:
    """One section of the format, declared by the app that owns its model (``<app>/sections.py``).

    The format's part: the fields in file order, the key, how a file names an entry (``name_of``), the export
    order (``sort_key``). The import's part: the model, its services (``create(*, actor, data, source)``,
    ``update(obj, *, actor, data, expected_version, source)``, optional ``bulk_create(*, actor, rows, source)``
    for sections whose new entries are queued and written in bulk), the list fields' current values
    (``lists``: field → a function returning ``(owner id, key)`` pairs, read by the export and the import),
    and the checks of one entry beyond its values (``checks``).
    """

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # the fields that identify an entry
    singular: str = ""
    one_of: tuple[str, ...] = field(default=())  # exactly one of these fields must be set
    plural: str = ""  # how reports count entries; default: the name with spaces
    model: type | None = None
    create: Callable | None = None
    update: Callable | None = None
    bulk_create: Callable | None = None
    name_of: Callable | None = None  # obj → how a file names it; default: its single key field
    row_key: Callable | None = None  # (plain row, keys so far) → how a file names it; default: its key column
    lists: dict[str, Callable] = field(default_factory=dict)
    sort_key: Callable | None = None  # the export order of plain entries
    omit_empty: tuple[str, ...] = ()  # fields a YAML export leaves out when empty (a RACI holder)
    checks: tuple[Check, ...] = ()
    refused_at: str = ""  # a write the service refuses (PermissionDenied) is reported at this field
    # How an import's workspace holds the loaded entries: ``index_key`` (obj → its identity; default its key
    # field's value; None leaves it out), ``many`` (several may share it), ``by_name`` (also by name, for finding
    # and for names that must be unique), ``load`` (the queryset, when not ``model.objects.all()``), ``find``
    # ((workspace, reference) → the entry, when not by key, or by key then name), ``indexed`` (False: the
    # workspace holds the section its own way: relations and RACI assignments).
    index_key: Callable | None = None
    many: bool = False
    by_name: bool = False
    load: Callable | None = None
    find: Callable | None = None
    indexed: bool = True
    unique: Callable | None = None  # (workspace, data, queued identities) → (problem, identities) before a bulk create
    # How the full import writes the section: ``apply(importer, items, converted)`` when it needs more than a
    # write per entry (default: ``FullImport.apply_entries``); ``applied_by`` the section whose ``apply`` writes
    # this one too; ``raw_key(values)`` the failed entry's key as written; ``file_key(values)`` → (identity,
    # shown, field) to find an entry named twice in the file.
    apply: Callable | None = None
    applied_by: str = ""
    raw_key: Callable | None = None
    file_key: Callable | None = None
    after: tuple[str, ...] = ()  # sections that must come first although no reference says so

    def __post_init__(self):
        if not self.plural:
            object.__setattr__(self, "plural", self.name.replace("_", " "))
        if self.indexed and self.index_key is None:
            object.__setattr__(self, "index_key", operator.attrgetter(self.key_attr))

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

    @property
    def key_attr(self) -> str:
        """The model attribute of the single key field (slug, key, name)."""
        return self.get(self.key[0]).model_attr

    def ref_of(self, obj) -> str:
        """How a file names ``obj``."""
        return self.name_of(obj) if self.name_of is not None else getattr(obj, self.key_attr)

    def ref_of_row(self, row: dict, keys: dict) -> str:
        """How a file names the plain row ``row`` (``keys``: the names of the sections before)."""
        return self.row_key(row, keys) if self.row_key is not None else row[self.key_attr]


@dataclass(frozen=True, eq=False)
class RefTarget:
    """Objects fields refer to by key without being a section of the file (``data_categories``)."""

    name: str
    model: type
    key: str
    singular: str


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
    if section in REF_TARGETS:
        return getattr(obj, REF_TARGETS[section].key)
    return SECTIONS[section].ref_of(obj)


def criterion_key(criterion) -> str:
    """How a file names a criterion within its selection: ``department/name`` (``it/Security``)."""
    return f"{criterion.department.slug}/{criterion.name}"


def in_file_zone(value: datetime.datetime) -> datetime.datetime:
    """An aware date-time as files write it: in ``settings.TIME_ZONE`` (so ``+02:00`` in a Berlin summer)."""
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def tag_sort_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def plain_shares(shares: dict | None) -> str:
    """Shares per component as the format writes them: ``crm: 60.00; web: 40.00`` (by key), ``""`` for none."""
    if not shares:
        return ""
    parts = []
    for key in sorted(shares):
        try:
            number = f"{Decimal(str(shares[key]).strip().rstrip('%').strip()):.2f}"
        except ArithmeticError:  # a value the import will refuse: written as it came
            number = str(shares[key])
        parts.append(f"{key}: {number}")
    return LIST_SEPARATOR.join(parts)


def plain_value(spec: Field, value):
    """A model value (objects for references) as the format writes it: slugs, emails, keys,
    ``"12000.00"`` for amounts, sorted lists, ``""`` for empty text, ``None`` for an empty number."""
    kind = spec.kind
    if kind == "shares":
        return plain_shares(value)
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
