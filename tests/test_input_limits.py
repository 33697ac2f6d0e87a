"""Limits on text and dates, declared once (core.limits) and the same in the API, the forms, the services
and imports: every declared resource refuses a too-long name with 422 naming the field, and writes nothing."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

import stacksteward.api  # noqa: F401  (declares every resource)
from stacksteward.catalog.models import Component
from stacksteward.changes.tests.factories import ChangeRequestFactory
from stacksteward.core import limits
from stacksteward.core.models import AuditEntry
from stacksteward.core.resources import declared
from stacksteward.core.services import object_create, object_update
from stacksteward.finance.tests.factories import ContractFactory
from stacksteward.intake.tests.factories import RequestFactory
from stacksteward.stackcode.importer import import_file

pytestmark = pytest.mark.django_db


def _named_text_field(resource):
    """(field, limit) of the resource's name or title, as its create schema and its model have it."""
    for name in ("name", "title", "reference"):
        if name in resource.create_schema.model_fields:
            return name, limits.text_limit(resource.model._meta.get_field(name))
    return None


WRITABLE = [r for r in declared() if r.create is not None and r.create_schema is not None]
NAMED = [r for r in WRITABLE if _named_text_field(r)]


def _collection(resource) -> str:
    if resource.parent is None:
        return f"/api/{resource.path}"
    parent = resource.parent.resource
    key = "1" if parent.lookup == "pk" else "no-such"
    return f"/api/{parent.path}/{key}/{resource.parent.path}"


def test_every_declared_resource_with_a_name_is_covered():
    assert {r.path for r in NAMED} >= {"components", "vendors", "categories", "departments", "people",
                                       "change-requests", "requests", "backlog-items", "contracts", "kpis"}


@pytest.mark.parametrize("resource", NAMED, ids=[r.path for r in NAMED])
def test_create_with_too_long_name_422_names_the_field_and_limit_nothing_written(resource, admin_user, api_as):
    field, limit = _named_text_field(resource)
    api = api_as(admin_user)
    before, audited = resource.model.objects.count(), AuditEntry.objects.count()

    response = api.post_json(_collection(resource), {field: "x" * (limit + 1)})

    assert response.status_code == 422, response.json()
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    label = field.capitalize()
    assert messages[field] == f"{label} is too long: at most {limit:,} characters.", messages
    assert resource.model.objects.count() == before
    assert AuditEntry.objects.count() == audited


def test_every_create_schema_shows_the_model_text_limits_in_the_openapi_document(viewer_api):
    schemas = viewer_api.get("/api/openapi.json").json()["components"]["schemas"]
    checked = 0
    for resource in WRITABLE:
        properties = schemas[resource.create_schema.__name__]["properties"]
        for name in resource.create_schema.model_fields:
            try:
                field = resource.model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - not a model field
                continue
            limit = limits.text_limit(field) if field.concrete else None
            if limit is None or limit < limits.SHORT_CODE or field.choices:
                continue
            prop = properties[name]
            shown = prop.get("maxLength") or next((p["maxLength"] for p in prop.get("anyOf", ()) if "maxLength" in p),
                                                  None)
            assert shown is not None and shown <= limit, (resource.path, name, prop)
            checked += 1
    assert checked > 40


def test_long_description_over_twenty_thousand_characters_is_refused_by_the_api(editor_api):
    response = editor_api.post_json("/api/components", {"name": "Tool", "description": "x" * 20_001})
    assert response.status_code == 422
    assert {"field": "description",
            "message": "Description is too long: at most 20,000 characters."} in response.json()["errors"]
    assert not Component.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_component_renewal_date_outside_the_window_422_names_the_field(day, editor_api):
    response = editor_api.post_json("/api/components", {"name": "Tool", "renewal_date": day})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "renewal_date"
    assert error["message"].startswith("Renewal date must be between 1 January 2000 and 31 December 2100; ")
    assert not Component.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="component").exists()


