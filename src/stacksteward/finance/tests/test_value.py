import datetime
from decimal import Decimal

import pytest

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.finance.models import (
    CostEntry,
    Criterion,
    Kpi,
    Measurement,
    Score,
    Selection,
    SelectionCandidate,
    ValueScore,
)
from stacksteward.finance.money import Money
from stacksteward.finance.roi import investments
from stacksteward.finance.scoring import selection_totals
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

from .factories import ContractFactory

D = datetime.date


# Weighted scoring --------------------------------------------------------------------------------

def test_weighted_totals_overall_and_per_department(db):
    marketing = DepartmentFactory(name="Marketing")
    it = DepartmentFactory(name="IT")
    selection = Selection.objects.create(title="New webinar platform")
    a = SelectionCandidate.objects.create(selection=selection, name="Alpha")
    b = SelectionCandidate.objects.create(selection=selection, name="Beta")
    fit = Criterion.objects.create(selection=selection, department=marketing, name="Fit", weight=3)
    integration = Criterion.objects.create(selection=selection, department=it, name="Integration", weight=1)
    mia, max_, ivo = PersonFactory(), PersonFactory(), PersonFactory()
    for reviewer, score in ((mia, 5), (max_, 3)):  # marketing average 4 for Alpha
        Score.objects.create(criterion=fit, candidate=a, reviewer=reviewer, score=score)
    Score.objects.create(criterion=integration, candidate=a, reviewer=ivo, score=2)
    Score.objects.create(criterion=fit, candidate=b, reviewer=mia, score=3)
    Score.objects.create(criterion=integration, candidate=b, reviewer=ivo, score=5)
    totals = {t.candidate.name: t for t in selection_totals(selection)}
    # Alpha: (3 × 4 + 1 × 2) / 4 = 3.5; Beta: (3 × 3 + 1 × 5) / 4 = 3.5
    assert totals["Alpha"].overall == Decimal("3.50")
    assert totals["Alpha"].by_department == {"IT": Decimal("2.00"), "Marketing": Decimal("4.00")}
    assert totals["Beta"].by_department == {"IT": Decimal("5.00"), "Marketing": Decimal("3.00")}


def test_unscored_criteria_are_missing_not_zero(db):
    selection = Selection.objects.create(title="CDP")
    a = SelectionCandidate.objects.create(selection=selection, name="Alpha")
    c1 = Criterion.objects.create(selection=selection, department=DepartmentFactory(), name="One", weight=1)
    Criterion.objects.create(selection=selection, department=DepartmentFactory(), name="Two", weight=1)
    Score.objects.create(criterion=c1, candidate=a, reviewer=PersonFactory(), score=4)
    [total] = selection_totals(selection)
    assert (total.overall, total.missing) == (Decimal("4.00"), 1)


def test_no_scores_and_zero_weights_give_no_total(db):
    selection = Selection.objects.create(title="DAM")
    a = SelectionCandidate.objects.create(selection=selection, name="Alpha")
    c = Criterion.objects.create(selection=selection, department=DepartmentFactory(), name="One", weight=0)
    assert selection_totals(selection)[0].overall is None
    Score.objects.create(criterion=c, candidate=a, reviewer=PersonFactory(), score=5)
    assert selection_totals(selection)[0].overall is None


# Money -------------------------------------------------------------------------------------------

def test_money_never_mixes_currencies_without_a_rate(settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    money = Money.of([(Decimal(100), "USD"), (Decimal(50), "EUR"), (Decimal(1), "USD")])
    assert str(money) == "50.00 EUR + 101.00 USD"
    assert money.convert() == (None, ["EUR"])
    settings.STEWARD_FX_RATES = {"EUR": "1.10"}
    assert money.convert() == (Decimal("156.00"), [])


# ROI ---------------------------------------------------------------------------------------------

@pytest.fixture
def crm(db, settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    settings.STEWARD_INTERNAL_RATE = "100"
    return ComponentFactory(name="CRM", seats_purchased=100, seats_used=40)


def revenue_kpi(components, values, currency="USD"):
    kpi = Kpi.objects.create(name=f"Pipeline {currency}", slug=f"pipeline-{currency.lower()}", definition="x",
                             unit="USD", value_kind="money", currency=currency)
    kpi.components.set(components)
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(kpi=kpi, period_start=D(2027, month, 1), value=value)
    return kpi


def test_roi_from_licence_services_internal_cost_and_money_kpis(crm):
    ContractFactory(components=[crm], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), annual_value=36500)
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=5000, currency="USD")
    CostEntry.objects.create(component=crm, year=2027, kind="internal", hours=35, currency="USD")
    revenue_kpi([crm], [20000, 30000, 40000])
    inv = investments(2027)[crm.pk]
    assert inv.cost.convert() == (Decimal("45000.00"), [])  # 36,500 + 5,000 + 35 h × 100
    roi, formula = inv.roi
    assert roi == Decimal("1.0000")  # (90,000 − 45,000) ÷ 45,000
    assert formula == "(90,000.00 − 45,000.00) ÷ 45,000.00 USD = 100.0 %"
    assert inv.seat_utilisation == 0.4


