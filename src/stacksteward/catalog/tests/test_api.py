"""The catalog API end to end: token client → handler → service → database, audit and errors."""

from dataclasses import dataclass
from typing import Any

import pytest

from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.catalog.services import relation_create
from stacksteward.catalog.tests.factories import (
    CategoryFactory,
    ComponentFactory,
    RaciAssignmentFactory,
    RelationFactory,
    VendorFactory,
)
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


# Helpers ---------------------------------------------------------------------------------------


# One table drives the generic CRUD checks for every catalog resource ---------------------------


@dataclass
class Resource:
    name: str
    path: str
    model: type
    key: str
    make: Any  # () → a saved object
    create_body: Any  # () → a valid POST body
    patch_body: dict
    changed: tuple[str, Any]  # (attribute, value) after the patch


def _component_body():
    return {"name": "Brand New Tool", "vendor": VendorFactory().slug, "tier": 2}


def _relation_body():
    return {"source": ComponentFactory().slug, "target": ComponentFactory().slug, "type": "depends_on"}


def _raci_body():
    return {"component": ComponentFactory().slug, "activity": "budget", "role": "A",
            "department": DepartmentFactory().slug}


RESOURCES = [
    Resource("category", "/api/categories", Category, "slug", CategoryFactory,
             lambda: {"name": "Brand New Category"}, {"description": "Updated"}, ("description", "Updated")),
    Resource("vendor", "/api/vendors", Vendor, "slug", VendorFactory,
             lambda: {"name": "Brand New Vendor", "status": "active"}, {"status": "acquired"}, ("status", "acquired")),
    Resource("component", "/api/components", Component, "slug", ComponentFactory,
             _component_body, {"lifecycle": "sunsetting"}, ("lifecycle", "sunsetting")),
    Resource("relation", "/api/relations", Relation, "id", RelationFactory,
             _relation_body, {"mechanism": "webhook"}, ("mechanism", "webhook")),
    Resource("raci", "/api/raci-assignments", RaciAssignment, "pk", RaciAssignmentFactory,
             _raci_body, {"role": "R"}, ("role", "R")),
]
IDS = [r.name for r in RESOURCES]


