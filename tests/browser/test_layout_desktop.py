"""The page shell at 1400 px: no list table hides a column behind an inner scrollbar, nothing makes
the page scroll sideways, the grouped navigation, the search box and "Log out" are reachable on
every list page and main detail page (demo data); the column chooser remembers its choice."""

import pytest
from playwright.sync_api import expect

from .layout import PAGE_WIDTH, TABLE_OVERFLOW, load_site, log_in, reachable

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTH = 1400


@pytest.fixture
def site(django_db_serialized_rollback, transactional_db):
    return load_site()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shell_problems(page) -> list[str]:
    problems = []
    for group in ("stack", "work", "money", "org", "admin"):
        if not reachable(page.get_by_test_id(f"nav-{group}")):
            problems.append(f"menu {group} not reachable")
    for testid in ("nav-dashboard", "site-search", "logout"):
        if not reachable(page.get_by_test_id(testid)):
            problems.append(f"{testid} not reachable")
    if page.get_by_test_id("menu-button").is_visible():
        problems.append("the narrow-screen menu button shows on a wide screen")
    return problems


def test_every_page_fits_at_1400_px_and_its_navigation_is_reachable(live_server, site, desktop, browser):
    page = desktop
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
        problems += [f"{url}: {p}" for p in page.evaluate(TABLE_OVERFLOW)]
        problems += [f"{url}: {p}" for p in shell_problems(page)]
    assert not problems, "\n".join(problems)
    assert not errors, "\n".join(errors)

    # A menu opens from the keyboard and shows only its own entries; the current section is marked.
    page.goto(f"{live_server.url}/intake/requests/")
    work = page.get_by_test_id("nav-work")
    expect(page.locator("details.nav-group.current > summary")).to_have_text("Work")
    work.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("nav-requests")).to_be_visible()
    expect(page.get_by_test_id("nav-requests")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("nav-components")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("nav-requests")).to_be_hidden()
    page.get_by_test_id("nav-stack").click()
    page.get_by_test_id("nav-components").click()
    expect(page).to_have_url(f"{live_server.url}/catalog/components/")

    # The column chooser: an optional column hidden by default shows when chosen, and stays so on the next visit.
    table = page.get_by_test_id("component-table")
    tags_heading = table.locator("thead th", has_text="Tags")
    expect(tags_heading).to_be_hidden()
    page.get_by_test_id("column-chooser").locator("summary").click()
    page.get_by_test_id("column-chooser").get_by_label("Tags").check()
    expect(tags_heading).to_be_visible()
    page.get_by_test_id("column-chooser").get_by_label("Owners (business / technical)").uncheck()
    expect(table.locator("thead th", has_text="Owners")).to_be_hidden()
    page.reload()
    expect(page.get_by_test_id("component-table").locator("thead th", has_text="Tags")).to_be_visible()
    expect(page.get_by_test_id("component-table").locator("thead th", has_text="Owners")).to_be_hidden()

    # Long text is cut with its full text in a tooltip.
    title = page.get_by_test_id("component-table").locator("tbody tr td:first-child a.truncate").first
    assert title.get_attribute("title")

    # Without JavaScript every column shows and the menus (plain <details>) still open.
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server)
        page.goto(f"{live_server.url}/catalog/components/")
        table = page.get_by_test_id("component-table")
        expect(table.locator("thead th", has_text="Tags")).to_be_visible()
        expect(table.locator("thead th", has_text="Owners")).to_be_visible()
        expect(page.get_by_test_id("column-chooser")).to_have_count(0)
        page.get_by_test_id("nav-money").click()
        expect(page.get_by_test_id("nav-contracts")).to_be_visible()
    finally:
        context.close()
