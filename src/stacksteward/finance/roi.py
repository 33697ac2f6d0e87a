"""Cost, value and return per investment (component) and year — with the formula shown.

* **Licence cost**: each contract's annual value, prorated to the days of its term inside the year
  and spread evenly over the components it covers.
* **Services and other costs**: the cost entries of the component for the year.
* **Internal effort**: hours × ``STEWARD_INTERNAL_RATE`` (in the base currency), or the entry's amount.
* **Value**: the year's measurements of money KPIs (attributed revenue, pipeline) that measure the
  component, spread evenly over the components each KPI measures. Counts (leads, conversions) give
  **cost per unit** instead.
* **ROI** = (value − cost) ÷ cost, computed only when cost and value are in one currency (or
  convertible, see ``money.py``) and cost is not zero; otherwise it is not given and the reason is.
* Where nothing is measurable, the business owner's **value score** (1–5, with reasons) stands in.
* **Seat utilisation** = seats used ÷ seats purchased.

Five queries for any number of components.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q

from stacksteward.catalog.models import Component

from .choices import CostKindChoices, KpiValueKindChoices
from .models import Contract, CostEntry, Kpi, Measurement, ValueScore
from .money import Money, base_currency

TWO = Decimal("0.01")


def internal_rate() -> Decimal:
    return Decimal(str(getattr(settings, "STEWARD_INTERNAL_RATE", "80")))


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass
class Investment:
    component: Component
    year: int
    licence: Money = field(default_factory=Money)
    services: Money = field(default_factory=Money)
    internal: Money = field(default_factory=Money)
    value: Money = field(default_factory=Money)
    units: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # KPI unit → count
    value_scores: list[ValueScore] = field(default_factory=list)

    @property
    def cost(self) -> Money:
        return self.licence + self.services + self.internal

    @property
    def roi(self) -> tuple[Decimal | None, str]:
        """(ROI as a fraction, the formula with the numbers — or why there is none)."""
        cost_total, cost_missing = self.cost.convert()
        if self.value.is_zero and not self.value.amounts:
            return None, "No money KPI measures this component: see the value score."
        value_total, value_missing = self.value.convert()
        if cost_missing or value_missing:
            return None, ("Cost and value are in different currencies without a configured rate "
                          f"({', '.join(sorted(set(cost_missing + value_missing)))}).")
        if cost_total == 0:
            return None, "No cost recorded: ROI is not defined."
        result = ratio(value_total - cost_total, cost_total)
        cur = base_currency()
        return result, (f"({value_total:,.2f} − {cost_total:,.2f}) ÷ {cost_total:,.2f} {cur} = "
                        f"{result * 100:.1f} %")

    @property
    def cost_per_unit(self) -> dict[str, tuple[Decimal | None, str]]:
        cost_total, missing = self.cost.convert()
        out = {}
        for unit, count in sorted(self.units.items()):
            if missing:
                out[unit] = (None, "Costs in currencies without a rate.")
            elif count == 0:
                out[unit] = (None, f"No {unit} counted: cost per unit is not defined.")
            else:
                value = (cost_total / count).quantize(TWO)
                out[unit] = (value, f"{cost_total:,.2f} {base_currency()} ÷ {count:,.0f} {unit} = {value:,.2f}")
        return out

    @property
    def value_score(self) -> Decimal | None:
        if not self.value_scores:
            return None
        return (Decimal(sum(s.score for s in self.value_scores)) / len(self.value_scores)).quantize(Decimal("0.1"))

    @property
    def seat_utilisation(self) -> float | None:
        return self.component.seat_utilisation


def _overlap_days(start: datetime.date, end: datetime.date, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    lo, hi = max(start, first), min(end, last)
    return max(0, (hi - lo).days + 1)


def investments(year: int, component_ids=None) -> dict[int, Investment]:
    components = Component.objects.all() if component_ids is None else Component.objects.filter(pk__in=component_ids)
    result = {c.pk: Investment(c, year) for c in components}
    if not result:
        return result
    ids = list(result)
    days_in_year = 366 if calendar.isleap(year) else 365
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    contracts = (Contract.objects.filter(components__in=ids, start_date__lte=year_end, end_date__gte=year_start)
                 .exclude(status="draft").distinct().prefetch_related("components"))
    for contract in contracts:
        covered = [c.pk for c in contract.components.all()]
        share = (contract.annual_value * _overlap_days(contract.start_date, contract.end_date, year)
                 / days_in_year / len(covered))
        for pk in covered:
            if pk in result:
                result[pk].licence.amounts[contract.currency] += share.quantize(TWO)
    rate = internal_rate()
    for entry in CostEntry.objects.filter(component_id__in=ids, year=year):
        target = result[entry.component_id]
        if entry.kind == CostKindChoices.INTERNAL:
            if entry.amount is not None:
                target.internal.amounts[entry.currency] += entry.amount
            else:
                target.internal.amounts[base_currency()] += (entry.hours * rate).quantize(TWO)
        else:
            target.services.amounts[entry.currency] += entry.amount
    kpis = (Kpi.objects.filter(components__in=ids, value_kind__in=[KpiValueKindChoices.MONEY,
                                                                  KpiValueKindChoices.COUNT])
            .distinct().prefetch_related("components"))
    kpi_components = {k.pk: (k, [c.pk for c in k.components.all()]) for k in kpis}
    for kpi_id, value in Measurement.objects.filter(
            Q(kpi_id__in=list(kpi_components)), period_start__year=year).values_list("kpi_id", "value"):
        kpi, covered = kpi_components[kpi_id]
        share = value / len(covered)
        for pk in covered:
            if pk not in result:
                continue
            if kpi.value_kind == KpiValueKindChoices.MONEY:
                result[pk].value.amounts[kpi.currency] += share.quantize(TWO)
            else:
                result[pk].units[kpi.unit] += share
    for score in ValueScore.objects.filter(component_id__in=ids, year=year).select_related("scorer"):
        result[score.component_id].value_scores.append(score)
    return result


def budget_actuals(year: int, budgets, *, found: dict[int, Investment] | None = None
                   ) -> dict[int, tuple[Money, set[int]]]:
    """The year's actual cost against each budget: budget id → (cost per currency, the components counted).

    A component's budget counts that component; a category's budget counts every component in the
    category or in its sub-categories. One query for the placement, then ``investments`` (unless the
    caller passes the year's ``found`` investments it already has).
    """
    budgets = list(budgets)
    placement = {pk: {category_id, parent_id} - {None} for pk, category_id, parent_id in
                 Component.objects.values_list("pk", "category_id", "category__parent_id")}
    counted: dict[int, set[int]] = {}
    for budget in budgets:
        if budget.component_id:
            counted[budget.pk] = {budget.component_id}
        else:
            counted[budget.pk] = {pk for pk, placed in placement.items() if budget.category_id in placed}
    if found is None:
        wanted = set().union(*counted.values()) if counted else set()
        found = investments(year, wanted) if wanted else {}
    return {pk: (sum((found[c].cost for c in components if c in found), Money()),
                 {c for c in components if c in found})
            for pk, components in counted.items()}
