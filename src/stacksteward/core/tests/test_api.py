"""What every API operation shares: authentication, the error format, the audit log and tags."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stacksteward.catalog.models import Vendor
from stacksteward.catalog.services import component_create, component_update
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.api_support import field_from_loc
from stacksteward.core.models import Tag
from stacksteward.core.tests.api_helpers import error_fields
from stacksteward.org.services import token_create, token_revoke
from stacksteward.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db




# Authentication --------------------------------------------------------------------------------


def test_health_needs_no_authentication(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_call_401_with_error_body(client):
    response = client.get("/api/components")
    assert response.status_code == 401
    body = response.json()
    assert body["errors"] == [] and "Bearer" in body["detail"]


@pytest.mark.parametrize("header", ["Bearer sst_not-a-real-key", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_bad_authorization_header_401(header, client):
    assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


def test_revoked_token_401(editor, client):
    token, key = token_create(actor=editor, user=editor)
    token_revoke(token, actor=editor)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_expired_token_401(editor, client):
    _token, key = token_create(actor=editor, user=editor, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_token_of_inactive_user_401(client):
    user = UserFactory(is_active=False)
    _token, key = token_create(actor=SystemActor.cli(), user=user)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_session_auth_reads(viewer_client):
    response = viewer_client.get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "viewer"


def test_session_auth_write_without_csrf_token_403(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/vendors", {"name": "Acme"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Vendor.objects.exists()


def test_session_auth_write_with_csrf_token_201(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    secret = "k" * 32  # the CSRF cookie's secret; the header repeats it as a browser's JavaScript would
    client.cookies["csrftoken"] = secret
    response = client.post("/api/vendors", {"name": "Acme"}, content_type="application/json",
                           headers={"X-CSRFToken": secret})
    assert response.status_code == 201, response.json()


def test_token_auth_write_needs_no_csrf(editor):
    _token, key = token_create(actor=editor, user=editor)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = client.post("/api/vendors", {"name": "Acme"}, content_type="application/json")
    assert response.status_code == 201


def test_anonymous_write_401_not_csrf_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/vendors", {"name": "Acme"}, content_type="application/json")
    assert response.status_code == 401


# The error format ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "field"),
    [(("body", "payload", "name"), "name"), (("body", "payload", "tags", 0), "tags.0"), (("body", "payload"), "body"),
     (("query", "limit"), "limit"), (("path", "id"), "id"), ((), "__all__")],
)
def testfield_from_loc(loc, field):
    assert field_from_loc(loc) == field


def test_validation_error_lists_every_field(editor_api):
    response = editor_api.post_json("/api/components", {"kind": "spaceship", "tier": 9})
    assert response.status_code == 422
    assert set(error_fields(response)) == {"name", "kind", "tier"}
    assert response.json()["detail"].startswith(("name:", "kind:", "tier:"))


def test_not_found_uses_error_body(viewer_api):
    assert viewer_api.get("/api/components/nope").json() == {"detail": "No component with slug 'nope'.", "errors": []}


# Audit log -------------------------------------------------------------------------------------


def test_list_audit_entries_shows_before_after_and_changes(editor, viewer_api):
    component = component_create(actor=editor, data={"name": "CRM", "tier": 3}, source="cli")
    component_update(component, actor=editor, data={"tier": 1}, expected_version=1, source="api")
    response = viewer_api.get("/api/audit")
    assert response.status_code == 200
    update, create = response.json()["items"]
    assert (update["action"], update["source"], update["actor"], update["actor_name"]) == (
        "update", "api", "editor", "Editor")
    assert update["object_type"] == "catalog.component" and update["object_id"] == str(component.pk)
    assert update["changes"] == [{"field": "tier", "before": 3, "after": 1}]
    assert (create["before"], create["after"]["name"]) == (None, "CRM")


def test_list_audit_entries_filters(editor, admin_user, viewer_api):
    crm = component_create(actor=editor, data={"name": "CRM"}, source="api")
    component_create(actor=SystemActor.cli(), data={"name": "BI"}, source="cli")
    component_update(crm, actor=admin_user, data={"tier": 1}, expected_version=1, source="ui")

    def ids(query):
        response = viewer_api.get(f"/api/audit?{query}")
        assert response.status_code == 200, response.json()
        return [(e["object_repr"], e["action"]) for e in response.json()["items"]]

    assert ids(f"object_type=catalog.component&object_id={crm.pk}") == [("CRM", "update"), ("CRM", "create")]
    assert ids("actor=editor") == [("CRM", "create")]
    assert ids("actor=cli") == [("BI", "create")]
    assert ids("action=update") == [("CRM", "update")]
    assert ids("source=cli&source=ui") == [("CRM", "update"), ("BI", "create")]
    assert ids("object_type=org.person") == []
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"since={future}") == []
    assert len(ids("since=2000-01-01T00:00:00Z")) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=yesterday", "since"), ("action=explode", "action"), ("object_type=component", "object_type"),
     ("limit=1000", "limit")],
)
def test_list_audit_entries_bad_filter_422_names_it(query, field, viewer_api):
    response = viewer_api.get(f"/api/audit?{query}")
    assert response.status_code == 422
    assert error_fields(response) == [field]


def test_list_audit_entries_hides_token_entries_from_non_admins(viewer, viewer_api, admin_api):
    token_create(actor=viewer, user=viewer, name="second")
    seen_by_viewer = {e["object_type"] for e in viewer_api.get("/api/audit").json()["items"]}
    assert "org.apitoken" not in seen_by_viewer
    seen_by_admin = {e["object_type"] for e in admin_api.get("/api/audit").json()["items"]}
    assert "org.apitoken" in seen_by_admin


def test_list_audit_entries_paginates(editor, viewer_api):
    for n in range(5):
        component_create(actor=editor, data={"name": f"Tool {n}"})
    page = viewer_api.get("/api/audit?object_type=catalog.component&limit=2&offset=1").json()
    assert page["count"] == 5
    assert [e["object_repr"] for e in page["items"]] == ["Tool 3", "Tool 2"]


def test_list_audit_entries_constant_queries(editor, viewer_api, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make():
        component = ComponentFactory(name=f"C{next(counter)}")
        component_update(component, actor=editor, data={"tier": 1}, expected_version=1, source="api")

    for _ in range(3):
        make()
    url = "/api/audit?limit=500"
    viewer_api.get(url)
    with CaptureQueriesContext(connection) as small:
        first = viewer_api.get(url)
    for _ in range(27):
        make()
    with django_assert_max_num_queries(len(small.captured_queries)):
        second = viewer_api.get(url)
    assert second.json()["count"] == first.json()["count"] + 27


def test_list_audit_entries_anonymous_401(client):
    assert client.get("/api/audit").status_code == 401


# Tags ------------------------------------------------------------------------------------------


def test_list_tags(viewer_api):
    Tag.objects.create(name="CRM", slug="crm")
    Tag.objects.create(name="Analytics", slug="analytics")
    response = viewer_api.get("/api/tags")
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["Analytics", "CRM"]


def test_list_tags_constant_queries(viewer_api, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make():
        n = next(counter)
        Tag.objects.create(name=f"tag {n}", slug=f"tag-{n}")

    for _ in range(3):
        make()
    viewer_api.get("/api/tags")
    with CaptureQueriesContext(connection) as small:
        viewer_api.get("/api/tags")
    for _ in range(27):
        make()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert viewer_api.get("/api/tags").json()["count"] == 30
