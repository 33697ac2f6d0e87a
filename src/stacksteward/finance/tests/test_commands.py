import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stacksteward.finance.models import ContractReminder

from .factories import ContractFactory
from .test_services import member

D = datetime.date


def test_finance_daily_rolls_forward_and_reminds_once(db):
    from stacksteward.org.tests.factories import DepartmentFactory

    buyer = member("buyer", DepartmentFactory(kind="procurement"))
    lapsed = ContractFactory(start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))  # nobody owns it
    due = ContractFactory(end_date=D(2026, 12, 31), notice_period_days=90, procurement_owner=buyer.person)
    out = StringIO()
    call_command("finance_daily", "--date", "2026-09-25", stdout=out)
    # the lapsed contract rolled into 2026, whose notice deadline (2 Oct) is as near as the other's
    assert out.getvalue().strip() == ("2026-09-25: 1 contract term(s) rolled forward, 0 expired, "
                                      "2 now up for renewal, 2 reminder(s) sent to 1 people.")
    due.refresh_from_db()
    assert due.status == "renewing"
    lapsed.refresh_from_db()
    assert {r.contract for r in ContractReminder.objects.all()} == {due, lapsed.next}
    out = StringIO()
    call_command("finance_daily", "--date", "2026-09-25", stdout=out)
    assert "0 contract term(s) rolled forward, 0 expired, 0 now up for renewal, 0 reminder(s)" in out.getvalue()


def test_finance_daily_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="--date"):
        call_command("finance_daily", "--date", "next tuesday")
