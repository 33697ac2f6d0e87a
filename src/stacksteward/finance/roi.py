"""Cost, value and return per investment (component) and year — with the formula shown.

* **Licence cost**: each contract's annual value, prorated to the days of its term inside the year
  and split over the components it covers by its **allocation basis** (``allocation``): the shares the
  contract states, else the components' seats purchased, else equally.
* **Services and other costs**: the cost entries of the component for the year.
* **Internal effort**: hours × ``STEWARD_INTERNAL_RATE`` (in the base currency), or the entry's amount.
* **Value**: the year's measurements of money KPIs (attributed revenue, pipeline) that measure the
  component, attributed by the KPI's **rule** (``attribution``): an equal split over the components it
  measures, or the explicit shares set on the KPI. Counts (leads, conversions) give **cost per unit**
  instead. Every split is exact to the cent (``money.split``), so the parts add up to the whole and no
  amount counts twice in any total (``portfolio``).
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

from .choices import CostKindChoices, KpiAttributionChoices, KpiValueKindChoices
from .models import Contract, CostEntry, Kpi, Measurement, ValueScore
from .money import HUNDRED, Money, base_currency, percent, split

TWO = Decimal("0.01")


def internal_rate() -> Decimal:
    return Decimal(str(getattr(settings, "STEWARD_INTERNAL_RATE", "80")))


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass
class Split:
    """How one amount is divided over components: each component's weight and the basis, in words."""

    weights: dict[int, Decimal]  # component id → weight (shares in percent, seats, or 1 each)
    basis: str  # "shares", "seats", "equal", "single"
    label: str

    @property
    def short(self) -> str:
        """The basis in a few words, for a table cell (the label has every share)."""
        return {"shares": "stated shares", "seats": "by seats purchased", "equal": "equal split",
                "single": "all of it"}[self.basis]

    def share(self, component_id: int) -> Decimal:
        """The component's share as a fraction of the whole."""
        return self.weights[component_id] / sum(self.weights.values())

    def parts(self, total: Decimal, *, places: Decimal = TWO) -> dict[int, Decimal]:
        ids = list(self.weights)
        return dict(zip(ids, split(total, [self.weights[i] for i in ids], places=places), strict=True))


def _explicit(stored: dict, components: list[Component]) -> dict[int, Decimal] | None:
    slugs = {c.slug: c.pk for c in components}
    if not stored or set(stored) != set(slugs):
        return None
    return {slugs[slug]: Decimal(str(share)) for slug, share in stored.items()}


def allocation(contract: Contract) -> Split:
    """How a contract's cost is split over its components: as the contract says (explicit shares), else by
    the seats purchased of each (when every one records them), else equally. Reads the prefetched
    ``components``."""
    components = sorted(contract.components.all(), key=lambda c: c.pk)
    if len(components) == 1:
        return Split({components[0].pk: HUNDRED}, "single", "the only component it covers")
    explicit = _explicit(contract.allocation_shares, components)
    if explicit:
        return Split(explicit, "shares", "as the contract says: " + ", ".join(
            f"{c.name} {percent(explicit[c.pk])}" for c in components))
    if components and all(c.seats_purchased for c in components):
        return Split({c.pk: Decimal(c.seats_purchased) for c in components}, "seats",
                     "by seats purchased: " + ", ".join(f"{c.name} {c.seats_purchased}" for c in components))
    note = " (its stated shares no longer match its components)" if contract.allocation_shares else ""
    return Split({c.pk: Decimal(1) for c in components}, "equal",
                 f"equally over its {len(components)} components{note}")


def attribution(kpi: Kpi) -> Split:
    """How a KPI's value is shared among the components it measures: its rule. Reads the prefetched
    ``components``."""
    components = sorted(kpi.components.all(), key=lambda c: c.pk)
    if kpi.attribution == KpiAttributionChoices.SHARES:
        explicit = _explicit(kpi.attribution_shares, components)
        if explicit:
            return Split(explicit, "shares", "explicit shares: " + ", ".join(
                f"{c.name} {percent(explicit[c.pk])}" for c in components))
    if len(components) == 1:
        return Split({components[0].pk: HUNDRED}, "single", "all of it: the only component it measures")
    return Split({c.pk: Decimal(1) for c in components}, "equal",
                 f"equal split over the {len(components)} components it measures")


@dataclass
class LicencePart:
    """A component's part of one contract's cost in the year."""

    contract: Contract
    amount: Decimal
    currency: str
    year_total: Decimal  # the contract's cost in the year, before the split
    share: Decimal  # fraction
    basis: str
    short: str = ""

    @property
    def share_label(self) -> str:
        return percent(self.share * HUNDRED)


