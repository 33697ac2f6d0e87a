"""A person's path through the catalog in headless Chromium: log in, browse and filter, open a
component, edit it, see the change in its history, open the graph views."""

import re

import pytest
from playwright.sync_api import expect

from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory
from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def stack(django_db_serialized_rollback, transactional_db):
    # The live server needs committed data; serialized rollback puts the seeded taxonomy back after.
    user = UserFactory(username="ella", first_name="Ella", password="a-long-pass-phrase")
    set_role(user, "editor")
    crm = ComponentFactory(name="Northwind CRM", slug="northwind-crm", description="Customer records.")
    automation = ComponentFactory(name="Mailwave Automation", slug="mailwave")
    warehouse = ComponentFactory(name="Lakehouse Warehouse", slug="lakehouse")
    for n in range(5):
        ComponentFactory(name=f"Social account {n}", slug=f"social-{n}", kind="social_account")
    RelationFactory(source=crm, target=automation, type="data_flow")
    RelationFactory(source=automation, target=warehouse, type="data_flow")
    return {"user": user, "crm": crm}


def log_in(page, live_server):
    page.goto(f"{live_server.url}/catalog/components/")
    expect(page).to_have_url(re.compile(r"/login/"))
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill("ella")
    form.get_by_label("Password").fill("a-long-pass-phrase")
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/catalog/components/"))


def test_log_in_filter_open_edit_and_see_history(page, live_server, stack):
    log_in(page, live_server)
    results = page.get_by_test_id("results")
    expect(results).to_contain_text("Northwind CRM")
    expect(results).to_contain_text("Social account 3")

    # typing in the search box narrows the table in place (htmx) and updates the address bar
    page.get_by_test_id("filter-form").get_by_role("searchbox").fill("northwind")
    expect(results).not_to_contain_text("Social account 3")
    expect(results).to_contain_text("Northwind CRM")
    expect(page).to_have_url(re.compile(r"q=northwind"))

    page.get_by_role("link", name="Northwind CRM").first.click()
    expect(page.get_by_test_id("object-title")).to_have_text("Northwind CRM")
    expect(page.get_by_test_id("impact")).to_contain_text("Mailwave Automation")
    expect(page.get_by_test_id("impact")).to_contain_text("Lakehouse Warehouse")

    page.get_by_test_id("edit-button").click()
    page.get_by_label("Description").fill("Customer records, **owned by Sales Ops**.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("object-title")).to_have_text("Northwind CRM")
    expect(page.get_by_test_id("description").locator("strong")).to_have_text("owned by Sales Ops")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Ella")
    expect(history).to_contain_text("owned by Sales Ops")

    stack["crm"].refresh_from_db()
    assert stack["crm"].version == 2


def test_graph_views_render_and_click_through(page, live_server, stack):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/catalog/graph/")
    graph = page.get_by_test_id("graph")
    expect(graph).to_have_attribute("data-ready", "true")
    assert page.evaluate("window.stewardGraph.nodes().length") >= 8
    assert page.evaluate("window.stewardGraph.edges().length") == 2

    page.goto(f"{live_server.url}/catalog/components/northwind-crm/graph/")
    expect(page.get_by_test_id("graph")).to_have_attribute("data-ready", "true")
    names = page.evaluate("window.stewardGraph.nodes().map(n => n.data('label') || n.data('name'))")
    assert "Mailwave Automation" in names
    # clicking a node opens its detail page
    page.evaluate("window.stewardGraph.getElementById(window.stewardGraph.nodes()"
                  ".filter(n => (n.data('label') || n.data('name')) === 'Mailwave Automation')[0].id()).emit('tap')")
    expect(page.get_by_test_id("object-title")).to_have_text("Mailwave Automation")
