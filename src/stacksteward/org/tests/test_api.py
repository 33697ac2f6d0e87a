"""The org API end to end: departments, people, API tokens and /api/me."""

import pytest
from django.contrib.auth import get_user_model

from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.org.models import ApiToken, Department, Person
from stacksteward.org.services import token_create
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


# Departments -----------------------------------------------------------------------------------


def test_create_department_makes_slug_and_audits(editor, editor_api):
    response = editor_api.post_json("/api/departments", {"name": "Marketing Ops", "kind": "marketing"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["kind"], body["version"]) == ("marketing-ops", "marketing", 1)
    department = Department.objects.get(slug="marketing-ops")
    entry = audit_entries(Department, department.pk).get()
    assert (entry.action, entry.source, entry.actor, entry.after["name"]) == ("create", "api", editor, "Marketing Ops")


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "name"), ({"name": "X", "kind": "astrology"}, "kind"), ({"name": "X", "slug": "not a slug"}, "slug"),
     ({"name": "X", "budget": 5}, "budget")],
)
def test_create_department_bad_input_422_nothing_written(payload, field, editor_api):
    response = editor_api.post_json("/api/departments", payload)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert not Department.objects.exists()
    assert not audit_entries(Department).exists()


def test_create_department_duplicate_name_422(editor_api):
    DepartmentFactory(name="IT", slug="it")
    response = editor_api.post_json("/api/departments", {"name": "IT", "slug": "it-2"})
    assert response.status_code == 422
    assert error_fields(response) == ["name"]


def test_create_department_as_viewer_403(viewer_api):
    response = viewer_api.post_json("/api/departments", {"name": "Legal"})
    assert response.status_code == 403
    assert not Department.objects.exists()


def test_get_department_by_slug_and_unknown_404(viewer_api):
    department = DepartmentFactory()
    assert viewer_api.get(f"/api/departments/{department.slug}").json()["name"] == department.name
    response = viewer_api.get("/api/departments/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No department with slug 'nope'.", "errors": []}


