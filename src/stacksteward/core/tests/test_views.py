"""Site-wide pages: login, anonymous access to every page, dashboard, search, audit log, Markdown."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from stacksteward.catalog.models import Component
from stacksteward.catalog.services import component_delete, component_update
from stacksteward.catalog.tests.factories import (
    CategoryFactory,
    ComponentFactory,
    RelationFactory,
    VendorFactory,
)
from stacksteward.core.models import AuditEntry
from stacksteward.core.templatetags.steward import markdown
from stacksteward.org.services import token_create
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(editor):
    department = DepartmentFactory(slug="marketing", name="Marketing")
    person = PersonFactory(department=department)
    vendor = VendorFactory(slug="acme", name="Acme")
    category = CategoryFactory(slug="things", name="Things")
    component = ComponentFactory(slug="crm", name="CRM", vendor=vendor, category=category)
    relation = RelationFactory(source=component)
    token, _key = token_create(actor=editor, user=editor, name="script")
    return {"department": department, "person": person, "vendor": vendor, "category": category,
            "component": component, "relation": relation, "token": token}


def every_page(objects) -> list[str]:
    """Every page of the web UI (URL names with arguments)."""
    c, r = objects["component"], objects["relation"]
    names = [
        ("dashboard", []), ("search", []), ("audit_list", []), ("logout", []),
        ("catalog:component_list", []), ("catalog:component_add", []), ("catalog:component", [c.slug]),
        ("catalog:component_edit", [c.slug]), ("catalog:component_delete", [c.slug]),
        ("catalog:raci_edit", [c.slug]), ("catalog:component_graph", [c.slug]),
        ("catalog:vendor_list", []), ("catalog:vendor_add", []), ("catalog:vendor", ["acme"]),
        ("catalog:vendor_edit", ["acme"]), ("catalog:vendor_delete", ["acme"]),
        ("catalog:category_list", []), ("catalog:category_add", []), ("catalog:category", ["things"]),
        ("catalog:category_edit", ["things"]), ("catalog:category_delete", ["things"]),
        ("catalog:relation_list", []), ("catalog:relation_add", []), ("catalog:relation", [r.pk]),
        ("catalog:relation_edit", [r.pk]), ("catalog:relation_delete", [r.pk]),
        ("catalog:health", []), ("catalog:graph", []), ("catalog:graph_data", []),
        ("org:department_list", []), ("org:department_add", []), ("org:department", ["marketing"]),
        ("org:department_edit", ["marketing"]), ("org:department_delete", ["marketing"]),
        ("org:person_list", []), ("org:person_add", []), ("org:person", [objects["person"].pk]),
        ("org:person_edit", [objects["person"].pk]), ("org:person_delete", [objects["person"].pk]),
        ("org:token_list", []), ("org:token_revoke", [objects["token"].pk]),
    ]
    return [reverse(name, args=args) for name, args in names]


def test_login_page_anonymous_renders_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'data-testid="login-form"' in response.content


def test_every_page_anonymous_redirects_to_login(client, objects):
    login = reverse("login")
    for url in every_page(objects):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response.url.startswith(f"{login}?next="), (method, url)
    assert Component.objects.filter(slug="crm").exists()


def test_every_page_signed_in_viewer_never_errors(viewer_client, objects):
    for url in every_page(objects):
        if url == reverse("logout"):
            continue
        response = viewer_client.get(url)
        assert response.status_code in (200, 403, 405), url


def test_login_with_password_redirects_to_dashboard(viewer):
    client = Client()
    response = client.post(reverse("login"), {"username": "viewer", "password": "pass-word-123"})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_with_wrong_password_shows_message(viewer):
    response = Client().post(reverse("login"), {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_logout_signs_out(viewer_client):
    response = viewer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert viewer_client.get(reverse("dashboard")).status_code == 302


def test_audit_list_filters_by_object_and_shows_before_after(viewer_client, editor):
    component = ComponentFactory(name="Old name")
    other = ComponentFactory(name="Other tool")
    component_update(component, actor=editor, data={"name": "New name"}, expected_version=1)
    component_update(other, actor=editor, data={"name": "Other renamed"}, expected_version=1)
    ct = ContentType.objects.get_for_model(Component)
    response = viewer_client.get(reverse("audit_list"), {"type": ct.pk, "object_id": component.pk})
    content = response.content.decode()
    assert "Old name" in content and "New name" in content
    assert "Other renamed" not in content


def test_audit_list_query_count_constant(viewer_client, editor, django_assert_max_num_queries):
    components = ComponentFactory.create_batch(3)
    for c in components:
        component_update(c, actor=editor, data={"description": "x"}, expected_version=1)
    with django_assert_max_num_queries(8):
        assert viewer_client.get(reverse("audit_list")).status_code == 200
    for c in ComponentFactory.create_batch(27):
        component_update(c, actor=editor, data={"description": "x"}, expected_version=1)
    with django_assert_max_num_queries(8):
        assert viewer_client.get(reverse("audit_list")).status_code == 200


def test_audit_open_redirects_to_object_or_to_history_when_deleted(viewer_client, editor):
    component = ComponentFactory(slug="gone")
    component_update(component, actor=editor, data={"description": "x"}, expected_version=1)
    entry = AuditEntry.objects.filter(action="update").latest("id")
    response = viewer_client.get(reverse("audit_open", args=[entry.pk]))
    assert response.url == component.get_absolute_url()
    component_delete(component, actor=editor)
    response = viewer_client.get(reverse("audit_open", args=[entry.pk]))
    assert response.url.startswith(reverse("audit_list"))


def test_markdown_filter_strips_script_and_keeps_formatting():
    html = markdown("**bold** and [link](https://example.com)\n\n<script>alert(1)</script>"
                    '<img src=x onerror="alert(2)">')
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html


def test_markdown_filter_removes_javascript_links():
    assert "javascript:" not in markdown("[click](javascript:alert(1))")


def test_forbidden_page_is_friendly(viewer_client):
    response = viewer_client.get(reverse("catalog:component_add"))
    assert response.status_code == 403
    assert b"You may not do that" in response.content


def test_audit_of_tokens_is_for_admins_only(viewer_client, admin_client, viewer):
    token_create(actor=viewer, user=viewer, name="secret-ish script")
    assert b"secret-ish" not in viewer_client.get(reverse("audit_list")).content
    assert b"sst_" not in viewer_client.get(reverse("dashboard")).content
    assert b"sst_" in admin_client.get(reverse("audit_list")).content


def test_audit_list_shows_its_filter_form(viewer_client):
    content = viewer_client.get(reverse("audit_list")).content.decode()
    start = content.index('data-testid="filter-form"')
    form = content[start:content.index("</form>", start)]
    for name in ("q", "action", "source", "type"):
        assert f'name="{name}"' in form
