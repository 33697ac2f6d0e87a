"""API for departments, people, API tokens and the signed-in user."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from ninja import Query, Router, Status

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
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.permissions import is_admin, require_perm
from stacksteward.core.roles import role_of

from . import services
from .filtersets import DepartmentFilterSet, PersonFilterSet
from .models import ApiToken, Department, Person
from .schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    DepartmentPut,
    MeOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonPut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["org"])
API = AuditSourceChoices.API

# Departments -----------------------------------------------------------------------------------

DepartmentFilters = filter_schema(DepartmentFilterSet)
DEPARTMENT_ROWS = PlainRows(Department, DepartmentOut)


def _department_data(payload, *, partial: bool) -> dict:
    data = changed_fields(payload) if partial else all_fields(payload)
    if data.get("slug") is None:
        data.pop("slug", None)  # keep the current slug (or make one from the name)
    return data


@router.get("/departments", response={200: page_schema(DepartmentOut), **errors(*LIST_ERRORS)})
def list_departments(request, filters: Query[DepartmentFilters], page: Query[PageParams]):
    queryset = apply_filters(DepartmentFilterSet, request, Department.objects.restrict(request.auth, "view"))
    return paginate_plain(queryset, page, DEPARTMENT_ROWS)


@router.post("/departments", response={201: DepartmentOut, **errors(*CREATE_ERRORS)})
def create_department(request, payload: DepartmentIn):
    require_perm(request.auth, "add", Department)
    with transaction.atomic():
        department = services.department_create(actor=request.auth, data=_department_data(payload, partial=False),
                                                source=API)
    return Status(201, department)


@router.get("/departments/{slug}", response={200: DepartmentOut, **errors(*GET_ERRORS)})
def get_department(request, slug: str):
    return fetch_or_404(Department.objects.restrict(request.auth, "view"), slug=slug)


def _update_department(request, slug: str, payload, *, partial: bool):
    department = fetch_or_404(Department.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "change", department)
    with transaction.atomic():
        return services.department_update(department, actor=request.auth, expected_version=payload.version,
                                          source=API, data=_department_data(payload, partial=partial))


@router.put("/departments/{slug}", response={200: DepartmentOut, **errors(*UPDATE_ERRORS)})
def update_department(request, slug: str, payload: DepartmentPut):
    """Replace the department; ``version`` must be the one you read (else 409)."""
    return _update_department(request, slug, payload, partial=False)


@router.patch("/departments/{slug}", response={200: DepartmentOut, **errors(*UPDATE_ERRORS)})
def patch_department(request, slug: str, payload: DepartmentPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_department(request, slug, payload, partial=True)


@router.delete("/departments/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_department(request, slug: str, version: int | None = None):
    """Delete; with ``?version=`` the delete is refused (409) if someone changed it since."""
    department = fetch_or_404(Department.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "delete", department)
    services.department_delete(department, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# People ----------------------------------------------------------------------------------------

PersonFilters = filter_schema(PersonFilterSet)


def _people(user):
    return Person.objects.restrict(user, "view").select_related("department", "manager")


def _person_data(user, payload, *, partial: bool) -> dict:
    data = changed_fields(payload) if partial else all_fields(payload)
    refs = Refs()
    if "department" in data:
        data["department"] = refs.one(Department.objects.restrict(user, "view"), "department", data["department"])
    if "manager" in data:
        data["manager"] = refs.person(Person.objects.restrict(user, "view"), "manager", data["manager"])
    refs.check()
    return data


@router.get("/people", response={200: page_schema(PersonOut), **errors(*LIST_ERRORS)})
def list_people(request, filters: Query[PersonFilters], page: Query[PageParams]):
    return paginate(apply_filters(PersonFilterSet, request, _people(request.auth)), page)


@router.post("/people", response={201: PersonOut, **errors(*CREATE_ERRORS)})
def create_person(request, payload: PersonIn):
    require_perm(request.auth, "add", Person)
    with transaction.atomic():
        person = services.person_create(actor=request.auth, data=_person_data(request.auth, payload, partial=False),
                                        source=API)
    return Status(201, _people(request.auth).get(pk=person.pk))


@router.get("/people/{id}", response={200: PersonOut, **errors(*GET_BY_ID_ERRORS)})
def get_person(request, id: int):
    return fetch_or_404(_people(request.auth), pk=id)


def _update_person(request, id: int, payload, *, partial: bool):
    person = fetch_or_404(_people(request.auth), pk=id)
    require_perm(request.auth, "change", person)
    with transaction.atomic():
        services.person_update(person, actor=request.auth, data=_person_data(request.auth, payload, partial=partial),
                               expected_version=payload.version, source=API)
    return _people(request.auth).get(pk=id)


@router.put("/people/{id}", response={200: PersonOut, **errors(*UPDATE_ERRORS)})
def update_person(request, id: int, payload: PersonPut):
    """Replace the person; ``version`` must be the one you read (else 409)."""
    return _update_person(request, id, payload, partial=False)


@router.patch("/people/{id}", response={200: PersonOut, **errors(*UPDATE_ERRORS)})
def patch_person(request, id: int, payload: PersonPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    return _update_person(request, id, payload, partial=True)


@router.delete("/people/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_person(request, id: int, version: int | None = None):
    """Delete; with ``?version=`` the delete is refused (409) if someone changed it since."""
    person = fetch_or_404(_people(request.auth), pk=id)
    require_perm(request.auth, "delete", person)
    services.person_delete(person, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Tokens ----------------------------------------------------------------------------------------


def _tokens(user):
    return ApiToken.objects.restrict(user, "view").select_related("user")


@router.get("/tokens", response={200: page_schema(TokenOut), **errors(*LIST_ERRORS)})
def list_tokens(request, page: Query[PageParams]):
    """Your tokens (admins: everyone's), newest first. Keys are never shown again."""
    return paginate(_tokens(request.auth), page)


@router.post("/tokens", response={201: TokenCreatedOut, **errors(*CREATE_ERRORS)})
def create_token(request, payload: TokenIn):
    """Create a token; the answer carries the key this once (only its hash is stored)."""
    require_perm(request.auth, "add", ApiToken)
    owner = request.auth
    if payload.user and payload.user != owner.get_username():
        if not is_admin(request.auth):
            raise PermissionDenied("Only admins can create tokens for other users.")
        refs = Refs()
        owner = refs.one(get_user_model().objects.all(), "user", payload.user, key="username")
        refs.check()
    token, key = services.token_create(actor=request.auth, user=owner, name=payload.name,
                                       expires_at=payload.expires_at, source=API)
    token.key = key
    return Status(201, token)


@router.delete("/tokens/{id}", response={204: None, **errors(401, 403, 404, 422)})
def revoke_token(request, id: int):
    """Revoke a token: it stops working at once. Revoking twice is harmless."""
    token = fetch_or_404(_tokens(request.auth), pk=id)
    require_perm(request.auth, "delete", token)
    services.token_revoke(token, actor=request.auth, source=API)
    return Status(204, None)


# The signed-in user ----------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **errors(401)})
def get_me(request):
    """Who you are to the API: username, role and the person record linked to your login."""
    user = request.auth
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    return {"username": user.get_username(), "name": user.get_full_name(), "email": user.email,
            "role": role_of(user), "person": person}
