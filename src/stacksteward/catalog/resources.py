"""The catalog's resources, declared once: REST routes (``core.resources.add_routes``) are built from these."""

from stacksteward.core.pages import Pages
from stacksteward.core.resources import Ref, Resource

from . import services, views
from .filtersets import (
    CategoryFilterSet,
    ComponentFilterSet,
    DataCategoryFilterSet,
    RaciAssignmentFilterSet,
    RelationFilterSet,
    VendorFilterSet,
)
from .forms import CategoryForm, ComponentForm, RelationForm, VendorForm
from .models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from .schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    CategoryPut,
    ComponentIn,
    ComponentOut,
    ComponentPatch,
    ComponentPut,
    DataCategoryOut,
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

DATA_CATEGORIES = Resource(
    DataCategory, "data-categories", out=DataCategoryOut, lookup="key", filterset=DataCategoryFilterSet, detail=False,
    docs={"list": "The kinds of data components hold and relations carry (fideslang-style keys)."},
)

CATEGORIES = Resource(
    Category, "categories", out=CategoryOut, create_schema=CategoryIn, put_schema=CategoryPut,
    patch_schema=CategoryPatch, filterset=CategoryFilterSet,
    queryset=lambda actor: Category.objects.restrict(actor, "view").select_related("parent"),
    refs={"parent": Ref(Category)},
    create=services.category_create, update=services.category_update, delete=services.category_delete,
    pages=Pages(form=CategoryForm, list_view=views.CategoryListView, detail_view=views.CategoryDetailView,
                form_view=views.CategoryFormView,
                intro="The martech landscape: six groups and their sub-categories. Every component sits in one of "
                      "them, so you can see where the stack is thin or crowded."),
    docs={"list": "The two-level martech landscape taxonomy: groups and their sub-categories.",
          "delete": "Delete; refused (422) while components or sub-categories use it, (409) if ``?version=`` "
                    "is stale."},
)

VENDORS = Resource(
    Vendor, "vendors", out=VendorOut, create_schema=VendorIn, put_schema=VendorPut, patch_schema=VendorPatch,
    filterset=VendorFilterSet,
    create=services.vendor_create, update=services.vendor_update, delete=services.vendor_delete,
    pages=Pages(form=VendorForm, list_view=views.VendorListView, detail_view=views.VendorDetailView,
                intro="The companies that sell or provide the components."),
    docs={"delete": "Delete; refused (422) while components use it, (409) if ``?version=`` is stale."},
)


def _component_input(actor, data: dict) -> dict:
    if "tags" in data:
        data["tags"] = data["tags"] or []
    return data


COMPONENTS = Resource(
    Component, "components", out=ComponentOut, create_schema=ComponentIn, put_schema=ComponentPut,
    patch_schema=ComponentPatch, filterset=ComponentFilterSet,
    queryset=lambda actor: Component.objects.restrict(actor, "view").with_list_data(),
    refs={"category": Ref(Category), "vendor": Ref(Vendor), "business_owner": Ref.person(),
          "technical_owner": Ref.person(), "data_categories": Ref(DataCategory, key="key", many=True)},
    prepare=_component_input,
    create=services.component_create, update=services.component_update, delete=services.component_delete,
    pages=Pages(form=ComponentForm, list_view=views.ComponentListView, detail_view=views.ComponentDetailView,
                delete_view=views.ComponentDeleteView, empty_text="No components in the catalog yet.",
                intro="Everything in the stack that someone owns: tools, databases, the website, social accounts, "
                      "document stores.",
                help_text="Fields marked “required” must be filled in; everything else can be added later."),
    docs={"list": "Components with their owners, vendor, category, tags and data categories (constant queries).",
          "delete": "Delete the component with its relations and RACI; (409) if ``?version=`` is stale."},
)

RELATIONS = Resource(
    Relation, "relations", out=RelationOut, create_schema=RelationIn, put_schema=RelationPut,
    patch_schema=RelationPatch, lookup="pk", filterset=RelationFilterSet,
    queryset=lambda actor: Relation.objects.restrict(actor, "view").with_list_data(),
    refs={"source": Ref(Component), "target": Ref(Component),
          "data_categories": Ref(DataCategory, key="key", many=True)},
    create=services.relation_create, update=services.relation_update, delete=services.relation_delete,
    pages=Pages(form=RelationForm, list_view=views.RelationListView, detail_view=views.RelationDetailView,
                form_view=views.RelationFormView,
                intro="How components are connected: where data flows, what depends on what, and what runs on "
                      "what. Impact analysis follows these links.",
                help_text="A relation is an arrow from one component to another. Impact analysis follows these "
                          "arrows."),
    docs={"create": "Connect two components. Self-loops and duplicates (same from, to and type) are refused."},
)

RACI_ASSIGNMENTS = Resource(
    RaciAssignment, "raci-assignments", out=RaciAssignmentOut, create_schema=RaciAssignmentIn,
    put_schema=RaciAssignmentPut, patch_schema=RaciAssignmentPatch, lookup="pk", filterset=RaciAssignmentFilterSet,
    queryset=lambda actor: RaciAssignment.objects.restrict(actor, "view").select_related("component", "department",
                                                                                         "person"),
    refs={"component": Ref(Component), "department": Ref("org.Department"), "person": Ref.person()},
    create=services.raci_create, update=services.raci_update, delete=services.raci_delete,
    docs={"create": "Give a department or a person (exactly one) a role R, A, C or I for an activity of a "
                    "component."},
)

RESOURCES = (DATA_CATEGORIES, CATEGORIES, VENDORS, COMPONENTS, RELATIONS, RACI_ASSIGNMENTS)