def url_of(resource: Resource, obj) -> str:
    key = obj.slug if resource.key == "slug" else obj.pk
    return f"{resource.path}/{key}"


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_create_as_editor_201_and_audited_from_api(resource, editor, editor_api):
    before = resource.model.objects.count()
    response = editor_api.post_json(resource.path, resource.create_body())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 1 and body["created_at"] and body["updated_at"]
    assert resource.model.objects.count() == before + 1
    entry = audit_entries(resource.model, body["id"]).get()
    assert (entry.action, entry.source, entry.actor) == ("create", "api", editor)
    assert entry.before is None and entry.after


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_create_as_viewer_403_nothing_written(resource, viewer_api):
    payload = resource.create_body()
    before = resource.model.objects.count()
    response = viewer_api.post_json(resource.path, payload)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert resource.model.objects.count() == before
    assert not audit_entries(resource.model).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_get_returns_object_and_unknown_404(resource, viewer_api):
    obj = resource.make()
    response = viewer_api.get(url_of(resource, obj))
    assert response.status_code == 200
    assert response.json()["id"] == obj.pk
    missing = viewer_api.get(f"{resource.path}/999999" if resource.key != "slug" else f"{resource.path}/no-such")
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith("No ")


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_patch_with_current_version_changes_and_audits_before_after(resource, editor_api):
    obj = resource.make()
    response = editor_api.patch_json(url_of(resource, obj), {"version": obj.version, **resource.patch_body})
    assert response.status_code == 200, response.json()
    obj.refresh_from_db()
    attr, value = resource.changed
    assert getattr(obj, attr) == value
    assert obj.version == 2 and response.json()["version"] == 2
    entry = audit_entries(resource.model, obj.pk).get(action="update")
    assert entry.source == "api"
    assert entry.after[attr] == value and entry.before[attr] != value


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_patch_with_stale_version_409_nothing_written(resource, editor_api):
    obj = resource.make()
    resource.model.objects.filter(pk=obj.pk).update(version=3)  # someone else saved twice meanwhile
    response = editor_api.patch_json(url_of(resource, obj), {"version": 1, **resource.patch_body})
    assert response.status_code == 409
    assert response.json()["current_version"] == 3
    obj.refresh_from_db()
    attr, value = resource.changed
    assert getattr(obj, attr) != value and obj.version == 3
    assert not audit_entries(resource.model).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_patch_without_version_422_names_version(resource, editor_api):
    obj = resource.make()
    response = editor_api.patch_json(url_of(resource, obj), resource.patch_body)
    assert response.status_code == 422
    assert error_fields(response) == ["version"]


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_patch_as_viewer_403_nothing_written(resource, viewer_api):
    obj = resource.make()
    response = viewer_api.patch_json(url_of(resource, obj), {"version": obj.version, **resource.patch_body})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.version == 1
    assert not audit_entries(resource.model).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_put_replaces_and_bumps_version(resource, editor_api):
    obj = resource.make()
    body = {**resource.create_body(), **resource.patch_body, "version": obj.version}
    response = editor_api.put_json(url_of(resource, obj), body)
    assert response.status_code == 200, response.json()
    obj.refresh_from_db()
    assert obj.version == 2
    attr, value = resource.changed
    assert getattr(obj, attr) == value


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_put_with_stale_version_409(resource, editor_api):
    obj = resource.make()
    resource.model.objects.filter(pk=obj.pk).update(version=2)
    body = {**resource.create_body(), "version": 1}
    response = editor_api.put_json(url_of(resource, obj), body)
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert not audit_entries(resource.model).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_delete_with_current_version_204_and_audited(resource, editor_api):
    obj = resource.make()
    response = editor_api.delete(f"{url_of(resource, obj)}?version=1")
    assert response.status_code == 204
    assert not resource.model.objects.filter(pk=obj.pk).exists()
    entry = audit_entries(resource.model, obj.pk).get()
    assert (entry.action, entry.source, entry.after) == ("delete", "api", None)
    assert entry.before


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_delete_with_stale_version_409_keeps_object(resource, editor_api):
    obj = resource.make()
    resource.model.objects.filter(pk=obj.pk).update(version=2)
    response = editor_api.delete(f"{url_of(resource, obj)}?version=1")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert resource.model.objects.filter(pk=obj.pk).exists()
    assert not audit_entries(resource.model).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_delete_as_viewer_403_keeps_object(resource, viewer_api):
    obj = resource.make()
    response = viewer_api.delete(url_of(resource, obj))
    assert response.status_code == 403
    assert resource.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_list_runs_constant_queries(resource, viewer_api, django_assert_max_num_queries):
    assert_constant_queries(viewer_api, f"{resource.path}?limit=500", resource.make, django_assert_max_num_queries)


