"""Parse values the way people type them: amounts, yes/no, dates, whole numbers, lists.

Every parser takes the raw cell or YAML value (a string, or a number/date/bool when a
spreadsheet or YAML already typed it) and returns a Python value, ``None`` for an empty
cell, or raises ``ValueProblem`` whose text completes the sentence ``"<value>" …``
(for example ``is not an amount``).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# A cell starting with one of these is a formula (or can become one) in spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


class ValueProblem(ValueError):
    """A value that cannot be read; ``str()`` is the predicate, e.g. ``is not a date``."""


# Formula neutralisation -------------------------------------------------------------------

def neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (and to text already starting with ``'``
    before such a character, so that ``unneutralise`` gives back exactly what was exported)."""
    if text and (text.startswith(FORMULA_TRIGGERS) or (text[0] == QUOTE and text[1:2] in (*FORMULA_TRIGGERS, QUOTE))):
        return QUOTE + text
    return text


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: drop one leading ``'`` when a formula character (or another ``'``) follows."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in (*FORMULA_TRIGGERS, QUOTE):
        return text[1:]
    return text


# Text -------------------------------------------------------------------------------------

def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form, ``None`` as ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def split_list(value, separators: str = ";") -> list[str]:
    """``"a; b;c"`` → ``["a", "b", "c"]``; a YAML list is taken item by item. Empty items are dropped,
    duplicates (case-insensitive) kept once, order kept."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [to_text(v).strip() for v in value]
    else:
        pattern = "[" + re.escape(separators) + "\n]"
        items = [part.strip() for part in re.split(pattern, to_text(value))]
    seen: set[str] = set()
    result = []
    for item in items:
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            result.append(item)
    return result


# Booleans ---------------------------------------------------------------------------------

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔", "on", "ja", "oui", "si", "sí"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "off", "none", "nein", "non"})
UNKNOWN_WORDS = frozenset({"n/a", "na", "unknown", "?", "tbd", "-", "–", "—"})


def parse_bool(value) -> bool | None:
    """yes/y/true/x/1/✓ → True; no/n/false/0 → False; empty, n/a, unknown, ? → None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if is_blank(value):
        return None
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if word in UNKNOWN_WORDS:
        return None
    raise ValueProblem("is not yes or no")


# Whole numbers ----------------------------------------------------------------------------

def parse_int(value) -> int | None:
    """``12``, ``"1,200"``, ``"1 200"``, a spreadsheet's ``12.0`` → int; fractions are refused."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueProblem("is not a whole number")
    text = re.sub(r"[\s\u00a0\u202f,'’_]", "", str(value))
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        return int(text.split(".")[0])
    raise ValueProblem("is not a whole number")


# Amounts ----------------------------------------------------------------------------------

CURRENCY_SYMBOLS = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY",
    "₪": "ILS", "zł": "PLN", "Fr.": "CHF",
}
# ISO 4217 codes in use (a code in an amount must be one of them, so "abc1" is not 1 ABC).
CURRENCY_CODES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
""".split())  # noqa: SIM905 - a table is easier to read than 160 quoted strings
_SYMBOLS_LONGEST_FIRST = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
_PERIOD_SUFFIX = re.compile(
    r"\s*(?:/\s*(?:year|yr|y|annum|a)|per\s+(?:year|annum)|a\s+year|p\.?\s?a\.?|annually|yearly)\s*$", re.I
)
_CODE_PREFIX = re.compile(r"^([A-Za-z]{3})(?=[\s\d.,+-])\s*")
_CODE_SUFFIX = re.compile(r"(?<=[\d\s.kKmM])\s*([A-Za-z]{3})$")
_MULTIPLIER = re.compile(r"(?<=\d)\s*(k|K|m|M|mn|MM|bn|BN|b)$")
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000,
                "bn": 1_000_000_000}
MAX_AMOUNT = Decimal("999999999999.99")  # Component.annual_cost: 14 digits, 2 after the point
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None  # ISO code when the value named one (``$``, ``EUR``…), else None


def _number(text: str, *, comma_decimal_hint: bool) -> Decimal:
    """Digits with thousands separators and one decimal separator, guessing which is which."""
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", text)
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1].replace("+", ""), text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise ValueProblem("is not an amount")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
    elif commas or dots:
        sep = "," if commas else "."
        count = commas or dots
        digits_after = len(text) - text.rfind(sep) - 1
        if count > 1:
            decimal_sep = None  # 1,200,000 or 1.200.000
        elif digits_after == 3 and text.rfind(sep) > 0:
            # 12,000 is twelve thousand; 1.200 is 1.2 unless the amount is in euros (1.200 €).
            decimal_sep = None if sep == "," or comma_decimal_hint else "."
        else:
            decimal_sep = sep
    else:
        decimal_sep = None
    thousands_sep = {",": ".", ".": ","}.get(decimal_sep, "," if commas else ".")
    if decimal_sep is None:
        integer, fraction = text, ""
    else:
        if text.count(decimal_sep) > 1:
            raise ValueProblem("is not an amount")
        integer, fraction = text.rsplit(decimal_sep, 1)
    if thousands_sep in integer:
        groups = integer.split(thousands_sep)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueProblem("is not an amount")
        integer = "".join(groups)
    if not integer:
        integer = "0"
    if not integer.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueProblem("is not an amount")
    return Decimal(f"{sign}{integer}.{fraction or '0'}")


