"""The organisation's resources, declared once: REST routes are built from these (``core.resources``)."""

from stacksteward.core.resources import Ref, Resource

from . import services
from .filtersets import DepartmentFilterSet, PersonFilterSet
from .models import Department, Person
from .schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    DepartmentPut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonPut,
)

_DELETE_DOC = "Delete; with ``?version=`` the delete is refused (409) if someone changed it since."

DEPARTMENTS = Resource(
    Department, "departments", out=DepartmentOut, create_schema=DepartmentIn, put_schema=DepartmentPut,
    patch_schema=DepartmentPatch, filterset=DepartmentFilterSet,
    create=services.department_create, update=services.department_update, delete=services.department_delete,
    docs={"delete": _DELETE_DOC},
)

PEOPLE = Resource(
    Person, "people", out=PersonOut, create_schema=PersonIn, put_schema=PersonPut, patch_schema=PersonPatch,
    lookup="pk", filterset=PersonFilterSet, plain_list=False,
    queryset=lambda actor: Person.objects.restrict(actor, "view").select_related("department", "manager"),
    refs={"department": Ref(Department), "manager": Ref.person()},
    create=services.person_create, update=services.person_update, delete=services.person_delete,
    docs={"delete": _DELETE_DOC},
)

RESOURCES = (DEPARTMENTS, PEOPLE)
