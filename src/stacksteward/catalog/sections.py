"""The catalog's sections of the stack-as-code format (``stackcode.registry``): vendors, categories,
components, relations and RACI assignments; data categories are named by key without being a section."""

from stacksteward.stackcode.checks import differs_from
from stacksteward.stackcode.registry import register_ref_target, register_section
from stacksteward.stackcode.schema import Field, RefTarget, Section

from . import services
from .choices import (
    ComponentHostingChoices,
    ComponentKindChoices,
    ComponentLifecycleChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationFrequencyChoices,
    RelationMechanismChoices,
    RelationTypeChoices,
    VendorStatusChoices,
)
from .models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from .resources import CATEGORIES, COMPONENTS, RACI_ASSIGNMENTS, RELATIONS, VENDORS

_ACTIVITY_ORDER = {v: i for i, v in enumerate(RaciActivityChoices.values)}
_ROLE_ORDER = {v: i for i, v in enumerate(RaciRoleChoices.values)}


def _casefold_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def _raci_order(e: dict) -> tuple:
    return (e["component"], _ACTIVITY_ORDER.get(e["activity"], 99), e["activity"], _ROLE_ORDER.get(e["role"], 9),
            e["department"] is None, _casefold_key(e["department"] or e["person"] or ""))

VENDOR_SECTION = Section(
    "vendors",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("website", "str"),
        Field("status", "enum", choices=VendorStatusChoices, default=VendorStatusChoices.ACTIVE.value),
        Field("notes", "text"),
    ),
    key=("slug",),
    singular="vendor",
    model=Vendor,
    create=VENDORS.create,
    update=VENDORS.update,
    bulk_create=services.vendor_bulk_create,
    sort_key=lambda e: e["slug"],
    by_name=True,
)

CATEGORY_SECTION = Section(
    "categories",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("parent", "ref", ref="categories"),
        Field("description", "text"),
    ),
    key=("slug",),
    singular="category",
    model=Category,
    create=CATEGORIES.create,
    update=CATEGORIES.update,
    bulk_create=services.category_bulk_create,
    # Each group, then its sub-categories.
    sort_key=lambda e: (e["parent"] or e["slug"], e["parent"] is not None, e["slug"]),
    by_name=True,
)

COMPONENT_SECTION = Section(
    "components",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("kind", "enum", choices=ComponentKindChoices, default=ComponentKindChoices.APPLICATION.value),
        Field("category", "ref", ref="categories"),
        Field("vendor", "ref", ref="vendors"),
        Field("hosting", "enum", choices=ComponentHostingChoices, default=ComponentHostingChoices.SAAS.value),
        Field("lifecycle", "enum", choices=ComponentLifecycleChoices,
              default=ComponentLifecycleChoices.ACTIVE.value),
        Field("tier", "tier", default=3),
        Field("business_owner", "ref", ref="people"),
        Field("technical_owner", "ref", ref="people"),
        Field("description", "text"),
        Field("url", "str"),
        Field("tags", "tags"),
        Field("seats_purchased", "int"),
        Field("seats_used", "int"),
        Field("annual_cost", "decimal"),
        Field("currency", "currency"),
        Field("renewal_date", "date"),
        Field("data_categories", "refs", ref="data_categories"),
    ),
    key=("slug",),
    singular="component",
    model=Component,
    create=COMPONENTS.create,
    update=COMPONENTS.update,
    bulk_create=services.component_bulk_create,
    lists={
        "tags": lambda: Component.tags.through.objects.values_list("component_id", "tag__name"),
        "data_categories": lambda: Component.data_categories.through.objects.values_list(
            "component_id", "datacategory__key"),
    },
    sort_key=lambda e: e["slug"],
    by_name=True,
)

RELATION_SECTION = Section(
    "relations",
    (
        Field("from", "ref", required=True, ref="components", attr="source"),
        Field("to", "ref", required=True, ref="components", attr="target"),
        Field("type", "enum", choices=RelationTypeChoices, default=RelationTypeChoices.DATA_FLOW.value),
        Field("data_categories", "refs", ref="data_categories"),
        Field("mechanism", "enum", choices=RelationMechanismChoices, default=""),
        Field("frequency", "enum", choices=RelationFrequencyChoices, default=""),
        Field("description", "text"),
    ),
    key=("from", "to", "type"),
    singular="relation",
    model=Relation,
    create=RELATIONS.create,
    update=RELATIONS.update,
    bulk_create=services.relation_bulk_create,
    lists={"data_categories": lambda: Relation.data_categories.through.objects.values_list(
        "relation_id", "datacategory__key")},
    sort_key=lambda e: (e["from"], e["to"], e["type"]),
    checks=(differs_from("to", "from", "is the same component as “from”; a relation must connect two different "
                                       "components"),),
    indexed=False,  # held as plain rows by the workspace
)

RACI_SECTION = Section(
    "raci",
    (
        Field("component", "ref", required=True, ref="components"),
        Field("activity", "enum", required=True, choices=RaciActivityChoices),
        Field("role", "enum", required=True, choices=RaciRoleChoices),
        Field("department", "ref", ref="departments"),
        Field("person", "ref", ref="people"),
    ),
    key=("component", "activity", "role", "department", "person"),
    singular="RACI assignment",
    one_of=("department", "person"),
    plural="RACI assignments",
    model=RaciAssignment,
    create=RACI_ASSIGNMENTS.create,
    update=RACI_ASSIGNMENTS.update,
    bulk_create=services.raci_bulk_create,
    sort_key=_raci_order,
    omit_empty=("department", "person"),  # a holder is a department or a person: only the one set is written
    indexed=False,
)

register_ref_target(RefTarget("data_categories", DataCategory, key="key", singular="data category"))
register_section(VENDOR_SECTION, CATEGORY_SECTION, COMPONENT_SECTION, RELATION_SECTION, RACI_SECTION)