def test_list_data_categories_constant_queries(viewer_api, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make():
        n = next(counter)
        return DataCategory.objects.create(key=f"custom.key_{n}", name=f"Custom {n}")

    assert_constant_queries(viewer_api, "/api/data-categories?limit=500", make, django_assert_max_num_queries)


# Components ------------------------------------------------------------------------------------


def test_create_component_resolves_natural_keys(editor_api):
    group = Category.objects.get(slug="data")
    sub = CategoryFactory(parent=group)
    vendor = VendorFactory()
    business, technical = PersonFactory(), PersonFactory()
    response = editor_api.post_json("/api/components", {
        "name": "Customer Data Platform", "kind": "database", "category": sub.slug, "vendor": vendor.slug,
        "business_owner": business.pk, "technical_owner": technical.email.upper(), "tags": ["CRM", "core"],
        "data_categories": ["user.contact", "user.behavior"], "seats_purchased": 10, "seats_used": 4,
        "annual_cost": "12000.50", "currency": "eur", "renewal_date": "2030-01-31",
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    component = Component.objects.get(slug="customer-data-platform")
    assert (component.category, component.vendor) == (sub, vendor)
    assert (component.business_owner, component.technical_owner) == (business, technical)
    assert sorted(component.tags.values_list("name", flat=True)) == ["CRM", "core"]
    assert sorted(component.data_categories.values_list("key", flat=True)) == ["user.behavior", "user.contact"]
    assert component.currency == "EUR" and str(component.annual_cost) == "12000.50"
    assert body["vendor"] == {"slug": vendor.slug, "name": vendor.name}
    assert body["business_owner"] == {"id": business.pk, "name": business.name, "email": business.email}
    assert body["category"] == {"slug": sub.slug, "name": sub.name}
    assert {t["name"] for t in body["tags"]} == {"CRM", "core"}
    assert {d["key"] for d in body["data_categories"]} == {"user.contact", "user.behavior"}
    entry = audit_entries(Component, component.pk).get()
    assert entry.after["vendor"] == vendor.name and entry.after["tags"] == ["CRM", "core"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "name", "Field required"),
        ({"name": "X", "kind": "spaceship"}, "kind", "application"),
        ({"name": "X", "lifecycle": "zombie"}, "lifecycle", "retired"),
        ({"name": "X", "vendor": "no-such-vendor"}, "vendor", "No vendor with slug 'no-such-vendor'"),
        ({"name": "X", "category": "no-such-category"}, "category", "No category with slug 'no-such-category'"),
        ({"name": "X", "business_owner": 999999}, "business_owner", "No person with id '999999'"),
        ({"name": "X", "technical_owner": "ghost@example.com"}, "technical_owner", "ghost@example.com"),
        ({"name": "X", "data_categories": ["user.contact", "user.dreams"]}, "data_categories", "'user.dreams'"),
        ({"name": "X", "annual_cost": -5}, "annual_cost", "greater than or equal to 0"),
        ({"name": "X", "tier": 5}, "tier", "less than or equal to 4"),
        ({"name": "X", "seats_purchased": 5, "seats_used": 6}, "seats_used", "cannot exceed"),
        ({"name": "X", "currency": "dollars"}, "currency", "three-letter"),
        ({"name": "X", "url": "not a url"}, "url", "valid URL"),
        ({"name": "X", "renewal_date": "next spring"}, "renewal_date", "date"),
        ({"name": "X", "colour": "blue"}, "colour", "Extra inputs are not permitted"),
        ({"name": "X", "tags": [1]}, "tags.0", "string"),
    ],
)
def test_create_component_bad_input_422_names_field_nothing_written(payload, field, message, editor_api):
    payload = {**payload, "tags": payload.get("tags", ["fresh-tag"])}
    response = editor_api.post_json("/api/components", payload)
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    assert message in response.json()["detail"]
    assert not Component.objects.exists()
    assert not Tag.objects.exists()
    assert not AuditEntry.objects.filter(source="api").exists()


def test_create_component_reports_every_unknown_reference_at_once(editor_api):
    response = editor_api.post_json("/api/components", {"name": "X", "vendor": "nope", "category": "nope"})
    assert response.status_code == 422
    assert set(error_fields(response)) == {"vendor", "category"}


def test_create_component_duplicate_slug_422(editor_api):
    ComponentFactory(slug="crm")
    response = editor_api.post_json("/api/components", {"name": "Another CRM", "slug": "crm"})
    assert response.status_code == 422
    assert error_fields(response) == ["slug"]


def test_create_component_unreadable_json_422(editor_api):
    response = editor_api.post("/api/components", "{not json", content_type="application/json")
    assert response.status_code == 422
    assert error_fields(response) == ["body"]


def test_patch_component_changes_only_sent_fields(editor_api):
    component = ComponentFactory(description="Keep me", tier=2)
    component.tags.set([Tag.objects.create(name="keep", slug="keep")])
    response = editor_api.patch_json(f"/api/components/{component.slug}",
                                     {"version": 1, "tier": 1, "vendor": None, "technical_owner": None})
    assert response.status_code == 200, response.json()
    component.refresh_from_db()
    assert (component.tier, component.vendor, component.technical_owner) == (1, None, None)
    assert component.description == "Keep me"
    assert list(component.tags.values_list("name", flat=True)) == ["keep"]
    entry = audit_entries(Component, component.pk).get(action="update")
    assert entry.before["tier"] == 2 and entry.after["tier"] == 1
    assert {field for field, _b, _a in entry.changes} == {"tier", "vendor", "technical_owner"}


def test_patch_component_tags_replaces_them(editor_api):
    component = ComponentFactory()
    response = editor_api.patch_json(f"/api/components/{component.slug}", {"version": 1, "tags": ["a", "b"]})
    assert response.status_code == 200
    assert sorted(t["name"] for t in response.json()["tags"]) == ["a", "b"]


def test_patch_component_seats_over_purchased_422_nothing_written(editor_api):
    component = ComponentFactory(seats_purchased=10, seats_used=5)
    response = editor_api.patch_json(f"/api/components/{component.slug}", {"version": 1, "seats_used": 11})
    assert response.status_code == 422
    assert error_fields(response) == ["seats_used"]
    component.refresh_from_db()
    assert component.seats_used == 5 and component.version == 1


def test_patch_component_unknown_vendor_422_nothing_written(editor_api):
    component = ComponentFactory()
    vendor = component.vendor
    response = editor_api.patch_json(f"/api/components/{component.slug}", {"version": 1, "vendor": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "vendor", "message": "No vendor with slug 'nope'."}]
    component.refresh_from_db()
    assert component.vendor == vendor


def test_put_component_without_slug_keeps_slug(editor_api):
    component = ComponentFactory(slug="keep-this")
    response = editor_api.put_json("/api/components/keep-this", {"name": "Renamed", "version": 1})
    assert response.status_code == 200
    component.refresh_from_db()
    assert (component.slug, component.name) == ("keep-this", "Renamed")
    assert component.vendor is None  # a PUT replaces: fields left out take their defaults


def test_list_components_filters_like_the_ui(viewer_api):
    vendor = VendorFactory(slug="acme")
    crm = ComponentFactory(name="CRM", kind="application", vendor=vendor)
    ComponentFactory(name="Warehouse", kind="database")
    assert [c["slug"] for c in viewer_api.get("/api/components?vendor=acme").json()["items"]] == [crm.slug]
    assert viewer_api.get("/api/components?kind=database&kind=website").json()["count"] == 1
    assert viewer_api.get("/api/components?q=ware").json()["items"][0]["name"] == "Warehouse"
    ordered = viewer_api.get("/api/components?ordering=-name").json()["items"]
    assert [c["name"] for c in ordered] == ["Warehouse", "CRM"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("kind=spaceship", "kind"), ("ordering=colour", "ordering"), ("owner=abc", "owner"),
     ("personal_data=maybe", "personal_data"), ("limit=501", "limit"), ("limit=0", "limit"), ("offset=-1", "offset")],
)
def test_list_components_invalid_parameter_422_names_it(query, field, viewer_api):
    response = viewer_api.get(f"/api/components?{query}")
    assert response.status_code == 422
    assert error_fields(response) == [field]


