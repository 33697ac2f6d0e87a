"""Lists read as plain rows (``paginate_plain``) answer exactly what the declared ``…Page`` schema makes
of the same objects: same bytes, same order, with and without filters, on every page."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from ninja.renderers import JSONRenderer

from stacksteward.catalog.filtersets import ComponentFilterSet
from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.catalog.schemas import (
    CategoryOut,
    ComponentOut,
    DataCategoryOut,
    RaciAssignmentOut,
    RelationOut,
    VendorOut,
)
from stacksteward.catalog.tests.factories import (
    CategoryFactory,
    ComponentFactory,
    RaciAssignmentFactory,
    RelationFactory,
    VendorFactory,
)
from stacksteward.core.api_support import PageParams, page_schema, paginate
from stacksteward.core.models import Tag
from stacksteward.org.models import Department
from stacksteward.org.schemas import DepartmentOut
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def validated_body(queryset, schema, limit=500, offset=0, caller=None) -> bytes:
    """The answer as ninja gives it for model instances: validated by the page schema (its resolvers asking
    the caller's rights), then rendered."""
    page = paginate(queryset, PageParams(limit=limit, offset=offset))
    data = page_schema(schema).model_validate(page, context={"request": SimpleNamespace(auth=caller)}).model_dump()
    return JSONRenderer().render(None, data, response_status=200).encode()


@pytest.fixture
def stack():
    """Components with and without every optional part: owners, vendor, category, tags, data categories."""
    group = CategoryFactory(name="Analytics")
    sub = CategoryFactory(name="Web analytics", parent=group)
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Zeta", "alpha", "Beta", "gamma")]
    keys = list(DataCategory.objects.order_by("-key").values_list("key", flat=True)[:3])
    components = []
    for n in range(12):
        component = ComponentFactory(
            name=f"Tool {n % 5}",  # repeated names: the order falls back to the id
            category=sub if n % 3 == 0 else (group if n % 3 == 1 else None),
            vendor=None if n % 4 == 0 else VendorFactory(),
            business_owner=None if n % 2 else PersonFactory(email=f"owner{n}@example.com"),
            technical_owner=None if n % 5 == 0 else PersonFactory(),
            annual_cost=None if n % 3 == 0 else Decimal("1234.5") * n,
            renewal_date=None if n % 2 else datetime.date(2027, 1 + n % 12, 1 + n),
            seats_purchased=None if n % 2 else 10 * n,
            seats_used=None if n % 2 else n,
            tier=1 + n % 4, lifecycle="retired" if n == 7 else "active",
        )
        component.tags.set(tags[: n % 5])
        component.data_categories.set(DataCategory.objects.filter(key__in=keys[: n % 4]))
        components.append(component)
    for a, b in zip(components, components[1:], strict=False):
        relation = RelationFactory(source=a, target=b)
        relation.data_categories.set(DataCategory.objects.filter(key__in=keys[: a.pk % 3]))
    RaciAssignmentFactory(component=components[0], person=None, department=DepartmentFactory())
    RaciAssignmentFactory(component=components[1])
    return components


@pytest.mark.parametrize("query", ["", "limit=5", "limit=5&offset=5", "offset=11", "offset=50", "ordering=-name",
                                   "ordering=-tier,name", "q=tool", "vendor=vendor-1", "lifecycle=retired"])
def test_list_components_plain_rows_equal_the_validated_schema(query, stack, viewer, viewer_api):
    response = viewer_api.get(f"/api/components?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    params = QueryDict(query)
    limit, offset = int(params.get("limit", 50)), int(params.get("offset", 0))
    queryset = ComponentFilterSet(data=params, queryset=Component.objects.restrict(viewer, "view").with_list_data()).qs
    assert response.content == validated_body(queryset, ComponentOut, limit, offset, viewer)


@pytest.mark.parametrize("who", ["viewer", "owner", "admin"])
def test_list_components_plain_rows_hide_money_as_the_schema_does(who, stack, viewer, admin_user, api_as):
    """The cost per year is null (``values_hidden``) where the caller may not see it: everywhere for a viewer,
    on the rows it owns for an owner, nowhere for an admin — the plain rows as the validated schema."""
    owned = stack[2].business_owner
    caller = {"viewer": viewer, "admin": admin_user}.get(who)
    if who == "owner":
        from stacksteward.core.roles import set_role
        from stacksteward.org.tests.factories import UserFactory

        caller = UserFactory(username="olly")
        set_role(caller, "viewer")
        owned.user = caller
        owned.save()
    body = api_as(caller).get("/api/components?limit=500&ordering=name")
    queryset = Component.objects.restrict(caller, "view").with_list_data().order_by("name", "pk")
    assert body.content == validated_body(queryset, ComponentOut, caller=caller)
    shown = {item["slug"]: item["annual_cost"] for item in body.json()["items"] if not item["values_hidden"]}
    costs = {c.slug: f"{c.annual_cost:.2f}" if c.annual_cost is not None else None for c in stack}
    expected = {"viewer": {}, "owner": {stack[2].slug: costs[stack[2].slug]}, "admin": costs}[who]
    assert {slug: (None if v is None else f"{Decimal(v):.2f}") for slug, v in shown.items()} == expected
    hidden = [item for item in body.json()["items"] if item["values_hidden"]]
    assert all(item["annual_cost"] is None for item in hidden)
    assert len(hidden) == len(stack) - len(expected)


def test_list_components_plain_rows_keep_tag_and_data_category_order(stack, viewer_api):
    items = {item["slug"]: item for item in viewer_api.get("/api/components?limit=500").json()["items"]}
    component = stack[4]
    assert [t["name"] for t in items[component.slug]["tags"]] == sorted(t.name for t in component.tags.all())
    assert [d["key"] for d in items[component.slug]["data_categories"]] == sorted(
        component.data_categories.values_list("key", flat=True))


@pytest.mark.parametrize(("path", "queryset", "schema"), [
    ("/api/relations", lambda: Relation.objects.with_list_data(), RelationOut),
    ("/api/raci-assignments", lambda: RaciAssignment.objects.select_related("component", "department", "person"),
     RaciAssignmentOut),
    ("/api/categories", lambda: Category.objects.select_related("parent"), CategoryOut),
    ("/api/vendors", lambda: Vendor.objects.all(), VendorOut),
    ("/api/data-categories", lambda: DataCategory.objects.all(), DataCategoryOut),
    ("/api/departments", lambda: Department.objects.all(), DepartmentOut),
])
def test_other_plain_lists_equal_the_validated_schema(path, queryset, schema, stack, viewer_api):
    assert viewer_api.get(f"{path}?limit=500").content == validated_body(queryset(), schema)
    assert viewer_api.get(f"{path}?limit=3&offset=2").content == validated_body(queryset(), schema, 3, 2)
