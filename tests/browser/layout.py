"""Shared checks of the page shell for the layout tests at 1400 px and 390 px.

Each layout module loads the demo company once (one test per module: the live server needs
committed data, which pytest-django flushes after each test) and visits every list page and the
main detail pages, collecting every problem before it fails, so one run names all broken pages.
"""

import re

from django.urls import reverse

from stacksteward import demo

LIST_PAGES = [
    "dashboard", "catalog:component_list", "catalog:vendor_list", "catalog:category_list", "catalog:relation_list",
    "catalog:health", "intake:request_list", "intake:backlog_item_list", "intake:roadmap_list",
    "intake:capability_list", "intake:schedule_change_list", "changes:change_list", "changes:event_list",
    "changes:series_list", "changes:meeting_list", "changes:calendar", "finance:contract_list",
    "finance:selection_list", "finance:objective_list", "finance:kpi_list", "finance:budget", "finance:investments",
    "org:person_list", "org:department_list", "org:token_list", "audit_list", "question_list", "notification_list",
    "stackcode:index",
]
FORM_PAGES = ["catalog:component_add", "intake:request_add", "changes:change_add", "finance:contract_add",
              "intake:backlog_item_add", "org:person_add"]


def detail_pages() -> list[str]:
    """The first object's page of each kind people open most (demo data)."""
    from stacksteward.catalog.models import Category, Component, Relation, Vendor
    from stacksteward.changes.models import ChangeRequest, Meeting
    from stacksteward.finance.models import Contract, Kpi, Objective, Selection
    from stacksteward.intake.models import BacklogItem, Capability, Request, Roadmap
    from stacksteward.org.models import Department, Person

    urls = []
    for model in (Component, Vendor, Category, Relation, Request, BacklogItem, Capability, Roadmap, ChangeRequest,
                  Meeting, Contract, Kpi, Objective, Selection, Person, Department):
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"the demo has no {model._meta.verbose_name}"
        urls.append(obj.get_absolute_url())
    return urls


def load_site() -> list[str]:
    """Load the demo company and its logins; returns every page to visit (lists, details, forms)."""
    demo.load_demo()
    demo.ensure_demo_logins()
    return ([reverse(name) for name in LIST_PAGES] + [f"{reverse('search')}?q=crm"] + detail_pages()
            + [reverse(name) for name in FORM_PAGES])


def log_in(page, live_server, username="admin", password="steward-admin"):
    page.goto(f"{live_server.url}/login/")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))


# Measured in the page: widths in CSS pixels.
PAGE_WIDTH = "() => ({scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"

TABLE_OVERFLOW = """() => [...document.querySelectorAll('main .table-wrap > table')]
  .filter(t => t.offsetParent !== null && t.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => `${t.dataset.testid || t.className}: table ${t.scrollWidth} px in ${t.parentElement.clientWidth} px`)"""

IN_VIEWPORT = """(el) => { const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
    && r.right <= document.documentElement.clientWidth + 1 && r.bottom <= window.innerHeight + 1; }"""


def reachable(locator) -> bool:
    """Visible and wholly inside the viewport (scrolled to the top of the page)."""
    return locator.count() == 1 and locator.is_visible() and locator.evaluate(IN_VIEWPORT)