def test_list_components_paginates_with_limit_and_offset(viewer_api):
    for n in range(5):
        ComponentFactory(name=f"Tool {n}")
    page = viewer_api.get("/api/components?limit=2&offset=2").json()
    assert page["count"] == 5
    assert [c["name"] for c in page["items"]] == ["Tool 2", "Tool 3"]
    assert viewer_api.get("/api/components?offset=10").json() == {"count": 5, "items": []}


def test_list_components_default_limit_is_50(viewer_api):
    ComponentFactory.create_batch(51)
    page = viewer_api.get("/api/components").json()
    assert (page["count"], len(page["items"])) == (51, 50)


def test_delete_component_in_use_elsewhere_cascades_relations(editor_api):
    relation = RelationFactory()
    response = editor_api.delete(f"/api/components/{relation.source.slug}")
    assert response.status_code == 204
    assert not Relation.objects.exists()


def test_get_component_impact_lists_downstream_and_upstream_with_paths(editor, viewer_api):
    crm, automation, warehouse, cloud = (ComponentFactory(name=n, slug=n.lower()) for n in
                                         ("CRM", "Automation", "Warehouse", "Cloud"))
    relation_create(actor=editor, data={"source": crm, "target": automation, "type": "data_flow"})
    relation_create(actor=editor, data={"source": automation, "target": warehouse, "type": "data_flow"})
    relation_create(actor=editor, data={"source": crm, "target": cloud, "type": "hosted_on"})
    response = viewer_api.get("/api/components/crm/impact")
    assert response.status_code == 200
    body = response.json()
    assert body["component"] == {"slug": "crm", "name": "CRM", "tier": 3, "lifecycle": "active"}
    down = {row["component"]["slug"]: row for row in body["downstream"]}
    assert set(down) == {"automation", "warehouse"}
    assert down["warehouse"]["depth"] == 2
    assert down["warehouse"]["path"] == ["crm", "automation", "warehouse"]
    assert down["warehouse"]["relation_types"] == ["data_flow", "data_flow"]
    assert [(r["component"]["slug"], r["relation_types"]) for r in body["upstream"]] == [("cloud", ["hosted_on"])]
    limited = viewer_api.get("/api/components/crm/impact?max_depth=1").json()
    assert [r["component"]["slug"] for r in limited["downstream"]] == ["automation"]