@dataclass
class ValuePart:
    """A component's part of one KPI's value (or count) in the year."""

    kpi: Kpi
    amount: Decimal
    year_total: Decimal
    share: Decimal  # fraction
    basis: str
    short: str = ""

    @property
    def share_label(self) -> str:
        return percent(self.share * HUNDRED)

    @property
    def unit(self) -> str:
        return self.kpi.currency if self.kpi.value_kind == KpiValueKindChoices.MONEY else self.kpi.unit


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
    licence_parts: list[LicencePart] = field(default_factory=list)
    value_parts: list[ValuePart] = field(default_factory=list)
    unit_parts: list[ValuePart] = field(default_factory=list)
    unmeasured: list[Kpi] = field(default_factory=list)  # money KPIs measuring it, no measurement in the year

    @property
    def cost(self) -> Money:
        return self.licence + self.services + self.internal

    @property
    def roi(self) -> tuple[Decimal | None, str]:
        """(ROI as a fraction, the formula with the numbers — or why there is none)."""
        cost_total, cost_missing = self.cost.convert()
        if self.value.is_zero and not self.value.amounts:
            if self.unmeasured:
                names = ", ".join(f"“{k.name}”" for k in self.unmeasured)
                verb = "has" if len(self.unmeasured) == 1 else "have"
                return None, f"{names} {verb} no measurements for {self.year} yet: no ROI until it is measured."
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
        year_total = (contract.annual_value * _overlap_days(contract.start_date, contract.end_date, year)
                      / days_in_year).quantize(TWO, rounding=ROUND_HALF_UP)
        rule = allocation(contract)
        for pk, amount in rule.parts(year_total).items():
            if pk not in result:
                continue
            result[pk].licence.amounts[contract.currency] += amount
            parts = result[pk].licence_parts
            same = next((p for p in parts if p.contract.reference == contract.reference
                         and p.currency == contract.currency and p.share == rule.share(pk)
                         and p.basis == rule.label), None)
            if same is not None:  # two terms of one contract in the year, on the same basis: one line
                same.amount += amount
                same.year_total += year_total
            else:
                parts.append(LicencePart(contract, amount, contract.currency, year_total, rule.share(pk), rule.label,
                                         rule.short))
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
    kpis = list(Kpi.objects.filter(components__in=ids, value_kind__in=[KpiValueKindChoices.MONEY,
                                                                       KpiValueKindChoices.COUNT])
                .distinct().prefetch_related("components"))
    totals: dict[int, Decimal] = {}
    for kpi_id, value in Measurement.objects.filter(
            Q(kpi_id__in=[k.pk for k in kpis]), period_start__year=year).values_list("kpi_id", "value"):
        totals[kpi_id] = totals.get(kpi_id, Decimal(0)) + value
    for kpi in kpis:
        if kpi.pk not in totals:
            if kpi.value_kind == KpiValueKindChoices.MONEY:
                for component in kpi.components.all():
                    if component.pk in result:
                        result[component.pk].unmeasured.append(kpi)
            continue
        rule = attribution(kpi)
        for pk, amount in rule.parts(totals[kpi.pk]).items():
            if pk not in result:
                continue
            part = ValuePart(kpi, amount, totals[kpi.pk], rule.share(pk), rule.label, rule.short)
            if kpi.value_kind == KpiValueKindChoices.MONEY:
                result[pk].value.amounts[kpi.currency] += amount
                result[pk].value_parts.append(part)
            else:
                result[pk].units[kpi.unit] += amount
                result[pk].unit_parts.append(part)
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


@dataclass
class Portfolio:
    """Totals over investments: every contract's cost and every KPI's value counted once."""

    cost: Money
    value: Money

    @property
    def roi(self) -> tuple[Decimal | None, str]:
        cost_total, cost_missing = self.cost.convert()
        value_total, value_missing = self.value.convert()
        if not self.value.amounts:
            return None, "No money KPI has measurements in the year."
        if cost_missing or value_missing:
            return None, ("Cost and value are in different currencies without a configured rate "
                          f"({', '.join(sorted(set(cost_missing + value_missing)))}).")
        if cost_total == 0:
            return None, "No cost recorded: ROI is not defined."
        result = ratio(value_total - cost_total, cost_total)
        return result, (f"({value_total:,.2f} − {cost_total:,.2f}) ÷ {cost_total:,.2f} {base_currency()} = "
                        f"{result * 100:.1f} %")


def portfolio(found) -> Portfolio:
    """The total cost and value of ``found`` investments. Each investment holds only its part of a shared
    contract or KPI, so the sum counts each amount once."""
    found = list(found)
    return Portfolio(sum((i.cost for i in found), Money()), sum((i.value for i in found), Money()))
