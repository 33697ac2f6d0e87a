"""The organisation's sections of the stack-as-code format (``stackcode.registry``): departments and people."""

from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.schema import Field, Section, person_key

from . import services
from .choices import DepartmentKindChoices, PersonArchetypeChoices
from .models import Department, Person
from .resources import DEPARTMENTS, PEOPLE


def _find_person(workspace, ref: str):
    """By email (case-insensitive) when the reference has an ``@``, else by name (case-insensitive)."""
    if "@" in ref:
        return workspace.entries["people"].get(ref.strip().lower())
    return workspace.unique(workspace.named["people"].get(ref.strip().casefold(), []), ref, "people")

DEPARTMENT_SECTION = Section(
    "departments",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("kind", "enum", choices=DepartmentKindChoices, default=DepartmentKindChoices.OTHER.value),
        Field("description", "text"),
    ),
    key=("slug",),
    singular="department",
    model=Department,
    create=DEPARTMENTS.create,
    update=DEPARTMENTS.update,
    bulk_create=services.department_bulk_create,
    sort_key=lambda e: e["slug"],
    by_name=True,
)

PEOPLE_SECTION = Section(
    "people",
    (
        Field("email", "email"),
        Field("name", "str", required=True),
        Field("department", "ref", ref="departments"),
        Field("title", "str"),
        Field("archetype", "enum", choices=PersonArchetypeChoices, default=PersonArchetypeChoices.NONE.value),
        Field("manager", "ref", ref="people"),
        Field("available", "bool", default=True),
    ),
    key=("email",),  # the name when there is no email
    singular="person",
    model=Person,
    create=PEOPLE.create,
    update=PEOPLE.update,
    bulk_create=services.person_bulk_create,
    name_of=person_key,
    row_key=lambda row, keys: row["email"] or row["name"],
    sort_key=lambda e: ((e["email"] or e["name"]).casefold(), e["email"] or e["name"]),
    index_key=lambda person: person.email.lower() if person.email else None,
    by_name=True,
    find=_find_person,
)

register_section(DEPARTMENT_SECTION, PEOPLE_SECTION)
