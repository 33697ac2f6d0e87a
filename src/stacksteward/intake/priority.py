"""The backlog's priority score: a WSJF-like cost of delay ÷ effort.

    cost of delay = value points + lost-cost points + urgency points      (each 1–10, cost 0–10)
    score         = cost of delay ÷ effort in days                       (2 decimals)

* **value points** — the item's business value, 1 to 10, as the requester and the product owner judge it.
* **lost-cost points** — the request's lost-opportunity cost per week (a monthly amount × 12 ÷ 52),
  on a stepped scale: 0 when none is given or it cannot be quantified, then 1 (< 100), 2 (< 500),
  3 (< 1,000), 5 (< 5,000), 8 (< 20,000), 10 (20,000 or more) in the request's currency.
* **urgency points** — working days left until the needed-by date (the item's, else its request's):
  10 when overdue or ≤ 10, 8 when ≤ 20, 5 when ≤ 40, 3 when ≤ 60, 1 later or with no date.
* **effort** — the estimate in days; without one there is no score (the item sorts last, "needs estimate").

A score set by hand (``priority_override``, with a reason) replaces the computed one and is shown as such.
Everything here is plain arithmetic on plain values, so it is tested on its own.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .workdays import working_days_between

COST_STEPS = ((Decimal(100), 1), (Decimal(500), 2), (Decimal(1000), 3), (Decimal(5000), 5), (Decimal(20000), 8))
URGENCY_STEPS = ((10, 10), (20, 8), (40, 5), (60, 3))


@dataclass(frozen=True)
class Score:
    value_points: int
    cost_points: int
    urgency_points: int
    effort_days: Decimal | None
    working_days_left: int | None

    @property
    def cost_of_delay(self) -> int:
        return self.value_points + self.cost_points + self.urgency_points

    @property
    def score(self) -> Decimal | None:
        if not self.effort_days:
            return None
        return (Decimal(self.cost_of_delay) / self.effort_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cost_points(weekly_cost: Decimal | None) -> int:
    if weekly_cost is None or weekly_cost <= 0:
        return 0
    for limit, points in COST_STEPS:
        if weekly_cost < limit:
            return points
    return 10


def urgency_points(working_days_left: int | None) -> int:
    if working_days_left is None:
        return 1
    for limit, points in URGENCY_STEPS:
        if working_days_left <= limit:
            return points
    return 1


def compute(*, value: int, weekly_cost: Decimal | None, needed_by: datetime.date | None,
            effort_days: Decimal | None, today: datetime.date) -> Score:
    left = working_days_between(today, needed_by) if needed_by else None
    return Score(value_points=int(value), cost_points=cost_points(weekly_cost), urgency_points=urgency_points(left),
                 effort_days=Decimal(effort_days) if effort_days else None, working_days_left=left)


def score_item(item, today: datetime.date) -> Score:
    """The score parts of a backlog item (its request must be loaded, or absent)."""
    request = item.request if item.request_id else None
    return compute(value=item.value, weekly_cost=request.weekly_lost_cost if request else None,
                   needed_by=item.effective_needed_by, effort_days=item.effort_days, today=today)
