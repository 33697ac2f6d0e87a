"""Writes for the catalog. Every function takes ``actor=`` and is audited in its own transaction."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.models import RESERVED_SLUGS, Tag
from stacksteward.core.services import object_create, object_delete, object_update

from .models import Category, Component, RaciAssignment, Relation, Vendor

UI = AuditSourceChoices.UI


def tags_from_names(names: Iterable[str], *, actor="system", source=UI) -> list[Tag]:
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
                                data={"name": name[:60], "slug": _unique_slug(Tag, name, 60)})
            existing[name.lower()] = tag
        result.append(tag)
    return result


def _unique_slug(model, text: str, max_length: int) -> str:
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def _with_slug(model, data: dict, max_length: int) -> dict:
    data = dict(data)
    if not data.get("slug") and data.get("name"):
        data["slug"] = _unique_slug(model, data["name"], max_length)
    return data


# Categories -------------------------------------------------------------------------------

def category_create(*, actor, data: dict, source=UI) -> Category:
    return object_create(Category, actor=actor, data=_with_slug(Category, data, 100), source=source)


def category_update(category: Category, *, actor, data: dict, expected_version, source=UI) -> Category:
    return object_update(category, actor=actor, data=data, expected_version=expected_version, source=source)


def category_delete(category: Category, *, actor, expected_version=None, source=UI) -> None:
    object_delete(category, actor=actor, expected_version=expected_version, source=source)


# Vendors ----------------------------------------------------------------------------------

def vendor_create(*, actor, data: dict, source=UI) -> Vendor:
    return object_create(Vendor, actor=actor, data=_with_slug(Vendor, data, 150), source=source)


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
    data = _with_slug(Component, _component_data(data, actor, source), 150)
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
