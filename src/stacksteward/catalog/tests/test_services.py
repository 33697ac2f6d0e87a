import pytest
from django.core.exceptions import ValidationError

from stacksteward.catalog.models import Category, RaciAssignment, Relation
from stacksteward.catalog.services import (
    category_create,
    category_update,
    component_create,
    raci_create,
    raci_set_matrix,
    relation_create,
)
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_relation_self_loop_refused_with_field(editor):
    c = ComponentFactory()
    with pytest.raises(ValidationError) as excinfo:
        relation_create(actor=editor, data={"source": c, "target": c, "type": "data_flow"})
    assert "target" in excinfo.value.message_dict
    assert not Relation.objects.exists()


def test_duplicate_relation_refused_but_other_type_allowed(editor):
    a, b = ComponentFactory(), ComponentFactory()
    relation_create(actor=editor, data={"source": a, "target": b, "type": "data_flow"})
    with pytest.raises(ValidationError) as excinfo:
        relation_create(actor=editor, data={"source": a, "target": b, "type": "data_flow"})
    assert "already exists" in excinfo.value.message_dict["target"][0]
    relation_create(actor=editor, data={"source": a, "target": b, "type": "depends_on"})
    assert Relation.objects.count() == 2


def test_raci_needs_exactly_one_holder(editor):
    c = ComponentFactory()
    with pytest.raises(ValidationError) as excinfo:
        raci_create(actor=editor, data={"component": c, "activity": "budget", "role": "A"})
    assert "department" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        raci_create(actor=editor, data={"component": c, "activity": "budget", "role": "A",
                                        "department": DepartmentFactory(), "person": PersonFactory()})
    assert not RaciAssignment.objects.exists()


def test_raci_unknown_activity_names_field(editor):
    with pytest.raises(ValidationError) as excinfo:
        raci_create(actor=editor, data={"component": ComponentFactory(), "activity": "dancing", "role": "A",
                                        "department": DepartmentFactory()})
    assert "activity" in excinfo.value.message_dict


def test_raci_set_matrix_adds_and_removes_with_audit(editor):
    c = ComponentFactory()
    marketing, it = DepartmentFactory(name="Marketing"), DepartmentFactory(name="IT")
    raci_set_matrix(c, actor=editor, cells=[("budget", "A", marketing), ("security", "A", it)])
    assert c.raci_assignments.count() == 2
    raci_set_matrix(c, actor=editor, cells=[("budget", "A", marketing), ("budget", "C", it)])
    assert {(a.activity, a.role, a.department.name) for a in c.raci_assignments.all()} == {
        ("budget", "A", "Marketing"), ("budget", "C", "IT")}
    actions = list(AuditEntry.objects.filter(content_type__model="raciassignment").values_list("action", flat=True))
    assert sorted(actions) == ["create", "create", "create", "delete"]
    # every RACI entry names the component as related, so it shows on the component's history
    assert AuditEntry.objects.filter(related_object_id=str(c.pk)).count() == 4


def test_tags_are_created_once_case_insensitively(editor):
    component_create(actor=editor, data={"name": "One", "tags": ["CRM", "core"]})
    component_create(actor=editor, data={"name": "Two", "tags": ["crm"]})
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["CRM", "core"]


def test_component_slug_made_unique(editor):
    first = component_create(actor=editor, data={"name": "Website"})
    second = component_create(actor=editor, data={"name": "Website"})
    assert (first.slug, second.slug) == ("website", "website-2")


def test_category_only_two_levels(editor):
    group = Category.objects.get(slug="data")
    sub = Category.objects.get(slug="customer-data-platforms")
    with pytest.raises(ValidationError) as excinfo:
        category_create(actor=editor, data={"name": "Too deep", "parent": sub})
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        category_update(group, actor=editor, data={"parent": Category.objects.get(slug="management")},
                        expected_version=group.version)


def test_seeded_taxonomy_has_the_six_landscape_groups():
    groups = set(Category.objects.filter(parent=None).values_list("name", flat=True))
    assert groups == {"Advertising & Promotion", "Content & Experience", "Social & Relationships",
                      "Commerce & Sales", "Data", "Management"}


def test_reserved_slug_refused_and_generated_slugs_avoid_it(editor):
    with pytest.raises(ValidationError) as excinfo:
        component_create(actor=editor, data={"name": "Adder", "slug": "add"})
    assert "reserved" in excinfo.value.message_dict["slug"][0]
    assert component_create(actor=editor, data={"name": "Add"}).slug == "add-2"


def test_new_tags_are_audited_and_rolled_back_with_a_failed_component(editor):
    with pytest.raises(ValidationError):
        component_create(actor=editor, data={"name": "Bad", "currency": "euros", "tags": ["fresh"]})
    assert not Tag.objects.filter(name="fresh").exists()
    component_create(actor=editor, data={"name": "Good", "tags": ["fresh"]})
    assert AuditEntry.objects.filter(content_type__model="tag", action="create", actor=editor).count() == 1
