"""The page shell on a 390 px phone: no page scrolls sideways (a wide table scrolls inside its card
or becomes stacked cards), the search box and the "Menu" button are in view, and the menu opens
onto the navigation and "Log out" — on every list page and main detail page (demo data)."""

import pytest
from playwright.sync_api import expect

from .layout import PAGE_WIDTH, load_site, log_in, reachable

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 390


@pytest.fixture
def site(django_db_serialized_rollback, transactional_db):
    return load_site()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_every_page_fits_a_390_px_phone_and_its_menu_opens(live_server, site, phone):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    log_in(page, live_server)
    problems = []
    for url in site:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = page.evaluate(PAGE_WIDTH)
        if width["scroll"] > width["viewport"]:
            problems.append(f"{url}: the page scrolls sideways ({width['scroll']} px in {width['viewport']} px)")
        for testid in ("site-search", "menu-button"):
            if not reachable(page.get_by_test_id(testid)):
                problems.append(f"{url}: {testid} not reachable")
        if page.get_by_test_id("logout").is_visible():
            problems.append(f"{url}: the menu is open before the Menu button is pressed")
        page.get_by_test_id("menu-button").click()
        for testid in ("nav-dashboard", "nav-stack", "nav-work", "nav-money", "nav-org", "nav-admin", "logout"):
            if not reachable(page.get_by_test_id(testid)):
                problems.append(f"{url}: {testid} not reachable after opening the menu")
        width = page.evaluate(PAGE_WIDTH)
        if width["scroll"] > width["viewport"]:
            problems.append(f"{url}: the open menu makes the page scroll sideways")
    assert not problems, "\n".join(problems)
    assert not errors, "\n".join(errors)

    # A list's rows are stacked cards, each value under its column's name.
    page.goto(f"{live_server.url}/intake/requests/")
    first = page.get_by_test_id("request-table").locator("tbody tr").first
    status = first.locator("td[data-label='Status']")
    expect(status).to_be_visible()
    assert status.evaluate("td => getComputedStyle(td).display") == "block"
    expect(page.get_by_test_id("request-table").locator("thead")).not_to_be_in_viewport()

    # The filters but the search fold behind "Filters".
    filters = page.get_by_test_id("filter-form")
    expect(filters.get_by_role("searchbox")).to_be_visible()
    expect(filters.get_by_label("Submitted")).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(filters.get_by_label("Submitted")).to_be_visible()

    # The menu's sections open in place and lead to their pages; Log out works from the menu.
    page.get_by_test_id("menu-button").click()
    page.get_by_test_id("nav-money").click()
    page.get_by_test_id("nav-contracts").click()
    expect(page).to_have_url(f"{live_server.url}/finance/contracts/")
    page.get_by_test_id("menu-button").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()