def test_get_component_impact_runs_constant_queries_on_a_cycle(editor, viewer_api, django_assert_max_num_queries):
    components = [ComponentFactory(slug=f"c{i}") for i in range(12)]
    for a, b in zip(components, components[1:] + components[:1], strict=True):
        relation_create(actor=editor, data={"source": a, "target": b, "type": "data_flow"})
    with django_assert_max_num_queries(10):
        body = viewer_api.get("/api/components/c0/impact").json()
    assert len(body["downstream"]) == 11 and len(body["upstream"]) == 11
    assert body["downstream"][-1]["path"] == [f"c{i}" for i in range(12)]


def test_get_component_impact_pages_rows_nearest_first_with_full_counts(editor, viewer_api):
    components = [ComponentFactory(slug=f"c{i}") for i in range(6)]
    for a, b in zip(components, components[1:], strict=False):
        relation_create(actor=editor, data={"source": a, "target": b, "type": "data_flow"})
    body = viewer_api.get("/api/components/c0/impact?limit=2&offset=2").json()
    assert body["downstream_count"] == 5 and body["upstream_count"] == 0 and body["offset"] == 2
    assert [r["component"]["slug"] for r in body["downstream"]] == ["c3", "c4"]
    assert body["downstream"][1]["path"] == ["c0", "c1", "c2", "c3", "c4"]
    assert viewer_api.get("/api/components/c0/impact?limit=0").status_code == 422


def test_get_component_impact_unknown_component_404(viewer_api):
    assert viewer_api.get("/api/components/nope/impact").status_code == 404


def test_list_component_history_includes_relation_changes(editor_api, viewer_api):
    component = ComponentFactory()
    other = ComponentFactory()
    editor_api.patch_json(f"/api/components/{component.slug}", {"version": 1, "tier": 1})
    editor_api.post_json("/api/relations", {"source": component.slug, "target": other.slug})
    response = viewer_api.get(f"/api/components/{component.slug}/history")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(e["object_type"], e["action"]) for e in items] == [("catalog.relation", "create"),
                                                               ("catalog.component", "update")]
    update = items[1]
    assert update["source"] == "api" and update["actor"] == "editor"
    assert update["changes"] == [{"field": "tier", "before": 3, "after": 1}]
    assert update["before"]["tier"] == 3 and update["after"]["tier"] == 1


def test_list_component_history_constant_queries(editor, viewer_api, django_assert_max_num_queries):
    component = ComponentFactory()
    counter = iter(range(1000))

    def make():
        relation_create(actor=editor, data={"source": component, "target": ComponentFactory(),
                                            "description": str(next(counter))})

    assert_constant_queries(viewer_api, f"/api/components/{component.slug}/history?limit=500", make,
                            django_assert_max_num_queries)


# Categories and vendors ------------------------------------------------------------------------


def test_create_category_under_group(editor_api):
    response = editor_api.post_json("/api/categories", {"name": "Reverse ETL", "parent": "data"})
    assert response.status_code == 201, response.json()
    assert response.json()["parent"]["slug"] == "data"
    assert Category.objects.get(slug="reverse-etl").parent.slug == "data"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"name": "X", "parent": "no-such-group"}, "parent"), ({"parent": "data"}, "name")],
)
def test_create_category_bad_input_422(payload, field, editor_api):
    before = Category.objects.count()
    response = editor_api.post_json("/api/categories", payload)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert Category.objects.count() == before


