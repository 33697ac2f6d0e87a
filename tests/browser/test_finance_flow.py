"""The renewal decision in headless Chromium: a procurement editor finds an auto-renewing contract whose notice
deadline passed with nobody deciding (red in the contracts list), records "renegotiate" with reasons and lands
on the next term, linked to the previous one; the list no longer shows it overdue. A Product viewer, who owns
none of it, sees the contract but not its value."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.core.roles import set_role
from stacksteward.finance.models import Contract
from stacksteward.finance.tests.factories import ContractFactory
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def contract(django_db_serialized_rollback, transactional_db):
    procurement = DepartmentFactory(name="Procurement", slug="procurement", kind="procurement")
    product = DepartmentFactory(name="Product Management", slug="product", kind="product")
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    for username, first, department, role in (("paula", "Paula", procurement, "editor"),
                                              ("pete", "Pete", product, "viewer")):
        user = UserFactory(username=username, first_name=first, password=PASSWORD)
        set_role(user, role)
        PersonFactory(name=f"{first} Example", department=department, user=user, email=f"{username}@example.com")
    owner = PersonFactory(name="Mara Owner", department=marketing)
    chat = ComponentFactory(name="Chatterly chat", slug="chatterly", business_owner=owner, technical_owner=None)
    today = timezone.localdate()
    end = today + datetime.timedelta(days=20)
    return ContractFactory(vendor=VendorFactory(name="Chatterly"), reference="CH-1001", components=[chat],
                           start_date=end - datetime.timedelta(days=364), end_date=end, notice_period_days=30,
                           renewal_type="auto", annual_value=24680, currency="USD", seats=10,
                           business_owner=owner, procurement_owner=owner)


def log_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def test_procurement_renegotiates_an_overdue_contract_and_an_outsider_sees_no_value(browser, live_server, contract):
    assert contract.notice_deadline < timezone.localdate() < contract.end_date

    # The contracts list shows it red: the notice deadline passed and nobody decided.
    context, page = log_in(browser, live_server, "paula")
    page.goto(f"{live_server.url}/finance/contracts/")
    row = page.get_by_test_id(f"contract-row-{contract.pk}")
    expect(row).to_have_attribute("data-state", "overdue")
    expect(row).to_have_class(re.compile(r"\brow-overdue\b"))
    expect(row.get_by_test_id("deadline-state")).to_contain_text("Notice deadline missed")
    expect(row.get_by_test_id("contract-value")).to_contain_text("24,680")

    # Open it and record the decision.
    row.get_by_role("link", name=re.compile("CH-1001")).click()
    expect(page).to_have_url(re.compile(rf"/finance/contracts/{contract.pk}/$"))
    expect(page.get_by_test_id("deadline-banner")).to_contain_text("nobody decided")
    form = page.get_by_test_id("decision-form")
    form.locator("#id_decision_1").check()
    form.locator("#id_reasons").fill("Seat use is down to six: renegotiate to eight seats and a two-year cap.")
    form.get_by_test_id("decision-submit").click()

    # The next term is created, linked to this one, and shown.
    contract.refresh_from_db()
    follower = Contract.objects.get(previous=contract)
    expect(page).to_have_url(re.compile(rf"/finance/contracts/{follower.pk}/$"))
    previous_term = page.get_by_test_id("previous-term")
    expect(previous_term).to_contain_text("Renewed")
    expect(previous_term).to_contain_text("renegotiate")
    expect(previous_term.get_by_role("link")).to_have_attribute("href", f"/finance/contracts/{contract.pk}/")
    assert contract.status == "renewed" and contract.decisions.get().decision == "renegotiate"
    assert follower.status == "active" and follower.start_date == contract.end_date + datetime.timedelta(days=1)

    # The list no longer shows it overdue; the old term's page shows the decision and the next term.
    page.goto(f"{live_server.url}/finance/contracts/")
    expect(page.get_by_test_id(f"contract-row-{contract.pk}")).not_to_have_attribute("data-state", "overdue")
    expect(page.locator('tr[data-state="overdue"]')).to_have_count(0)
    page.goto(f"{live_server.url}/finance/contracts/{contract.pk}/")
    expect(page.get_by_test_id("decision-record")).to_contain_text("Renegotiate")
    expect(page.get_by_test_id("next-term-link")).to_be_visible()
    expect(page.get_by_test_id("decision-form")).to_have_count(0)
    context.close()

    # A Product viewer sees the contract, not its money.
    context, page = log_in(browser, live_server, "pete")
    page.goto(f"{live_server.url}/finance/contracts/{contract.pk}/")
    expect(page.get_by_test_id("object-title")).to_contain_text("CH-1001")
    expect(page.get_by_test_id("value-hidden")).to_be_visible()
    expect(page.get_by_test_id("contract-value")).not_to_contain_text("24,680")
    expect(page.locator("body")).not_to_contain_text("24,680")
    expect(page.get_by_test_id("decision-form")).to_have_count(0)
    context.close()
