"""Money is hidden everywhere or nowhere: every page and every API GET route, walked as people who may not
see money and as people who may.

On the demo company (real objects of every kind, so that every detail URL resolves), a tool of its own is
added with distinctive money: its cost per year (changed once, so the audit log holds the old and the new
value), two terms of a contract (the current one's value changed twice), a cost entry, and two budgets (the
tool's and its category's). The walk opens every URL pattern of the site that answers GET (each detail
URL with a real object: ours where the page is about money, else the demo's first), with the budget and
investments pages for two years, the global search for the tool, the stack-as-code exports (YAML, CSV,
XLSX), the renewal brief and its PDF, the ICS feed, and every GET route of the OpenAPI document. It looks
for each amount written the ways the app writes them (``1,073,910`` on pages, charts and PDFs; ``1073910``
in JSON, YAML, CSV, XLSX).

The demo's marketer (a viewer in Marketing), a viewer in no department (the demo's viewer is Legal's
General Counsel, who sees all money) and an editor in Marketing who owns nothing find none of them (a
refusal must not carry money either); a finance person and an admin find every one of them — so the walk
can see what it looks for.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stacksteward import demo
from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.models import Category
from stacksteward.changes.calendar import feed_token_rotate
from stacksteward.core.actors import SystemActor
from stacksteward.core.resources import declared
from stacksteward.core.roles import set_role
from stacksteward.finance import services
from stacksteward.org import services as org_services
from stacksteward.org.models import Department
from stacksteward.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = SystemActor("test", "money walk")
THIS_YEAR = services.today().year
# Distinctive amounts: none of them can appear by chance in a page, a file or an id.
FIGURES = {  # above a million: no id, count or year of the demo can be one of them
    "the tool's former cost per year": Decimal("1064213.00"),
    "the tool's cost per year": Decimal("1065887.00"),
    "the earlier term's value": Decimal("1061237.00"),
    "the current term's first value": Decimal("1072580.00"),  # kept in the audit log
    "the contract's value": Decimal("1073910.00"),
    "a cost entry": Decimal("1008317.00"),
    "the tool's cost this year": Decimal("2082227.00"),  # the contract's value + the cost entry
    "the tool's budget": Decimal("1051796.00"),
    "the category's budget": Decimal("1047359.00"),
}
TERMS = "Net 47 zebra"


def spellings(amount: Decimal) -> tuple[str, ...]:
    """``1,073,910`` (pages, charts, PDF) and ``1073910`` (JSON, YAML, CSV, XLSX; also matches 1073910.00)."""
    whole = int(amount)
    return f"{whole:,}", str(whole)


HIDDEN = {**{name: spellings(amount) for name, amount in FIGURES.items()},
          "the payment terms": (TERMS, TERMS.replace(" ", "\\u0020"))}


def member(username: str, department, role: str):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), email=f"{username}@example.com", user=user, department=department)
    return user


@pytest.fixture
def world(settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    return build_world()


def build_world() -> dict:
    demo.load_demo()
    users = {login.username: get_user_model().objects.get(username=login.username)
             for login in demo.ensure_demo_logins()}
    marketing = Department.objects.get(kind="marketing", slug="marketing")
    users["eddie"] = member("eddie", marketing, "editor")  # an editor outside the money group, owning nothing
    users["vera"] = UserFactory(username="vera")  # a viewer in no department (the demo's viewer is in Legal)
    set_role(users["vera"], "viewer")
    users["fiona"] = member("fiona", Department.objects.filter(kind="finance").first(), "editor")
    olga = PersonFactory(name="Olga Zephyr", department=marketing)  # owns the tool; no login
    org_services.token_create(actor=SETUP, user=users["admin"], name="walk")  # the token pages need one
    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    vendor = catalog_services.vendor_create(actor=SETUP, data={"name": "Zephyr Inc", "slug": "zephyr"})
    tool = catalog_services.component_create(actor=SETUP, data={
        "name": "Zephyr CRM", "slug": "zephyr-crm", "category": category, "vendor": vendor, "business_owner": olga,
        "annual_cost": FIGURES["the tool's former cost per year"], "currency": "USD", "seats_purchased": 50,
        "seats_used": 20})
    tool = catalog_services.component_update(tool, actor=SETUP, expected_version=tool.version,
                                             data={"annual_cost": FIGURES["the tool's cost per year"]})
    earlier = services.contract_create(actor=SETUP, data={
        "vendor": vendor, "reference": "ZP-1", "components": [tool], "start_date": datetime.date(THIS_YEAR - 1, 1, 1),
        "end_date": datetime.date(THIS_YEAR - 1, 12, 31), "annual_value": FIGURES["the earlier term's value"],
        "payment_terms": TERMS, "status": "active", "business_owner": olga, "currency": "USD"})
    services.contract_decide(earlier, actor=SETUP, decision="renew", reasons="It works.")
    current = earlier.next
    for value in (FIGURES["the current term's first value"], FIGURES["the contract's value"]):
        current = services.contract_update(current, actor=users["fiona"], data={"annual_value": value},
                                           expected_version=current.version)
    document = services.document_create(actor=SETUP, data={"contract": current, "title": "Order form",
                                                           "url": "https://example.com/order"})
    entry = services.cost_entry_create(actor=SETUP, data={"component": tool, "year": THIS_YEAR, "kind": "services",
                                                          "amount": FIGURES["a cost entry"], "currency": "USD"})
    budget = services.budget_create(actor=SETUP, data={"year": THIS_YEAR, "component": tool, "currency": "USD",
                                                       "amount": FIGURES["the tool's budget"]})
    category_budget = services.budget_create(actor=SETUP, data={
        "year": THIS_YEAR, "category": category, "amount": FIGURES["the category's budget"], "currency": "USD"})
    return {"users": users, "tool": tool, "vendor": vendor, "category": category,
            "contracts": [earlier, current], "document": document, "entry": entry,
            "budgets": [budget, category_budget]}


# Every page -------------------------------------------------------------------------------------------------

def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, full name, pattern) of every named URL pattern of the site, outside the API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


def view_model(pattern):
    callback = pattern.callback
    model = getattr(callback, "view_initkwargs", {}).get("model")
    return model or getattr(getattr(callback, "view_class", None), "model", None)


def objects_for(model, world) -> list:
    """The objects a detail URL of ``model`` is walked with: ours where the model carries money, else the
    demo's first."""
    ours = {
        "catalog.component": [world["tool"]], "catalog.vendor": [world["vendor"]],
        "catalog.category": [world["category"]], "finance.contract": world["contracts"],
        "finance.budget": world["budgets"], "finance.costentry": [world["entry"]],
        "finance.contractdocument": [world["document"]],
    }
    found = ours.get(model._meta.label_lower)
    if found is None:
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the demo has no {model._meta.verbose_name}: give the walk one"
        found = [first]
    return found