def test_patch_department_audits_before_after(editor_api):
    department = DepartmentFactory(kind="it")
    response = editor_api.patch_json(f"/api/departments/{department.slug}", {"version": 1, "kind": "data"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    entry = audit_entries(Department, department.pk).get(action="update")
    assert (entry.before["kind"], entry.after["kind"], entry.source) == ("it", "data", "api")


def test_put_department_replaces(editor_api):
    department = DepartmentFactory(description="old")
    response = editor_api.put_json(f"/api/departments/{department.slug}",
                                   {"version": 1, "name": "Renamed", "kind": "legal"})
    assert response.status_code == 200, response.json()
    department.refresh_from_db()
    assert (department.name, department.kind, department.description) == ("Renamed", "legal", "")


def test_patch_department_stale_version_409_nothing_written(editor_api):
    department = DepartmentFactory(kind="it")
    Department.objects.filter(pk=department.pk).update(version=2)
    response = editor_api.patch_json(f"/api/departments/{department.slug}", {"version": 1, "kind": "data"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    department.refresh_from_db()
    assert department.kind == "it"
    assert not audit_entries(Department).exists()


def test_patch_department_as_viewer_403(viewer_api):
    department = DepartmentFactory(kind="it")
    response = viewer_api.patch_json(f"/api/departments/{department.slug}", {"version": 1, "kind": "data"})
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.kind == "it"


def test_delete_department_stale_409_then_current_204(editor_api):
    department = DepartmentFactory()
    Department.objects.filter(pk=department.pk).update(version=2)
    assert editor_api.delete(f"/api/departments/{department.slug}?version=1").status_code == 409
    assert Department.objects.filter(pk=department.pk).exists()
    assert editor_api.delete(f"/api/departments/{department.slug}?version=2").status_code == 204
    assert not Department.objects.filter(pk=department.pk).exists()
    assert audit_entries(Department, department.pk).get().action == "delete"


def test_delete_department_with_people_422(editor_api):
    person = PersonFactory()
    response = editor_api.delete(f"/api/departments/{person.department.slug}")
    assert response.status_code == 422
    assert "still used by" in response.json()["detail"]
    assert Department.objects.filter(pk=person.department_id).exists()


def test_delete_department_as_viewer_403(viewer_api):
    department = DepartmentFactory()
    assert viewer_api.delete(f"/api/departments/{department.slug}").status_code == 403
    assert Department.objects.filter(pk=department.pk).exists()


def test_list_departments_filters_and_paginates(viewer_api):
    DepartmentFactory(name="Marketing", kind="marketing")
    DepartmentFactory(name="IT", kind="it")
    DepartmentFactory(name="Data", kind="data")
    response = viewer_api.get("/api/departments?kind=marketing&kind=it&ordering=name&limit=1&offset=1")
    assert response.json() == {"count": 2, "items": [response.json()["items"][0]]}
    assert response.json()["items"][0]["name"] == "Marketing"
    bad = viewer_api.get("/api/departments?kind=astrology")
    assert bad.status_code == 422 and error_fields(bad) == ["kind"]


def test_list_departments_constant_queries(viewer_api, django_assert_max_num_queries):
    assert_constant_queries(viewer_api, "/api/departments?limit=500", DepartmentFactory, django_assert_max_num_queries)


# People ----------------------------------------------------------------------------------------


def test_create_person_resolves_department_and_manager(editor_api):
    department = DepartmentFactory()
    manager = PersonFactory(email="boss@example.com")
    response = editor_api.post_json("/api/people", {
        "name": "Ada", "email": "Ada@Example.com", "department": department.slug, "manager": "boss@example.com",
        "archetype": "maestro", "title": "Marketing ops lead",
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["department"] == {"slug": department.slug, "name": department.name}
    assert body["manager"] == {"id": manager.pk, "name": manager.name, "email": manager.email}
    assert body["has_login"] is False
    person = Person.objects.get(pk=body["id"])
    assert (person.email, person.archetype, person.manager) == ("ada@example.com", "maestro", manager)
    entry = audit_entries(Person, person.pk).get()
    assert entry.source == "api" and entry.after["manager"] == manager.name


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"email": "a@example.com"}, "name"), ({"name": "A", "department": "nope"}, "department"),
     ({"name": "A", "manager": 999999}, "manager"), ({"name": "A", "manager": "ghost@example.com"}, "manager"),
     ({"name": "A", "manager": [1]}, "manager"), ({"name": "A", "archetype": "wizard"}, "archetype"),
     ({"name": "A", "email": "not-an-email"}, "email"), ({"name": "A", "email": "TAKEN@example.com"}, "email")],
)
def test_create_person_bad_input_422_nothing_written(payload, field, editor_api):
    PersonFactory(email="taken@example.com")
    response = editor_api.post_json("/api/people", payload)
    assert response.status_code == 422, response.json()
    assert error_fields(response) == [field]
    assert Person.objects.count() == 1
    assert not audit_entries(Person).exists()


def test_create_person_as_viewer_403(viewer_api):
    assert viewer_api.post_json("/api/people", {"name": "A"}).status_code == 403
    assert not Person.objects.exists()


def test_get_person_by_id_unknown_404_and_non_number_422(viewer_api):
    person = PersonFactory()
    assert viewer_api.get(f"/api/people/{person.pk}").json()["name"] == person.name
    assert viewer_api.get("/api/people/999999").status_code == 404
    bad = viewer_api.get("/api/people/ada")
    assert bad.status_code == 422 and error_fields(bad) == ["id"]


def test_patch_person_marks_unavailable(editor_api):
    person = PersonFactory()
    response = editor_api.patch_json(f"/api/people/{person.pk}", {"version": 1, "available": False})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.available is False and person.version == 2
    entry = audit_entries(Person, person.pk).get(action="update")
    assert (entry.before["available"], entry.after["available"]) == (True, False)


def test_patch_person_as_own_manager_422(editor_api):
    person = PersonFactory()
    response = editor_api.patch_json(f"/api/people/{person.pk}", {"version": 1, "manager": person.pk})
    assert response.status_code == 422
    assert error_fields(response) == ["manager"]
    person.refresh_from_db()
    assert person.manager is None


def test_put_person_stale_version_409(editor_api):
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(version=4)
    response = editor_api.put_json(f"/api/people/{person.pk}", {"version": 3, "name": "New"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 4
    person.refresh_from_db()
    assert person.name != "New"


def test_patch_person_as_viewer_403(viewer_api):
    person = PersonFactory()
    assert viewer_api.patch_json(f"/api/people/{person.pk}", {"version": 1, "name": "X"}).status_code == 403


def test_delete_person_audited(editor_api):
    person = PersonFactory()
    assert editor_api.delete(f"/api/people/{person.pk}?version=1").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = audit_entries(Person, person.pk).get()
    assert (entry.action, entry.source, entry.before["name"]) == ("delete", "api", person.name)


def test_delete_person_stale_409_and_viewer_403(editor_api, viewer_api):
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(version=2)
    assert editor_api.delete(f"/api/people/{person.pk}?version=1").status_code == 409
    assert viewer_api.delete(f"/api/people/{person.pk}").status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_list_people_filters(viewer_api):
    department = DepartmentFactory(slug="it")
    ada = PersonFactory(name="Ada", department=department, archetype="maker")
    PersonFactory(name="Bob", archetype="marketer", available=False)
    assert [p["id"] for p in viewer_api.get("/api/people?department=it").json()["items"]] == [ada.pk]
    assert [p["name"] for p in viewer_api.get("/api/people?available=false").json()["items"]] == ["Bob"]
    assert [p["name"] for p in viewer_api.get("/api/people?q=ad").json()["items"]] == ["Ada"]
    bad = viewer_api.get("/api/people?archetype=wizard")
    assert bad.status_code == 422 and error_fields(bad) == ["archetype"]


def test_list_people_constant_queries(viewer_api, django_assert_max_num_queries):
    boss = PersonFactory()

    def make():
        return PersonFactory(manager=boss)

    assert_constant_queries(viewer_api, "/api/people?limit=500", make, django_assert_max_num_queries)


# Tokens ----------------------------------------------------------------------------------------


def test_create_token_returns_key_once_and_it_authenticates(editor, editor_api, client):
    response = editor_api.post_json("/api/tokens", {"name": "CI export"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["key"].startswith("sst_") and body["user"] == "editor" and body["is_active"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == ApiToken.hash_key(body["key"]) and body["key"] != token.key_hash
    assert "key_hash" not in body
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['key']}"})
    assert me.json()["username"] == "editor"
    listed = editor_api.get("/api/tokens").json()["items"]
    assert all("key" not in t and "key_hash" not in t for t in listed)
    entry = audit_entries(ApiToken, token.pk).get()
    assert entry.source == "api" and entry.actor == editor


def test_viewer_can_create_own_token(viewer_api):
    assert viewer_api.post_json("/api/tokens", {"name": "mine"}).status_code == 201


def test_create_token_for_another_user_admin_only(admin_api, editor_api, viewer):
    denied = editor_api.post_json("/api/tokens", {"user": "viewer"})
    assert denied.status_code == 403
    assert not ApiToken.objects.filter(user=viewer).exists()
    created = admin_api.post_json("/api/tokens", {"user": "viewer", "name": "for viewer"})
    assert created.status_code == 201
    assert created.json()["user"] == "viewer"
    unknown = admin_api.post_json("/api/tokens", {"user": "nobody"})
    assert unknown.status_code == 422 and error_fields(unknown) == ["user"]


def test_list_tokens_shows_own_tokens_and_admin_sees_all(editor, viewer, admin_api, editor_api):
    token_create(actor=viewer, user=viewer, name="viewer's")
    mine = editor_api.get("/api/tokens").json()
    assert {t["user"] for t in mine["items"]} == {"editor"}
    everyone = admin_api.get("/api/tokens").json()
    assert {t["user"] for t in everyone["items"]} == {"editor", "viewer", "admin"}


def test_revoke_token_stops_it_working(editor, editor_api, client):
    token, key = token_create(actor=editor, user=editor, name="temp")
    response = editor_api.delete(f"/api/tokens/{token.pk}")
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert editor_api.delete(f"/api/tokens/{token.pk}").status_code == 204  # twice is harmless


def test_revoke_someone_elses_token_404(viewer, editor_api):
    token, _key = token_create(actor=viewer, user=viewer)
    assert editor_api.delete(f"/api/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_revokes_any_token(viewer, admin_api):
    token, _key = token_create(actor=viewer, user=viewer)
    assert admin_api.delete(f"/api/tokens/{token.pk}").status_code == 204


def test_list_tokens_constant_queries(admin_user, admin_api, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make():
        user = get_user_model().objects.create(username=f"bulk{next(counter)}")  # no password: no slow hashing
        return token_create(actor=admin_user, user=user)

    assert_constant_queries(admin_api, "/api/tokens?limit=500", make, django_assert_max_num_queries)


# Me --------------------------------------------------------------------------------------------


def test_get_me_shows_role_and_linked_person(editor, editor_api):
    person = PersonFactory(user=editor)
    body = editor_api.get("/api/me").json()
    assert (body["username"], body["role"]) == ("editor", "editor")
    assert body["person"] == {"id": person.pk, "name": person.name, "email": person.email}


def test_get_me_without_person(viewer_api):
    assert viewer_api.get("/api/me").json()["person"] is None
