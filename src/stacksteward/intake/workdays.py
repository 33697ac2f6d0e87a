"""Working days (Monday to Friday) between dates; public holidays are not counted out."""

import datetime
import statistics
from collections.abc import Iterable


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start``."""
    current = start
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        current += datetime.timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None