def models_by_route() -> dict[str, type]:
    """The model of each route prefix that has a detail page (``contracts/<int:pk>/``), for the pages under it."""
    found = {}
    for route, _name, pattern in url_patterns():
        model = view_model(pattern)
        if model is not None and route.endswith(">/") and route.count("<") == 1:
            found[route] = model
    return found


def page_urls(world, user) -> list[str]:
    from django.apps import apps

    by_route = models_by_route()
    # Pages without a model of their own: the model their first key is about, and the keys after it.
    keyed = {
        "audit_open": "core.auditentry", "question": "core.question", "question_answer": "core.question",
        "question_close": "core.question", "notification_open": "core.notification", "org:token_revoke": "org.apitoken",
        "changes:approval_decide": "changes.changeapproval", "finance:value_score": "catalog.component",
    }
    children = {"document_pk": ("contract", "finance.contractdocument"),
                "candidate_pk": ("selection", "finance.selectioncandidate"),
                "criterion_pk": ("selection", "finance.criterion"),
                "factor_pk": ("objective", "finance.successfactor")}
    urls = []
    for route, name, pattern in url_patterns():
        if route.startswith("api/") or name in ("logout", "login"):
            continue
        keys = list(pattern.pattern.regex.groupindex)
        if name.startswith("admin:") and keys:
            continue  # Django's admin (staff only: the audit log's raw entries) — its index is walked
        if not keys:
            urls.append(reverse(name))
            continue
        if name == "changes:calendar_ics":
            urls.append(reverse(name, kwargs={"key": feed_token_rotate(actor=user, user=user)}))
            continue
        model = view_model(pattern)
        if model is None and name in keyed:
            model = apps.get_model(keyed[name])
        if model is None:
            model = next((m for prefix, m in by_route.items() if route.startswith(prefix)), None)
        assert model is not None, f"the page {name} ({route}) is not walked: tell the walk what it shows"
        child = next((k for k in keys if k in children), None)
        if child is not None:
            parent_field, child_label = children[child]
            for obj in objects_for(apps.get_model(child_label), world):
                urls.append(reverse(name, kwargs={keys[0]: getattr(obj, f"{parent_field}_id"), child: obj.pk}))
            continue
        for obj in objects_for(model, world):
            urls.append(reverse(name, kwargs={key: getattr(obj, key) for key in keys}))
    return urls


