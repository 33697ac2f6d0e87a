"""A field is hidden everywhere or nowhere: contract and cost money walked through every output.

An editor outside the money group (marketing, owning nothing) walks every finance page, every finance API
GET route (from the OpenAPI schema), the stack-as-code exports (YAML, CSV zip, XLSX), the renewal-brief
page and PDF, the audit log page and API and the page of the component the contracts cover, and finds
none of the contracts' values, payment terms or costs. A finance person walks the same outputs and finds
every one of them — so the walk can see what it looks for.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from pypdf import PdfReader

from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.roles import set_role
from stacksteward.finance import services, urls
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

SETUP = SystemActor("test", "money walk")
THIS_YEAR = services.today().year
# Distinctive amounts: none of them can appear by chance in a page, a file or an id.
PREVIOUS_VALUE = Decimal("61237.00")  # the earlier term
FIRST_VALUE = Decimal("72580.00")  # the current term's value before the change (kept in the audit log)
VALUE = Decimal("73910.00")
COST = Decimal("8317.00")
TOTAL = VALUE + COST  # the component's cost this year: 82,227.00
TERMS = "Net 47 zebra"


def forms(amount: Decimal) -> tuple[str, str]:
    """How an amount appears: 73,910 / 73,910.00 (pages, PDF) and 73910 / 73910.00 / 73910.0 (API, files)."""
    whole = int(amount)
    return f"{whole:,}", str(whole)


HIDDEN = {
    "previous value": forms(PREVIOUS_VALUE),
    "first value": forms(FIRST_VALUE),
    "value": forms(VALUE),
    "cost": forms(COST),
    "component total": forms(TOTAL),
    "payment terms": (TERMS, TERMS.replace(" ", "\\u0020")),
}


def member(username: str, department, role: str = "editor"):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), email=f"{username}@example.com", user=user, department=department)
    return user


@pytest.fixture
def world(db, settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    finance = DepartmentFactory(name="Finance", slug="finance", kind="finance")
    eddie = member("eddie", marketing)  # an editor outside the money group, owning nothing
    fiona = member("fiona", finance)
    olga = PersonFactory(name="Olga", department=marketing)
    crm = ComponentFactory(name="Zephyr CRM", slug="zephyr-crm", business_owner=olga, seats_purchased=50,
                           seats_used=20)
    vendor = VendorFactory(name="Zephyr Inc", slug="zephyr")
    last = THIS_YEAR - 1
    earlier = services.contract_create(actor=SETUP, data={
        "vendor": vendor, "reference": "ZP-1", "components": [crm], "start_date": datetime.date(last, 1, 1),
        "end_date": datetime.date(last, 12, 31), "annual_value": PREVIOUS_VALUE, "payment_terms": TERMS,
        "status": "active", "business_owner": olga, "currency": "USD"})
    services.contract_decide(earlier, actor=SETUP, decision="renew", reasons="It works.")
    current = earlier.next
    current = services.contract_update(current, actor=fiona, data={"annual_value": FIRST_VALUE},
                                       expected_version=current.version)
    current = services.contract_update(current, actor=fiona, data={"annual_value": VALUE},
                                       expected_version=current.version)
    document = services.document_create(actor=SETUP, data={"contract": current, "title": "Order form",
                                                           "url": "https://example.com/order"})
    entry = services.cost_entry_create(actor=SETUP, data={"component": crm, "year": THIS_YEAR, "kind": "services",
                                                          "amount": COST, "currency": "USD"})
    budget = services.budget_create(actor=SETUP, data={"year": THIS_YEAR, "component": crm, "amount": 1,
                                                       "currency": "USD"})
    selection = services.selection_create(actor=SETUP, data={"title": "Next CRM", "need": "Find one."})
    candidate = services.candidate_create(actor=SETUP, data={"selection": selection, "name": "Acme CRM"})
    criterion = services.criterion_create(actor=SETUP, data={"selection": selection, "department": marketing,
                                                             "name": "Ease of use", "weight": 3})
    objective = services.objective_create(actor=SETUP, data={
        "name": "More leads", "period_start": datetime.date(THIS_YEAR, 1, 1),
        "period_end": datetime.date(THIS_YEAR, 12, 31)})
    factor = services.success_factor_create(actor=SETUP, data={"objective": objective, "name": "Good forms"})
    kpi = services.kpi_create(actor=SETUP, data={"name": "Leads", "slug": "leads", "definition": "New leads.",
                                                 "unit": "leads", "objective": objective, "components": [crm]})
    return {"eddie": eddie, "fiona": fiona, "crm": crm, "vendor": vendor, "contracts": [earlier, current],
            "document": document, "entry": entry, "budget": budget, "selection": selection,
            "candidate": candidate, "criterion": criterion, "objective": objective, "factor": factor, "kpi": kpi}


def page_kwargs(name: str, world) -> list[dict]:
    """The arguments of every finance page (a new page must be added here: the walk fails on unknown names)."""
    contracts = [{"pk": c.pk} for c in world["contracts"]]
    selection = {"pk": world["selection"].pk}
    table = {
        "index": [{}], "contract_list": [{}], "contract_add": [{}], "contract": contracts,
        "contract_edit": contracts, "contract_delete": contracts, "contract_decide": contracts,
        "contract_document_add": contracts, "contract_brief": contracts, "contract_brief_pdf": contracts,
        "contract_document_delete": [{"pk": world["contracts"][1].pk, "document_pk": world["document"].pk}],
        "selection_list": [{}], "selection_add": [{}], "selection": [selection], "selection_edit": [selection],
        "selection_delete": [selection], "selection_candidate_add": [selection],
        "selection_candidate_delete": [{**selection, "candidate_pk": world["candidate"].pk}],
        "selection_criterion_add": [selection],
        "selection_criterion_delete": [{**selection, "criterion_pk": world["criterion"].pk}],
        "selection_scores": [selection], "selection_decide": [selection],
        "objective_list": [{}], "objective_add": [{}], "objective": [{"pk": world["objective"].pk}],
        "objective_edit": [{"pk": world["objective"].pk}], "objective_delete": [{"pk": world["objective"].pk}],
        "success_factor_add": [{"pk": world["objective"].pk}],
        "success_factor_delete": [{"pk": world["objective"].pk, "factor_pk": world["factor"].pk}],
        "kpi_list": [{}], "kpi_add": [{}], "kpi": [{"slug": "leads"}], "kpi_edit": [{"slug": "leads"}],
        "kpi_delete": [{"slug": "leads"}], "kpi_measurement_add": [{"slug": "leads"}],
        "budget": [{}], "budget_add": [{}], "budget_edit": [{"pk": world["budget"].pk}],
        "budget_delete": [{"pk": world["budget"].pk}], "cost_entry_add": [{}],
        "cost_entry_edit": [{"pk": world["entry"].pk}], "investments": [{}],
        "value_score": [{"slug": world["crm"].slug}],
    }
    assert name in table, f"finance page {name!r} is not walked: add it to page_kwargs"
    return table[name]


def api_path(path: str, world) -> list[str]:
    """Fill the path parameters of a finance API GET route (unknown routes fail the walk)."""
    if "{" not in path:
        return [path]
    ids = {
        "/api/contracts/{id}": [c.pk for c in world["contracts"]],
        "/api/contract-documents/{id}": [world["document"].pk],
        "/api/selections/{id}": [world["selection"].pk],
        "/api/selection-candidates/{id}": [world["candidate"].pk],
        "/api/selection-criteria/{id}": [world["criterion"].pk],
        "/api/objectives/{id}": [world["objective"].pk],
        "/api/success-factors/{id}": [world["factor"].pk],
        "/api/kpis/{slug}": ["leads"],
        "/api/cost-entries/{id}": [world["entry"].pk],
        "/api/budgets/{id}": [world["budget"].pk],
    }
    for prefix, values in ids.items():
        if path.startswith(prefix):
            key = prefix.rsplit("/", 1)[1]
            return [path.replace(key, str(value)) for value in values]
    raise AssertionError(f"finance API route {path} is not walked: add it to api_path")


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = response.content
    if content_type.startswith("application/pdf"):
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
    """{what: text} of every output the user can open (any status: a refusal must not carry money either)."""
    client = Client()
    client.force_login(user)
    seen: dict[str, str] = {}

    def get(url: str, **params):
        response = client.get(url, params)
        seen[f"{url} {params or ''}"] = text_of(response)
        return response

    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        for kwargs in page_kwargs(pattern.name, world):
            url = reverse(f"finance:{pattern.name}", kwargs=kwargs)
            get(url)
            if pattern.name in ("budget", "investments"):
                get(url, year=THIS_YEAR - 1)
    schema = client.get("/api/openapi.json").json()
    routes = [path for path, operations in schema["paths"].items()
              if "get" in operations and "finance" in operations["get"].get("tags", [])]
    assert "/api/contracts/{id}" in routes and "/api/investments" in routes
    for route in routes:
        for path in api_path(route, world):
            response = get(path)
            assert response.status_code == 200, (path, response.content[:300])
    get("/api/investments", year=THIS_YEAR - 1)
    for fmt in ("yaml", "csv", "xlsx"):
        assert get(reverse("stackcode:export"), format=fmt).status_code == 200
    assert get(reverse("audit_list")).status_code == 200
    for contract in world["contracts"]:
        get(reverse("audit_list"), object_id=contract.pk)
    assert get("/api/audit", limit=200).status_code == 200
    assert get(reverse("catalog:component", args=[world["crm"].slug])).status_code == 200
    assert get(reverse("catalog:vendor", args=[world["vendor"].slug])).status_code == 200
    return seen


def found(seen: dict[str, str]) -> dict[str, list[str]]:
    """{hidden value: [where it was found]}."""
    return {name: [where for where, text in seen.items() if any(form in text for form in spellings)]
            for name, spellings in HIDDEN.items()}


@pytest.mark.django_db
def test_an_editor_outside_the_money_group_finds_no_money_anywhere(world):
    seen = walk(world["eddie"], world)
    assert len(seen) > 60
    leaks = {name: places for name, places in found(seen).items() if places}
    assert leaks == {}


@pytest.mark.django_db
def test_a_finance_person_finds_every_value_in_the_same_walk(world):
    seen = walk(world["fiona"], world)
    places = found(seen)
    assert all(places.values()), places
    contract = world["contracts"][1]
    assert any(forms(VALUE)[0] in text for where, text in seen.items() if where.startswith(
        reverse("finance:contract_brief_pdf", args=[contract.pk])))  # the PDF is read, not skipped
    assert any(forms(VALUE)[1] in text for where, text in seen.items() if "format" in where and "xlsx" in where)