def parse_amount(value) -> Money | None:
    """``$12,000`` · ``12000 USD`` · ``USD 12,000`` · ``€1.200,50`` · ``12k`` · ``1.5M €`` · ``£5,000/year``.

    Rules: both ``,`` and ``.`` present → the last one is the decimal separator; a single separator
    followed by exactly three digits separates thousands (``12,000``), except a single ``.`` in a
    non-euro amount, which stays a decimal point (``1.200`` = 1.2; ``1.200 €`` = 1200); ``k`` and
    ``m`` multiply by a thousand and a million. The result is rounded to cents.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("is not an amount")
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueProblem("is not an amount")
        return Money(_finish(amount), None)
    text = str(value).strip()
    currency = None
    text = _PERIOD_SUFFIX.sub("", text)
    for symbol in _SYMBOLS_LONGEST_FIRST:
        if symbol in text:
            currency = CURRENCY_SYMBOLS[symbol]
            text = text.replace(symbol, " ", 1).strip()
            break
    match = _CODE_PREFIX.match(text) or _CODE_SUFFIX.search(text)
    if match and match.group(1).upper() in CURRENCY_CODES:
        code = match.group(1).upper()
        if currency is not None and code != currency and not (currency == "USD" and code in {"AUD", "CAD"}):
            raise ValueProblem("names two different currencies")
        currency = code
        text = (text[: match.start()] + text[match.end():]).strip()
    multiplier = 1
    match = _MULTIPLIER.search(text)
    if match:
        multiplier = _MULTIPLIERS[match.group(1).lower()]
        text = text[: match.start()].strip()
    if not text:
        raise ValueProblem("is not an amount")
    amount = _number(text, comma_decimal_hint=currency == "EUR") * multiplier
    return Money(_finish(amount), currency)


def _finish(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise ValueProblem("is not an amount")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(amount) > MAX_AMOUNT:
        raise ValueProblem("is too large for an amount")
    return amount


# Dates ------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"  # year-month-day, maybe followed by a time of day
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+([a-z]+)\.?,?[\s\-./]+(\d{2}|\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?[\s\-./]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-./]+(\d{4})")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueProblem("is not a date")


def parse_date(value) -> datetime.date | None:
    """``2027-03-31`` · ``31/03/2027`` · ``31.03.2027`` · ``03/31/2027`` · ``March 31, 2027`` · ``31 Mar 2027``.

    Numeric dates are read day first (``04/03/2027`` is 4 March) unless the first number cannot be
    a day-of-month-first reading (``03/31/2027`` is 31 March). Two-digit years are 20xx below 70.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueProblem("is not a date")
    text = " ".join(str(value).strip().lower().split())
    if match := _ISO.fullmatch(text):
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        if second > 12 >= first:
            return _make_date(year, first, second)  # month/day/year
        return _make_date(year, second, first)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        month = MONTHS.get(match[2])
        if month:
            return _make_date(_year(match[3]), month, int(match[1]))
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month = MONTHS.get(match[1])
        if month:
            return _make_date(int(match[3]), month, int(match[2]))
    raise ValueProblem("is not a date")


# Date-times -------------------------------------------------------------------------------

DATETIME_EXAMPLE = "2027-03-29T18:00:00+02:00"


def parse_datetime(value) -> datetime.datetime | None:
    """An ISO 8601 date and time with its UTC offset: ``2027-03-29T18:00:00+02:00``, ``2027-03-29 16:00Z``.

    A value without an offset (``2027-03-29T18:00``, a spreadsheet's date-time cell, a plain date) is
    refused rather than guessed: a freeze that starts two hours early or late is a different freeze.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool | int | float):
        raise ValueProblem(f"is not a date and time; write it like {DATETIME_EXAMPLE}")
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        raise ValueProblem(f"is a date without a time and UTC offset; write it like {DATETIME_EXAMPLE}")
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T?", text):
            raise ValueProblem(f"is a date without a time and UTC offset; write it like {DATETIME_EXAMPLE}")
        try:
            parsed = datetime.datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise ValueProblem(f"is not a date and time; write it like {DATETIME_EXAMPLE}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueProblem(f"has no UTC offset; write it like {DATETIME_EXAMPLE} (Z for UTC)")
    return parsed
