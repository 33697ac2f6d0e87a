"""API for the catalog: categories, vendors, components, relations, RACI, health and impact."""

import json

from django.db import transaction
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from stacksteward.core.api import visible_audit_entries
from stacksteward.core.api_support import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    GET_BY_ID_ERRORS,
    GET_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    PageParams,
    PlainRows,
    Refs,
    all_fields,
    apply_filters,
    changed_fields,
    errors,
    fetch_or_404,
    filter_schema,
    page_schema,
    paginate,
    paginate_plain,
)
from stacksteward.core.audit import history_for
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.permissions import require_perm
from stacksteward.core.schemas import AuditEntryOut
from stacksteward.org.models import Department, Person

from . import services
from .filtersets import (
    CategoryFilterSet,
    ComponentFilterSet,
    DataCategoryFilterSet,
    RaciAssignmentFilterSet,
    RelationFilterSet,
    VendorFilterSet,
)
from .health import catalog_health, summary
from .impact import component_impact_data
from .models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from .schemas import (
    CatalogHealthOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    CategoryPut,
    ComponentIn,
    ComponentOut,
    ComponentPatch,
    ComponentPut,
    DataCategoryOut,
    ImpactOut,
    RaciAssignmentIn,
    RaciAssignmentOut,
    RaciAssignmentPatch,
    RaciAssignmentPut,
    RelationIn,
    RelationOut,
    RelationPatch,
    RelationPut,
    VendorIn,
    VendorOut,
    VendorPatch,
    VendorPut,
)

router = Router(tags=["catalog"])
API = AuditSourceChoices.API


def _input(payload, *, partial: bool) -> dict:
    """The body as model field values; a slug left out keeps the current one (or is made from the name)."""
    data = changed_fields(payload) if partial else all_fields(payload)
    if "slug" in data and not data["slug"]:
        data.pop("slug")
    return data


# Data categories -------------------------------------------------------------------------------

DataCategoryFilters = filter_schema(DataCategoryFilterSet)
DATA_CATEGORY_ROWS = PlainRows(DataCategory, DataCategoryOut)


@router.get("/data-categories", response={200: page_schema(DataCategoryOut), **errors(*LIST_ERRORS)})
def list_data_categories(request, filters: Query[DataCategoryFilters], page: Query[PageParams]):
    """The kinds of data components hold and relations carry (fideslang-style keys)."""
    queryset = DataCategory.objects.restrict(request.auth, "view")
    return paginate_plain(apply_filters(DataCategoryFilterSet, request, queryset), page, DATA_CATEGORY_ROWS)


# Categories ------------------------------------------------------------------------------------

CategoryFilters = filter_schema(CategoryFilterSet)
CATEGORY_ROWS = PlainRows(Category, CategoryOut)


def _categories(user):
    return Category.objects.restrict(user, "view").select_related("parent")


def _category_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "parent" in data:
        data["parent"] = refs.one(Category.objects.restrict(user, "view"), "parent", data["parent"])
    refs.check()
    return data


@router.get("/categories", response={200: page_schema(CategoryOut), **errors(*LIST_ERRORS)})
def list_categories(request, filters: Query[CategoryFilters], page: Query[PageParams]):
    """The two-level martech landscape taxonomy: groups and their sub-categories."""
    return paginate_plain(apply_filters(CategoryFilterSet, request, _categories(request.auth)), page, CATEGORY_ROWS)


@router.post("/categories", response={201: CategoryOut, **errors(*CREATE_ERRORS)})
def create_category(request, payload: CategoryIn):
    require_perm(request.auth, "add", Category)
    with transaction.atomic():
        category = services.category_create(actor=request.auth, source=API,
                                            data=_category_data(request.auth, payload, partial=False))
    return Status(201, category)


@router.get("/categories/{slug}", response={200: CategoryOut, **errors(*GET_ERRORS)})
def get_category(request, slug: str):
    return fetch_or_404(_categories(request.auth), slug=slug)


def _update_category(request, slug: str, payload, *, partial: bool):
    category = fetch_or_404(_categories(request.auth), slug=slug)
    require_perm(request.auth, "change", category)
    with transaction.atomic():
        return services.category_update(category, actor=request.auth, expected_version=payload.version, source=API,
                                        data=_category_data(request.auth, payload, partial=partial))


@router.put("/categories/{slug}", response={200: CategoryOut, **errors(*UPDATE_ERRORS)})
def update_category(request, slug: str, payload: CategoryPut):
    """Replace the category; ``version`` must be the one you read (else 409)."""
    return _update_category(request, slug, payload, partial=False)


