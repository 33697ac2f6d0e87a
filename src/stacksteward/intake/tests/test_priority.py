import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stacksteward.intake import priority
from stacksteward.intake.workdays import add_working_days, working_days_between

MONDAY = datetime.date(2026, 11, 23)


def test_working_days_between_skips_weekends():
    assert working_days_between(MONDAY, MONDAY) == 0
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=4)) == 4  # Friday
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=6)) == 4  # Sunday
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=7)) == 5  # next Monday
    assert working_days_between(MONDAY + datetime.timedelta(days=7), MONDAY) == -5


@given(start=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
       days=st.integers(min_value=0, max_value=400))
def test_add_working_days_is_the_inverse_of_counting_them(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or end.weekday() < 5


@given(a=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
       b=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)))
def test_working_days_between_matches_counting_day_by_day(a, b):
    start, end = min(a, b), max(a, b)
    expected = sum(1 for n in range(1, (end - start).days + 1)
                   if (start + datetime.timedelta(days=n)).weekday() < 5)
    assert working_days_between(start, end) == expected
    assert working_days_between(end, start) == -expected


@pytest.mark.parametrize(("weekly", "points"), [
    (None, 0), (Decimal(0), 0), (Decimal("99.99"), 1), (Decimal(100), 2), (Decimal(999), 3), (Decimal(1000), 5),
    (Decimal(4999), 5), (Decimal(5000), 8), (Decimal(19999), 8), (Decimal(20000), 10), (Decimal(10**7), 10),
])
def test_cost_points_follow_the_documented_steps(weekly, points):
    assert priority.cost_points(weekly) == points


@pytest.mark.parametrize(("left", "points"), [
    (None, 1), (-3, 10), (0, 10), (10, 10), (11, 8), (20, 8), (21, 5), (40, 5), (41, 3), (60, 3), (61, 1),
])
def test_urgency_points_follow_the_documented_steps(left, points):
    assert priority.urgency_points(left) == points


def test_score_is_cost_of_delay_divided_by_effort():
    # value 7 + cost 5 (2,000 a week) + urgency 10 (5 working days left) = 22; 22 / 3 days = 7.33
    score = priority.compute(value=7, weekly_cost=Decimal(2000), needed_by=add_working_days(MONDAY, 5),
                             effort_days=Decimal(3), today=MONDAY)
    assert (score.value_points, score.cost_points, score.urgency_points) == (7, 5, 10)
    assert score.cost_of_delay == 22
    assert score.score == Decimal("7.33")


def test_score_without_an_estimate_is_none():
    score = priority.compute(value=5, weekly_cost=None, needed_by=None, effort_days=None, today=MONDAY)
    assert score.score is None
    assert score.cost_of_delay == 6  # value 5 + no cost + urgency 1 (no date)


@given(value=st.integers(1, 10), weekly=st.decimals(0, 10**6, places=2),
       left=st.integers(-30, 300), effort=st.decimals("0.5", 200, places=1))
def test_score_rises_with_cost_and_urgency_and_falls_with_effort(value, weekly, left, effort):
    def score(**overrides):
        args = {"value": value, "weekly_cost": weekly, "needed_by": add_working_days(MONDAY, left),
                "effort_days": effort, "today": MONDAY, **overrides}
        return priority.compute(**args).score

    base = score()
    assert base > 0
    assert score(weekly_cost=weekly * 10) >= base
    assert score(needed_by=add_working_days(MONDAY, max(left - 20, -30))) >= base
    assert score(effort_days=effort * 2) <= base
    assert score(value=min(value + 1, 10)) >= base
