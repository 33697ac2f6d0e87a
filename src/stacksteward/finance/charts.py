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
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.etree import etree
from pygal.style import Style

from stacksteward.catalog.models import Component

from .choices import KpiDirectionChoices, KpiFrequencyChoices
from .models import Budget, Contract, Kpi
from .money import Money
from .roi import budget_actuals, investments

UNCATEGORISED = "Uncategorised"
KPI_POINTS = 12

PRINT_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#5b6573",
    font_family="'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=11,
    opacity="0.9",
    opacity_hover="0.9",
    stroke_width="2.5",
    stroke_width_hover="2.5",
    guide_stroke_color="#dfe4ea",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_color="#c9d0da",
    major_guide_stroke_dasharray="1,0",
    transition="none",
    # Distinct in colour and in grey when printed.
    colors=("#1d5fa8", "#d9822b", "#2f8f5b", "#8e44ad", "#c0392b", "#5b6573", "#1f9fb0", "#a0522d"),
)


def _config(**overrides) -> dict:
    return {
        "style": PRINT_STYLE, "js": [], "disable_xml_declaration": True, "width": 760, "height": 360,
        "legend_at_bottom": True, "legend_at_bottom_columns": 4, "truncate_legend": -1, "truncate_label": -1,
        "no_data_text": "No data yet", "print_values": False, "show_minor_x_labels": True, "margin": 16,
        "min_scale": 4, "max_scale": 8,
        **overrides,
    }


def render(chart) -> SafeString:
    """The chart as SVG markup without any script."""
    tree = chart.render_tree()
    for parent in tree.iter():
        # pygal names legend entries "activate-serie-N" for its script; with the script gone they only
        # clash between the charts of one page (and make WeasyPrint warn), so they go too.
        if str(parent.get("id", "")).startswith("activate-serie"):
            del parent.attrib["id"]
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    svg = etree.tostring(tree, encoding="unicode")
    return mark_safe(svg)  # noqa: S308 — built by ElementTree, every text node escaped


def _money_format(value) -> str:
    return f"{value:,.0f}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _per_currency(rows: list[tuple[str, Money]]) -> dict[str, list[float | None]]:
    """{currency: [amount per row, None where the row has nothing in that currency]}."""
    currencies = sorted({currency for _, money in rows for currency, amount in money.amounts.items() if amount})
    return {cur: [_number(money.amounts.get(cur)) if money.amounts.get(cur) else None for _, money in rows]
            for cur in currencies}


# Spend by category ------------------------------------------------------------------------------

def _category_names(component_ids) -> dict[int, str]:
    """Component id → the name of its landscape group (the parent category, or the category itself)."""
    rows = Component.objects.filter(pk__in=component_ids).values_list("pk", "category__name", "category__parent__name")
    return {pk: parent or name or UNCATEGORISED for pk, name, parent in rows}


def spend_by_category(year: int, *, component_ids=None) -> SafeString:
    """The year's cost (licence, services, internal effort) by landscape group, one bar series per currency."""
    found = investments(year, component_ids)
    groups = _category_names(list(found))
    spend: dict[str, Money] = defaultdict(Money)
    for pk, investment in found.items():
        spend[groups.get(pk, UNCATEGORISED)] += investment.cost
    rows = sorted(((name, money) for name, money in spend.items() if not money.is_zero), key=lambda r: r[0])
    chart = pygal.Bar(**_config(title=f"Spend by category, {year}", x_label_rotation=20,
                                value_formatter=_money_format))
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
    return day.isoformat()


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
