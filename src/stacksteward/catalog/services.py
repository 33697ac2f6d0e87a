"""Writes for the catalog. Every function takes ``actor=`` and is audited in its own transaction."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.models import RESERVED_SLUGS, Tag, unique_slug
from stacksteward.core.services import (
    object_create,
    object_delete,
    object_update,
    objects_bulk_create,
    with_slug,
)

from .models import Category, Component, RaciAssignment, Relation, Vendor

UI = AuditSourceChoices.UI
IMPORT = AuditSourceChoices.IMPORT


def tags_from_names(names: Iterable[str], *, actor, source=UI) -> list[Tag]:
    """Existing tags by name (case-insensitive), creating (audited) the missing ones."""
    wanted = {n.strip(): None for n in names if n and n.strip()}
    if not wanted:
        return []
    existing = {t.name.lower(): t for t in Tag.objects.all()}
    result = []
    for name in wanted:
        tag = existing.get(name.lower())
        if tag is None:
            tag = object_create(Tag, actor=actor, source=source,
                                data={"name": name[:60], "slug": unique_slug(Tag, name)})
            existing[name.lower()] = tag
        result.append(tag)
    return result


# Categories -------------------------------------------------------------------------------

def category_create(*, actor, data: dict, source=UI) -> Category:
    return object_create(Category, actor=actor, data=with_slug(Category, data), source=source)


def category_update(category: Category, *, actor, data: dict, expected_version, source=UI) -> Category:
    return object_update(category, actor=actor, data=data, expected_version=expected_version, source=source)


def category_delete(category: Category, *, actor, expected_version=None, source=UI) -> None:
    object_delete(category, actor=actor, expected_version=expected_version, source=source)


# Vendors ----------------------------------------------------------------------------------

def vendor_create(*, actor, data: dict, source=UI) -> Vendor:
    return object_create(Vendor, actor=actor, data=with_slug(Vendor, data), source=source)


def vendor_update(vendor: Vendor, *, actor, data: dict, expected_version, source=UI) -> Vendor:
    return object_update(vendor, actor=actor, data=data, expected_version=expected_version, source=source)


def vendor_delete(vendor: Vendor, *, actor, expected_version=None, source=UI) -> None:
    object_delete(vendor, actor=actor, expected_version=expected_version, source=source)


# Components -------------------------------------------------------------------------------

def _component_data(data: dict, actor, source) -> dict:
    data = dict(data)
    if "tags" in data and data["tags"] is not None:
        names = [t.name if isinstance(t, Tag) else str(t) for t in data["tags"]]
        data["tags"] = tags_from_names(names, actor=actor, source=source)
    return data


@transaction.atomic
def component_create(*, actor, data: dict, source=UI) -> Component:
    data = with_slug(Component, _component_data(data, actor, source))
    return object_create(Component, actor=actor, data=data, source=source)


@transaction.atomic
def component_update(component: Component, *, actor, data: dict, expected_version, source=UI) -> Component:
    return object_update(component, actor=actor, data=_component_data(data, actor, source),
                         expected_version=expected_version, source=source)


def component_delete(component: Component, *, actor, expected_version=None, source=UI) -> None:
    object_delete(component, actor=actor, expected_version=expected_version, source=source)


# Relations --------------------------------------------------------------------------------

def relation_create(*, actor, data: dict, source=UI) -> Relation:
    return object_create(Relation, actor=actor, data=data, source=source, related_attr="source")


def relation_update(relation: Relation, *, actor, data: dict, expected_version, source=UI) -> Relation:
    return object_update(relation, actor=actor, data=data, expected_version=expected_version, source=source,
                         related_attr="source")


def relation_delete(relation: Relation, *, actor, expected_version=None, source=UI) -> None:
    object_delete(relation, actor=actor, expected_version=expected_version, source=source, related_attr="source")


# RACI -------------------------------------------------------------------------------------

def raci_create(*, actor, data: dict, source=UI) -> RaciAssignment:
    return object_create(RaciAssignment, actor=actor, data=data, source=source, related_attr="component")


def raci_update(assignment: RaciAssignment, *, actor, data: dict, expected_version, source=UI) -> RaciAssignment:
    return object_update(assignment, actor=actor, data=data, expected_version=expected_version, source=source,
                         related_attr="component")


def raci_delete(assignment: RaciAssignment, *, actor, expected_version=None, source=UI) -> None:
    object_delete(assignment, actor=actor, expected_version=expected_version, source=source,
                  related_attr="component")


@transaction.atomic
def raci_set_matrix(component: Component, *, actor, cells: Iterable[tuple[str, str, object]], source=UI) -> None:
    """Make the component's RACI exactly ``cells`` = [(activity, role, Department|Person), …]."""
    from stacksteward.org.models import Department

    wanted = set()
    for activity, role, holder in cells:
        key = (activity, role, "department" if isinstance(holder, Department) else "person", holder.pk)
        wanted.add(key)
    current = {
        (a.activity, a.role, "department" if a.department_id else "person", a.department_id or a.person_id): a
        for a in component.raci_assignments.all()
    }
    for key, assignment in current.items():
        if key not in wanted:
            raci_delete(assignment, actor=actor, source=source)
    for activity, role, holder in cells:
        kind = "department" if isinstance(holder, Department) else "person"
        if (activity, role, kind, holder.pk) not in current:
            raci_create(actor=actor, source=source,
                        data={"component": component, "activity": activity, "role": role, kind: holder})