# Every API GET route --------------------------------------------------------------------------------------

def api_urls(client, world) -> list[str]:
    schema = client.get("/api/openapi.json").json()
    resources = {f"/{r.path}": r.model for r in declared()}
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        path = path.removeprefix("/api")
        if "{" not in path:
            urls.append(f"/api{path}")
            continue
        base, key = path.split("/{", 1)
        key = key.split("}", 1)[0]
        model = resources.get(base)
        if model is None:
            from django.apps import apps

            model = apps.get_model({"/questions": "core.question"}[base])
        for obj in objects_for(model, world):
            value = getattr(obj, "pk" if key == "id" else key)
            urls.append(f"/api{path.replace('{' + key + '}', str(value))}")
    return urls


# The walk ---------------------------------------------------------------------------------------------------

def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = response.content
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    if "spreadsheet" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return body.decode()


def walk(user, world) -> dict[str, str]:
    """{url: text} of every output (any status: a refusal must not carry money either)."""
    client = Client()
    client.force_login(user)
    seen: dict[str, str] = {}
    extra = [f"{reverse('finance:budget')}?year={THIS_YEAR - 1}", f"{reverse('finance:investments')}?year="
             f"{THIS_YEAR - 1}", f"{reverse('search')}?q=Zephyr", f"{reverse('catalog:component_list')}?q=Zephyr",
             f"{reverse('catalog:component_list')}?ordering=-annual_cost",
             f"{reverse('audit_list')}?object_id={world['tool'].pk}", "/api/audit?limit=200",
             "/api/components?limit=500&ordering=-annual_cost", f"/api/investments?year={THIS_YEAR - 1}",
             *(f"{reverse('stackcode:export')}?format={fmt}" for fmt in ("yaml", "csv", "xlsx"))]
    for url in [*page_urls(world, user), *api_urls(client, world), *extra]:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if url.startswith("/api/") and "{" not in url:
            assert response.status_code != 422, (url, response.content[:300])
        seen[url] = text_of(response)
    return seen


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def found(seen: dict[str, str]) -> dict[str, list[str]]:
    """{hidden figure: [where it was found]}: each spelling standing alone (not inside a longer number or a
    random token; CSRF tokens are left out of the search)."""
    patterns = {name: re.compile("|".join(rf"(?<![0-9A-Za-z]){re.escape(form)}(?![0-9])" for form in forms))
                for name, forms in HIDDEN.items()}
    texts = {where: CSRF.sub("", text) for where, text in seen.items()}
    return {name: [where for where, text in texts.items() if pattern.search(text)]
            for name, pattern in patterns.items()}


def test_who_may_not_see_money_finds_no_figure_on_any_page_or_api_route(world):
    leaks = {}
    for who in ("marketer", "vera", "eddie"):
        seen = walk(world["users"][who], world)
        assert len(seen) > 250
        assert reverse("catalog:component", args=["zephyr-crm"]) in seen
        assert "/api/components/zephyr-crm" in seen
        leaks.update({f"{who}: {name}": places for name, places in found(seen).items() if places})
    assert leaks == {}


def test_finance_and_admins_find_every_figure_in_the_same_walk(world):
    for who in ("fiona", "admin"):
        seen = walk(world["users"][who], world)
        places = found(seen)
        assert all(places.values()), (who, {name: where for name, where in places.items() if not where})
        tool_page = seen[reverse("catalog:component", args=["zephyr-crm"])]
        assert "1,065,887 USD" in tool_page
        assert '"annual_cost":"1065887.00"' in seen["/api/components/zephyr-crm"].replace(" ", "")
        brief_pdf = reverse("finance:contract_brief_pdf", args=[world["contracts"][1].pk])
        assert "1,073,910" in seen[brief_pdf]  # the PDF is read, not skipped
        assert "1065887" in seen[f"{reverse('stackcode:export')}?format=xlsx"]
