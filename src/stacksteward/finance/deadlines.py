"""Contract date arithmetic: notice deadlines and the next term of a renewal.

* The **notice deadline** is the end date minus the notice period in calendar days: notice given on
  that day is still in time. A notice period longer than the term puts the deadline before the
  term's start; it is kept as computed (and flagged) rather than silently moved.
* The **next term** starts the day after the end date and runs ``term`` months. A term that ends on
  the last day of a month keeps ending on the last day of a month (31 Jan → 28/29 Feb → 31 Mar);
  otherwise the day of the month is kept where the month has it (15 Jan → 15 Feb), else the month's
  last day (30 Jan + 1 month → 28/29 Feb). Leap years follow from the calendar.
"""

import calendar
import datetime

from dateutil.relativedelta import relativedelta


def notice_deadline(end_date: datetime.date, notice_days: int) -> datetime.date:
    return end_date - datetime.timedelta(days=int(notice_days))


def is_month_end(day: datetime.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def next_term(end_date: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the term after one ending on ``end_date``."""
    start = end_date + datetime.timedelta(days=1)
    end = end_date + relativedelta(months=months)
    if is_month_end(end_date):
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return start, end


def days_until(day: datetime.date, today: datetime.date) -> int:
    return (day - today).days
