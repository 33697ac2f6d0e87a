"""The renewal brief: its data, the recommendation rules, the page and the PDF, who sees the money."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.changes.tests.factories import ChangeRequestFactory
from stacksteward.core.models import Question
from stacksteward.core.roles import set_role
from stacksteward.finance import brief as brief_module
from stacksteward.finance.brief import brief_for, recommend
from stacksteward.finance.models import CostEntry, Kpi, Measurement, Objective, RenewalDecision, ValueScore
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory

D = datetime.date
YEAR = timezone.localdate().year


def member(username, role, department):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), department=department, user=user)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monthly(kpi, values, year=YEAR - 1):
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(kpi=kpi, period_start=D(year, month, 1), value=value)


@pytest.fixture
def world(db, settings):
    """Acme's CRM contract: 40 of 100 seats used, price up 15 % on the last term, both KPIs off target,
    the owner scores it 2 of 5, one rolled-back change and one open question."""
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    marketing = DepartmentFactory(name="Marketing", kind="marketing")
    sales = DepartmentFactory(name="Sales", kind="sales")
    procurement = DepartmentFactory(name="Procurement", kind="procurement")
    maria = member("maria", "editor", marketing)
    otto = member("otto", "viewer", sales)
    paula = member("paula", "viewer", procurement)
    crm = ComponentFactory(name="Acme CRM", business_owner=maria.person, seats_purchased=100, seats_used=40)
    vendor = VendorFactory(name="Acme Software")
    previous = ContractFactory(vendor=vendor, reference="ACME-1", components=[crm], start_date=D(YEAR - 1, 1, 1),
                               end_date=D(YEAR - 1, 12, 31), annual_value=10000, seats=100, status="renewed")
    contract = ContractFactory(vendor=vendor, reference="ACME-2", components=[crm], start_date=D(YEAR, 1, 1),
                               end_date=D(YEAR, 12, 31), annual_value=11500, seats=100, notice_period_days=90,
                               previous=previous, business_owner=maria.person)
    objective = Objective.objects.create(name="Grow marketing-sourced pipeline 20 %", period_start=D(YEAR - 1, 1, 1),
                                         period_end=D(YEAR, 12, 31), owner=maria.person)
    pipeline = Kpi.objects.create(name="Marketing-sourced pipeline", slug="pipeline", definition="Opportunities.",
                                  unit="USD", value_kind="money", currency="USD", target=50000, objective=objective)
    cpl = Kpi.objects.create(name="Cost per lead", slug="cpl", definition="Spend ÷ leads.", unit="USD",
                             value_kind="other", direction="lower", target=40, objective=objective)
    for kpi in (pipeline, cpl):
        kpi.components.set([crm])
    monthly(pipeline, [30000 + 1000 * m for m in range(12)])
    monthly(cpl, [55, 52, 50, 49, 48, 47, 46, 46, 45, 45, 44, 44])
    ValueScore.objects.create(component=crm, year=YEAR, scorer=maria.person, score=2,
                              reasons="Hard to use; the team keeps spreadsheets beside it.")
    rolled_back = ChangeRequestFactory(title="Lead scoring rules", components=[crm], status="rolled_back")
    ChangeRequestFactory(title="Reviewed long ago", components=[crm], status="reviewed")
    question = Question.objects.create(content_type=ContentType.objects.get_for_model(crm), object_id=str(crm.pk),
                                       target_repr=str(crm), text="Who exports the contacts if we leave?",
                                       asker_name="Paula", addressed_person=maria.person)
    return {"maria": maria, "otto": otto, "paula": paula, "crm": crm, "contract": contract, "previous": previous,
            "rolled_back": rolled_back, "question": question, "pipeline": pipeline}


# The recommendation rules -----------------------------------------------------------------------------

@pytest.mark.parametrize(("facts", "expected"), [
    ({"utilisation": 0.4}, ("downsize",)),
    ({"utilisation": 0.5}, ("renew",)),
    ({"kpi_statuses": ["off_target", "off_target", "on_target"], "value_score": Decimal(2)}, ("replace", "cancel")),
    ({"kpi_statuses": ["off_target", "on_target"], "value_score": Decimal(1)}, ("renew",)),  # half is not "mostly"
    ({"kpi_statuses": ["off_target", "off_target"], "value_score": Decimal("2.5")}, ("renew",)),
    ({"kpi_statuses": ["off_target", "off_target", "no_data"], "value_score": None}, ("renew",)),
    ({"price_change": Decimal("0.15")}, ("renegotiate",)),
    ({"price_change": Decimal("0.10")}, ("renew",)),
    ({"price_change": Decimal("-0.20")}, ("renew",)),
    ({}, ("renew",)),
    # Value first: fewer seats do not rescue a tool that does not deliver; then seats, then price.
    ({"utilisation": 0.2, "kpi_statuses": ["off_target"], "value_score": Decimal(1)}, ("replace", "cancel")),
    ({"utilisation": 0.2, "price_change": Decimal("0.3")}, ("downsize",)),
])
def test_recommend_follows_the_documented_rules(facts, expected):
    arguments = {"utilisation": None, "kpi_statuses": [], "value_score": None, "price_change": None, **facts}
    result = recommend(**arguments)
    assert result.decisions == expected
    assert result.by_default == (expected == ("renew",))
    assert [r.name for r in result.rules] == ["value", "utilisation", "price"]


def test_recommend_without_data_says_it_cannot_tell():
    result = recommend(utilisation=None, kpi_statuses=["no_target"], value_score=None, price_change=None)
    assert [r.applies for r in result.rules] == [None, None, None]


# The data ---------------------------------------------------------------------------------------------

def test_brief_gathers_cost_terms_kpis_issues_and_scores(world):
    CostEntry.objects.create(component=world["crm"], year=YEAR, kind="services", amount=2000, currency="EUR")
    brief = brief_for(world["maria"], world["contract"].pk, today=D(YEAR, 9, 15))
    assert brief.show_money
    assert [t.contract.reference for t in brief.terms] == ["ACME-1", "ACME-2"]
    assert brief.terms[1].change == Decimal("0.1500")
    this_year = brief.years[-1]
    assert [row.year for row in brief.years] == [YEAR - 2, YEAR - 1, YEAR]
    assert this_year.licence.amounts == {"USD": Decimal("11500.00")}
    assert dict(this_year.total.amounts) == {"USD": Decimal("11500.00"), "EUR": Decimal("2000")}  # never summed
    assert brief.utilisation.ratio == 0.4
    statuses = {line.kpi.name: (line.status, line.trend) for line in brief.kpis}
    assert statuses == {"Marketing-sourced pipeline": ("off_target", "improving"),
                        "Cost per lead": ("off_target", "steady")}
    assert [o.name for o in brief.objectives] == ["Grow marketing-sourced pipeline 20 %"]
    assert [(i.kind, i.title) for i in brief.issues] == [("change", str(world["rolled_back"])),
                                                         ("question", str(world["question"]))]
    assert not brief.has_risk_register
    assert brief.value_score == Decimal("2.0")
    assert brief.recommendation.decisions == ("replace", "cancel")
    recommended = [o.decision for o in brief.options if o.recommended]
    assert recommended == ["replace", "cancel"]
    assert len(brief.options) == 5
    assert brief.state == "due"  # the notice deadline, 2 Oct, is 17 days away
    assert brief.days_left == (world["contract"].notice_deadline - D(YEAR, 9, 15)).days


def test_deadline_state_and_recorded_decision(world):
    contract = world["contract"]
    late = brief_for(world["maria"], contract.pk, today=contract.notice_deadline + datetime.timedelta(days=3))
    assert (late.state, late.days_late) == ("overdue", 3)
    assert "passed" in next(o for o in late.options if o.decision == "cancel").meaning
    RenewalDecision.objects.create(contract=contract, decision="renegotiate", reasons="Ask for 10 % less.",
                                   decided_by_name="Maria")
    decided = brief_for(world["maria"], contract.pk)
    assert decided.state == "decided"
    assert decided.decision.reasons == "Ask for 10 % less."


def test_a_registered_issue_source_joins_the_brief(world, monkeypatch):
    """How a risk register plugs in later."""
    monkeypatch.setattr(brief_module, "_issue_sources", list(brief_module._issue_sources))

    @brief_module.issue_source("Risks over tolerance", risks=True)
    def risks(contract, component_ids, user):
        return [brief_module.OpenIssue("risk", "Vendor lock-in", "/risks/1/", "Open", "Acme CRM")]

    brief = brief_for(world["maria"], world["contract"].pk)
    assert brief.has_risk_register
    assert "Vendor lock-in" in [i.title for i in brief.issues]


def test_outsider_brief_carries_no_money(world):
    brief = brief_for(world["otto"], world["contract"].pk)
    assert not brief.show_money
    assert (brief.years, brief.returns, brief.cost_chart) == ([], [], "")
    assert "11,500" not in next(o for o in brief.options if o.decision == "renew").meaning
    assert "%" not in next(r for r in brief.recommendation.rules if r.name == "price").detail
    assert brief_for(world["paula"], world["contract"].pk).show_money  # procurement sees every contract's money


def test_brief_queries_are_bounded(world, settings):
    crm = world["crm"]
    contract = world["contract"]

    client = signed_in(world["maria"])
    url = reverse("finance:contract_brief", args=[contract.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            brief = brief_for(world["maria"], contract.pk)
        assert brief is not None
        return len(ctx.captured_queries)

    def page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    brief_for(world["maria"], contract.pk)  # warm the content-type cache
    few, few_page = count(), page()
    for n in range(6):  # more components, KPIs, measurements, scores and issues
        extra = ComponentFactory(name=f"Extra {n}", seats_purchased=10, seats_used=n)
        contract.components.add(extra)
        kpi = Kpi.objects.create(name=f"KPI {n}", slug=f"kpi-{n}", definition="x", unit="leads", target=10)
        kpi.components.set([extra, crm])
        monthly(kpi, range(12))
        ValueScore.objects.create(component=extra, year=YEAR, scorer=PersonFactory(), score=3, reasons="OK")
        ChangeRequestFactory(components=[extra], status="failed")
        CostEntry.objects.create(component=extra, year=YEAR, kind="internal", hours=10)
    many = count()
    assert many == few
    assert many <= 35
    assert page() == few_page  # the templates read nothing more per row


# The page and the PDF ---------------------------------------------------------------------------------

def test_brief_page_shows_everything_to_the_owner(world):
    response = signed_in(world["maria"]).get(reverse("finance:contract_brief", args=[world["contract"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Acme Software", "ACME-2", "11,500", "+15.0 %", "Marketing-sourced pipeline",
                 "Grow marketing-sourced pipeline 20 %", "Lead scoring rules", "Who exports the contacts",
                 "Hard to use", "no risk or incident register yet", "Recommended: Replace the tool or Cancel",
                 reverse("finance:contract_brief_pdf", args=[world["contract"].pk])):
        assert text in page, text
    assert "<svg" in page and "<script type=\"text/javascript\">window.pygal" not in page
    assert "Reviewed long ago" not in page
    assert response["Cache-Control"] == "private, no-store"


def test_brief_page_hides_money_from_an_outsider(world):
    response = signed_in(world["otto"]).get(reverse("finance:contract_brief", args=[world["contract"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme Software" in page and "Marketing-sourced pipeline" in page
    assert 'data-testid="money-hidden"' in page
    for money in ("11,500", "11500", "10,000", "+15.0 %", "Licences"):
        assert money not in page, money


def test_brief_is_404_for_a_missing_contract_and_login_first_for_anonymous(world):
    client = signed_in(world["otto"])
    for name in ("finance:contract_brief", "finance:contract_brief_pdf"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
        anonymous = Client().get(reverse(name, args=[world["contract"].pk]))
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_brief_pdf_is_a_readable_attachment(world):
    contract = world["contract"]
    response = signed_in(world["maria"]).get(reverse("finance:contract_brief_pdf", args=[contract.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="renewal-brief-acme-software-acme-2-')
    text = pdf_text(response)
    assert "Acme Software" in text
    assert f"{contract.notice_deadline.day} {contract.notice_deadline:%b %Y}" in text
    assert "Marketing-sourced pipeline" in text
    assert "11,500" in text


def test_brief_pdf_hides_money_from_an_outsider(world):
    response = signed_in(world["otto"]).get(reverse("finance:contract_brief_pdf", args=[world["contract"].pk]))
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Acme Software" in text
    assert "11,500" not in text and "10,000" not in text
