"""The server-side SVG charts: valid SVG, no script, one series per currency, the target line."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template

from stacksteward.catalog.tests.factories import CategoryFactory, ComponentFactory
from stacksteward.finance import charts
from stacksteward.finance.brief import YearCost
from stacksteward.finance.models import Budget, CostEntry, Kpi, Measurement
from stacksteward.finance.money import Money

from .factories import ContractFactory

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in svg and "javascript" not in svg.lower()
    return root


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


def legends(root) -> list[str]:
    return [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if "legend" in classes(g)]


def series(root) -> list[list[ET.Element]]:
    """The drawn series, each as its groups (pygal draws lines, dots and overlays in separate groups)."""
    found: dict[str, list[ET.Element]] = {}
    for g in root.iter(f"{SVG}g"):
        if "series" in classes(g) and len(g):
            name = next(c for c in classes(g) if c.startswith("serie-"))
            found.setdefault(name, []).append(g)
    return [found[name] for name in sorted(found, key=lambda n: int(n.split("-")[1]))]


def bars(groups) -> int:
    return len([r for g in groups for r in g.iter(f"{SVG}rect") if "rect" in classes(r)])


@pytest.fixture
def usd(settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {"EUR": "1.10"}  # a rate exists, and still the charts keep currencies apart


def test_spend_by_category_has_one_series_per_currency(db, usd):
    crm_group = CategoryFactory(name="Data")
    crm = ComponentFactory(name="CRM", category=CategoryFactory(name="CRM & CDP", parent=crm_group))
    cms = ComponentFactory(name="CMS", category=CategoryFactory(name="Content & Experience"))
    ComponentFactory(name="Loose")  # no cost: not drawn
    ContractFactory(components=[crm], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), annual_value=36500)
    CostEntry.objects.create(component=cms, year=2027, kind="services", amount=5000, currency="EUR")
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=1000, currency="EUR")
    root = parse(charts.spend_by_category(2027))
    assert legends(root) == ["EUR", "USD"]
    assert len(series(root)) == 2
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Content & Experience", "Data", "Spend by category, 2027"} <= labels  # grouped by landscape group
    assert "Loose" not in labels and "Uncategorised" not in labels
    # ids meant for pygal's script would clash between the charts of one page (and PDF anchors)
    assert not [e for e in root.iter() if str(e.get("id", "")).startswith("activate-serie")]


def test_budget_vs_actual_puts_budget_and_actual_side_by_side_per_currency(db, usd):
    category = CategoryFactory(name="Advertising")
    ads = ComponentFactory(name="Ad server", category=category)
    crm = ComponentFactory(name="CRM")
    Budget.objects.create(year=2027, component=crm, amount=40000, currency="USD")
    Budget.objects.create(year=2027, category=category, amount=9000, currency="EUR")
    ContractFactory(components=[crm], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), annual_value=36500)
    CostEntry.objects.create(component=ads, year=2027, kind="services", amount=8000, currency="EUR")
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=500, currency="EUR")
    root = parse(charts.budget_vs_actual(2027))
    assert legends(root) == ["Budget EUR", "Actual EUR", "Budget USD", "Actual USD"]
    x_labels = [t.text for g in root.iter(f"{SVG}g") if {"axis", "x"} <= classes(g) for t in g.iter(f"{SVG}text")]
    assert x_labels == ["Advertising", "CRM"]


def kpi_with(values, target=None, direction="higher", name="Leads from webinars"):
    kpi = Kpi.objects.create(name=name, slug="kpi", definition="x", unit="leads", target=target,
                             direction=direction)
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(kpi=kpi, period_start=D(2027, month, 1), value=value)
    return kpi


def path_points(groups) -> list[tuple[float, float]]:
    path = next(p for g in groups for p in g.iter(f"{SVG}path") if "line" in classes(p))
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_kpi_trend_draws_measurements_and_a_flat_dashed_target_line(db):
    kpi = kpi_with([80, 95, 120, 90], target=100)
    svg = charts.kpi_trend(kpi)
    root = parse(svg)
    assert legends(root) == ["Measured", "Target (higher is better)"]
    measured, target = series(root)
    assert len(path_points(measured)) == 4
    target_points = path_points(target)
    assert len(target_points) == 4 and len({y for _, y in target_points}) == 1  # horizontal
    assert re.search(r"\.series\.serie-1\{[^}]*stroke-dasharray:8,5", svg)
    assert [t.text for g in root.iter(f"{SVG}g") if {"axis", "x"} <= classes(g)
            for t in g.iter(f"{SVG}text")] == ["Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027"]


def test_kpi_trend_without_target_or_data(db):
    kpi = kpi_with([3, 4], direction="lower")
    assert legends(parse(charts.kpi_trend(kpi))) == ["Measured"]
    empty = Kpi.objects.create(name="Not yet", slug="not-yet", definition="x", unit="x", target=5)
    root = parse(charts.kpi_trend(empty))
    assert "No data yet" in {t.text for t in root.iter(f"{SVG}text")}


def test_kpi_trend_uses_prefetched_measurements(db, django_assert_num_queries):
    kpi_with([1, 2, 3], target=2)
    kpi = Kpi.objects.prefetch_related("measurements").get()
    with django_assert_num_queries(0):
        charts.kpi_trend(kpi)


def test_names_are_escaped_and_the_markup_is_safe_to_embed(db):
    kpi = kpi_with([1, 2], target=2, name='</svg><script>alert("x")</script> & <b>')
    svg = charts.kpi_trend(kpi)
    root = parse(svg)
    assert any(t.text == '</svg><script>alert("x")</script> & <b>' for t in root.iter(f"{SVG}text"))
    rendered = Template("{{ chart }}").render(Context({"chart": svg}))
    assert rendered == svg  # marked safe: not escaped a second time


def test_utilisation_in_percent_for_components_with_seats(db):
    full = ComponentFactory(name="CRM", seats_purchased=100, seats_used=40)
    ComponentFactory(name="No seats")
    root = parse(charts.utilisation([full, ComponentFactory(name="Unknown use", seats_purchased=5)]))
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert "CRM" in texts and "Unknown use" not in texts
    [seats] = series(root)
    assert bars(seats) == 1


def test_cost_trend_keeps_currencies_apart(db, usd):
    crm = ComponentFactory(name="CRM")
    contract = ContractFactory(components=[crm])
    rows = [YearCost(2025, licence=Money.of([(Decimal(10000), "USD")])),
            YearCost(2026, licence=Money.of([(Decimal(11000), "USD")]), services=Money.of([(Decimal(900), "EUR")]))]
    root = parse(charts.cost_trend(contract, costs=rows))
    assert legends(root) == ["EUR", "USD"]
    eur, usd_series = series(root)
    assert (bars(eur), bars(usd_series)) == (1, 2)  # only 2026 has euros
    # Without rows given, it computes the brief's years itself.
    assert parse(charts.cost_trend(contract)) is not None