def test_window_edges_are_allowed(editor_api):
    for day in ("2000-01-01", "2100-12-31"):
        response = editor_api.post_json("/api/components", {"name": f"Tool {day}", "renewal_date": day})
        assert response.status_code == 201, response.json()


@pytest.mark.parametrize(("make", "field", "value", "label"), [
    (RequestFactory, "needed_by", datetime.date(9999, 12, 31), "Needed by"),
    (ChangeRequestFactory, "window_start", datetime.datetime(1999, 6, 1, 10, tzinfo=datetime.UTC), "Window start"),
    (ContractFactory, "end_date", datetime.date(1, 1, 1), "End date"),
], ids=["request needed by 9999", "change window 1999", "contract renewal in year 1"])
def test_services_refuse_dates_outside_the_window_naming_the_field(make, field, value, label, admin_user):
    obj = make()
    with pytest.raises(ValidationError) as caught:
        object_update(obj, actor=admin_user, data={field: value}, expected_version=obj.version)
    assert caught.value.message_dict[field][0].startswith(f"{label} must be between 1 January 2000 and 31 December "
                                                          "2100; ")
    obj.refresh_from_db()
    assert getattr(obj, field) != value and obj.version == 1
    assert not AuditEntry.objects.filter(action="update").exists()


def test_service_create_names_every_field_over_its_limit_at_once(editor):
    with pytest.raises(ValidationError) as caught:
        object_create(Component, actor=editor, data={"name": "n" * 151, "slug": "ok", "description": "d" * 20_001,
                                                     "renewal_date": datetime.date(1999, 1, 1)})
    assert set(caught.value.message_dict) == {"name", "description", "renewal_date"}
    assert caught.value.message_dict["name"] == ["Name is too long: at most 150 characters (it has 151)."]
    assert not Component.objects.exists()


def test_component_form_shows_the_limits_next_to_the_fields_and_writes_nothing(editor_client):
    from stacksteward.catalog.tests.test_views import component_form_data

    page = editor_client.get(reverse("catalog:component_add")).content.decode()
    assert re.search(r'name="name"[^>]*maxlength="150"', page)
    assert re.search(r'name="description"[^>]*maxlength="20000"', page)
    assert re.search(r'name="renewal_date"[^>]*min="2000-01-01"', page) or \
        re.search(r'min="2000-01-01"[^>]*name="renewal_date"', page)

    response = editor_client.post(reverse("catalog:component_add"), component_form_data(
        name="n" * 151, renewal_date="9999-12-31"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Too long: at most 150 characters (it has 151)." in content
    assert "Must be between 1 January 2000 and 31 December 2100; 31 December 9999 is outside that range." in content
    assert not Component.objects.exists()


def test_stack_file_with_a_too_long_name_and_a_far_date_names_line_and_field_nothing_written():
    content = ("apiVersion: stacksteward/v1\nkind: Stack\ncomponents:\n"
               f"  - slug: crm\n    name: {'N' * 151}\n"
               "  - slug: mailer\n    name: Mailer\n    renewal_date: 9999-12-31\n").encode()

    report = import_file("stack.yaml", content, actor=limits_actor(), dry_run=False)

    errors = [str(e) for e in report.errors]
    assert any(e.startswith('stack.yaml line 5, field "name": ') and
               e.endswith("Name is too long: at most 150 characters (it has 151).") for e in errors), errors
    assert any(e.startswith('stack.yaml line 8, field "renewal_date": ') and
               "31 December 9999 is outside that range." in e for e in errors), errors
    assert not Component.objects.exists() and not AuditEntry.objects.exists()


def limits_actor():
    from stacksteward.core.actors import SystemActor

    return SystemActor("test")


# Control characters -----------------------------------------------------------------------------


@pytest.mark.parametrize("resource", NAMED, ids=[r.path for r in NAMED])
def test_create_with_a_nul_in_the_name_422_names_the_field_nothing_written(resource, admin_user, api_as):
    field, _limit = _named_text_field(resource)
    api = api_as(admin_user)
    before, audited = resource.model.objects.count(), AuditEntry.objects.count()

    response = api.post_json(_collection(resource), {field: "Mail\x00er"})

    assert response.status_code == 422, response.json()
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages[field] == f"{field.capitalize()} contains a control character (U+0000); remove it.", messages
    assert resource.model.objects.count() == before
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"name": "Tool\x01"}, "name", "Name contains a control character (U+0001); remove it."),
    ({"name": "Tool\nTwo"}, "name", "Name contains a line break (U+000A); keep it on one line."),
    ({"name": "Tool", "description": "Bell\x07"}, "description",
     "Description contains a control character (U+0007); remove it."),
    ({"name": "Tool", "description": "Escape\x1b[31m"}, "description",
     "Description contains a control character (U+001B); remove it."),
], ids=["SOH in a name", "line break in a name", "BEL in a description", "ESC in a description"])
def test_api_refuses_control_characters_naming_the_field(body, field, message, editor_api):
    response = editor_api.post_json("/api/components", body)

    assert response.status_code == 422, response.json()
    assert {"field": field, "message": message} in response.json()["errors"]
    assert not Component.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="component").exists()