# Bulk creates (imports) -------------------------------------------------------------------
# Validated and audited per object like the single creates (see ``objects_bulk_create``); the caller
# guarantees uniqueness (the importer checks natural keys against the file and the catalog).

def _with_unique_slugs(model, rows: list[dict], max_length: int) -> list[dict]:
    """Rows without a slug get one from their name, unique against the table and the other rows."""
    if all(row.get("slug") or not row.get("name") for row in rows):
        return rows
    taken = set(model.objects.values_list("slug", flat=True)) | {row["slug"] for row in rows if row.get("slug")}
    taken |= set(RESERVED_SLUGS)
    result = []
    for row in rows:
        if not row.get("slug") and row.get("name"):
            base = slugify(row["name"])[:max_length] or "item"
            slug, n = base, 2
            while slug in taken:
                suffix = f"-{n}"
                slug = base[: max_length - len(suffix)] + suffix
                n += 1
            taken.add(slug)
            row = {**row, "slug": slug}
        result.append(row)
    return result


def category_bulk_create(*, actor, rows: list[dict], source=IMPORT) -> list[Category]:
    return objects_bulk_create(Category, actor=actor, rows=_with_unique_slugs(Category, rows, 100), source=source)


def vendor_bulk_create(*, actor, rows: list[dict], source=IMPORT) -> list[Vendor]:
    return objects_bulk_create(Vendor, actor=actor, rows=_with_unique_slugs(Vendor, rows, 150), source=source)


def component_bulk_create(*, actor, rows: list[dict], source=IMPORT) -> list[Component]:
    """Tags may be given by name: the missing ones are created first, once for all rows."""
    rows = _with_unique_slugs(Component, rows, 150)
    names = [t.name if isinstance(t, Tag) else str(t) for row in rows for t in row.get("tags") or ()]
    if names:
        wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
        created = tags_from_names(wanted, actor=actor, source=source)
        by_name = {n.lower(): tag for n, tag in zip(wanted, created, strict=True)}

        def tags(row):
            found = (by_name[(t.name if isinstance(t, Tag) else str(t)).strip().lower()] for t in row["tags"]
                     if (t.name if isinstance(t, Tag) else str(t)).strip())
            return list({tag.pk: tag for tag in found}.values())

        rows = [{**row, "tags": tags(row)} if row.get("tags") else row for row in rows]
    return objects_bulk_create(Component, actor=actor, rows=rows, source=source)


def relation_bulk_create(*, actor, rows: list[dict], source=IMPORT) -> list[Relation]:
    return objects_bulk_create(Relation, actor=actor, rows=rows, source=source, related_attr="source")


def raci_bulk_create(*, actor, rows: list[dict], source=IMPORT) -> list[RaciAssignment]:
    return objects_bulk_create(RaciAssignment, actor=actor, rows=rows, source=source, related_attr="component")
