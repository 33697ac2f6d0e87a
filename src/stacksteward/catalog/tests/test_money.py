"""A component's cost per year and a budget's planned amount are money: the one money rule decides who reads
them (admins, finance, procurement and legal people, and the component's owners) in sorting, forms, API
writes, the audit log and the budget page. (Every page and route is walked by ``tests/test_money_everywhere``.)
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.models import Component
from stacksteward.catalog.tests.factories import CategoryFactory, ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.roles import set_role
from stacksteward.finance import services as finance_services
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = SystemActor("test", "money")


def login(username: str, role: str, *, department=None):
    user = UserFactory(username=username)
    set_role(user, role)
    person = PersonFactory(name=username.capitalize(), user=user, department=department)
    return user, person


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people():
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    finance = DepartmentFactory(name="Finance", slug="finance", kind="finance")
    owner, owner_person = login("olga", "editor", department=marketing)
    editor, _ = login("eddie", "editor", department=marketing)
    viewer, _ = login("vera", "viewer", department=marketing)
    fiona, _ = login("fiona", "viewer", department=finance)
    return {"owner": owner, "owner_person": owner_person, "editor": editor, "viewer": viewer, "fiona": fiona}


@pytest.fixture
def tools(people):
    """Names in one order, costs in another; two of them owned by Olga."""
    olga = people["owner_person"]
    specs = [("Alpha", "300", None), ("Bravo", "100", olga), ("Charlie", "200", None), ("Delta", "50", olga),
             ("Echo", None, None)]
    return [ComponentFactory(name=name, slug=name.lower(), annual_cost=Decimal(cost) if cost else None,
                             business_owner=owner) for name, cost, owner in specs]


def page_order(client, ordering: str) -> list[str]:
    html = client.get(reverse("catalog:component_list"), {"ordering": ordering}).content.decode()
    return re.findall(r'<a href="/catalog/components/([a-z]+)/"[^>]*><strong>', html)


def api_order(user, api_as, ordering: str) -> list[str]:
    items = api_as(user).get(f"/api/components?ordering={ordering}").json()["items"]
    return [item["slug"] for item in items]


def test_sorting_by_cost_orders_only_the_costs_the_caller_sees(people, tools, api_as):
    by_creation = ["alpha", "bravo", "charlie", "delta", "echo"]
    # A viewer sees no cost: both directions leave the rows in the same (creation) order, on the page and in the API.
    viewer = client_for(people["viewer"])
    assert page_order(viewer, "annual_cost") == page_order(viewer, "-annual_cost") == by_creation
    assert api_order(people["viewer"], api_as, "annual_cost") == by_creation
    assert api_order(people["viewer"], api_as, "-annual_cost") == by_creation
    # Finance sees every cost: sorted by it (no cost sorts as empty).
    ascending = api_order(people["fiona"], api_as, "annual_cost")
    assert [s for s in ascending if s != "echo"] == ["delta", "bravo", "charlie", "alpha"]
    assert page_order(client_for(people["fiona"]), "-annual_cost")[:4] == ["alpha", "charlie", "bravo", "delta"]
    # The owner sees the costs of Bravo (100) and Delta (50) only: those two are sorted, the rest keep their order.
    owned = [s for s in api_order(people["owner"], api_as, "annual_cost") if s in ("bravo", "delta")]
    assert owned == ["delta", "bravo"]
    descending = api_order(people["owner"], api_as, "-annual_cost")
    assert [s for s in descending if s not in ("bravo", "delta")] == ["alpha", "charlie", "echo"]
    assert [s for s in descending if s in ("bravo", "delta")] == ["bravo", "delta"]


def test_the_component_form_offers_the_cost_only_to_who_may_write_it(people, tools):
    alpha, bravo = tools[0], tools[1]
    editor, owner = client_for(people["editor"]), client_for(people["owner"])
    form = editor.get(reverse("catalog:component_edit", args=["alpha"])).content.decode()
    assert 'name="annual_cost"' not in form and "300" not in form
    response = editor.post(reverse("catalog:component_edit", args=["alpha"]), {
        "name": "Alpha renamed", "kind": alpha.kind, "hosting": alpha.hosting, "lifecycle": alpha.lifecycle,
        "tier": alpha.tier, "currency": "USD", "version": alpha.version, "business_owner": "",
        "technical_owner": alpha.technical_owner_id})
    assert response.status_code == 302, response.content.decode()[:2000]
    alpha.refresh_from_db()
    assert (alpha.name, alpha.annual_cost) == ("Alpha renamed", Decimal("300"))  # the hidden cost is kept
    own_form = owner.get(reverse("catalog:component_edit", args=["bravo"])).content.decode()
    assert re.search(r'name="annual_cost"[^>]*value="100(\.00)?"', own_form)
    # Recording a new component, an editor enters its cost (nothing to hide yet).
    assert 'name="annual_cost"' in editor.get(reverse("catalog:component_add")).content.decode()
    assert bravo.annual_cost == Decimal("100")


def test_an_api_write_keeps_a_hidden_cost_sent_back_as_null_and_refuses_to_change_it(people, tools, api_as):
    api = api_as(people["editor"])
    alpha = api.get("/api/components/alpha").json()
    assert (alpha["annual_cost"], alpha["values_hidden"]) == (None, True)
    body = {key: alpha[key] for key in ("slug", "name", "kind", "hosting", "lifecycle", "tier", "description", "url",
                                        "seats_purchased", "seats_used", "annual_cost", "currency", "renewal_date")}
    body.update(description="Now described.", version=alpha["version"], tags=[], data_categories=[],
                business_owner=None, technical_owner=None)
    response = api.put_json("/api/components/alpha", body)
    assert response.status_code == 200, response.json()
    assert Component.objects.get(slug="alpha").annual_cost == Decimal("300")
    refused = api.patch_json("/api/components/alpha", {"annual_cost": "5", "version": response.json()["version"]})
    assert refused.status_code == 403
    assert "cost per year" in refused.json()["detail"]
    assert Component.objects.get(slug="alpha").annual_cost == Decimal("300")
    own = api_as(people["owner"]).patch_json("/api/components/bravo", {"annual_cost": "120",
                                                                   "version": tools[1].version})
    assert own.status_code == 200 and own.json()["annual_cost"] == "120.00"


def test_the_audit_log_leaves_out_a_cost_for_who_does_not_see_all_money(people, tools, api_as):
    bravo = tools[1]
    catalog_services.component_update(bravo, actor=SETUP, data={"annual_cost": Decimal("7341.00")},
                                      expected_version=bravo.version)
    for who in ("viewer", "owner"):  # the owner sees the cost on the page, not its history
        entries = api_as(people[who]).get("/api/components/bravo/history").json()["items"]
        update = next(e for e in entries if e["action"] == "update")
        assert update["hidden_fields"] == ["annual_cost"]
        assert "annual_cost" not in update["before"] and "annual_cost" not in update["after"]
        assert all(change["field"] != "annual_cost" for change in update["changes"])
        assert "7341" not in client_for(people[who]).get(reverse("audit_list")).content.decode()
        history = client_for(people[who]).get(reverse("catalog:component", args=["bravo"])).content.decode()
        assert "7341" not in history.split('data-testid="history"')[1]
        assert "7341" not in api_as(people[who]).get("/api/audit").content.decode()
    entries = api_as(people["fiona"]).get("/api/components/bravo/history").json()["items"]
    update = next(e for e in entries if e["action"] == "update")
    assert update["hidden_fields"] == []
    assert {"field": "annual_cost", "before": "100.00", "after": "7341.00"} in update["changes"]
    assert "7,341.00" in client_for(people["fiona"]).get(reverse("audit_list")).content.decode()  # as people read it


def test_a_budgets_planned_amount_is_shown_to_who_sees_the_components_money(people, tools, api_as):
    year = datetime.date.today().year
    bravo = tools[1]
    own = finance_services.budget_create(actor=SETUP, data={"year": year, "component": bravo, "amount": 4321,
                                                            "currency": "USD"})
    other = finance_services.budget_create(actor=SETUP, data={"year": year, "component": tools[0], "amount": 5432,
                                                              "currency": "USD"})
    category = finance_services.budget_create(actor=SETUP, data={"year": year, "category": CategoryFactory(),
                                                                 "amount": 6543, "currency": "USD"})
    expected = {  # who → {budget: planned amount or None (hidden)}
        "viewer": {own.pk: None, other.pk: None, category.pk: None},
        "owner": {own.pk: "4321.00", other.pk: None, category.pk: None},
        "fiona": {own.pk: "4321.00", other.pk: "5432.00", category.pk: "6543.00"},
    }
    for who, amounts in expected.items():
        items = api_as(people[who]).get(f"/api/budgets?year={year}").json()["items"]
        assert {item["id"]: item["amount"] for item in items} == amounts
        assert {item["id"]: item["values_hidden"] for item in items} == {k: v is None for k, v in amounts.items()}
        page = client_for(people[who]).get(reverse("finance:budget"), {"year": year}).content.decode()
        for pk, amount in amounts.items():
            row = re.search(rf'data-testid="budget-row-{pk}">(.*?)</tr>', page, re.S).group(1)
            shown = f"{int(Decimal(amount)):,} USD" if amount else "hidden"
            assert shown in row, (who, pk, row)
        assert ("6,543" in page) is (who == "fiona")


def test_the_component_list_runs_constant_queries_for_an_owner(people, api_as, django_assert_max_num_queries):
    """An owner reads some costs: one more query per list page, however many rows."""
    api = api_as(people["owner"])
    client = client_for(people["owner"])
    ComponentFactory.create_batch(3, annual_cost=Decimal("10"), business_owner=people["owner_person"])
    with django_assert_max_num_queries(40) as few:
        api.get("/api/components?limit=500")
        client.get(reverse("catalog:component_list"))
    ComponentFactory.create_batch(20, annual_cost=Decimal("10"), business_owner=people["owner_person"])
    ComponentFactory.create_batch(20, annual_cost=Decimal("10"))
    with django_assert_max_num_queries(len(few)):
        api.get("/api/components?limit=500")
        client.get(reverse("catalog:component_list"))
