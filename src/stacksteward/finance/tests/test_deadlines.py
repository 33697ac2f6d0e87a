import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stacksteward.finance.deadlines import is_month_end, next_term, notice_deadline

D = datetime.date


@pytest.mark.parametrize(("end", "days", "deadline"), [
    (D(2026, 12, 31), 90, D(2026, 10, 2)),
    (D(2028, 3, 31), 30, D(2028, 3, 1)),  # leap year: February has 29 days
    (D(2027, 3, 31), 30, D(2027, 3, 1)),
    (D(2027, 3, 1), 1, D(2027, 2, 28)),
    (D(2028, 3, 1), 1, D(2028, 2, 29)),
    (D(2026, 6, 30), 0, D(2026, 6, 30)),
])
def test_notice_deadline_counts_calendar_days_back_from_the_end(end, days, deadline):
    assert notice_deadline(end, days) == deadline


@pytest.mark.parametrize(("end", "months", "term"), [
    (D(2026, 12, 31), 12, (D(2027, 1, 1), D(2027, 12, 31))),
    (D(2027, 1, 31), 1, (D(2027, 2, 1), D(2027, 2, 28))),   # month end stays a month end
    (D(2028, 1, 31), 1, (D(2028, 2, 1), D(2028, 2, 29))),   # leap year
    (D(2027, 2, 28), 12, (D(2027, 3, 1), D(2028, 2, 29))),  # Feb 28 is a month end in 2027 → Feb 29 in 2028
    (D(2028, 2, 29), 12, (D(2028, 3, 1), D(2029, 2, 28))),
    (D(2027, 1, 15), 1, (D(2027, 1, 16), D(2027, 2, 15))),
    (D(2027, 1, 30), 1, (D(2027, 1, 31), D(2027, 2, 28))),  # no 30 February: the month's last day
    (D(2026, 9, 30), 3, (D(2026, 10, 1), D(2026, 12, 31))),
])
def test_next_term_handles_month_ends_and_leap_years(end, months, term):
    assert next_term(end, months) == term


def test_notice_period_longer_than_the_term_is_kept_and_flagged(db):
    from .factories import ContractFactory

    contract = ContractFactory(start_date=D(2026, 11, 1), end_date=D(2026, 11, 30), notice_period_days=60)
    assert contract.notice_deadline == D(2026, 10, 1)
    assert contract.notice_before_start


@given(end=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), months=st.integers(1, 60))
def test_next_term_starts_the_day_after_and_never_overlaps(end, months):
    start, new_end = next_term(end, months)
    assert start == end + datetime.timedelta(days=1)
    assert new_end > end
    assert is_month_end(new_end) or not is_month_end(end)
    # the term is `months` long: its end is in the month `months` after the old end's month
    assert (new_end.year - end.year) * 12 + new_end.month - end.month == months