def test_licence_is_prorated_to_the_year_and_split_over_components(crm):
    other = ComponentFactory()
    ContractFactory(components=[crm, other], start_date=D(2027, 7, 1), end_date=D(2028, 6, 30), annual_value=36500)
    inv = investments(2027)[crm.pk]
    # 184 days of 2027 (1 Jul – 31 Dec) of 36,500 a year, split over two components
    assert inv.licence.convert() == (Decimal("9200.00"), [])


def test_roi_with_zero_cost_and_with_zero_value(crm):
    revenue_kpi([crm], [1000])
    assert investments(2027)[crm.pk].roi == (None, "No cost recorded: ROI is not defined.")
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=1000, currency="USD")
    Measurement.objects.filter(kpi__slug="pipeline-usd").update(value=0)
    roi, _formula = investments(2027)[crm.pk].roi
    assert roi == Decimal("-1.0000")


def test_roi_refuses_mixed_currencies_without_a_rate(crm, settings):
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=1000, currency="USD")
    revenue_kpi([crm], [5000], currency="EUR")
    roi, reason = investments(2027)[crm.pk].roi
    assert roi is None and "EUR" in reason
    settings.STEWARD_FX_RATES = {"EUR": "1.2"}
    assert investments(2027)[crm.pk].roi[0] == Decimal("5.0000")  # (6,000 − 1,000) ÷ 1,000


def test_cost_per_unit_and_value_score_where_value_is_not_money(crm):
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=1000, currency="USD")
    leads = Kpi.objects.create(name="Leads", slug="leads", definition="MQLs", unit="leads", value_kind="count")
    leads.components.set([crm])
    Measurement.objects.create(kpi=leads, period_start=D(2027, 1, 1), value=40)
    ValueScore.objects.create(component=crm, year=2027, scorer=PersonFactory(), score=4, reasons="Sales rely on it.")
    inv = investments(2027)[crm.pk]
    assert inv.cost_per_unit == {"leads": (Decimal("25.00"), "1,000.00 USD ÷ 40 leads = 25.00")}
    assert inv.roi[0] is None
    assert inv.value_score == Decimal("4.0")


def test_investments_query_count_is_constant(crm, django_assert_max_num_queries):
    for n in range(10):
        component = ComponentFactory()
        ContractFactory(components=[component], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31))
        CostEntry.objects.create(component=component, year=2027, kind="services", amount=10, currency="USD")
    with django_assert_max_num_queries(7):
        result = investments(2027)
    assert len(result) == 11


# Services: scores, decisions, measurements -------------------------------------------------------

@pytest.fixture
def reviewers(db):
    from stacksteward.core.roles import set_role
    from stacksteward.org.tests.factories import UserFactory

    people = {}
    for username, kind in (("mia", "marketing"), ("ivo", "it")):
        user = UserFactory(username=username)
        set_role(user, "editor")
        PersonFactory(user=user, department=DepartmentFactory(name=kind.upper(), kind=kind))
        people[username] = user
    return people


def test_reviewers_score_their_own_departments_criteria_and_rescoring_replaces(reviewers):
    from django.core.exceptions import PermissionDenied, ValidationError

    from stacksteward.finance import services

    selection = Selection.objects.create(title="Webinar platform")
    alpha = SelectionCandidate.objects.create(selection=selection, name="Alpha")
    fit = Criterion.objects.create(selection=selection, department=reviewers["mia"].person.department, name="Fit",
                                   weight=2)
    with pytest.raises(PermissionDenied):
        services.score_record(actor=reviewers["ivo"], criterion=fit, candidate=alpha, score=5)
    services.score_record(actor=reviewers["mia"], criterion=fit, candidate=alpha, score=3)
    services.score_record(actor=reviewers["mia"], criterion=fit, candidate=alpha, score=4, comment="Better demo.")
    assert list(Score.objects.values_list("score", "comment")) == [(4, "Better demo.")]
    with pytest.raises(ValidationError) as exc:
        services.score_record(actor=reviewers["mia"], criterion=fit, candidate=alpha, score=6)
    assert "score" in exc.value.message_dict