def test_tabs_and_line_breaks_in_a_long_text_and_a_tab_in_a_name_are_kept(editor_api):
    description = "First line\r\nSecond\tline\n\n- item"
    response = editor_api.post_json("/api/components", {"name": "Mail\ter", "description": description})

    assert response.status_code == 201, response.json()
    component = Component.objects.get()
    assert component.name == "Mail\ter" and component.description == description


def test_services_refuse_a_nul_on_update_and_keep_the_row(editor, admin_user):
    component = object_create(Component, actor=admin_user, data={"name": "Mailer", "slug": "mailer"})
    with pytest.raises(ValidationError) as caught:
        object_update(component, actor=admin_user, data={"description": "a\x00b"}, expected_version=component.version)
    assert caught.value.message_dict == {"description": ["Description contains a control character (U+0000); "
                                                         "remove it."]}
    component.refresh_from_db()
    assert component.description == "" and component.version == 1


def test_component_form_names_the_field_with_a_control_character_and_writes_nothing(editor_client):
    from stacksteward.catalog.tests.test_views import component_form_data

    response = editor_client.post(reverse("catalog:component_add"), component_form_data(
        name="Mail\x00er", description="Ring\x07"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Contains a control character (U+0000); remove it." in content
    assert "Contains a control character (U+0007); remove it." in content
    assert "Null characters are not allowed" not in content
    assert not Component.objects.exists()


def test_component_form_keeps_line_breaks_and_tabs_in_the_description(editor_client):
    from stacksteward.catalog.tests.test_views import component_form_data

    response = editor_client.post(reverse("catalog:component_add"), component_form_data(
        name="Mailer", description="First\r\n\tindented\nlast"))

    assert response.status_code == 302
    assert Component.objects.get().description == "First\r\n\tindented\nlast"


def test_stack_file_with_a_control_character_names_line_and_field_nothing_written():
    content = (b"apiVersion: stacksteward/v1\nkind: Stack\ncomponents:\n"
               b'  - slug: crm\n    name: "C\\x01RM"\n'
               b'  - slug: mailer\n    name: Mailer\n    description: "Ring\\0"\n')

    report = import_file("stack.yaml", content, actor=limits_actor(), dry_run=False)

    errors = [str(e) for e in report.errors]
    assert any(e.startswith('stack.yaml line 5, field "name": ') and
               e.endswith("Name contains a control character (U+0001); remove it.") for e in errors), errors
    assert any(e.startswith('stack.yaml line 8, field "description": ') and
               e.endswith("Description contains a control character (U+0000); remove it.") for e in errors), errors
    assert not Component.objects.exists() and not AuditEntry.objects.exists()
