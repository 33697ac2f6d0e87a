"""The organisation's resources, declared once: REST routes are built from these (``core.resources``)."""

from stacksteward.core.pages import Pages
from stacksteward.core.resources import Ref, Resource

from . import services, views
from .filtersets import DepartmentFilterSet, PersonFilterSet
from .forms import DepartmentForm, PersonForm
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
    pages=Pages(form=DepartmentForm, list_view=views.DepartmentListView, detail_view=views.DepartmentDetailView,
                intro="The teams that share the stack: Marketing, IT, Legal, Procurement and the others."),
    docs={"delete": _DELETE_DOC},
)

PEOPLE = Resource(
    Person, "people", out=PersonOut, create_schema=PersonIn, put_schema=PersonPut, patch_schema=PersonPatch,
    lookup="pk", filterset=PersonFilterSet, plain_list=False,
    queryset=lambda actor: Person.objects.restrict(actor, "view").select_related("department", "manager"),
    refs={"department": Ref(Department), "manager": Ref.person()},
    create=services.person_create, update=services.person_update, delete=services.person_delete,
    pages=Pages(form=PersonForm, list_view=views.PersonListView, detail_view=views.PersonDetailView,
                form_view=views.PersonFormView, title="People",
                intro="Everyone who owns, runs or uses part of the stack. A person does not need a login to be "
                      "listed."),
    docs={"delete": _DELETE_DOC},
)

RESOURCES = (DEPARTMENTS, PEOPLE)
