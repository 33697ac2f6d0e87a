"""The whole-stack graph's data: what each node carries for boxes and filters, and a constant number of
queries at 1,000 components."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.models import Category, Component, Relation
from stacksteward.catalog.tests.factories import CategoryFactory, ComponentFactory, VendorFactory
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory


def test_graph_data_nodes_carry_category_department_and_lifecycle(viewer_client):
    cdp = Category.objects.get(slug="customer-data-platforms")  # the seeded landscape
    owner = PersonFactory(department=DepartmentFactory(slug="growth", name="Growth"))
    component = ComponentFactory(name="Segment", category=cdp, business_owner=owner, lifecycle="pilot")
    orphan = ComponentFactory(name="Loose end", business_owner=None)

    nodes = {n["data"]["id"]: n["data"] for n in viewer_client.get(reverse("catalog:graph_data")).json()
             ["elements"]["nodes"]}

    found = nodes[f"c{component.pk}"]
    assert (found["group"], found["group_label"]) == ("data", "Data")
    assert (found["category_slug"], found["category"]) == ("customer-data-platforms", "Customer Data Platforms")
    assert (found["department"], found["department_label"]) == ("growth", "Growth")
    assert (found["lifecycle"], found["lifecycle_label"]) == ("pilot", "Pilot")
    assert (nodes[f"c{orphan.pk}"]["department"], nodes[f"c{orphan.pk}"]["department_label"]) == (
        "none", "No owning department")
    # no money in the graph's data
    assert not any("cost" in key or "value" in key for key in found)


def _stack(size: int) -> None:
    """``size`` more components over six groups (two sub-categories each) and eight departments, each with
    the next two as data-flow targets: bulk-created test data."""
    groups = [CategoryFactory(slug=f"group-{g}-{size}", name=f"Group {g}") for g in range(6)]
    subs = [CategoryFactory(slug=f"sub-{g}-{s}-{size}", name=f"Sub {g}.{s}", parent=group)
            for g, group in enumerate(groups) for s in range(2)]
    owners = [PersonFactory(department=DepartmentFactory()) for _ in range(8)]
    vendor = VendorFactory()
    start = Component.objects.count()
    Component.objects.bulk_create([
        Component(name=f"Tool {start + n}", slug=f"tool-{start + n}", category=subs[n % len(subs)],
                  business_owner=owners[n % len(owners)], vendor=vendor, tier=1 + n % 4)
        for n in range(size)
    ])
    ids = list(Component.objects.order_by("id").values_list("id", flat=True)[start:])
    Relation.objects.bulk_create([
        Relation(source_id=a, target_id=ids[(i + step) % len(ids)], type="data_flow")
        for i, a in enumerate(ids) for step in (1, 2)
    ])


def _queries(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalog:graph_data"))
    assert response.status_code == 200
    return len(captured), response.json()


def test_graph_data_at_1000_components_runs_the_same_queries_as_at_ten(viewer_client):
    _stack(10)
    small, data = _queries(viewer_client)
    assert len(data["elements"]["nodes"]) == 10

    _stack(990)
    large, data = _queries(viewer_client)

    assert large == small
    assert len(data["elements"]["nodes"]) == 1000
    assert len(data["elements"]["edges"]) == 2 * 10 + 2 * 990
    assert data["truncated"] is False
    groups = {n["data"]["group"] for n in data["elements"]["nodes"]}
    departments = {n["data"]["department"] for n in data["elements"]["nodes"]}
    # ten tools fill sub-categories 0–9 (groups 0–4) of the first set, 990 every group of the second
    assert len(groups) == 5 + 6 and len(departments) == 8 + 8