@router.patch("/categories/{slug}", response={200: CategoryOut, **errors(*UPDATE_ERRORS)})
def patch_category(request, slug: str, payload: CategoryPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_category(request, slug, payload, partial=True)


@router.delete("/categories/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_category(request, slug: str, version: int | None = None):
    """Delete; refused (422) while components or sub-categories use it, (409) if ``?version=`` is stale."""
    category = fetch_or_404(_categories(request.auth), slug=slug)
    require_perm(request.auth, "delete", category)
    services.category_delete(category, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Vendors ---------------------------------------------------------------------------------------

VendorFilters = filter_schema(VendorFilterSet)
VENDOR_ROWS = PlainRows(Vendor, VendorOut)


@router.get("/vendors", response={200: page_schema(VendorOut), **errors(*LIST_ERRORS)})
def list_vendors(request, filters: Query[VendorFilters], page: Query[PageParams]):
    queryset = Vendor.objects.restrict(request.auth, "view")
    return paginate_plain(apply_filters(VendorFilterSet, request, queryset), page, VENDOR_ROWS)


@router.post("/vendors", response={201: VendorOut, **errors(*CREATE_ERRORS)})
def create_vendor(request, payload: VendorIn):
    require_perm(request.auth, "add", Vendor)
    with transaction.atomic():
        vendor = services.vendor_create(actor=request.auth, data=_input(payload, partial=False), source=API)
    return Status(201, vendor)


@router.get("/vendors/{slug}", response={200: VendorOut, **errors(*GET_ERRORS)})
def get_vendor(request, slug: str):
    return fetch_or_404(Vendor.objects.restrict(request.auth, "view"), slug=slug)


def _update_vendor(request, slug: str, payload, *, partial: bool):
    vendor = fetch_or_404(Vendor.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "change", vendor)
    with transaction.atomic():
        return services.vendor_update(vendor, actor=request.auth, data=_input(payload, partial=partial),
                                      expected_version=payload.version, source=API)


@router.put("/vendors/{slug}", response={200: VendorOut, **errors(*UPDATE_ERRORS)})
def update_vendor(request, slug: str, payload: VendorPut):
    """Replace the vendor; ``version`` must be the one you read (else 409)."""
    return _update_vendor(request, slug, payload, partial=False)


@router.patch("/vendors/{slug}", response={200: VendorOut, **errors(*UPDATE_ERRORS)})
def patch_vendor(request, slug: str, payload: VendorPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_vendor(request, slug, payload, partial=True)


@router.delete("/vendors/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_vendor(request, slug: str, version: int | None = None):
    """Delete; refused (422) while components use it, (409) if ``?version=`` is stale."""
    vendor = fetch_or_404(Vendor.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "delete", vendor)
    services.vendor_delete(vendor, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Components ------------------------------------------------------------------------------------

ComponentFilters = filter_schema(ComponentFilterSet)
COMPONENT_ROWS = PlainRows(Component, ComponentOut)


def _components(user):
    return Component.objects.restrict(user, "view").with_list_data()


def _component_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    for field, model in (("category", Category), ("vendor", Vendor)):
        if field in data:
            data[field] = refs.one(model.objects.restrict(user, "view"), field, data[field])
    for field in ("business_owner", "technical_owner"):
        if field in data:
            data[field] = refs.person(Person.objects.restrict(user, "view"), field, data[field])
    if "data_categories" in data:
        data["data_categories"] = refs.many(DataCategory.objects.restrict(user, "view"), "data_categories",
                                            data["data_categories"], key="key")
    if "tags" in data:
        data["tags"] = data["tags"] or []
    refs.check()
    return data


@router.get("/components", response={200: page_schema(ComponentOut), **errors(*LIST_ERRORS)})
def list_components(request, filters: Query[ComponentFilters], page: Query[PageParams]):
    """Components with their owners, vendor, category, tags and data categories (constant queries)."""
    queryset = apply_filters(ComponentFilterSet, request, Component.objects.restrict(request.auth, "view"))
    return paginate_plain(queryset, page, COMPONENT_ROWS)


@router.post("/components", response={201: ComponentOut, **errors(*CREATE_ERRORS)})
def create_component(request, payload: ComponentIn):
    require_perm(request.auth, "add", Component)
    with transaction.atomic():
        component = services.component_create(actor=request.auth, source=API,
                                              data=_component_data(request.auth, payload, partial=False))
    return Status(201, _components(request.auth).get(pk=component.pk))


@router.get("/components/{slug}", response={200: ComponentOut, **errors(*GET_ERRORS)})
def get_component(request, slug: str):
    return fetch_or_404(_components(request.auth), slug=slug)


def _update_component(request, slug: str, payload, *, partial: bool):
    component = fetch_or_404(_components(request.auth), slug=slug)
    require_perm(request.auth, "change", component)
    with transaction.atomic():
        component = services.component_update(component, actor=request.auth, expected_version=payload.version,
                                              source=API, data=_component_data(request.auth, payload, partial=partial))
    return _components(request.auth).get(pk=component.pk)


@router.put("/components/{slug}", response={200: ComponentOut, **errors(*UPDATE_ERRORS)})
def update_component(request, slug: str, payload: ComponentPut):
    """Replace the component; ``version`` must be the one you read (else 409)."""
    return _update_component(request, slug, payload, partial=False)


@router.patch("/components/{slug}", response={200: ComponentOut, **errors(*UPDATE_ERRORS)})
def patch_component(request, slug: str, payload: ComponentPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_component(request, slug, payload, partial=True)


@router.delete("/components/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_component(request, slug: str, version: int | None = None):
    """Delete the component with its relations and RACI; (409) if ``?version=`` is stale."""
    component = fetch_or_404(Component.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "delete", component)
    services.component_delete(component, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


class ImpactParams(Schema):
    max_depth: int | None = Field(None, ge=1, description="Stop this many relations away (default: no limit).")
    limit: int = Field(1000, ge=1, le=20000, description="Rows per direction, nearest first.")
    offset: int = Field(0, ge=0, description="Rows to skip in each direction.")


@router.get("/components/{slug}/impact", response={200: ImpactOut, **errors(401, 404, 422)})
def get_component_impact(request, slug: str, params: Query[ImpactParams]):
    """Downstream (impacted when it changes or fails) and upstream (what it needs), each with its path."""
    component = fetch_or_404(Component.objects.restrict(request.auth, "view"), slug=slug)
    data = component_impact_data(component, max_depth=params.max_depth, limit=params.limit, offset=params.offset)
    # Plain data of the declared ImpactOut shape (tests check it), written straight to JSON: ninja's
    # response wrapper would walk every row of a large answer with its ORM-aware validator.
    return HttpResponse(json.dumps(data, separators=(",", ":")), content_type="application/json")


@router.get("/components/{slug}/history", response={200: page_schema(AuditEntryOut), **errors(401, 404, 422)})
def list_component_history(request, slug: str, page: Query[PageParams]):
    """Audit entries about the component and its relations and RACI, newest first."""
    component = fetch_or_404(Component.objects.restrict(request.auth, "view"), slug=slug)
    return paginate(visible_audit_entries(request.auth, history_for(component)), page)


# Relations -------------------------------------------------------------------------------------

RelationFilters = filter_schema(RelationFilterSet)
RELATION_ROWS = PlainRows(Relation, RelationOut)


def _relations(user):
    return Relation.objects.restrict(user, "view").with_list_data()


def _relation_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    for field in ("source", "target"):
        if field in data:
            data[field] = refs.one(Component.objects.restrict(user, "view"), field, data[field])
    if "data_categories" in data:
        data["data_categories"] = refs.many(DataCategory.objects.restrict(user, "view"), "data_categories",
                                            data["data_categories"], key="key")
    refs.check()
    return data


@router.get("/relations", response={200: page_schema(RelationOut), **errors(*LIST_ERRORS)})
def list_relations(request, filters: Query[RelationFilters], page: Query[PageParams]):
    queryset = apply_filters(RelationFilterSet, request, Relation.objects.restrict(request.auth, "view"))
    return paginate_plain(queryset, page, RELATION_ROWS)


@router.post("/relations", response={201: RelationOut, **errors(*CREATE_ERRORS)})
def create_relation(request, payload: RelationIn):
    """Connect two components. Self-loops and duplicates (same from, to and type) are refused."""
    require_perm(request.auth, "add", Relation)
    with transaction.atomic():
        relation = services.relation_create(actor=request.auth, source=API,
                                            data=_relation_data(request.auth, payload, partial=False))
    return Status(201, _relations(request.auth).get(pk=relation.pk))


@router.get("/relations/{id}", response={200: RelationOut, **errors(*GET_BY_ID_ERRORS)})
def get_relation(request, id: int):
    return fetch_or_404(_relations(request.auth), pk=id)


def _update_relation(request, id: int, payload, *, partial: bool):
    relation = fetch_or_404(_relations(request.auth), pk=id)
    require_perm(request.auth, "change", relation)
    with transaction.atomic():
        services.relation_update(relation, actor=request.auth, expected_version=payload.version, source=API,
                                 data=_relation_data(request.auth, payload, partial=partial))
    return _relations(request.auth).get(pk=id)


@router.put("/relations/{id}", response={200: RelationOut, **errors(*UPDATE_ERRORS)})
def update_relation(request, id: int, payload: RelationPut):
    """Replace the relation; ``version`` must be the one you read (else 409)."""
    return _update_relation(request, id, payload, partial=False)


@router.patch("/relations/{id}", response={200: RelationOut, **errors(*UPDATE_ERRORS)})
def patch_relation(request, id: int, payload: RelationPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_relation(request, id, payload, partial=True)


@router.delete("/relations/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_relation(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    relation = fetch_or_404(_relations(request.auth), pk=id)
    require_perm(request.auth, "delete", relation)
    services.relation_delete(relation, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# RACI ------------------------------------------------------------------------------------------

RaciAssignmentFilters = filter_schema(RaciAssignmentFilterSet)
RACI_ROWS = PlainRows(RaciAssignment, RaciAssignmentOut)


def _raci(user):
    return RaciAssignment.objects.restrict(user, "view").select_related("component", "department", "person")


def _raci_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "component" in data:
        data["component"] = refs.one(Component.objects.restrict(user, "view"), "component", data["component"])
    if "department" in data:
        data["department"] = refs.one(Department.objects.restrict(user, "view"), "department", data["department"])
    if "person" in data:
        data["person"] = refs.person(Person.objects.restrict(user, "view"), "person", data["person"])
    refs.check()
    return data


@router.get("/raci-assignments", response={200: page_schema(RaciAssignmentOut), **errors(*LIST_ERRORS)})
def list_raci_assignments(request, filters: Query[RaciAssignmentFilters], page: Query[PageParams]):
    queryset = apply_filters(RaciAssignmentFilterSet, request, RaciAssignment.objects.restrict(request.auth, "view"))
    return paginate_plain(queryset, page, RACI_ROWS)


@router.post("/raci-assignments", response={201: RaciAssignmentOut, **errors(*CREATE_ERRORS)})
def create_raci_assignment(request, payload: RaciAssignmentIn):
    """Give a department or a person (exactly one) a role R, A, C or I for an activity of a component."""
    require_perm(request.auth, "add", RaciAssignment)
    with transaction.atomic():
        assignment = services.raci_create(actor=request.auth, source=API,
                                          data=_raci_data(request.auth, payload, partial=False))
    return Status(201, _raci(request.auth).get(pk=assignment.pk))


@router.get("/raci-assignments/{id}", response={200: RaciAssignmentOut, **errors(*GET_BY_ID_ERRORS)})
def get_raci_assignment(request, id: int):
    return fetch_or_404(_raci(request.auth), pk=id)


def _update_raci(request, id: int, payload, *, partial: bool):
    assignment = fetch_or_404(_raci(request.auth), pk=id)
    require_perm(request.auth, "change", assignment)
    with transaction.atomic():
        services.raci_update(assignment, actor=request.auth, expected_version=payload.version, source=API,
                             data=_raci_data(request.auth, payload, partial=partial))
    return _raci(request.auth).get(pk=id)


@router.put("/raci-assignments/{id}", response={200: RaciAssignmentOut, **errors(*UPDATE_ERRORS)})
def update_raci_assignment(request, id: int, payload: RaciAssignmentPut):
    """Replace the assignment; ``version`` must be the one you read (else 409)."""
    return _update_raci(request, id, payload, partial=False)


@router.patch("/raci-assignments/{id}", response={200: RaciAssignmentOut, **errors(*UPDATE_ERRORS)})
def patch_raci_assignment(request, id: int, payload: RaciAssignmentPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_raci(request, id, payload, partial=True)


@router.delete("/raci-assignments/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_raci_assignment(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    assignment = fetch_or_404(_raci(request.auth), pk=id)
    require_perm(request.auth, "delete", assignment)
    services.raci_delete(assignment, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Catalog health --------------------------------------------------------------------------------


@router.get("/catalog/health", response={200: CatalogHealthOut, **errors(401)})
def get_catalog_health(request):
    """Findings to act on: missing owners, contested RACI, shadow IT, retired but needed, defunct vendors…"""
    require_perm(request.auth, "view", Component)
    findings = catalog_health()
    return {"count": len(findings), "summary": summary(findings), "findings": findings}
