"""``steward intake_rescore``: stored scores follow the calendar; closed items are left alone."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from stacksteward.intake.models import BacklogItem
from stacksteward.intake.workdays import add_working_days

from .factories import BacklogItemFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("intake_rescore", *args, stdout=out)
    return out.getvalue()


def test_intake_rescore_stale_scores_recomputed_and_counted():
    today = datetime.date.today()
    soon = BacklogItemFactory(effort_days=2, value=5, needed_by=add_working_days(today, 30))
    later = BacklogItemFactory(effort_days=2, value=5, needed_by=None)
    done = BacklogItemFactory(effort_days=2, value=5, status="done", needed_by=add_working_days(today, 5))
    BacklogItem.objects.update(computed_score=None, score=None)  # as if never scored

    output = run()

    assert output.strip() == f"Rescored 2 open backlog items as on {today:%Y-%m-%d}: 2 scores changed."
    soon.refresh_from_db()
    later.refresh_from_db()
    done.refresh_from_db()
    assert soon.score == Decimal("5.00")  # (5 value + 0 cost + 5 urgency: ≤ 40 working days) ÷ 2 days
    assert later.score == Decimal("3.00")  # (5 + 0 + 1: no date) ÷ 2
    assert done.score is None  # closed items keep their last score


def test_intake_rescore_later_date_raises_urgency_second_run_changes_nothing():
    today = datetime.date.today()
    item = BacklogItemFactory(effort_days=1, value=5, needed_by=add_working_days(today, 30))
    run()
    item.refresh_from_db()
    assert item.score == Decimal("10.00")  # 5 + 0 + 5

    output = run("--date", f"{add_working_days(today, 25):%Y-%m-%d}")

    assert output.strip().endswith(": 1 score changed.")
    item.refresh_from_db()
    assert item.score == Decimal("15.00")  # 5 working days left: 10 urgency points
    assert run("--date", f"{add_working_days(today, 25):%Y-%m-%d}").strip().endswith(": 0 scores changed.")


def test_intake_rescore_override_kept_computed_score_refreshed():
    item = BacklogItemFactory(effort_days=1, value=5, priority_override=Decimal("99"), override_reason="CEO")
    BacklogItem.objects.update(computed_score=None)

    run()

    item.refresh_from_db()
    assert item.score == Decimal("99.00") and item.computed_score == Decimal("6.00")


def test_intake_rescore_bad_date_refused():
    with pytest.raises(CommandError, match="--date: 'tomorrow' is not a date"):
        run("--date", "tomorrow")
