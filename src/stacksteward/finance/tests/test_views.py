"""The finance web UI end to end: pages per role, who sees money, renewal decisions, scorecards, KPIs, budgets."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.models import Component
from stacksteward.catalog.tests.factories import CategoryFactory, ComponentFactory, VendorFactory
from stacksteward.core.roles import set_role
from stacksteward.finance import services
from stacksteward.finance.models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Criterion,
    Kpi,
    Measurement,
    Objective,
    RenewalDecision,
    Score,
    Selection,
    SelectionCandidate,
    ValueScore,
)
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory

D = datetime.date
VALUE = "48,000 USD"
TERMS = "45 days net, invoiced in arrears"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(username, department, role="editor"):
    user = UserFactory(username=username, first_name=username.capitalize())
    set_role(user, role)
    PersonFactory(name=username.capitalize(), user=user, department=department, email=f"{username}@example.com")
    return user


@pytest.fixture
def team(db):
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    it = DepartmentFactory(name="IT", slug="it", kind="it")
    return {
        "marketing": marketing,
        "it": it,
        "buyer": member("buyer", DepartmentFactory(name="Procurement", slug="procurement", kind="procurement")),
        "counsel": member("counsel", DepartmentFactory(name="Legal", slug="legal", kind="legal")),
        "marketer": member("marketer", marketing),
        "engineer": member("engineer", it),
        "outsider": member("outsider", DepartmentFactory(name="Sales", slug="sales", kind="sales"), role="viewer"),
        "outsider_editor": member("salesed", DepartmentFactory(name="Events", slug="events", kind="other")),
        "reader": member("reader", marketing, role="viewer"),
    }


def today():
    return services.today()


@pytest.fixture
def tool(team):
    """A tool owned by the marketer (business) and the engineer (technical)."""
    return ComponentFactory(name="Webinar Hub", slug="webinar-hub", business_owner=team["marketer"].person,
                            technical_owner=team["engineer"].person, seats_purchased=50, seats_used=20)


@pytest.fixture
def overdue(team, tool):
    """Auto-renewing, notice deadline ten days ago, nobody decided."""
    end = today() + datetime.timedelta(days=20)
    return ContractFactory(vendor=tool.vendor, reference="WH-2026", start_date=end - datetime.timedelta(days=364),
                           end_date=end, notice_period_days=30, annual_value=48000, seats=50,
                           payment_terms=TERMS, procurement_owner=team["buyer"].person,
                           legal_reviewer=team["counsel"].person, components=[tool])


def contract_due_in(days, **kwargs):
    """A live contract whose notice deadline is ``days`` from today."""
    end = today() + datetime.timedelta(days=days + 30)
    return ContractFactory(start_date=end - datetime.timedelta(days=364), end_date=end, notice_period_days=30,
                           **kwargs)


# Contracts list ----------------------------------------------------------------------------------

def test_contract_list_colours_each_deadline_state(team, overdue):
    due = contract_due_in(10)
    upcoming = contract_due_in(90)
    calm = contract_due_in(200)
    response = login(team["outsider"]).get(reverse("finance:contract_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for contract, state in ((overdue, "overdue"), (due, "due"), (upcoming, "upcoming"), (calm, "ok")):
        assert f'data-testid="contract-row-{contract.pk}" data-state="{state}"' in html
    assert 'data-tone="stopped"' in html and "Notice deadline missed" in html


def test_contract_list_next_120_days_leaves_later_deadlines_out(team, overdue):
    soon = contract_due_in(100)
    later = contract_due_in(200)
    response = login(team["buyer"]).get(reverse("finance:contract_list"), {"within": 120})
    html = response.content.decode()
    assert "Notice deadlines in the next 120 days" in html
    assert f"contract-row-{soon.pk}" in html and f"contract-row-{overdue.pk}" in html
    assert f"contract-row-{later.pk}" not in html
    assert 'type="hidden" name="within" value="120"' in html  # kept while other filters change
    partial = login(team["buyer"]).get(reverse("finance:contract_list"), {"within": 120, "deadline_state": "overdue"},
                                       headers={"HX-Request": "true", "HX-Target": "results"})
    body = partial.content.decode()
    assert "<html" not in body and 'data-testid="contract-table"' in body
    assert f"contract-row-{overdue.pk}" in body and f"contract-row-{soon.pk}" not in body


def test_contract_list_filters_by_deadline_state(team, overdue):
    calm = contract_due_in(200)
    html = login(team["buyer"]).get(reverse("finance:contract_list"), {"deadline_state": "overdue"}).content.decode()
    assert f"contract-row-{overdue.pk}" in html and f"contract-row-{calm.pk}" not in html


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_contract_list_queries_do_not_grow_with_rows(team, django_assert_max_num_queries):
    client = login(team["marketer"])
    url = reverse("finance:contract_list")
    for _ in range(2):
        contract_due_in(50, components=[ComponentFactory()])
    few = _queries(client, url)
    for _ in range(8):
        contract_due_in(50, components=[ComponentFactory(), ComponentFactory()])
    assert _queries(client, url) == few
    with django_assert_max_num_queries(12):
        client.get(url)


# Contract page and who sees money ----------------------------------------------------------------

@pytest.mark.parametrize("who", ["buyer", "counsel", "marketer", "engineer", "admin"])
def test_contract_value_shown_to_money_people_and_owners(team, overdue, who, admin_user):
    user = admin_user if who == "admin" else team[who]
    html = login(user).get(overdue.get_absolute_url()).content.decode()
    assert VALUE in html and TERMS in html
    assert 'data-testid="value-hidden"' not in html


@pytest.mark.parametrize("who", ["outsider", "outsider_editor", "reader"])
def test_contract_value_hidden_from_everyone_else(team, overdue, who):
    response = login(team[who]).get(overdue.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "48,000" not in html and "48000" not in html and TERMS not in html
    assert "Only finance, procurement, legal and the owners see the value." in html
    list_html = login(team[who]).get(reverse("finance:contract_list")).content.decode()
    assert "48,000" not in list_html


def test_contract_page_shows_the_computed_deadline_and_overdue_banner(team, overdue):
    html = login(team["outsider"]).get(overdue.get_absolute_url()).content.decode()
    assert 'data-testid="deadline-banner"' in html and "nobody decided" in html
    assert overdue.notice_deadline.strftime("%-d %b %Y") in html
    assert 'data-testid="decision-form"' not in html  # viewers do not get the form


def test_notice_period_longer_than_the_term_is_warned(team):
    contract = ContractFactory(start_date=D(2026, 1, 1), end_date=D(2026, 1, 31), notice_period_days=60)
    html = login(team["buyer"]).get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="notice-warning"' in html
    assert "The notice period is longer than the term" in html


def test_editor_without_sight_of_money_edits_the_rest_but_not_the_value(team, overdue):
    client = login(team["outsider_editor"])
    url = reverse("finance:contract_edit", args=[overdue.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="annual_value"' not in form.content.decode() and TERMS not in form.content.decode()
    data = {"vendor": overdue.vendor_id, "components": [c.pk for c in overdue.components.all()],
            "reference": "WH-2026-A", "status": "active", "start_date": overdue.start_date.isoformat(),
            "end_date": overdue.end_date.isoformat(), "renewal_type": "auto", "renewal_term_months": 12,
            "notice_period_days": 30, "currency": "USD", "billing_frequency": "annually", "seats": 50,
            "version": overdue.version}
    response = client.post(url, data)
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert (overdue.reference, overdue.annual_value, overdue.payment_terms) == ("WH-2026-A", Decimal(48000), TERMS)


def test_contract_create_by_editor_and_viewer_forbidden(team, tool):
    data = {"vendor": tool.vendor_id, "components": [tool.pk], "reference": "NEW-1", "status": "draft",
            "start_date": "2026-01-01", "end_date": "2026-12-31", "renewal_type": "manual",
            "renewal_term_months": 12, "notice_period_days": 60, "annual_value": "9000", "currency": "eur",
            "billing_frequency": "annually"}
    assert login(team["outsider"]).post(reverse("finance:contract_add"), data).status_code == 403
    assert not Contract.objects.filter(reference="NEW-1").exists()
    response = login(team["buyer"]).post(reverse("finance:contract_add"), data)
    assert response.status_code == 302
    contract = Contract.objects.get(reference="NEW-1")
    assert (contract.currency, contract.notice_deadline) == ("EUR", D(2026, 11, 1))


def test_only_draft_contracts_can_be_deleted(team, overdue):
    client = login(team["buyer"])
    response = client.post(reverse("finance:contract_delete", args=[overdue.pk]), {"version": overdue.version})
    assert response.status_code == 200 and "Only draft contracts can be deleted" in response.content.decode()
    assert Contract.objects.filter(pk=overdue.pk).exists()
    draft = ContractFactory(status="draft")
    response = client.post(reverse("finance:contract_delete", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    assert not Contract.objects.filter(pk=draft.pk).exists()


# Renewal decision --------------------------------------------------------------------------------

def decide(client, contract, **data):
    return client.post(reverse("finance:contract_decide", args=[contract.pk]),
                       {"version": contract.version, **data})


def test_renegotiate_an_overdue_contract_creates_the_next_term(team, overdue):
    client = login(team["buyer"])
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert 'data-testid="decision-form"' in page
    response = decide(client, overdue, decision="renegotiate", reasons="Half the seats are idle; ask for 20 % off.")
    follower = Contract.objects.get(previous=overdue)
    assert response.status_code == 302 and response["Location"] == follower.get_absolute_url()
    overdue.refresh_from_db()
    assert overdue.status == "renewed"
    assert follower.start_date == overdue.end_date + datetime.timedelta(days=1) and follower.status == "active"
    assert RenewalDecision.objects.get(contract=overdue).decision == "renegotiate"
    html = client.get(follower.get_absolute_url()).content.decode()
    assert 'data-testid="previous-term"' in html and "renegotiate" in html
    old = client.get(overdue.get_absolute_url()).content.decode()
    assert 'data-testid="next-term-link"' in old and 'data-testid="decision-form"' not in old


@pytest.mark.parametrize("data, field, message", [
    ({"decision": "renegotiate", "reasons": "  "}, "reasons", "Say why"),
    ({"decision": "downsize", "reasons": "Too many seats."}, "new_seats", "Give the number of seats to keep"),
    ({"decision": "downsize", "reasons": "Too many seats.", "new_seats": 60}, "new_seats", "A downsize keeps fewer"),
    ({"decision": "cancel", "reasons": "Replaced."}, "notice_sent_on", "Give the date the cancellation notice"),
    ({"reasons": "No choice made."}, "decision", "Choose what happens"),
])
def test_renewal_decision_errors_write_nothing(team, overdue, data, field, message):
    response = decide(login(team["buyer"]), overdue, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'data-testid="form-errors"' in html
    assert f'id="id_{field}_helptext"' in html or f'name="{field}"' in html
    overdue.refresh_from_db()
    assert overdue.status == "active" and overdue.version == 1
    assert not RenewalDecision.objects.exists()
    assert not Contract.objects.filter(previous=overdue).exists()


def test_cancel_records_when_the_notice_was_sent(team, overdue):
    sent = today() - datetime.timedelta(days=2)
    response = decide(login(team["counsel"]), overdue, decision="cancel", reasons="Moving to the CRM's module.",
                      notice_sent_on=sent.isoformat())
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert (overdue.status, overdue.notice_sent_on) == ("cancelled", sent)


def test_viewer_cannot_decide(team, overdue):
    response = decide(login(team["outsider"]), overdue, decision="renew", reasons="Keep it.")
    assert response.status_code == 403
    assert not RenewalDecision.objects.exists()


def test_stale_decision_is_refused(team, overdue):
    client = login(team["buyer"])
    stale = overdue.version
    services.contract_update(overdue, actor=team["buyer"], data={"notes": "Called the vendor."},
                             expected_version=stale)
    response = client.post(reverse("finance:contract_decide", args=[overdue.pk]),
                           {"version": stale, "decision": "renew", "reasons": "Fine."})
    assert response.status_code == 409 and 'data-testid="conflict"' in response.content.decode()
    assert not RenewalDecision.objects.exists()


def test_documents_are_linked_and_removed_by_editors_only(team, overdue):
    url = reverse("finance:contract_document_add", args=[overdue.pk])
    assert login(team["outsider"]).post(url, {"title": "Order form", "url": "https://x.test/o"}).status_code == 403
    client = login(team["buyer"])
    bad = client.post(url, {"title": "Order form", "url": "not a link"})
    assert bad.status_code == 200 and not ContractDocument.objects.exists()
    assert client.post(url, {"title": "Order form", "url": "docs.example.com/order.pdf"}).status_code == 302
    document = ContractDocument.objects.get(contract=overdue)
    assert document.url == "https://docs.example.com/order.pdf"
    assert "Order form" in client.get(overdue.get_absolute_url()).content.decode()
    remove = reverse("finance:contract_document_delete", args=[overdue.pk, document.pk])
    assert login(team["outsider"]).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not ContractDocument.objects.exists()


def test_component_page_lists_its_contracts_with_value_per_viewer(team, overdue, tool):
    owner_html = login(team["marketer"]).get(tool.get_absolute_url()).content.decode()
    assert 'data-testid="component-contracts"' in owner_html
    assert f'data-testid="component-contract-{overdue.pk}" data-state="overdue"' in owner_html
    assert VALUE in owner_html
    outsider_html = login(team["outsider"]).get(tool.get_absolute_url()).content.decode()
    assert f"component-contract-{overdue.pk}" in outsider_html and VALUE not in outsider_html


def test_money_nav_entry(team):
    html = login(team["outsider"]).get(reverse("dashboard")).content.decode()
    assert 'data-testid="nav-money"' in html


# Selections --------------------------------------------------------------------------------------

@pytest.fixture
def selection(team):
    sel = Selection.objects.create(title="New webinar platform", need="Webinars with CRM sync.")
    vendor = VendorFactory(name="Streamly")
    alpha = SelectionCandidate.objects.create(selection=sel, name="Alpha", vendor=vendor)
    beta = SelectionCandidate.objects.create(selection=sel, name="Beta")
    fit = Criterion.objects.create(selection=sel, department=team["marketing"], name="Fit", weight=3)
    integration = Criterion.objects.create(selection=sel, department=team["it"], name="Integration", weight=1)
    return {"selection": sel, "alpha": alpha, "beta": beta, "fit": fit, "integration": integration}


def cell(criterion, candidate):
    return f"score_{criterion.pk}_{candidate.pk}"


def test_selection_workspace_renders_for_every_role(team, selection):
    sel = selection["selection"]
    for who in ("outsider", "marketer", "buyer"):
        response = login(team[who]).get(sel.get_absolute_url())
        assert response.status_code == 200
        assert 'data-testid="totals"' in response.content.decode()
    html = login(team["marketer"]).get(sel.get_absolute_url()).content.decode()
    assert f'name="{cell(selection["fit"], selection["alpha"])}"' in html
    assert f'name="{cell(selection["integration"], selection["alpha"])}"' not in html  # IT's criterion


def test_reviewer_scores_their_departments_criteria(team, selection):
    sel, fit = selection["selection"], selection["fit"]
    client = login(team["marketer"])
    response = client.post(reverse("finance:selection_scores", args=[sel.pk]),
                           {cell(fit, selection["alpha"]): "4", cell(fit, selection["beta"]): ""})
    assert response.status_code == 302
    [score] = Score.objects.all()
    assert (score.criterion, score.candidate, score.reviewer, score.score) == (
        fit, selection["alpha"], team["marketer"].person, 4)
    client.post(reverse("finance:selection_scores", args=[sel.pk]), {cell(fit, selection["alpha"]): "2"})
    assert Score.objects.get().score == 2  # scoring again replaces
    html = client.get(sel.get_absolute_url()).content.decode()
    assert '<strong>2.00</strong>' in html


def test_scoring_another_departments_criterion_is_forbidden(team, selection):
    sel = selection["selection"]
    response = login(team["marketer"]).post(reverse("finance:selection_scores", args=[sel.pk]), {
        cell(selection["fit"], selection["alpha"]): "5", cell(selection["integration"], selection["alpha"]): "5"})
    assert response.status_code == 403
    assert not Score.objects.exists()
    response = login(team["buyer"]).post(reverse("finance:selection_scores", args=[sel.pk]),
                                         {cell(selection["fit"], selection["alpha"]): "5"})
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_out_of_range_score_writes_nothing(team, selection):
    sel, fit = selection["selection"], selection["fit"]
    response = login(team["marketer"]).post(reverse("finance:selection_scores", args=[sel.pk]),
                                            {cell(fit, selection["alpha"]): "4", cell(fit, selection["beta"]): "9"})
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
    assert not Score.objects.exists()


def test_selection_decision_creates_the_pilot_component_and_a_draft_contract(team, selection):
    sel, alpha = selection["selection"], selection["alpha"]
    url = reverse("finance:selection_decide", args=[sel.pk])
    assert login(team["outsider"]).post(url, {"chosen": alpha.pk, "decision_reasons": "x"}).status_code == 403
    client = login(team["marketer"])
    missing = client.post(url, {"chosen": alpha.pk, "decision_reasons": " ", "create_component": "on",
                                "version": sel.version})
    assert missing.status_code == 200 and "Say why this candidate was chosen" in missing.content.decode()
    assert not Component.objects.filter(name="Alpha").exists()
    response = client.post(url, {"chosen": alpha.pk, "decision_reasons": "Best fit and CRM sync.",
                                 "dissent": "IT prefers Beta's API.", "create_component": "on",
                                 "version": sel.version})
    assert response.status_code == 302
    sel.refresh_from_db()
    assert (sel.status, sel.chosen, sel.dissent) == ("decided", alpha, "IT prefers Beta's API.")
    component = Component.objects.get(name="Alpha")
    assert component.lifecycle == "pilot" and component.vendor == alpha.vendor
    draft = Contract.objects.get(components=component)
    assert (draft.status, draft.vendor) == ("draft", alpha.vendor)
    html = client.get(sel.get_absolute_url()).content.decode()
    assert "IT prefers Beta&#x27;s API." in html and 'data-testid="scorecard-form"' not in html


def test_candidates_and_criteria_are_added_by_editors(team, selection):
    sel = selection["selection"]
    client = login(team["buyer"])
    assert client.post(reverse("finance:selection_candidate_add", args=[sel.pk]),
                       {"candidate-name": "Gamma"}).status_code == 302
    assert client.post(reverse("finance:selection_criterion_add", args=[sel.pk]),
                       {"criterion-department": team["buyer"].person.department_id,
                        "criterion-name": "Price", "criterion-weight": "2"}).status_code == 302
    assert sel.candidates.filter(name="Gamma").exists() and sel.criteria.filter(name="Price").exists()
    assert login(team["outsider"]).post(reverse("finance:selection_candidate_add", args=[sel.pk]),
                                        {"candidate-name": "Delta"}).status_code == 403


def test_selection_list_queries_do_not_grow(team, django_assert_max_num_queries):
    client = login(team["outsider"])
    url = reverse("finance:selection_list")

    def make(n):
        for i in range(n):
            sel = Selection.objects.create(title=f"Selection {Selection.objects.count()}-{i}")
            SelectionCandidate.objects.create(selection=sel, name="A")
            Criterion.objects.create(selection=sel, department=team["it"], name="Integration", weight=1)

    make(2)
    few = _queries(client, url)
    make(8)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(10):
        client.get(url)


# Objectives and KPIs -----------------------------------------------------------------------------

@pytest.fixture
def kpi(team, tool):
    objective = Objective.objects.create(name="Grow pipeline 20 % in 2027", owner=team["marketer"].person,
                                         period_start=D(2027, 1, 1), period_end=D(2027, 12, 31))
    k = Kpi.objects.create(name="Webinar leads", slug="webinar-leads", definition="Leads from webinars in the CRM.",
                           unit="leads", value_kind="count", target=100, objective=objective)
    k.components.set([tool])
    return k


def test_measurement_added_from_the_kpi_page(team, kpi):
    url = reverse("finance:kpi_measurement_add", args=[kpi.slug])
    assert login(team["outsider"]).post(url, {"period_start": "2027-01-01", "value": "80"}).status_code == 403
    client = login(team["marketer"])
    bad = client.post(url, {"period_start": "", "value": "abc"})
    assert bad.status_code == 200 and not Measurement.objects.exists()
    assert client.post(url, {"period_start": "2027-01-01", "value": "80", "note": "Two webinars"}).status_code == 302
    measurement = Measurement.objects.get(kpi=kpi)
    assert (measurement.value, measurement.source) == (Decimal(80), "ui")
    html = client.get(kpi.get_absolute_url()).content.decode()
    assert "Below target" in html and 'data-testid="measurement"' in html
    client.post(url, {"period_start": "2027-02-01", "value": "120"})
    assert "On target" in client.get(kpi.get_absolute_url()).content.decode()


def test_kpi_is_defined_with_a_slug_made_from_its_name(team):
    response = login(team["marketer"]).post(reverse("finance:kpi_add"), {
        "name": "Marketing-sourced pipeline", "definition": "Opportunities with a marketing source.",
        "unit": "EUR", "value_kind": "money", "currency": "eur", "direction": "higher", "frequency": "monthly"})
    assert response.status_code == 302
    kpi = Kpi.objects.get(slug="marketing-sourced-pipeline")
    assert kpi.currency == "EUR"


def test_objective_page_and_success_factors(team, kpi):
    objective = kpi.objective
    client = login(team["marketer"])
    html = client.get(objective.get_absolute_url()).content.decode()
    assert "Webinar leads" in html
    url = reverse("finance:success_factor_add", args=[objective.pk])
    assert client.post(url, {"name": "Sales follows up within a day"}).status_code == 302
    assert objective.success_factors.filter(name="Sales follows up within a day").exists()
    assert login(team["reader"]).post(url, {"name": "x"}).status_code == 403
    assert login(team["reader"]).get(reverse("finance:objective_list")).status_code == 200


def test_kpi_list_queries_do_not_grow(team, kpi, django_assert_max_num_queries):
    client = login(team["outsider"])
    url = reverse("finance:kpi_list")

    def make(n):
        for _ in range(n):
            index = Kpi.objects.count()
            k = Kpi.objects.create(name=f"KPI {index}", slug=f"kpi-{index}", definition="d", unit="leads",
                                   target=10, objective=kpi.objective)
            k.components.set([ComponentFactory()])
            Measurement.objects.create(kpi=k, period_start=D(2027, 1, 1), value=5)

    make(2)
    few = _queries(client, url)
    make(8)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert "Below target" in html


# Budget and investments --------------------------------------------------------------------------

@pytest.fixture
def spending(team, tool):
    """Budgets in two currencies and some actual spend for 2026."""
    ContractFactory(vendor=tool.vendor, start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), annual_value=12000,
                    currency="USD", components=[tool])
    CostEntry.objects.create(component=tool, year=2026, kind="services", amount=3000, currency="EUR")
    Budget.objects.create(year=2026, component=tool, amount=15000, currency="USD")
    category = CategoryFactory(name="Email marketing")
    other = ComponentFactory(name="Mailer", category=category, business_owner=PersonFactory())
    CostEntry.objects.create(component=other, year=2026, kind="services", amount=500, currency="EUR")
    Budget.objects.create(year=2026, category=category, amount=2000, currency="EUR")
    return {"tool": tool, "other": other, "category": category}


def test_budget_page_compares_planned_and_actual_per_currency(team, spending, admin_user):
    html = login(team["buyer"]).get(reverse("finance:budget"), {"year": 2026}).content.decode()
    # The tool's actual cost is in two currencies: shown apart, never added up, and not compared.
    assert "3,000 EUR + 12,000 USD" in html
    assert "Spent in another currency: not compared." in html
    # The category's actual (EUR only) is compared with its EUR budget.
    assert "1,500 EUR" in html
    assert "15,015" not in html and "15,000 USD + 3,000" not in html
    outsider = login(team["outsider"]).get(reverse("finance:budget"), {"year": 2026}).content.decode()
    assert "12,000 USD" not in outsider and 'data-testid="value-note"' in outsider


def test_budget_and_investment_pages_queries_do_not_grow(team, spending, django_assert_max_num_queries):
    client = login(team["buyer"])

    def make(n):
        for _ in range(n):
            component = ComponentFactory(category=spending["category"])
            ContractFactory(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), components=[component])
            CostEntry.objects.create(component=component, year=2026, kind="internal", hours=10)
            Budget.objects.create(year=2026, component=component, amount=1000, currency="USD")
            ValueScore.objects.create(component=component, year=2026, scorer=team["marketer"].person, score=3,
                                      reasons="Useful.")

    for name in ("finance:budget", "finance:investments"):
        url = reverse(name)
        make(2)
        few = _queries(client, url, {"year": 2026})
        make(6)
        assert _queries(client, url, {"year": 2026}) == few, name
        with django_assert_max_num_queries(32):  # the charts read the year once more each
            client.get(url, {"year": 2026})


def test_investments_show_roi_with_its_formula_or_the_reason(team, spending, kpi):
    Kpi.objects.filter(pk=kpi.pk).update(value_kind="money", currency="USD", unit="USD")
    Measurement.objects.create(kpi=kpi, period_start=D(2026, 3, 1), value=30000)
    CostEntry.objects.filter(component=spending["tool"]).delete()
    html = login(team["buyer"]).get(reverse("finance:investments"), {"year": 2026}).content.decode()
    # (30,000 − 12,000) ÷ 12,000 = 150 %
    assert "(30,000.00 − 12,000.00) ÷ 12,000.00 USD = 150.0 %" in html
    assert "No money KPI measures this component" in html  # the Mailer
    assert "20 / 50" in html  # seats used of bought


def test_value_score_by_the_business_owner_only(team, spending):
    tool = spending["tool"]
    url = reverse("finance:value_score", args=[tool.slug])
    prefix = f"c{tool.pk}"
    assert login(team["buyer"]).post(url, {"year": 2026, f"{prefix}-score": "4",
                                           f"{prefix}-reasons": "x"}).status_code == 403
    client = login(team["marketer"])
    missing = client.post(url, {"year": 2026, f"{prefix}-score": "4", f"{prefix}-reasons": ""})
    assert missing.status_code == 200 and not ValueScore.objects.exists()
    response = client.post(url, {"year": 2026, f"{prefix}-score": "4", f"{prefix}-reasons": "Runs every webinar."})
    assert response.status_code == 302
    score = ValueScore.objects.get()
    assert (score.component, score.year, score.score, score.scorer) == (tool, 2026, 4, team["marketer"].person)
    html = client.get(reverse("finance:investments"), {"year": 2026}).content.decode()
    assert "4.0/5" in html and "Runs every webinar." in html


def test_investments_hide_costs_from_people_who_do_not_own_the_tool(team, spending):
    html = login(team["outsider"]).get(reverse("finance:investments"), {"year": 2026}).content.decode()
    assert 'data-testid="cost-hidden"' in html and "12,000" not in html
    owner = login(team["marketer"]).get(reverse("finance:investments"), {"year": 2026}).content.decode()
    assert "12,000" in owner


def test_budget_is_planned_through_the_form(team, tool):
    url = reverse("finance:budget_add")
    data = {"year": 2027, "component": tool.pk, "amount": "5000", "currency": "usd"}
    assert login(team["outsider"]).post(url, data).status_code == 403
    both = login(team["buyer"]).post(url, {**data, "category": CategoryFactory().pk})
    assert both.status_code == 200 and not Budget.objects.exists()
    response = login(team["buyer"]).post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert Budget.objects.get().currency == "USD"


def test_every_page_and_form_opens(team, overdue, selection, kpi, spending, admin_user):
    budget = Budget.objects.first()
    cost = CostEntry.objects.first()
    draft = ContractFactory(status="draft")
    urls = [
        reverse("finance:index"), reverse("finance:contract_list"), reverse("finance:contract_add"),
        reverse("finance:contract_edit", args=[overdue.pk]), reverse("finance:contract_delete", args=[draft.pk]),
        reverse("finance:selection_list"), reverse("finance:selection_add"),
        reverse("finance:selection_edit", args=[selection["selection"].pk]),
        reverse("finance:objective_list"), reverse("finance:objective_add"),
        reverse("finance:objective_edit", args=[kpi.objective.pk]), reverse("finance:kpi_list"),
        reverse("finance:kpi_add"), reverse("finance:kpi_edit", args=[kpi.slug]), kpi.get_absolute_url(),
        reverse("finance:budget"), reverse("finance:budget_add"), reverse("finance:budget_edit", args=[budget.pk]),
        reverse("finance:budget_delete", args=[budget.pk]), reverse("finance:cost_entry_add"),
        reverse("finance:cost_entry_edit", args=[cost.pk]), reverse("finance:investments"),
    ]
    for user in (team["buyer"], admin_user):
        client = login(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
    viewer = login(team["reader"])
    for url in (reverse("finance:contract_add"), reverse("finance:kpi_add"), reverse("finance:budget_add")):
        assert viewer.get(url).status_code == 403
    html = login(admin_user).get(selection["selection"].get_absolute_url()).content.decode()
    assert 'data-testid="reviewer-picker"' in html
