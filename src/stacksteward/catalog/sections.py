"""The catalog's sections of the stack-as-code format (``stackcode.registry``): vendors, categories,
components, relations and RACI assignments; data categories are named by key without being a section."""

from stacksteward.stackcode.checks import differs_from
from stacksteward.stackcode.registry import register_ref_target, register_section
from stacksteward.stackcode.schema import SECTIONS, Field, RefTarget, Section
from stacksteward.stackcode.workspace import Ambiguous, Skip, failed_key, holder_key

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


# The import of vendors, categories, relations and RACI assignments (``Section.apply``, ``file_key``) -----

def _link_file_key(section: str):
    """A relation's or RACI assignment's identity in the file: its key fields, ignoring case."""

    def file_key(values: dict) -> tuple[str, str, str]:
        spec = SECTIONS[section]
        parts = [str(values.get(n) or "") for n in spec.key]
        if section == "relations" and not parts[2]:
            parts[2] = spec.get("type").default
        shown = " · ".join(p for p in parts if p)
        return "|".join(p.casefold() for p in parts), shown, spec.key[0]

    return file_key


def apply_vendors(imp, items, converted=None) -> None:
    """By slug, else by name (a vendor renamed in the file keeps its slug; one named alike is the same)."""
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        slug = values["slug"]
        obj = imp.ws.entries["vendors"].get(slug)
        if obj is None and values.get("name"):
            try:
                obj = imp.ws.find("vendors", values["name"])
            except Ambiguous:
                obj = None
        imp.write("vendors", slug, obj, values, entry)
    imp.ws.flush("vendors")


def apply_categories(imp, items, converted=None) -> None:
    # Groups first, so that sub-categories can name a group defined further down the file.
    ordered = sorted(items, key=lambda item: bool(item[1] and item[1].get("parent")))
    groups_flushed = False
    for entry, values in ordered:
        imp.ws.tick()
        if values is None:
            continue
        if values.get("parent") and not groups_flushed:
            imp.ws.flush("categories")
            groups_flushed = True
        slug = values["slug"]
        try:
            desired = imp.resolve_refs(entry, values, ["parent"])
        except Skip:
            imp.ws.failed["categories"].add(failed_key(slug))
            continue
        imp.write("categories", slug, imp.ws.entries["categories"].get(slug), desired, entry)
    imp.ws.flush("categories")


def apply_relations(imp, items, converted=None) -> None:
    default_type = SECTIONS["relations"].get("type").default
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["from", "to", "data_categories"])
        except Skip:
            continue
        desired.setdefault("type", default_type)
        key = f"{desired['from'].slug} → {desired['to'].slug} ({desired['type']})"
        imp.ws.write_relation(key, desired, place=entry.place, raw=entry.raw)
    imp.ws.flush("relations")


def apply_raci(imp, items, converted=None) -> None:
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            resolved = imp.resolve_refs(entry, values, ["component", "department", "person"])
        except Skip:
            continue
        holder = resolved.get("department") or resolved.get("person")
        component = resolved["component"]
        key = f"{component.slug} · {values['activity']} · {values['role']} · {holder_key(holder)}"
        imp.ws.write_raci(key, component, values["activity"], values["role"], holder,
                           place=entry.place, raw=entry.raw)
    imp.ws.flush("raci")


def _vendor_unique(ws, data: dict, taken: set):
    """Vendors' names are unique ignoring case."""
    name = (data.get("name") or "").strip()
    if not name:
        return None, []
    if ws.named["vendors"].get(name.casefold()) or ("name", name.casefold()) in taken:
        return {"name": f"A vendor named “{name}” already exists."}, []
    return None, [("name", name.casefold())]


def _category_unique(ws, data: dict, taken: set):
    """A category's name is unique within its group."""
    name = (data.get("name") or "").strip()
    if not name:
        return None, []
    parent = data.get("parent")
    parent_key = (parent.pk or id(parent)) if parent is not None else None
    same = [c for c in ws.named["categories"].get(name.casefold(), [])
            if c.name == name and c.parent_id == (parent.pk if parent is not None else None)]
    if same or ("name", parent_key, name) in taken:
        return {"name": f"A category named “{name}” already exists in this group."}, []
    return None, [("name", parent_key, name)]


def _relation_unique(ws, data: dict, taken: set):
    identity = (data["source"].pk, data["target"].pk, data["type"])
    if identity in ws.relations or identity in taken:
        return {"target": f"This {data['type']} relation from {data['source']} to {data['target']} "
                          f"already exists."}, []
    return None, [identity]


def _raci_unique(ws, data: dict, taken: set):
    department, person = data.get("department"), data.get("person")
    identity = (data["component"].pk, data["activity"], data["role"],
                department.pk if department else None, person.pk if person else None)
    if identity in ws.raci or identity in taken:
        return {"role": f"{department or person} already holds {data['role']} for this activity."}, []
    return None, [identity]


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
    apply=apply_vendors,
    unique=_vendor_unique,
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
    apply=apply_categories,
    unique=_category_unique,
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
    apply=apply_relations,
    file_key=_link_file_key("relations"),
    unique=_relation_unique,
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
    apply=apply_raci,
    file_key=_link_file_key("raci"),
    unique=_raci_unique,
)

register_ref_target(RefTarget("data_categories", DataCategory, key="key", singular="data category"))
register_section(VENDOR_SECTION, CATEGORY_SECTION, COMPONENT_SECTION, RELATION_SECTION, RACI_SECTION)
