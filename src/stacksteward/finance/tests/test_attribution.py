"""Money figures a finance person accepts: a KPI's value and a contract's cost are split over their components
by a stated rule, exact to the cent, and never counted twice; seat utilisation compares one term on one date;
a closed term gets no advice. Every figure below is computed by hand in the comment next to it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.finance import services
from stacksteward.finance.brief import Utilisation, brief_for, contract_utilisation
from stacksteward.finance.models import Budget, Contract, CostEntry, Kpi, Measurement
from stacksteward.finance.money import split
from stacksteward.finance.roi import allocation, attribution, budget_actuals, investments, portfolio

from .factories import ContractFactory

D = datetime.date
Y = 2027
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def usd(settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    settings.STEWARD_INTERNAL_RATE = "100"


@pytest.fixture
def tools(db):
    return {slug: ComponentFactory(name=slug.capitalize(), slug=slug) for slug in ("crm", "abm", "attribution")}


def pipeline(tools, **extra) -> Kpi:
    kpi = Kpi.objects.create(name="Pipeline", slug="pipeline", definition="Opportunities.", unit="USD",
                             value_kind="money", currency="USD", **extra)
    kpi.components.set(tools.values())
    for month, value in ((1, "20000"), (2, "30000"), (3, "40000")):  # 90,000 USD in 2027
        Measurement.objects.create(kpi=kpi, period_start=D(Y, month, 1), value=Decimal(value))
    return kpi


# Splitting to the cent ---------------------------------------------------------------------------------

def test_split_gives_the_leftover_cents_to_the_largest_remainders():
    # 100.00 ÷ 3 = 33.333…: 3 × 33.33 = 99.99, the one cent left goes to the first part
    assert split(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    # 10.00 in 1 : 2 = 3.333… and 6.666…: 3.33 + 6.66 = 9.99; the second loses more (0.666), gets the cent
    assert split(Decimal("10.00"), [1, 2]) == [Decimal("3.33"), Decimal("6.67")]
    # 90,000 at 40 / 35 / 25 % = 36,000 + 31,500 + 22,500
    assert split(Decimal("90000"), [40, 35, 25]) == [Decimal("36000.00"), Decimal("31500.00"), Decimal("22500.00")]
    assert split(Decimal("-0.05"), [1, 1]) == [Decimal("-0.03"), Decimal("-0.02")]
    assert split(Decimal("7.00"), [0, 1]) == [Decimal("0.00"), Decimal("7.00")]
    with pytest.raises(ValueError):
        split(Decimal(1), [0, 0])


# ROI: a KPI's value is attributed, not credited in full ---------------------------------------------------

def test_equal_split_is_the_default_and_the_parts_add_up_to_the_whole(tools):
    kpi = pipeline(tools)
    found = investments(Y)
    # 90,000 ÷ 3 = 30,000 each; together 90,000 — the KPI's value once
    assert [found[c.pk].value.amounts["USD"] for c in tools.values()] == [Decimal("30000.00")] * 3
    assert attribution(kpi).label == "equal split over the 3 components it measures"
    [part] = found[tools["crm"].pk].value_parts
    assert (part.share_label, part.year_total, part.amount) == ("33.33 %", Decimal("90000"), Decimal("30000.00"))
    assert portfolio(found.values()).value.amounts == {"USD": Decimal("90000.00")}


def test_explicit_shares_attribute_the_value_and_the_roi_uses_only_the_share(tools):
    pipeline(tools, attribution="shares", attribution_shares={"crm": "40", "abm": "35", "attribution": "25"})
    ContractFactory(components=[tools["crm"]], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31), annual_value=12000)
    ContractFactory(components=[tools["abm"]], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31), annual_value=10500)
    found = investments(Y)
    crm, abm = found[tools["crm"].pk], found[tools["abm"].pk]
    # CRM: 40 % of 90,000 = 36,000; ROI = (36,000 − 12,000) ÷ 12,000 = 200.0 %
    assert crm.value.amounts["USD"] == Decimal("36000.00")
    assert crm.roi == (Decimal("2.0000"), "(36,000.00 − 12,000.00) ÷ 12,000.00 USD = 200.0 %")
    # ABM: 35 % = 31,500; ROI = (31,500 − 10,500) ÷ 10,500 = 200.0 %
    assert abm.roi[0] == Decimal("2.0000")
    assert found[tools["attribution"].pk].value.amounts["USD"] == Decimal("22500.00")
    assert crm.value_parts[0].basis == "explicit shares: Crm 40 %, Abm 35 %, Attribution 25 %"
    total = portfolio(found.values())
    # value 90,000 once; cost 12,000 + 10,500 = 22,500; ROI = (90,000 − 22,500) ÷ 22,500 = 300.0 %
    assert total.value.amounts == {"USD": Decimal("90000.00")}
    assert total.roi == (Decimal("3.0000"), "(90,000.00 − 22,500.00) ÷ 22,500.00 USD = 300.0 %")


def test_a_money_kpi_without_measurements_this_year_says_so(tools):
    kpi = pipeline(tools)
    ContractFactory(components=[tools["crm"]], start_date=D(Y + 1, 1, 1), end_date=D(Y + 1, 12, 31))
    roi, reason = investments(Y + 1)[tools["crm"].pk].roi
    assert roi is None
    assert reason == f"“Pipeline” has no measurements for {Y + 1} yet: no ROI until it is measured."
    kpi.components.clear()
    assert investments(Y + 1)[tools["crm"].pk].roi[1] == "No money KPI measures this component: see the value score."


def test_count_kpis_are_split_by_the_same_rule(tools):
    leads = Kpi.objects.create(name="Leads", slug="leads", definition="MQLs.", unit="leads", value_kind="count",
                               attribution="shares", attribution_shares={"crm": "50", "abm": "50"})
    leads.components.set([tools["crm"], tools["abm"]])
    Measurement.objects.create(kpi=leads, period_start=D(Y, 1, 1), value=900)
    ContractFactory(components=[tools["crm"]], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31), annual_value=9000)
    # 900 leads, half to the CRM: 450; 9,000 ÷ 450 = 20.00 USD a lead
    assert investments(Y)[tools["crm"].pk].cost_per_unit["leads"][0] == Decimal("20.00")


# The attribution rule is validated in the service -------------------------------------------------------

@pytest.fixture
def admin(db, admin_user):
    return admin_user


def kpi_data(tools, **extra) -> dict:
    return {"name": "Pipeline", "slug": "pipeline", "definition": "Opportunities.", "unit": "USD",
            "value_kind": "money", "currency": "USD", "components": list(tools.values()), **extra}


@pytest.mark.parametrize(("shares", "message"), [
    ({"crm": "40", "abm": "35", "attribution": "24"}, "The shares add up to 99 %, not 100 %."),
    ({"crm": "40", "abm": "60"}, "Give a share for every component it covers; missing: attribution."),
    ({"crm": "40", "abm": "35", "attribution": "25", "cdp": "0"}, "Shares name components it does not cover: cdp."),
    ({"crm": "33.333", "abm": "33.333", "attribution": "33.334"}, "Shares: the share of crm has more than two "
                                                                   "decimals; the share of abm has more than two "
                                                                   "decimals; the share of attribution has more "
                                                                   "than two decimals."),
    ({"crm": "lots", "abm": "50", "attribution": "50"}, "Shares: “lots” for crm is not a number."),
    ({"crm": "-10", "abm": "60", "attribution": "50"}, "Shares: the share of crm must be from 0 to 100 %."),
])
def test_shares_that_are_not_a_whole_are_refused_naming_the_field(tools, admin, shares, message):
    with pytest.raises(ValidationError) as caught:
        services.kpi_create(actor=admin, data=kpi_data(tools, attribution="shares", attribution_shares=shares))
    assert caught.value.message_dict == {"attribution_shares": [message]}
    assert not Kpi.objects.exists()


def test_decimal_shares_that_sum_to_100_are_stored_exactly(tools, admin):
    kpi = services.kpi_create(actor=admin, data=kpi_data(tools, attribution="shares", attribution_shares={
        "crm": "33.33", "abm": Decimal("33.33"), "attribution": "33.34 %"}))
    assert kpi.attribution_shares == {"abm": "33.33", "attribution": "33.34", "crm": "33.33"}
    # Dropping a component without new shares leaves the shares incomplete: refused, nothing changed
    with pytest.raises(ValidationError) as caught:
        services.kpi_update(kpi, actor=admin, data={"components": [tools["crm"], tools["abm"]]}, expected_version=1)
    assert list(caught.value.message_dict) == ["attribution_shares"]
    with pytest.raises(ValidationError) as caught:
        services.kpi_update(kpi, actor=admin, data={"attribution": "equal", "attribution_shares": {"crm": "1"}},
                            expected_version=1)
    assert list(caught.value.message_dict) == ["attribution_shares"]
    kpi = services.kpi_update(kpi, actor=admin, data={"attribution": "equal"}, expected_version=1)
    assert (kpi.attribution, kpi.attribution_shares, kpi.version) == ("equal", {}, 2)


def test_the_api_takes_and_shows_the_rule_and_names_the_field_on_error(tools, admin, api_as):
    api = api_as(admin)
    body = {"name": "Pipeline", "definition": "Opportunities.", "unit": "USD", "value_kind": "money",
            "currency": "USD", "components": ["crm", "abm", "attribution"], "attribution": "shares",
            "attribution_shares": {"crm": "50", "abm": "30", "attribution": "10"}}
    response = api.post_json("/api/kpis", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["attribution_shares"]
    response = api.post_json("/api/kpis", {**body, "attribution_shares": {"crm": 50, "abm": 30, "attribution": 20}})
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["attribution"] == "shares"
    assert out["attribution_shares"] == {"abm": "30.00", "attribution": "20.00", "crm": "50.00"}
    assert out["attribution_basis"] == "explicit shares: Crm 50 %, Abm 30 %, Attribution 20 %"
    kpi = Kpi.objects.get(slug="pipeline")
    Measurement.objects.create(kpi=kpi, period_start=D(Y, 1, 1), value=1000)
    response = api.get(f"/api/investments?year={Y}&component=crm")
    [row] = response.json()["items"]
    # 50 % of 1,000 = 500
    assert row["value"] == [{"amount": "500.00", "currency": "USD"}]
    assert row["value_parts"] == [{"kpi": "pipeline", "amount": "500.00", "unit": "USD", "year_total": "1000.00",
                                   "share": "0.500000", "basis": out["attribution_basis"]}]


# Budgets: a contract's cost split by a stated basis -----------------------------------------------------

def shared_contract(components, **extra) -> Contract:
    return ContractFactory(components=components, start_date=D(Y, 1, 1), end_date=D(Y, 12, 31),
                           annual_value=Decimal("30000"), **extra)


def test_a_contract_is_split_as_it_says_else_by_seats_else_equally(db):
    a = ComponentFactory(name="A", slug="a", seats_purchased=10)
    b = ComponentFactory(name="B", slug="b", seats_purchased=20)
    c = ComponentFactory(name="C", slug="c")
    by_seats = shared_contract([a, b])
    # 30,000 by 10 : 20 seats = 10,000 + 20,000
    assert allocation(by_seats).label == "by seats purchased: A 10, B 20"
    assert investments(Y, [a.pk, b.pk])[b.pk].licence.amounts["USD"] == Decimal("20000.00")
    by_seats.allocation_shares = {"a": "75", "b": "25"}
    by_seats.save()
    # as the contract says: 75 % = 22,500 and 25 % = 7,500
    found = investments(Y, [a.pk, b.pk])
    assert (found[a.pk].licence.amounts["USD"], found[b.pk].licence.amounts["USD"]) == (
        Decimal("22500.00"), Decimal("7500.00"))
    assert found[a.pk].licence_parts[0].basis == "as the contract says: A 75 %, B 25 %"
    Contract.objects.all().delete()
    equal = shared_contract([a, b, c])  # C records no seats: equally, 10,000 each
    assert allocation(equal).basis == "equal"
    found = investments(Y)
    assert [found[x.pk].licence.amounts["USD"] for x in (a, b, c)] == [Decimal("10000.00")] * 3
    assert portfolio(found.values()).cost.amounts == {"USD": Decimal("30000.00")}


def test_budgets_compare_with_the_allocated_cost_not_an_even_split(db):
    # The case: one 272,000 contract over a CRM (186,000), BI (38,000) and chat (48,000). An even split
    # put 90,666.67 on each, so BI showed 239 % and chat 189 % of their budgets.
    crm = ComponentFactory(name="CRM", slug="crm", seats_purchased=120)
    bi = ComponentFactory(name="BI", slug="bi", seats_purchased=60)
    chat = ComponentFactory(name="Chat", slug="chat", seats_purchased=400)
    ContractFactory(components=[crm, bi, chat], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31),
                    annual_value=Decimal("272000"),
                    allocation_shares={"crm": "68.38", "bi": "13.97", "chat": "17.65"})
    budgets = [Budget.objects.create(year=Y, component=x, amount=amount, currency="USD")
               for x, amount in ((crm, 186000), (bi, 38000), (chat, 48000))]
    actuals = budget_actuals(Y, budgets)
    # 272,000 × 68.38 % = 185,993.60; × 13.97 % = 37,998.40; × 17.65 % = 48,008.00; together 272,000.00
    assert [actuals[b.pk][0].amounts["USD"] for b in budgets] == [
        Decimal("185993.60"), Decimal("37998.40"), Decimal("48008.00")]
    # compared on the same basis: 100.0 %, 100.0 %, 100.0 % of budget (to the tenth)
    assert [round(actuals[b.pk][0].amounts["USD"] / b.amount * 100, 1) for b in budgets] == [
        Decimal("100.0"), Decimal("100.0"), Decimal("100.0")]


def test_contract_shares_are_validated_by_the_service(db, admin_user):
    a, b = ComponentFactory(slug="a"), ComponentFactory(slug="b")
    data = {"vendor": VendorFactory(), "components": [a, b], "reference": "R-1", "start_date": D(Y, 1, 1),
            "end_date": D(Y, 12, 31), "annual_value": Decimal("1000"), "currency": "USD",
            "allocation_shares": {"a": "70", "b": "20"}}
    with pytest.raises(ValidationError) as caught:
        services.contract_create(actor=admin_user, data=data)
    assert caught.value.message_dict == {"allocation_shares": ["The shares add up to 90 %, not 100 %."]}
    contract = services.contract_create(actor=admin_user, data={**data, "allocation_shares": {"a": "70", "b": "30"}})
    assert contract.allocation_shares == {"a": "70.00", "b": "30.00"}


def test_budget_page_shows_the_basis_of_a_shared_contract(db, admin_user):
    a = ComponentFactory(name="Alpha", slug="a")
    b = ComponentFactory(name="Beta", slug="b")
    ContractFactory(reference="SHARED-1", components=[a, b], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31),
                    annual_value=Decimal("30000"), allocation_shares={"a": "75", "b": "25"})
    Budget.objects.create(year=Y, component=a, amount=22500, currency="USD")
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("finance:budget"), {"year": Y}).content.decode()
    assert "75 % of SHARED-1 (30,000 USD), stated shares" in page
    assert 'title="as the contract says: Alpha 75 %, Beta 25 %"' in page
    assert "22,500 USD" in page and "100%" in page  # 22,500 of 22,500 planned


def test_investments_page_shows_each_share_and_a_total_that_counts_the_value_once(tools, admin_user):
    pipeline(tools, attribution="shares", attribution_shares={"crm": "40", "abm": "35", "attribution": "25"})
    ContractFactory(components=[tools["crm"]], start_date=D(Y, 1, 1), end_date=D(Y, 12, 31), annual_value=12000)
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("finance:investments"), {"year": Y}).content.decode()
    assert 'title="explicit shares: Crm 40 %, Abm 35 %, Attribution 25 %"' in page
    assert "#attribution\">Pipeline</a> (90,000 USD), stated shares" in page
    assert "(36,000.00 − 12,000.00) ÷ 12,000.00 USD = 200.0 %" in page  # the CRM: (36,000 − 12,000) ÷ 12,000
    # all tools: (90,000 − 12,000) ÷ 12,000 = 650.0 %
    assert "(90,000.00 − 12,000.00) ÷ 12,000.00 USD = 650.0 %" in page
    kpi_page = client.get(reverse("finance:kpi", args=["pipeline"])).content.decode()
    assert "Explicit shares per component" in kpi_page and "35 %" in kpi_page


# Seat utilisation: one term, one date ---------------------------------------------------------------------

def term(components, *, start, end, seats=None, status="active", **extra) -> Contract:
    return ContractFactory(components=components, start_date=start, end_date=end, seats=seats, status=status,
                           **extra)


def this_term():
    return D(TODAY.year, 1, 1), D(TODAY.year, 12, 31)


def test_utilisation_of_a_shared_contract_uses_each_components_own_seats(db):
    # The case: 525 seats used in three tools against the 110 seats of the CRM's earlier term = 477 %.
    crm = ComponentFactory(name="CRM", seats_purchased=120, seats_used=112)
    bi = ComponentFactory(name="BI", seats_purchased=60, seats_used=41)
    chat = ComponentFactory(name="Chat", seats_purchased=400, seats_used=372)
    start, end = this_term()
    earlier = term([crm, bi, chat], start=start.replace(year=start.year - 1), end=end.replace(year=end.year - 1),
                   seats=110, status="renewed")
    current = term([crm, bi, chat], start=start, end=end, seats=120, previous=earlier)
    use = contract_utilisation(current, [crm, bi, chat], TODAY)
    # (112 + 41 + 372) ÷ (120 + 60 + 400) = 525 ÷ 580 = 90.5 %
    assert (use.used, use.bought) == (525, 580)
    assert use.summary == "91 % — 525 of 580 seats are used."
    assert [(line.used, line.bought) for line in use.lines] == [(112, 120), (41, 60), (372, 400)]
    old = contract_utilisation(earlier, [crm, bi, chat], TODAY)
    assert old.ratio is None
    assert old.summary == (f"Seats used are counted for today; this term ended on 31 Dec {TODAY.year - 1}, so its "
                           "utilisation cannot be measured.")


def test_over_deployment_is_shown_with_its_numbers(db):
    tool = ComponentFactory(name="Chat", seats_purchased=150, seats_used=130)
    start, end = this_term()
    use = contract_utilisation(term([tool], start=start, end=end, seats=100), [tool], TODAY)
    # 130 ÷ 100 = 130 %, 30 seats more than bought
    assert use.over_deployed
    assert use.summary == ("Over-deployed: 130 seats in use for 100 bought — 30 more than the contract pays for "
                           "(130 %).")
    within = contract_utilisation(term([tool], start=start, end=end), [tool], TODAY)
    # no seats in the contract: the component's 130 of 150 = 86.7 %
    assert (within.ratio, within.over_deployed) == (130 / 150, False)


def test_utilisation_bounds_and_words():
    assert Utilisation(0, 10, "").summary == "0 % — 0 of 10 seats are used."
    assert Utilisation(10, 10, "").ratio == 1.0 and not Utilisation(10, 10, "").over_deployed
    assert Utilisation(None, 10, "").ratio is None and Utilisation(5, 0, "").ratio is None


# A closed term gets no advice ----------------------------------------------------------------------------

def test_a_renewed_terms_brief_gives_no_notice_advice_and_points_to_the_current_term(db, admin_user):
    tool = ComponentFactory(name="CRM", seats_purchased=100, seats_used=90)
    start, end = this_term()
    earlier = term([tool], start=start.replace(year=start.year - 1), end=end.replace(year=end.year - 1), seats=100,
                   status="renewed", reference="OLD-1")
    current = term([tool], start=start, end=end, seats=100, previous=earlier, reference="NEW-2",
                   notice_period_days=30)
    brief = brief_for(admin_user, earlier.pk, today=TODAY)
    assert brief.options == [] and brief.current_term == current
    assert brief.closed_note == (
        f"This term was renewed; it ends on 31 Dec {TODAY.year - 1}. Nothing is left to decide on it: the advice "
        f"follows the current term, NEW-2 (1 Jan {TODAY.year} – 31 Dec {TODAY.year}, notice deadline "
        f"1 Dec {TODAY.year}).")
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("finance:contract_brief", args=[earlier.pk])).content.decode()
    assert "at once" not in page and "Give notice" not in page
    assert reverse("finance:contract_brief", args=[current.pk]) in page
    live = brief_for(admin_user, current.pk, today=TODAY)
    assert len(live.options) == 5 and live.closed_note == ""


def test_internal_hours_are_priced_once_per_component(tools):
    CostEntry.objects.create(component=tools["crm"], year=Y, kind="internal", hours=Decimal("35"))
    # 35 h × 100 = 3,500 USD on the CRM only
    found = investments(Y)
    assert found[tools["crm"].pk].internal.amounts == {"USD": Decimal("3500.00")}
    assert portfolio(found.values()).cost.amounts == {"USD": Decimal("3500.00")}


def test_two_terms_of_one_contract_in_a_year_show_as_one_share(db):
    a, b = ComponentFactory(name="A", slug="a"), ComponentFactory(name="B", slug="b")
    first = ContractFactory(reference="TWO-TERMS", components=[a, b], start_date=D(Y, 1, 1), end_date=D(Y, 6, 30),
                            annual_value=Decimal("36500"), allocation_shares={"a": "50", "b": "50"}, status="renewed")
    ContractFactory(reference="TWO-TERMS", components=[a, b], start_date=D(Y, 7, 1), end_date=D(Y, 12, 31),
                    annual_value=Decimal("36500"), allocation_shares={"a": "50", "b": "50"}, previous=first)
    # 36,500 × 181 ÷ 365 = 18,100 and 36,500 × 184 ÷ 365 = 18,400: 36,500 in the year, half on A = 18,250
    [part] = investments(Y)[a.pk].licence_parts
    assert (part.amount, part.year_total, part.share_label, part.short) == (
        Decimal("18250.00"), Decimal("36500.00"), "50 %", "stated shares")


def test_the_kpi_form_takes_shares_one_a_line_and_shows_the_error_on_the_field(tools, admin_user):
    client = Client()
    client.force_login(admin_user)
    form = {"name": "Pipeline", "slug": "pipeline", "definition": "Opportunities.", "unit": "USD",
            "value_kind": "money", "currency": "USD", "direction": "higher", "frequency": "monthly",
            "components": [c.pk for c in tools.values()], "attribution": "shares",
            "attribution_shares": "crm: 50\nabm: 30\nattribution: 10"}
    response = client.post(reverse("finance:kpi_add"), form)
    assert response.status_code == 200
    assert "The shares add up to 90 %, not 100 %." in response.content.decode()
    assert not Kpi.objects.exists()
    response = client.post(reverse("finance:kpi_add"), {**form, "attribution_shares": "crm: 50\nabm: 30\n"
                                                                                       "attribution: 20 %"})
    assert response.status_code == 302
    assert Kpi.objects.get().attribution_shares == {"abm": "30.00", "attribution": "20.00", "crm": "50.00"}