def test_create_category_under_sub_category_422_names_parent(editor_api):
    sub = CategoryFactory(parent=Category.objects.get(slug="data"))
    response = editor_api.post_json("/api/categories", {"name": "Too deep", "parent": sub.slug})
    assert response.status_code == 422
    assert error_fields(response) == ["parent"]


def test_delete_category_in_use_422_keeps_it(editor_api):
    component = ComponentFactory(category=CategoryFactory())
    response = editor_api.delete(f"/api/categories/{component.category.slug}")
    assert response.status_code == 422
    assert "still used by" in response.json()["detail"]
    assert Category.objects.filter(pk=component.category_id).exists()
    assert not audit_entries(Category).exists()


def test_list_categories_filters_by_group(viewer_api):
    response = viewer_api.get("/api/categories?parent=data&limit=500")
    assert response.status_code == 200
    assert response.json()["count"] == Category.objects.filter(parent__slug="data").count() > 0
    assert all(c["parent"]["slug"] == "data" for c in response.json()["items"])


def test_create_vendor_duplicate_name_422(editor_api):
    VendorFactory(name="Acme")
    response = editor_api.post_json("/api/vendors", {"name": "ACME"})
    assert response.status_code == 422
    assert error_fields(response) == ["name"]
    assert Vendor.objects.count() == 1


def test_create_vendor_unknown_status_422(editor_api):
    response = editor_api.post_json("/api/vendors", {"name": "Acme", "status": "bankrupt"})
    assert response.status_code == 422
    assert error_fields(response) == ["status"]


def test_list_vendors_invalid_status_filter_422(viewer_api):
    response = viewer_api.get("/api/vendors?status=bankrupt")
    assert response.status_code == 422
    assert error_fields(response) == ["status"]


def test_delete_vendor_in_use_422(editor_api):
    component = ComponentFactory()
    response = editor_api.delete(f"/api/vendors/{component.vendor.slug}")
    assert response.status_code == 422
    assert Vendor.objects.filter(pk=component.vendor_id).exists()


# Relations -------------------------------------------------------------------------------------


def test_create_relation_with_data_categories_audited_on_source(editor_api):
    crm, cdp = ComponentFactory(), ComponentFactory()
    response = editor_api.post_json("/api/relations", {
        "source": crm.slug, "target": cdp.slug, "type": "data_flow", "mechanism": "api", "frequency": "hourly",
        "data_categories": ["user.contact"],
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == {"slug": crm.slug, "name": crm.name}
    assert body["data_categories"] == [{"key": "user.contact", "name": DataCategory.objects.get(
        key="user.contact").name}]
    entry = audit_entries(Relation, body["id"]).get()
    assert entry.related_object_id == str(crm.pk)


def test_create_relation_self_loop_422_names_target(editor_api):
    component = ComponentFactory()
    response = editor_api.post_json("/api/relations", {"source": component.slug, "target": component.slug})
    assert response.status_code == 422
    assert error_fields(response) == ["target"]
    assert not Relation.objects.exists()


def test_create_relation_duplicate_422_names_target(editor_api):
    relation = RelationFactory()
    response = editor_api.post_json("/api/relations", {"source": relation.source.slug,
                                                       "target": relation.target.slug, "type": "data_flow"})
    assert response.status_code == 422
    assert error_fields(response) == ["target"]
    assert "already exists" in response.json()["detail"]
    assert Relation.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"target": "x"}, "source"), ({"source": "no-such", "target": "x"}, "source"),
     ({"source": "x", "target": "x", "type": "likes"}, "type"),
     ({"source": "x", "target": "x", "mechanism": "pigeon"}, "mechanism")],
)
def test_create_relation_bad_input_422(payload, field, editor_api):
    ComponentFactory(slug="x")
    response = editor_api.post_json("/api/relations", payload)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert not Relation.objects.exists()


