"""Value parsers: amounts, yes/no, dates and whole numbers as people type them."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stacksteward.stackcode.parsing import (
    Money,
    ValueProblem,
    neutralise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_list,
    unneutralise,
)

cents = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False,
                    allow_infinity=False)


@pytest.mark.parametrize(("text", "expected"), [
    ("$12,000", Money(Decimal("12000.00"), "USD")),
    ("12000 USD", Money(Decimal("12000.00"), "USD")),
    ("USD 12,000.50", Money(Decimal("12000.50"), "USD")),
    ("€1.200,50", Money(Decimal("1200.50"), "EUR")),
    ("1.200 €", Money(Decimal("1200.00"), "EUR")),
    ("1 200,5 EUR", Money(Decimal("1200.50"), "EUR")),
    ("£5,000/year", Money(Decimal("5000.00"), "GBP")),
    ("12k", Money(Decimal("12000.00"), None)),
    ("1.5M", Money(Decimal("1500000.00"), None)),
    ("$2.5k", Money(Decimal("2500.00"), "USD")),
    ("1.200", Money(Decimal("1.20"), None)),
    ("12,5", Money(Decimal("12.50"), None)),
    ("0.125", Money(Decimal("0.13"), None)),
    ("CHF 1'200", Money(Decimal("1200.00"), "CHF")),
    (1200, Money(Decimal("1200.00"), None)),
    (99.9, Money(Decimal("99.90"), None)),
])
def test_parse_amount_reads_common_spellings(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["twelve", "12,34,5", "$", "1.2.3,4,5", "12 USD EUR", "$12 EUR", "abc1", "1e5"])
def test_parse_amount_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueProblem, match="amount|currencies"):
        parse_amount(text)


def test_parse_amount_empty_is_none():
    assert parse_amount("") is None and parse_amount(None) is None and parse_amount("  ") is None


@given(cents)
def test_parse_amount_round_trips_us_style(amount):
    assert parse_amount(f"${amount:,.2f}") == Money(amount, "USD")
    assert parse_amount(f"{amount:.2f} USD") == Money(amount, "USD")


@given(cents)
def test_parse_amount_round_trips_european_style(amount):
    european = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_amount(f"€{european}") == Money(amount, "EUR")
    assert parse_amount(f"{european} EUR") == Money(amount, "EUR")


@given(st.integers(min_value=0, max_value=999_999))
def test_parse_amount_thousands_suffix(n):
    assert parse_amount(f"{n}k").amount == Decimal(n * 1000)


@pytest.mark.parametrize("word", ["yes", "Y", "YES", "true", "x", "X", "1", "✓", "on"])
def test_parse_bool_true_words(word):
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", ["no", "N", "false", "0", "No", "off", "none"])
def test_parse_bool_false_words(word):
    assert parse_bool(word) is False


@pytest.mark.parametrize("word", ["", None, "n/a", "?", "unknown"])
def test_parse_bool_unknown_is_none(word):
    assert parse_bool(word) is None


@given(st.sampled_from(["yes", "no", "true", "false", "y", "n"]), st.lists(st.booleans(), min_size=5, max_size=5))
def test_parse_bool_ignores_case_and_spaces(word, upper):
    mixed = "".join(c.upper() if u else c for c, u in zip(word, upper, strict=False))
    assert parse_bool(f"  {mixed} ") is (word in ("yes", "true", "y"))


@given(st.text(min_size=1).filter(lambda t: t.strip().casefold() not in {
    "yes", "y", "true", "t", "1", "x", "✓", "✔", "on", "ja", "oui", "si", "sí", "no", "n", "false", "f", "0", "off",
    "none", "nein", "non", "n/a", "na", "unknown", "?", "tbd", "-", "–", "—"} and t.strip()))
def test_parse_bool_refuses_anything_else(text):
    with pytest.raises(ValueProblem):
        parse_bool(text)


@pytest.mark.parametrize("text", ["2027-03-31", "31/03/2027", "03/31/2027", "31.03.2027", "March 31, 2027",
                                  "31 Mar 2027", "31-Mar-2027", "Mar 31 2027", "31st March 2027", "2027/03/31",
                                  "31/03/27", "2027-03-31T00:00:00", "2027-03-31 10:30:00"])
def test_parse_date_reads_iso_and_common_written_dates(text):
    assert parse_date(text) == datetime.date(2027, 3, 31)


def test_parse_date_numeric_is_day_first_when_ambiguous():
    assert parse_date("04/03/2027") == datetime.date(2027, 3, 4)


@pytest.mark.parametrize("text", ["31/02/2027", "soon", "2027-13-01", "Smarch 3, 2027", "13/13/2027"])
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueProblem, match="is not a date"):
        parse_date(text)


dates = st.dates(min_value=datetime.date(1971, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(dates, st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y",
                               "%b %d %Y", "%d-%b-%Y", "%Y/%m/%d"]))
def test_parse_date_round_trips_every_supported_format(day, fmt):
    assert parse_date(day.strftime(fmt)) == day


@given(dates)
def test_parse_date_accepts_date_and_datetime_cells(day):
    assert parse_date(day) == day
    assert parse_date(datetime.datetime.combine(day, datetime.time())) == day


@pytest.mark.parametrize(("value", "expected"), [("12", 12), ("1,200", 1200), (12.0, 12), ("7.0", 7), (None, None)])
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["1.5", 2.5, "many", True])
def test_parse_int_refuses_fractions_and_words(value):
    with pytest.raises(ValueProblem):
        parse_int(value)


@given(st.text())
def test_neutralise_then_unneutralise_gives_the_text_back(text):
    assert unneutralise(neutralise(text)) == text


@given(st.text(min_size=1))
def test_neutralised_text_never_starts_with_a_formula_character(text):
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_split_list_keeps_order_and_drops_duplicates():
    assert split_list("b; a;B ;; c") == ["b", "a", "c"]
    assert split_list("Mailchimp, Looker; Snowflake", ",;") == ["Mailchimp", "Looker", "Snowflake"]
    assert split_list(["x", "y", "x"]) == ["x", "y"]
