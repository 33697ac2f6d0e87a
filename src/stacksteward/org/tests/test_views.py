"""Web pages for departments, people and API tokens."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory
from stacksteward.core.models import AuditEntry
from stacksteward.org.models import ApiToken, Department, Person
from stacksteward.org.services import person_update, token_authenticate, token_create
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def person_data(**overrides):
    data = {"name": "Pat Lee", "email": "", "department": "", "title": "", "archetype": "none", "manager": "",
            "available": "on"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("url_name,factory,bound", [
    ("org:department_list", lambda n: DepartmentFactory.create_batch(n), 8),
    ("org:person_list", lambda n: PersonFactory.create_batch(n), 10),
])
def test_list_pages_use_constant_queries(viewer_client, django_assert_max_num_queries, url_name, factory, bound):
    url = reverse(url_name)
    viewer_client.get(url)
    factory(3)
    with CaptureQueriesContext(connection) as few:
        viewer_client.get(url)
    with django_assert_max_num_queries(bound):
        viewer_client.get(url)
    factory(27)
    with CaptureQueriesContext(connection) as many:
        response = viewer_client.get(url)
    with django_assert_max_num_queries(bound):
        viewer_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_person_list_filters_by_department_and_availability(viewer_client):
    marketing = DepartmentFactory(slug="marketing")
    PersonFactory(name="Mia Market", department=marketing)
    PersonFactory(name="Ivan Tech", department=DepartmentFactory(slug="it"), available=False)
    content = viewer_client.get(reverse("org:person_list"), {"department": "marketing"}).content.decode()
    assert "Mia Market" in content and "Ivan Tech" not in content
    content = viewer_client.get(reverse("org:person_list"), {"available": "false"}).content.decode()
    assert "Ivan Tech" in content and "Mia Market" not in content


def test_department_list_search(viewer_client):
    DepartmentFactory(name="Growth Team")
    DepartmentFactory(name="Counsel Office")
    content = viewer_client.get(reverse("org:department_list"), {"q": "couns"}).content.decode()
    assert "Counsel Office" in content and "Growth Team" not in content


def test_person_detail_shows_what_they_own_and_raci(viewer_client):
    person = PersonFactory(name="Olga Owner")
    ComponentFactory(name="Owned CRM", business_owner=person)
    ComponentFactory(name="Run Warehouse", technical_owner=person)
    RaciAssignmentFactory(person=person, activity="security", role="R", component=ComponentFactory(name="Firewall"))
    content = viewer_client.get(reverse("org:person", args=[person.pk])).content.decode()
    owns = re.search(r'data-testid="owns".*?</section>', content, re.S).group(0)
    assert "Owned CRM" in owns and "Run Warehouse" in owns
    assert "Firewall" in content and "Security" in content


def test_department_detail_shows_people_and_owned_components(viewer_client):
    department = DepartmentFactory(slug="marketing", name="Marketing")
    person = PersonFactory(name="Mia Market", department=department)
    ComponentFactory(name="Campaign tool", business_owner=person)
    content = viewer_client.get(reverse("org:department", args=["marketing"])).content.decode()
    assert "Mia Market" in content and "Campaign tool" in content


def test_viewer_gets_403_on_department_and_person_writes(viewer_client):
    department = DepartmentFactory(slug="marketing")
    person = PersonFactory()
    urls = [reverse("org:department_add"), reverse("org:department_edit", args=["marketing"]),
            reverse("org:department_delete", args=["marketing"]), reverse("org:person_add"),
            reverse("org:person_edit", args=[person.pk]), reverse("org:person_delete", args=[person.pk])]
    for url in urls:
        assert viewer_client.get(url).status_code == 403, url
        assert viewer_client.post(url, {"name": "X", "kind": "it", "version": "1"}).status_code == 403, url
    assert Department.objects.get(pk=department.pk).name == department.name
    assert Person.objects.filter(pk=person.pk).exists()


def test_editor_creates_department_and_person(editor_client, editor):
    response = editor_client.post(reverse("org:department_add"),
                                  {"name": "Marketing Ops", "slug": "", "kind": "marketing", "description": ""})
    assert response.status_code == 302
    department = Department.objects.get(name="Marketing Ops")
    assert department.slug == "marketing-ops"
    response = editor_client.post(reverse("org:person_add"),
                                  person_data(email="PAT@Example.com", department=department.pk, archetype="maestro"))
    assert response.status_code == 302
    person = Person.objects.get(name="Pat Lee")
    assert person.email == "pat@example.com"
    assert person.department == department
    assert AuditEntry.objects.filter(action="create", actor=editor).count() == 2


def test_person_duplicate_email_names_the_field(editor_client):
    PersonFactory(email="taken@example.com")
    response = editor_client.post(reverse("org:person_add"), person_data(email="taken@example.com"))
    content = response.content.decode()
    assert re.search(r'href="#id_email">Email</a>: taken@example.com is already used', content)
    assert not Person.objects.filter(name="Pat Lee").exists()


def test_person_stale_edit_refused(editor_client, admin_user):
    person = PersonFactory(name="Sam")
    data = person_data(name="Sam Edited", email=person.email, version="1")
    person_update(person, actor=admin_user, data={"title": "Boss"}, expected_version=1)
    response = editor_client.post(reverse("org:person_edit", args=[person.pk]), data)
    assert response.status_code == 409
    assert "Nothing was saved" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Sam"


def test_person_edit_unticking_available_saves_false(editor_client):
    person = PersonFactory(name="Sam")
    data = person_data(name="Sam", email=person.email, version="1")
    del data["available"]
    assert editor_client.post(reverse("org:person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert person.available is False
    history = editor_client.get(person.get_absolute_url()).content.decode()
    assert re.search(r"Available</dt>\s*<dd><del>Yes</del>.*?<ins>No</ins>", history, re.S)


def test_delete_department_with_people_shows_message(editor_client):
    department = DepartmentFactory(slug="busy")
    PersonFactory(department=department, name="Still Here")
    response = editor_client.post(reverse("org:department_delete", args=["busy"]), {"version": "1"})
    content = response.content.decode()
    assert 'data-testid="delete-error"' in content and "Still Here" in content
    assert Department.objects.filter(slug="busy").exists()


def test_delete_person_after_confirmation(editor_client):
    person = PersonFactory()
    response = editor_client.post(reverse("org:person_delete", args=[person.pk]), {"version": "1"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


# API tokens -------------------------------------------------------------------------------

def test_token_create_shows_key_once_and_stores_only_its_hash(viewer_client, viewer):
    response = viewer_client.post(reverse("org:token_list"), {"name": "report script", "expires": "30"})
    content = response.content.decode()
    key = re.search(r'data-copy>(sst_[^<]+)<', content).group(1)
    token = ApiToken.objects.get(user=viewer)
    assert token.name == "report script"
    assert token.expires_at is not None
    assert token.key_hash == ApiToken.hash_key(key)
    assert token_authenticate(key) == viewer
    assert response["Cache-Control"] == "no-store"
    again = viewer_client.get(reverse("org:token_list")).content.decode()
    assert key not in again
    assert token.key_hint in again


def test_token_create_without_name_names_the_field(viewer_client, viewer):
    response = viewer_client.post(reverse("org:token_list"), {"name": "", "expires": ""})
    assert "What is it for?" in response.content.decode()
    assert not ApiToken.objects.filter(user=viewer).exists()


def test_token_revoke_stops_the_key(viewer_client, viewer):
    token, key = token_create(actor=viewer, user=viewer, name="old")
    response = viewer_client.post(reverse("org:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(key) is None


def test_token_list_shows_only_own_tokens_and_others_cannot_be_revoked(viewer_client):
    other = UserFactory(username="someone")
    token, key = token_create(actor=other, user=other, name="not yours")
    assert b"not yours" not in viewer_client.get(reverse("org:token_list")).content
    assert viewer_client.post(reverse("org:token_revoke", args=[token.pk])).status_code == 404
    assert token_authenticate(key) == other


def test_token_revoke_needs_post(viewer_client, viewer):
    token, _key = token_create(actor=viewer, user=viewer, name="t")
    assert viewer_client.get(reverse("org:token_revoke", args=[token.pk])).status_code == 405
