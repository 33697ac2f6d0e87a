"""The whole-stack graph on the demo company in headless Chromium: no two labels overlap (at 1400 and
390 px), a search centres the graph on the component and highlights its neighbours, boxes close and open,
filters narrow what is shown."""

import re

import pytest
from playwright.sync_api import expect

from stacksteward import demo
from stacksteward.catalog.models import Component

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OVERLAPS = """() => {
  const cy = window.stewardGraph;
  const box = (n) => n.boundingBox({includeLabels: true, includeOverlays: false});
  const clash = (list) => {
    const found = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i][1], b = list[j][1];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) found.push([list[i][0], list[j][0]]);
      }
    }
    return found;
  };
  const leaves = cy.nodes().filter((n) => !n.isParent()).map((n) => [n.data("label"), box(n)]);
  const boxes = cy.nodes().filter((n) => n.isParent()).map((n) => [n.data("label"), box(n)]);
  return {components: leaves.length, boxes: boxes.length, leaves: clash(leaves), parents: clash(boxes)};
}"""


@pytest.fixture
def company(django_db_serialized_rollback, transactional_db):
    # The live server needs committed data; serialized rollback puts the seeded taxonomy back after.
    demo.load_demo()
    return Component.objects.count()


def open_graph(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill("viewer")
    form.get_by_label("Password").fill("steward-viewer")
    form.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    page.goto(f"{live_server.url}/catalog/graph/")
    expect(page.get_by_test_id("graph")).to_have_attribute("data-ready", "true")
    return context, page


@pytest.mark.parametrize("width", [1400, 390])
def test_demo_graph_draws_every_component_without_overlapping_labels(browser, live_server, company, width):
    context, page = open_graph(browser, live_server, width)
    try:
        if width < 600:  # a phone opens with the boxes closed: one per category group, none overlapping
            found = page.evaluate(OVERLAPS)
            assert found["boxes"] == 0 and 5 <= found["components"] < 10 and found["leaves"] == []
            page.get_by_role("button", name="Open all boxes").click()
            expect(page.get_by_test_id("graph")).to_have_attribute("data-ready", "true")
        found = page.evaluate(OVERLAPS)
        assert found["components"] == company
        assert found["boxes"] >= 5  # one per category group of the demo
        assert found["leaves"] == []
        assert found["parents"] == []
        expect(page.get_by_test_id("graph-status")).to_have_text(f"Showing {company} of {company} components.")
    finally:
        context.close()


def test_search_centres_the_graph_on_a_component_and_highlights_its_neighbours(browser, live_server, company):
    context, page = open_graph(browser, live_server, 1400)
    try:
        segment = Component.objects.get(slug="segment")
        page.get_by_test_id("graph-search").fill("segment")
        page.get_by_test_id("graph-search").press("Enter")
        expect(page.get_by_test_id("graph")).to_have_attribute("data-focus", f"c{segment.pk}")
        focus = page.evaluate("""(id) => {
          const cy = window.stewardGraph, node = cy.getElementById(id);
          const p = node.renderedPosition();
          return {x: p.x, y: p.y, w: cy.width(), h: cy.height(), focus: node.hasClass('focus'),
                  neighbours: node.neighborhood().nodes().map(n => n.hasClass('neighbour')),
                  faded: cy.nodes('.faded').length, zoom: cy.zoom()};
        }""", f"c{segment.pk}")
        assert abs(focus["x"] - focus["w"] / 2) < 2 and abs(focus["y"] - focus["h"] / 2) < 2
        assert focus["focus"] and focus["neighbours"] and all(focus["neighbours"])
        assert focus["faded"] > 0 and focus["zoom"] >= 1.1
        expect(page.get_by_test_id("graph-status")).to_contain_text("Found Segment")

        page.get_by_test_id("graph-search").fill("no such tool")
        page.get_by_test_id("graph-search").press("Enter")
        expect(page.get_by_test_id("graph-status")).to_have_text("No component called “no such tool” in this graph.")
    finally:
        context.close()


def test_boxes_close_and_open_and_filters_narrow_the_graph(browser, live_server, company):
    context, page = open_graph(browser, live_server, 1400)
    graph = page.get_by_test_id("graph")
    try:
        page.get_by_role("button", name="Close all boxes").click()
        expect(graph).to_have_attribute("data-ready", "true")
        clusters = page.evaluate("window.stewardGraph.nodes(\"[kind = 'cluster']\").map(n => [n.data('name'), "
                                 "n.data('count')])")
        assert sum(count for _, count in clusters) == company
        data = dict(clusters)
        assert data["Data"] == Component.objects.filter(category__parent__slug="data").count()

        # searching a component in a closed box opens that box only
        page.get_by_test_id("graph-search").fill("Segment")
        page.get_by_test_id("graph-search").press("Enter")
        expect(graph).to_have_attribute("data-focus", re.compile(r"^c\d+$"))
        names = page.evaluate("window.stewardGraph.nodes(\"[kind = 'cluster']\").map(n => n.data('name'))")
        assert "Data" not in names and len(names) == len(clusters) - 1

        page.get_by_role("button", name="Open all boxes").click()
        page.get_by_test_id("graph-filter-lifecycle").select_option("retired")
        expect(page.get_by_test_id("graph-status")).to_contain_text(
            f"Showing {Component.objects.filter(lifecycle='retired').count()} of {company} components")
        lifecycles = page.evaluate("window.stewardGraph.nodes(\"[kind = 'component']\").map(n => n.data('lifecycle'))")
        assert lifecycles and set(lifecycles) == {"retired"}
    finally:
        context.close()
