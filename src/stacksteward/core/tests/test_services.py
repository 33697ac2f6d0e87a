import pytest
from django.core.exceptions import ValidationError

from stacksteward.catalog.models import Component, Vendor
from stacksteward.catalog.services import component_create, component_update, vendor_delete
from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.audit import history_for
from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.models import AuditEntry
from stacksteward.core.services import validation_messages

pytestmark = pytest.mark.django_db


def test_create_valid_component_writes_audit_entry_with_after_snapshot(editor):
    vendor = VendorFactory(name="Acme")
    component = component_create(actor=editor, data={"name": "Acme CRM", "vendor": vendor, "tags": ["crm", "core"]},
                                  source="api")
    entry = AuditEntry.objects.get(content_type__model="component")
    assert entry.action == "create"
    assert entry.actor == editor
    assert entry.source == "api"
    assert entry.before is None
    assert entry.after["name"] == "Acme CRM"
    assert entry.after["vendor"] == "Acme"
    assert entry.after["tags"] == ["core", "crm"]
    assert component.slug == "acme-crm"
    assert component.version == 1


def test_update_with_current_version_bumps_version_and_records_before_after(editor):
    component = ComponentFactory(name="Old name")
    updated = component_update(component, actor=editor, data={"name": "New name"}, expected_version=1)
    assert updated.version == 2
    assert Component.objects.get(pk=component.pk).version == 2
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before["name"] == "Old name"
    assert entry.after["name"] == "New name"
    assert ("name", "Old name", "New name") in entry.changes


def test_update_with_stale_version_is_refused_and_writes_nothing(editor):
    component = ComponentFactory(name="Original")
    component_update(component, actor=editor, data={"name": "First edit"}, expected_version=1)
    with pytest.raises(StaleVersionError) as excinfo:
        component_update(component, actor=editor, data={"name": "Second edit"}, expected_version=1)
    assert excinfo.value.current_version == 2
    assert "changed by someone else" in excinfo.value.message
    assert Component.objects.get(pk=component.pk).name == "First edit"
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_update_that_changes_nothing_keeps_version_and_writes_no_audit(editor):
    component = ComponentFactory(name="Same")
    result = component_update(component, actor=editor, data={"name": "Same"}, expected_version=1)
    assert result.version == 1
    assert not AuditEntry.objects.exists()


def test_update_invalid_value_raises_field_error_and_writes_nothing(editor):
    component = ComponentFactory(seats_purchased=10)
    with pytest.raises(ValidationError) as excinfo:
        component_update(component, actor=editor, data={"seats_used": 11}, expected_version=1)
    messages = validation_messages(excinfo.value)
    assert messages[0]["field"] == "seats_used"
    assert "cannot exceed" in messages[0]["message"]
    fresh = Component.objects.get(pk=component.pk)
    assert fresh.seats_used is None and fresh.version == 1
    assert not AuditEntry.objects.exists()


def test_create_bad_currency_names_the_field(editor):
    with pytest.raises(ValidationError) as excinfo:
        component_create(actor=editor, data={"name": "X", "currency": "dollars"})
    assert "currency" in excinfo.value.message_dict
    assert not Component.objects.exists()


def test_delete_protected_vendor_refused_with_message_and_no_audit(editor):
    vendor = VendorFactory(name="Busy Vendor")
    ComponentFactory(name="Uses it", vendor=vendor)
    with pytest.raises(ValidationError) as excinfo:
        vendor_delete(vendor, actor=editor)
    assert "Uses it" in excinfo.value.messages[0]
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_delete_records_before_snapshot(editor):
    vendor = VendorFactory(name="Gone Vendor")
    vendor_delete(vendor, actor=editor, expected_version=1)
    entry = AuditEntry.objects.get(action="delete")
    assert entry.before["name"] == "Gone Vendor"
    assert entry.after is None


def test_delete_with_stale_version_refused(editor):
    vendor = VendorFactory()
    with pytest.raises(StaleVersionError):
        vendor_delete(vendor, actor=editor, expected_version=7)
    assert Vendor.objects.filter(pk=vendor.pk).exists()


def test_history_for_component_includes_related_relation_entries(editor):
    from stacksteward.catalog.services import relation_create

    a, b = ComponentFactory(), ComponentFactory()
    relation_create(actor=editor, data={"source": a, "target": b, "type": "data_flow"})
    assert [e.content_type.model for e in history_for(a)] == ["relation"]


def test_actor_name_is_frozen_at_write_time(editor):
    component_create(actor=editor, data={"name": "Frozen"})
    editor.first_name = "Renamed"
    editor.save()
    assert AuditEntry.objects.get().actor_name == "Editor"


def test_string_actor_is_recorded_without_user(db):
    component_create(actor=SystemActor.cli(), data={"name": "From CLI"}, source="cli")
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_name == "cli" and entry.source == "cli"


def test_bulk_create_validates_writes_links_and_audits_each_object(editor):
    from stacksteward.catalog.models import DataCategory, Relation
    from stacksteward.core.services import objects_bulk_create

    contact = DataCategory.objects.get(key="user.contact")
    a, b, c = ComponentFactory(name="A"), ComponentFactory(name="B"), ComponentFactory(name="C")
    created = objects_bulk_create(Relation, actor=editor, related_attr="source", rows=[
        {"source": a, "target": b, "type": "data_flow", "data_categories": [contact]},
        {"source": b, "target": c, "type": "depends_on"},
    ])
    assert [r.pk is not None for r in created] == [True, True]
    assert list(Relation.objects.get(source=a).data_categories.all()) == [contact]
    entries = AuditEntry.objects.filter(content_type__model="relation").order_by("id")
    assert [e.after["data_categories"] for e in entries] == [["user.contact"], []]
    assert entries[0].related_object_id == str(a.pk) and entries[0].actor == editor


def test_bulk_create_invalid_row_reports_index_and_writes_nothing(editor):
    from stacksteward.core.services import objects_bulk_create

    with pytest.raises(ValidationError) as excinfo:
        objects_bulk_create(Component, actor=editor, rows=[
            {"name": "Fine", "slug": "fine"},
            {"name": "Bad", "slug": "bad", "tier": 9},
        ])
    assert excinfo.value.row_index == 1
    assert "tier" in excinfo.value.message_dict
    assert not Component.objects.exists() and not AuditEntry.objects.exists()