def test_patch_relation_into_self_loop_422_nothing_written(editor_api):
    relation = RelationFactory()
    response = editor_api.patch_json(f"/api/relations/{relation.pk}",
                                     {"version": 1, "target": relation.source.slug})
    assert response.status_code == 422
    relation.refresh_from_db()
    assert relation.target_id != relation.source_id and relation.version == 1


def test_list_relations_filters_by_component_either_end(viewer_api):
    relation = RelationFactory()
    RelationFactory()
    for slug in (relation.source.slug, relation.target.slug):
        items = viewer_api.get(f"/api/relations?component={slug}").json()["items"]
        assert [r["id"] for r in items] == [relation.pk]


def test_get_relation_non_numeric_id_422(viewer_api):
    response = viewer_api.get("/api/relations/abc")
    assert response.status_code == 422
    assert error_fields(response) == ["id"]


# RACI ------------------------------------------------------------------------------------------


def test_create_raci_for_person_by_email(editor_api):
    component, person = ComponentFactory(), PersonFactory(email="owner@example.com")
    response = editor_api.post_json("/api/raci-assignments", {
        "component": component.slug, "activity": "security", "role": "A", "person": "OWNER@example.com",
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["person"]["id"] == person.pk and body["department"] is None
    assert body["component"] == {"slug": component.slug, "name": component.name}
    assignment = RaciAssignment.objects.get()
    assert (assignment.person, assignment.activity, assignment.role) == (person, "security", "A")


@pytest.mark.parametrize(
    ("extra", "field"),
    [({}, "department"), ({"department": "D", "person": "P"}, "department"),
     ({"department": "no-such"}, "department"), ({"person": 999999}, "person"),
     ({"department": "D", "role": "X"}, "role"), ({"department": "D", "activity": "dancing"}, "activity"),
     ({"department": "D", "component": "no-such"}, "component")],
)
def test_create_raci_bad_input_422(extra, field, editor_api):
    component, department, person = ComponentFactory(), DepartmentFactory(), PersonFactory()
    names = {"D": department.slug, "P": person.pk}
    payload = {"component": component.slug, "activity": "budget", "role": "A"}
    payload.update({k: names.get(v, v) for k, v in extra.items()})
    response = editor_api.post_json("/api/raci-assignments", payload)
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    assert not RaciAssignment.objects.exists()


def test_create_raci_duplicate_422_names_role(editor_api):
    assignment = RaciAssignmentFactory()
    response = editor_api.post_json("/api/raci-assignments", {
        "component": assignment.component.slug, "activity": assignment.activity, "role": assignment.role,
        "person": assignment.person.pk,
    })
    assert response.status_code == 422
    assert error_fields(response) == ["role"]
    assert RaciAssignment.objects.count() == 1


def test_list_raci_filters_by_component_and_role(viewer_api):
    assignment = RaciAssignmentFactory(role="A")
    RaciAssignmentFactory(component=assignment.component, role="R")
    RaciAssignmentFactory()
    items = viewer_api.get(f"/api/raci-assignments?component={assignment.component.slug}&role=A").json()["items"]
    assert [a["id"] for a in items] == [assignment.pk]
    assert viewer_api.get("/api/raci-assignments?role=Z").status_code == 422


# Data categories and health --------------------------------------------------------------------


def test_list_data_categories_filters_personal(viewer_api):
    response = viewer_api.get("/api/data-categories?personal=false")
    assert response.status_code == 200
    keys = {d["key"] for d in response.json()["items"]}
    assert keys == set(DataCategory.objects.filter(is_personal=False).values_list("key", flat=True))
    assert viewer_api.get("/api/data-categories?personal=maybe").status_code == 422


def test_get_catalog_health_reports_findings_and_summary(viewer_api):
    ComponentFactory(name="Orphan", business_owner=None)
    ComponentFactory(name="Spreadsheet", hosting="shadow_it")
    response = viewer_api.get("/api/catalog/health")
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"missing_business_owner": 1, "shadow_it": 1}
    assert body["count"] == len(body["findings"]) == 2
    orphan = next(f for f in body["findings"] if f["kind"] == "missing_business_owner")
    assert (orphan["object_type"], orphan["severity"]) == ("component", "high")
    assert "Orphan" in orphan["message"]
