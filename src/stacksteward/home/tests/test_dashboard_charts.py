"""The dashboard's charts: figures computed by hand, money only for those who see it, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stacksteward.catalog.models import Category
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.changes.tests.factories import ChangeRequestFactory
from stacksteward.core.roles import set_role
from stacksteward.finance.models import Kpi, Measurement
from stacksteward.finance.tests.factories import ContractFactory
from stacksteward.home import charts
from stacksteward.intake.tests.factories import RequestFactory
from stacksteward.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_deadline_buckets_by_hand():
    today = D(2026, 6, 1)
    assert charts.deadline_bucket(D(2026, 5, 31), today) == "Passed"
    assert charts.deadline_bucket(D(2026, 6, 1), today) == "Within 30 days"
    assert charts.deadline_bucket(D(2026, 7, 1), today) == "Within 30 days"  # 30 days
    assert charts.deadline_bucket(D(2026, 7, 2), today) == "31–60 days"
    assert charts.deadline_bucket(D(2026, 7, 31), today) == "31–60 days"  # 60 days
    assert charts.deadline_bucket(D(2026, 8, 30), today) == "61–90 days"  # 90 days
    assert charts.deadline_bucket(D(2026, 8, 31), today) == "Later"


def test_count_charts_tick_whole_numbers():
    assert charts.whole_ticks(1) == [0, 1]
    assert charts.whole_ticks(2) == [0, 1, 2]
    assert charts.whole_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert charts.whole_ticks(17) == [0, 4, 8, 12, 16, 20]


def test_contracts_by_notice_deadline_counts_running_contracts(viewer):
    today = D(2026, 6, 1)
    start = D(2026, 1, 1)
    ContractFactory(start_date=start, end_date=D(2026, 7, 1), notice_period_days=30)  # notice by 1 Jun: 0 days
    ContractFactory(start_date=start, end_date=D(2026, 9, 30), notice_period_days=90)  # 2 Jul: 31 days
    ContractFactory(start_date=start, end_date=D(2026, 6, 30), notice_period_days=60)  # 1 May: passed, still running
    ContractFactory(start_date=start, end_date=D(2026, 12, 31), notice_period_days=30)  # 1 Dec: later
    ContractFactory(start_date=start, end_date=D(2026, 8, 30), notice_period_days=30, status="renewing")  # 31 Jul: 60
    ContractFactory(start_date=start, end_date=D(2026, 5, 31), notice_period_days=30)  # ended: not counted
    ContractFactory(start_date=start, end_date=D(2026, 7, 15), notice_period_days=30, status="draft")  # not counted

    chart = charts.contracts_by_deadline(viewer, today)

    assert chart.rows == [("Passed", "1"), ("Within 30 days", "1"), ("31–60 days", "2"), ("61–90 days", "0"),
                          ("Later", "1")]
    assert chart.svg is not None and "<script" not in chart.svg


def test_requests_by_state_in_workflow_order(viewer):
    for status in ("submitted", "declined", "submitted", "planned", "submitted"):
        RequestFactory(status=status)

    chart = charts.requests_by_state(viewer)

    assert chart.rows == [("Submitted", "3"), ("Planned", "1"), ("Declined", "1")]


def test_changes_this_week_by_day_in_the_site_time_zone(viewer):
    zone = timezone.get_current_timezone()

    def at(day, hour, minute=0):
        return datetime.datetime(2026, 6, day, hour, minute, tzinfo=zone)

    for start in (at(1, 9), at(1, 15), at(7, 23, 30), at(8, 0, 30)):
        ChangeRequestFactory(window_start=start, window_end=start + datetime.timedelta(hours=1))
    ChangeRequestFactory(window_start=datetime.datetime(2026, 5, 31, 23, 59, tzinfo=zone),
                         window_end=at(1, 1))

    chart = charts.changes_this_week(viewer, D(2026, 6, 3))  # a Wednesday: the week of Mon 1 to Sun 7 June

    assert chart.title == "Changes this week (1 Jun – 7 Jun)"
    assert chart.rows == [("Mon 1", "2"), ("Tue 2", "0"), ("Wed 3", "0"), ("Thu 4", "0"), ("Fri 5", "0"),
                          ("Sat 6", "0"), ("Sun 7", "1")]


def _kpi(name, target, direction, values):
    kpi = Kpi.objects.create(name=name, slug=name.lower().replace(" ", "-"), definition=name, unit="n",
                             target=target, direction=direction)
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(kpi=kpi, period_start=D(2026, month, 1), value=value)
    return kpi


def test_kpis_off_target_by_their_latest_measurement(viewer):
    _kpi("Leads", 200, "higher", [150, 180])  # latest 180 of at least 200: 90 %
    _kpi("Cost per lead", 50, "lower", [40, 60])  # latest 60 of at most 50: 120 %
    _kpi("NPS", 40, "higher", [30, 45])  # latest 45: on target
    _kpi("Unmeasured", 10, "higher", [])
    _kpi("No target", None, "higher", [1])

    chart = charts.kpis_off_target(viewer)

    assert chart.rows == [("Cost per lead", "120 % of the target (at most 100 %)"),
                          ("Leads", "90 % of the target (at least 100 %)")]
    assert "120 %" in chart.svg and "90 %" in chart.svg


@pytest.fixture
def spend_stack():
    cdp = Category.objects.get(name="Customer Data Platforms")  # group: Data
    email = Category.objects.get(name="Email Marketing")  # group: Content & Experience
    segment = ComponentFactory(name="Segment", category=cdp)
    mailer = ComponentFactory(name="Mailer", category=email)
    ContractFactory(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), annual_value=12000, currency="USD",
                    components=[segment])
    # half a year: 1 Jan to 30 Jun 2026 is 181 of 365 days, 7,300 × 181 / 365 = 3,620 EUR
    ContractFactory(start_date=D(2026, 1, 1), end_date=D(2026, 6, 30), annual_value=7300, currency="EUR",
                    components=[mailer])
    return {"segment": segment, "mailer": mailer}


def test_spend_by_category_for_those_who_see_all_money(spend_stack, admin_user):
    chart = charts.spend(admin_user, 2026)
    assert chart.title == "Spend by category, 2026"
    assert chart.rows == [("Content & Experience", "3,620 EUR"), ("Data", "12,000 USD")]
    assert chart.svg is not None


def test_spend_shows_an_owner_only_their_components_and_others_nothing(spend_stack, viewer):
    owner = UserFactory(username="owner")
    set_role(owner, "viewer")
    spend_stack["segment"].business_owner = PersonFactory(user=owner)
    spend_stack["segment"].save(update_fields=["business_owner"])

    mine = charts.spend(owner, 2026)
    assert mine.title == "Spend on your components, 2026"
    assert mine.rows == [("Data", "12,000 USD")]

    nothing = charts.spend(viewer, 2026)
    assert nothing.svg is None and nothing.rows == []
    assert nothing.note.startswith("Spend is shown to Finance, Procurement, Legal")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_shows_the_charts_and_no_money_to_a_viewer(spend_stack, viewer, admin_user):
    content = _client(admin_user).get(reverse("dashboard")).content.decode()
    for key in ("spend", "deadlines", "requests", "changes", "kpis"):
        assert f'data-testid="chart-{key}"' in content
    assert "12,000 USD" in content and "<svg" in content

    content = _client(viewer).get(reverse("dashboard")).content.decode()
    assert 'data-testid="chart-spend"' in content
    for figure in ("12,000", "12000", "3,620", "3620"):
        assert figure not in content


def test_dashboard_runs_a_constant_number_of_queries(admin_user):
    client = _client(admin_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(captured)

    cdp = Category.objects.get(name="Customer Data Platforms")

    def add(n):
        component = ComponentFactory(category=cdp)
        ContractFactory(components=[component], start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
        RequestFactory(status="planned" if n % 2 else "submitted")
        ChangeRequestFactory()
        _kpi(f"KPI {n}", 10, "higher", [5, 6])

    add(0)
    queries()  # warm the per-process caches (the relation graph, settings)
    few = queries()
    for n in range(1, 13):
        add(n)
    many = queries()
    assert many == few