def test_deciding_a_selection_creates_a_pilot_component_and_a_draft_contract(reviewers):
    from django.core.exceptions import ValidationError

    from stacksteward.catalog.models import Component
    from stacksteward.catalog.tests.factories import VendorFactory
    from stacksteward.finance import services
    from stacksteward.finance.models import Contract

    selection = Selection.objects.create(title="Webinar platform")
    vendor = VendorFactory(name="Hopin")
    alpha = SelectionCandidate.objects.create(selection=selection, name="Hopin Events", vendor=vendor)
    with pytest.raises(ValidationError) as exc:
        services.selection_decide(selection, actor=reviewers["ivo"], chosen=alpha, reasons=" ")
    assert "decision_reasons" in exc.value.message_dict
    services.selection_decide(selection, actor=reviewers["ivo"], chosen=alpha, reasons="Best integration score.",
                              dissent="Marketing preferred Beta's editor.", create_component=True)
    selection.refresh_from_db()
    assert (selection.status, selection.chosen, selection.dissent) == ("decided", alpha,
                                                                       "Marketing preferred Beta's editor.")
    component = Component.objects.get(name="Hopin Events")
    assert component.lifecycle == "pilot" and component.vendor == vendor
    contract = Contract.objects.get(vendor=vendor)
    assert contract.status == "draft" and list(contract.components.all()) == [component]


def test_measurements_replace_the_same_period_and_note_their_source(reviewers):
    from stacksteward.core.choices import AuditSourceChoices
    from stacksteward.finance import services

    kpi = Kpi.objects.create(name="Leads", slug="leads", definition="MQLs", unit="leads")
    services.measurement_record(actor=reviewers["mia"], kpi=kpi, period_start=D(2027, 1, 1), value=10)
    services.measurement_record(actor=reviewers["mia"], kpi=kpi, period_start=D(2027, 1, 1), value=12,
                                source=AuditSourceChoices.API)
    assert list(Measurement.objects.values_list("value", "source")) == [(Decimal("12.00"), "api")]


def test_value_score_by_the_business_owner_only(reviewers):
    from django.core.exceptions import PermissionDenied

    from stacksteward.finance import services

    component = ComponentFactory(business_owner=reviewers["mia"].person)
    with pytest.raises(PermissionDenied):
        services.value_score_record(actor=reviewers["ivo"], component=component, year=2027, score=2, reasons="x")
    score = services.value_score_record(actor=reviewers["mia"], component=component, year=2027, score=4,
                                        reasons="Sales rely on it every day.")
    assert score.scorer == reviewers["mia"].person


def test_a_batch_of_measurements_is_all_or_nothing_with_the_item_named(reviewers):
    from django.core.exceptions import ValidationError

    from stacksteward.finance import services

    kpi = Kpi.objects.create(name="Leads", slug="leads", definition="MQLs", unit="leads")
    services.measurement_record(actor=reviewers["mia"], kpi=kpi, period_start=D(2027, 1, 1), value=5)
    with pytest.raises(ValidationError) as exc:
        services.measurements_record(actor=reviewers["mia"], kpi=kpi, items=[
            {"period_start": D(2027, 2, 1), "value": 7}, {"period_start": D(2027, 2, 1), "value": 8}])
    assert "items.1.period_start" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.measurements_record(actor=reviewers["mia"], kpi=kpi, items=[
            {"period_start": D(2027, 3, 1), "value": 7}, {"period_start": D(2027, 4, 1), "value": "many"}])
    assert "items.1.value" in exc.value.message_dict
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("5.00")]
    recorded, replaced = services.measurements_record(actor=reviewers["mia"], kpi=kpi, items=[
        {"period_start": D(2027, 1, 1), "value": 6}, {"period_start": D(2027, 2, 1), "value": 7}])
    assert (len(recorded), replaced) == (2, 1)


@pytest.mark.parametrize(("direction", "value", "met"), [
    ("higher", Decimal(100), True), ("higher", Decimal(99), False), ("lower", Decimal(100), True),
    ("lower", Decimal(101), False), ("higher", None, None),
])
def test_kpi_on_target_follows_its_direction(direction, value, met):
    assert Kpi(direction=direction, target=Decimal(100)).on_target(value) is met
    assert Kpi(direction=direction, target=None).on_target(Decimal(1)) is None


def test_budget_actuals_count_a_categorys_sub_categories(crm):
    from stacksteward.catalog.tests.factories import CategoryFactory
    from stacksteward.finance.models import Budget
    from stacksteward.finance.roi import budget_actuals

    group = CategoryFactory(name="Data")
    crm.category = CategoryFactory(name="CRM & CDP", parent=group)
    crm.save()
    other = ComponentFactory(category=CategoryFactory(name="Content"))
    for component in (crm, other):
        CostEntry.objects.create(component=component, year=2027, kind="services", amount=1000, currency="USD")
    on_group = Budget.objects.create(year=2027, category=group, amount=5000, currency="USD")
    on_crm = Budget.objects.create(year=2027, component=crm, amount=800, currency="USD")
    actuals = budget_actuals(2027, [on_group, on_crm])
    assert actuals[on_group.pk] == (Money.of([(Decimal(1000), "USD")]), {crm.pk})
    assert actuals[on_crm.pk][1] == {crm.pk}
