"""How the import reads one value of the format: a cell or YAML value for a field, typed (``read_value``);
a bad value raises ``ValueProblem`` with what is wrong, for the report to quote."""

import functools
import re
from decimal import Decimal

from django.conf import settings

from .parsing import (
    ValueProblem,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
    split_list,
    to_text,
)
from .schema import LIST_KINDS, SELECTION_PART_KINDS, Field

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def read_value(spec: Field, raw):
    """A raw cell or YAML value for ``spec``, typed; raises ValueProblem."""
    kind = spec.kind
    if kind == "shares":
        return read_shares(raw)
    if isinstance(raw, dict) or (isinstance(raw, list | tuple) and kind not in LIST_KINDS):
        raise ValueProblem("is a list or a mapping where one value is expected")
    if kind == "slug":
        text = to_text(raw).strip()
        if text and not SLUG_RE.match(text):
            raise ValueProblem("is not a valid slug (use letters, digits, hyphens and underscores)")
        return text or None
    if kind == "str":
        return to_text(raw).strip()
    if kind == "email":
        return to_text(raw).strip().lower()
    if kind == "text":
        return to_text(raw)
    if kind == "enum":
        return read_choice(spec, raw)
    if kind == "tier":
        return read_tier(raw, spec.default)
    if kind == "int":
        number = parse_int(raw)
        if number is not None and number < 0:
            raise ValueProblem("is negative; use zero or more")
        return spec.default if number is None else number
    if kind == "bool":
        value = parse_bool(raw)
        return spec.default if value is None else value
    if kind == "decimal":
        money = parse_amount(raw)
        if money is None:
            return None
        if money.amount < 0:
            raise ValueProblem("is negative; an amount must be zero or more")
        return money.amount
    if kind == "number":
        return read_number(raw)
    if kind == "days":
        return read_days(raw)
    if kind == "hours":
        return read_days(raw, unit="hours")
    if kind == "currency":
        return read_currency(raw, spec.default)
    if kind == "date":
        return parse_date(raw)
    if kind == "datetime":
        return parse_datetime(raw)
    if kind in ("tags", "names"):
        return split_list(raw, ";")
    if kind == "refs":
        keys = split_list(raw, ";")
        return [key.lower() for key in keys] if spec.ref == "data_categories" else keys
    if kind == "ref" or kind in SELECTION_PART_KINDS:
        return to_text(raw).strip() or None
    raise AssertionError(f"unknown field kind {kind}")


def read_shares(raw) -> dict[str, str]:
    """Percentages per component: a YAML mapping, or ``crm: 60; web: 40`` in a cell. The numbers are checked
    (and the sum of 100) by the service that writes them; here only the shape."""
    if is_blank(raw):
        return {}
    if isinstance(raw, dict):
        pairs = [(to_text(k).strip(), to_text(v).strip()) for k, v in raw.items()]
    elif isinstance(raw, list | tuple):
        raise ValueProblem("is a list; give the shares as “component: percent; …”")
    else:
        pairs = []
        for part in split_list(raw, ";"):
            key, colon, number = part.partition(":")
            if not colon:
                key, colon, number = part.partition("=")
            if not colon or not key.strip() or not number.strip():
                raise ValueProblem(f"has “{part}”, not “component: percent”")
            pairs.append((key.strip(), number.strip()))
    shares = {}
    for key, number in pairs:
        if not SLUG_RE.match(key):
            raise ValueProblem(f"names “{key}”, which is not a component's slug")
        if key in shares:
            raise ValueProblem(f"names {key} twice")
        shares[key] = number
    return shares


def read_choice(spec: Field, raw):
    text = to_text(raw).strip()
    if not text:
        return spec.default
    folded = text.casefold()
    spellings = _choice_spellings(spec.choices)
    found = spellings.get(folded)
    if found is None:
        found = spellings.get(re.sub(r"[\s\-]+", "_", folded))
    if found is not None:
        return found
    raise ValueProblem(f"is not one of: {', '.join(spec.choice_values())}")


@functools.cache
def _choice_spellings(choices) -> dict[str, str]:
    """{accepted spelling, case-folded: value}: the value, the label and the label before " (…)"."""
    spellings: dict[str, str] = {}
    for value, label in reversed(choices.choices):  # the first choice wins a shared spelling
        value, label = str(value), str(label)
        for spelling in (value.casefold(), label.casefold(), label.split(" (")[0].casefold()):
            spellings[spelling] = value
    for value, _label in choices.choices:  # an underscored spelling matches the value exactly
        spellings.setdefault(str(value), str(value))
    return spellings


def read_days(raw, unit: str = "days") -> Decimal | None:
    """A number of days (or hours) with at most one decimal (``2``, ``2.5``)."""
    try:
        money = parse_amount(raw)
    except ValueProblem:
        raise ValueProblem(f"is not a number of {unit}")
    if money is None:
        return None
    if money.currency is not None:
        raise ValueProblem(f"is not a number of {unit}")
    if money.amount < 0:
        raise ValueProblem(f"is negative; give the {unit} as a number above zero")
    days = money.amount.quantize(Decimal("0.1"))
    if days != money.amount:
        raise ValueProblem(f"has more than one decimal; give {unit} like 2 or 2.5")
    return days


def read_number(raw) -> Decimal | None:
    """A KPI's value or target: a number, negative allowed, ``%`` allowed, no currency (the KPI's applies);
    rounded to two decimals like an amount (``1,200.5``, ``-3``, ``12.5 %``)."""
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%").strip()
    try:
        money = parse_amount(raw)
    except ValueProblem as problem:
        raise ValueProblem("is not a number" if str(problem) == "is not an amount" else str(problem))
    if money is None:
        return None
    if money.currency is not None:
        raise ValueProblem("names a currency; give the number alone (the KPI's currency applies)")
    return money.amount


def read_tier(raw, default):
    if is_blank(raw):
        return default
    text = to_text(raw).strip().lower()
    match = re.fullmatch(r"(?:tier\s*)?(\d+)(?:\s*[-–].*)?", text)
    if match and 1 <= int(match[1]) <= 4:
        return int(match[1])
    raise ValueProblem("is not a criticality tier (1, 2, 3 or 4)")


def read_currency(raw, default=None) -> str:
    """An ISO code; empty means ``default``, or the installation's currency when there is none."""
    text = to_text(raw).strip().upper()
    if not text:
        return settings.STEWARD_CURRENCY if default is None else default
    if not CURRENCY_RE.match(text):
        raise ValueProblem("is not a three-letter currency code such as USD or EUR")
    return text
