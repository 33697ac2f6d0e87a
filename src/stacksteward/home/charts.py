"""The dashboard's charts: what people would rather look at than read, drawn on the server as SVG with the
charts the PDFs use (``core.charts``; spend by category is ``finance.charts``' own).

Each chart is a ``DashboardChart``: its figures as plain rows (shown as a small table next to the chart, and
what the tests check by hand) and its SVG. Every chart reads only the rows its reader may see (the models'
policies) and the money chart only the components whose money the reader sees (the finance policy's money
field group, ``money_component_ids``): someone who sees no money gets a sentence, not a chart.

A constant number of queries whatever the size of the stack: one or two per chart.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

import pygal
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from stacksteward.changes.models import ChangeRequest
from stacksteward.core.charts import config, money_format, render
from stacksteward.core.policies import policy_for
from stacksteward.finance.charts import spend_by_category, spend_rows
from stacksteward.finance.choices import ContractStatusChoices, KpiDirectionChoices
from stacksteward.finance.models import Contract, Kpi, Measurement
from stacksteward.finance.policies import money_component_ids
from stacksteward.intake.choices import RequestStatusChoices
from stacksteward.intake.models import Request

# Drawn about as wide as a dashboard card, so the labels keep their size; the card's heading is the title.
SIZE = {"width": 440, "height": 300, "legend_at_bottom_columns": 3, "title": None}
OPEN_CONTRACTS = (ContractStatusChoices.ACTIVE, ContractStatusChoices.RENEWING)
DEADLINE_BUCKETS = (("Passed", None, -1), ("Within 30 days", 0, 30), ("31–60 days", 31, 60),
                    ("61–90 days", 61, 90), ("Later", 91, None))


@dataclass
class DashboardChart:
    key: str
    title: str
    svg: SafeString | None  # None: nothing to draw (``note`` says why)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, the figure as shown)
    note: str = ""
    link: str = ""
    link_label: str = ""


def _rows(actor, model, queryset=None):
    return policy_for(model).rows(actor, "view", model.objects.all() if queryset is None else queryset)


def whole_ticks(highest: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``highest`` (a count has no halves), about five of them."""
    step = max(1, -(-highest // 5))
    return list(range(0, highest + step, step))


def _count_chart(labels: list[str], counts: list[int], **overrides) -> SafeString:
    chart = pygal.Bar(**config(**{**SIZE, "show_legend": False, "x_label_rotation": 30,
                                  "value_formatter": lambda v: f"{v:.0f}", "print_values": True,
                                  "y_labels": whole_ticks(max(counts)), **overrides}))
    chart.x_labels = labels
    chart.add("Count", counts)
    return render(chart)


# Spend by category ------------------------------------------------------------------------------------

def spend(actor, year: int) -> DashboardChart:
    """The year's cost by landscape group, for the components whose money the reader sees."""
    visible = money_component_ids(actor)
    link = reverse("finance:investments")
    if visible is not None and not visible:
        return DashboardChart("spend", f"Spend by category, {year}", None, link=link, link_label="Cost and value",
                              note="Spend is shown to Finance, Procurement, Legal, admins and the owners of "
                                   "each component.")
    title = f"Spend by category, {year}" if visible is None else f"Spend on your components, {year}"
    rows = spend_rows(year, visible)
    figures = [(name, ", ".join(f"{money_format(amount)} {currency}"
                                for currency, amount in sorted(money.amounts.items()) if amount))
               for name, money in rows]
    # the group names are long: room for them under the bars and for the currencies' legend
    settings = {**SIZE, "height": 360, "x_label_rotation": 30, "margin_bottom": 28}
    svg = spend_by_category(year, component_ids=visible, **settings) if rows else None
    return DashboardChart("spend", title, svg, figures, note="" if rows else f"No costs recorded for {year} yet.",
                          link=link, link_label="Cost and value")


# Contracts by notice deadline -------------------------------------------------------------------------

def deadline_bucket(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    for label, low, high in DEADLINE_BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high):
            return label
    raise AssertionError(days)  # the buckets cover every number of days


def contracts_by_deadline(actor, today: datetime.date) -> DashboardChart:
    """Running contracts (active or renewing) by how soon notice must be given."""
    rows = _rows(actor, Contract).filter(status__in=OPEN_CONTRACTS, end_date__gte=today)
    found = Counter(deadline_bucket(deadline, today) for deadline in rows.values_list("notice_deadline", flat=True))
    labels = [label for label, _, _ in DEADLINE_BUCKETS]
    counts = [found[label] for label in labels]
    svg = _count_chart(labels, counts) if any(counts) else None
    return DashboardChart("deadlines", "Running contracts by notice deadline", svg,
                          [(label, str(n)) for label, n in zip(labels, counts, strict=True)],
                          note="" if any(counts) else "No running contract.",
                          link=reverse("finance:contract_list"), link_label="Contracts")


# Requests by state ------------------------------------------------------------------------------------

def requests_by_state(actor) -> DashboardChart:
    found = dict(_rows(actor, Request).order_by().values_list("status").annotate(n=Count("id")))
    states = [(value, label) for value, label in RequestStatusChoices.choices if found.get(value)]
    svg = (_count_chart([label for _, label in states], [found[v] for v, _ in states])
           if states else None)
    return DashboardChart("requests", "Requests by state", svg, [(label, str(found[v])) for v, label in states],
                          note="" if states else "No request yet.", link=reverse("intake:request_list"),
                          link_label="Requests")


# Changes this week ------------------------------------------------------------------------------------

def week_of(today: datetime.date) -> list[datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


def changes_this_week(actor, today: datetime.date) -> DashboardChart:
    """Changes whose window opens on each day of this week (Monday to Sunday, in the site's time zone)."""
    days = week_of(today)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=7)
    opens = _rows(actor, ChangeRequest).filter(window_start__gte=start, window_start__lt=end)
    found = Counter(timezone.localtime(moment, zone).date() for moment in opens.values_list("window_start", flat=True))
    labels = [f"{day:%a} {day.day}" for day in days]
    counts = [found[day] for day in days]
    title = f"Changes this week ({days[0].day} {days[0]:%b} – {days[-1].day} {days[-1]:%b})"
    svg = _count_chart(labels, counts, x_label_rotation=0) if any(counts) else None
    return DashboardChart("changes", title, svg, [(label, str(n)) for label, n in zip(labels, counts, strict=True)],
                          note="" if any(counts) else "No change window opens this week.",
                          link=reverse("changes:change_list"), link_label="Changes")


# KPIs off target --------------------------------------------------------------------------------------

def percent_of_target(kpi: Kpi, value) -> float:
    return round(float(value) / float(kpi.target) * 100, 1)


def kpis_off_target(actor) -> DashboardChart:
    """Each KPI whose latest measurement misses its target, as a percentage of the target (no amounts)."""
    kpis = {k.pk: k for k in _rows(actor, Kpi).filter(target__isnull=False).exclude(target=0)}
    latest: dict[int, Measurement] = {}
    for measurement in Measurement.objects.filter(kpi_id__in=list(kpis)).order_by("kpi_id", "period_start"):
        latest[measurement.kpi_id] = measurement
    off = sorted(((kpis[pk], m) for pk, m in latest.items() if kpis[pk].on_target(m.value) is False),
                 key=lambda pair: pair[0].name)
    rows = []
    for kpi, measurement in off:
        direction = "at most" if kpi.direction == KpiDirectionChoices.LOWER else "at least"
        rows.append((kpi.name, f"{percent_of_target(kpi, measurement.value):g} % of the target ({direction} 100 %)"))
    svg = None
    if off:
        chart = pygal.HorizontalBar(**config(**{**SIZE,
                                                "height": max(160, 80 + 40 * len(off)), "show_legend": False,
                                                "value_formatter": lambda v: f"{v:g} %", "print_values": True,
                                                "range": (0, max(100, *(percent_of_target(k, m.value)
                                                                        for k, m in off)))}))
        chart.x_labels = [kpi.name for kpi, _ in off]
        chart.add("Latest measurement", [percent_of_target(kpi, m.value) for kpi, m in off])
        svg = render(chart)
    return DashboardChart("kpis", "KPIs off target (latest measurement, % of target)", svg, rows,
                          note="" if off else "Every measured KPI meets its target.",
                          link=reverse("finance:kpi_list"), link_label="KPIs")


def dashboard_charts(actor, today: datetime.date | None = None) -> list[DashboardChart]:
    today = today or timezone.localdate()
    return [spend(actor, today.year), contracts_by_deadline(actor, today), requests_by_state(actor),
            changes_this_week(actor, today), kpis_off_target(actor)]
