"""The organisation's sections of the stack-as-code format (``stackcode.registry``): departments and people."""

from stacksteward.stackcode.parsing import to_text
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.report import quote
from stacksteward.stackcode.schema import Field, Section, person_key
from stacksteward.stackcode.workspace import Ambiguous, Skip, failed_key, unique_name

from . import services
from .choices import DepartmentKindChoices, PersonArchetypeChoices
from .models import Department, Person
from .resources import DEPARTMENTS, PEOPLE


def _find_person(workspace, ref: str):
    """By email (case-insensitive) when the reference has an ``@``, else by name (case-insensitive)."""
    if "@" in ref:
        return workspace.entries["people"].get(ref.strip().lower())
    return workspace.unique(workspace.named["people"].get(ref.strip().casefold(), []), ref, "people")


# The import of people (``Section.apply``, ``raw_key``, ``file_key``) -------------------------------------

def _people_raw_key(values: dict) -> str:
    return to_text(values.get("email")).strip() or to_text(values.get("name")).strip()


def _people_file_key(values: dict) -> tuple[str, str, str]:
    if values.get("email"):
        return values["email"], values["email"], "email"
    return "name:" + values["name"].casefold(), values["name"], "name"


def match_person(imp, entry, values):
    email, name = values.get("email") or "", values.get("name") or ""
    if email:
        found = imp.ws.entries["people"].get(email)
        if found is not None:
            return found
        same_name = [p for p in imp.ws.named["people"].get(name.casefold(), []) if not p.email]
        return same_name[0] if len(same_name) == 1 else None
    # No email in the file: the person of that name without an email, else the only one of that name
    # (whose email is then left alone).
    candidates = imp.ws.named["people"].get(name.casefold(), [])
    without_email = [p for p in candidates if not p.email]
    if len(without_email) == 1:
        return without_email[0]
    if len(candidates) == 1 and not without_email:
        values.pop("email", None)
        return candidates[0]
    if candidates:
        imp.report.error(entry.place("name"), f"{quote(name)} matches several people in the catalog; add "
                                               f"the person's email to tell them apart.", name)
        raise Skip
    return None


def apply_people(imp, items, converted=None) -> None:
    in_file = set()
    for _entry, values in items:
        if values is not None:
            in_file.add((values.get("email") or "").lower())
            in_file.add((values.get("name") or "").casefold())
    deferred = []
    waiting = []  # new people whose manager is a new person of the file: created once the manager is
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        key = values.get("email") or values["name"]
        try:
            obj = match_person(imp, entry, values)
            desired = imp.resolve_refs(entry, values, ["department"])
            manager_ref = values.get("manager")
            if manager_ref:
                found = find_person_quietly(imp, manager_ref)
                if found is None and manager_ref.strip().casefold() in in_file:
                    if obj is None:
                        waiting.append((entry, key, desired, manager_ref))
                        continue
                    desired.pop("manager")
                    deferred.append((entry, key, manager_ref))
                else:
                    desired["manager"] = imp.ws.resolve("people", manager_ref, entry.place("manager"))
        except Skip:
            imp.ws.failed["people"].add(failed_key(key))
            continue
        imp.write("people", key, obj, desired, entry)
    imp.ws.flush("people")
    # Managers before the people reporting to them, one bulk write per level of the hierarchy.
    while waiting:
        ready, still = [], []
        for item in waiting:
            (ready if find_person_quietly(imp, item[3]) is not None else still).append(item)
        if not ready:  # a cycle, or managers that failed: create without, then link as before
            for entry, key, desired, manager_ref in still:
                desired.pop("manager")
                imp.write("people", key, None, desired, entry)
                deferred.append((entry, key, manager_ref))
            imp.ws.flush("people")
            break
        for entry, key, desired, manager_ref in ready:
            desired["manager"] = imp.ws.resolve("people", manager_ref, entry.place("manager"))
            imp.write("people", key, None, desired, entry)
        imp.ws.flush("people")
        waiting = still
    for entry, key, manager_ref in deferred:
        person = imp.ws.find("people", key)
        if person is None:
            continue
        try:
            manager = imp.ws.resolve("people", manager_ref, entry.place("manager"))
        except Skip:
            continue
        imp.late_update("people", key, person, {"manager": manager}, entry)


def find_person_quietly(imp, ref: str):
    try:
        return imp.ws.find("people", ref)
    except Ambiguous:
        return None


def _person_unique(ws, data: dict, taken: set):
    """An email names one person."""
    email = (data.get("email") or "").strip().lower()
    if not email:
        return None, []
    clash = ws.entries["people"].get(email)
    if clash is not None or ("email", email) in taken:
        return {"email": f"{email} is already used by {clash or 'another person in the file'}."}, []
    return None, [("email", email)]


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
    unique=unique_name("departments", "Department with this name already exists."),
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
    apply=apply_people,
    raw_key=_people_raw_key,
    file_key=_people_file_key,
    unique=_person_unique,
)

register_section(DEPARTMENT_SECTION, PEOPLE_SECTION)
