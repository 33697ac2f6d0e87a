"""Server-side charts of the finance area: SVG strings made with pygal, safe to embed in a page or a PDF.

* No JavaScript: pygal's config ``<script>`` is removed from the tree before it is serialised, so the
  charts print the same in a browser, in WeasyPrint and on paper (the exact values are in the tables
  next to each chart).
* The markup is produced by ElementTree, so every label (a category, a KPI or component name) is
  escaped; the result is marked safe for templates.
* Money is never summed across currencies: each currency is its own series (``USD``, ``EUR``…).

``spend_by_category(year)``, ``budget_vs_actual(year)``, ``kpi_trend(kpi)``, ``utilisation(components)``
and ``cost_trend(contract)`` each return the SVG markup; a chart without data says so inside the SVG.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

import pygal
from django.utils.safestring import SafeString

from stacksteward.catalog.models import Component
from stacksteward.core.charts import PRINT_STYLE, config, money_format, per_currency, render  # noqa: F401

from .choices import KpiDirectionChoices, KpiFrequencyChoices
from .models import Budget, Contract, Kpi
from .money import Money
from .roi import budget_actuals, investments

UNCATEGORISED = "Uncategorised"
KPI_POINTS = 12

# The style and the rendering are shared with every chart of the product (``core.charts``).
_config = config
_money_format = money_format
_per_currency = per_currency


# Spend by category ------------------------------------------------------------------------------

def _category_names(component_ids) -> dict[int, str]:
    """Component id → the name of its landscape group (the parent category, or the category itself)."""
    rows = Component.objects.filter(pk__in=component_ids).values_list("pk", "category__name", "category__parent__name")
    return {pk: parent or name or UNCATEGORISED for pk, name, parent in rows}


def spend_rows(year: int, component_ids=None) -> list[tuple[str, Money]]:
    """[(landscape group, the year's cost)] by group name, groups without cost left out."""
    found = investments(year, component_ids)
    groups = _category_names(list(found))
    spend: dict[str, Money] = defaultdict(Money)
    for pk, investment in found.items():
        spend[groups.get(pk, UNCATEGORISED)] += investment.cost
    return sorted(((name, money) for name, money in spend.items() if not money.is_zero), key=lambda r: r[0])


def spend_by_category(year: int, *, component_ids=None, **overrides) -> SafeString:
    """The year's cost (licence, services, internal effort) by landscape group, one bar series per currency.

    ``overrides`` change the chart's settings (the dashboard's smaller size, no title)."""
    rows = spend_rows(year, component_ids)
    chart = pygal.Bar(**_config(**{"title": f"Spend by category, {year}", "x_label_rotation": 20,
                                   "value_formatter": _money_format, **overrides}))
    chart.x_labels = [name for name, _ in rows]
    for currency, values in _per_currency(rows).items():
        chart.add(currency, values)
    return render(chart)


# Budget vs actual -------------------------------------------------------------------------------

def budget_vs_actual(year: int) -> SafeString:
    """Each budget of the year (a component's or a category's) against the actual cost, per currency:
    ``Budget USD`` beside ``Actual USD``; an actual in another currency is its own series, never added in."""
    budgets = sorted(Budget.objects.filter(year=year).select_related("component", "category"),
                     key=lambda b: (str(b.component or b.category).lower(), b.pk))
    actuals = budget_actuals(year, budgets)
    planned_rows = [(str(b.component or b.category), Money.of([(b.amount, b.currency)])) for b in budgets]
    actual_rows = [(str(b.component or b.category), actuals[b.pk][0]) for b in budgets]
    chart = pygal.Bar(**_config(title=f"Budget vs actual, {year}", x_label_rotation=20,
                                value_formatter=_money_format))
    chart.x_labels = [label for label, _ in planned_rows]
    planned, actual = _per_currency(planned_rows), _per_currency(actual_rows)
    for currency in sorted(set(planned) | set(actual)):
        if currency in planned:
            chart.add(f"Budget {currency}", planned[currency])
        if currency in actual:
            chart.add(f"Actual {currency}", actual[currency])
    return render(chart)


# KPI trend --------------------------------------------------------------------------------------

def period_label(day: datetime.date, frequency: str) -> str:
    if frequency == KpiFrequencyChoices.YEARLY:
        return f"{day.year}"
    if frequency == KpiFrequencyChoices.QUARTERLY:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if frequency == KpiFrequencyChoices.MONTHLY:
        return day.strftime("%b %Y")
    return f"{day.day} {day:%b %Y}"


def kpi_trend(kpi: Kpi, *, points: int = KPI_POINTS) -> SafeString:
    """The KPI's last measurements as a line, and its target as a dashed line.

    Reads ``kpi.measurements.all()``: prefetch them to draw many KPIs without a query each."""
    measurements = sorted(kpi.measurements.all(), key=lambda m: m.period_start)[-points:]
    direction = "higher is better" if kpi.direction == KpiDirectionChoices.HIGHER else "lower is better"
    values = [float(m.value) for m in measurements]
    target = float(kpi.target) if kpi.target is not None and measurements else None
    config = {"title": kpi.name, "height": 300, "x_label_rotation": 20, "y_title": kpi.unit, "dots_size": 3}
    if values:  # keep the target line off the frame's edge
        low, high = min([*values, target or values[0]]), max([*values, target or values[0]])
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
        config["range"] = (low - pad, high + pad)
    chart = pygal.Line(**_config(**config))
    chart.x_labels = [period_label(m.period_start, kpi.frequency) for m in measurements]
    chart.add("Measured", values)
    if target is not None:
        chart.add(f"Target ({direction})", [target] * len(measurements), show_dots=False,
                  stroke_style={"width": 3, "dasharray": "8, 5"})
    return render(chart)


# Utilisation ------------------------------------------------------------------------------------

def utilisation(components: Iterable[Component]) -> SafeString:
    """Seats used ÷ seats purchased per component (in %), for the components that record both."""
    rows = [(c.name, c.seats_used, c.seats_purchased) for c in components
            if c.seats_purchased and c.seats_used is not None]
    chart = pygal.HorizontalBar(**_config(title="Seat utilisation (%)", height=max(160, 60 + 36 * len(rows)),
                                          range=(0, 100), show_legend=False,
                                          value_formatter=lambda v: f"{v:.0f} %"))
    chart.x_labels = [name for name, _, _ in rows]
    chart.add("Seats used", [{"value": round(100 * used / bought, 1), "label": f"{used} of {bought} seats"}
                             for _, used, bought in rows])
    return render(chart)


# Cost trend of a contract -----------------------------------------------------------------------

def cost_trend(contract: Contract, *, costs=None) -> SafeString:
    """The yearly cost of the contract's components (licence, services, internal effort), one series per
    currency. ``costs`` are ``brief.YearCost`` rows; computed for the brief's years when not given."""
    if costs is None:
        from .brief import brief_years, year_costs  # the brief builds on these charts

        costs = year_costs([c.pk for c in contract.components.all()], brief_years())
    rows = [(str(row.year), row.total) for row in costs]
    chart = pygal.Bar(**_config(title="Cost per year of the components covered", height=300,
                                value_formatter=_money_format))
    chart.x_labels = [year for year, _ in rows]
    for currency, values in _per_currency(rows).items():
        chart.add(currency, values)
    return render(chart)
