import pytest

from stacksteward.catalog.health import catalog_health, summary
from stacksteward.catalog.tests.factories import (
    ComponentFactory,
    RaciAssignmentFactory,
    RelationFactory,
    VendorFactory,
)
from stacksteward.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def kinds_for(slug):
    return {f.kind for f in catalog_health() if f.object_slug == slug}


def test_healthy_component_has_no_findings():
    ComponentFactory(slug="fine")
    assert kinds_for("fine") == set()


def test_missing_owners_are_findings():
    ComponentFactory(slug="orphan", business_owner=None, technical_owner=None)
    assert kinds_for("orphan") == {"missing_business_owner", "missing_technical_owner"}


def test_retired_component_is_not_checked_for_owners():
    ComponentFactory(slug="gone", business_owner=None, lifecycle="retired")
    assert kinds_for("gone") == set()


def test_unavailable_owner_and_shadow_it():
    ComponentFactory(slug="shadow", hosting="shadow_it", business_owner=PersonFactory(available=False))
    assert kinds_for("shadow") == {"shadow_it", "owner_unavailable"}


def test_raci_no_accountable_and_contested():
    component = ComponentFactory(slug="crm")
    RaciAssignmentFactory(component=component, activity="budget", role="A")
    RaciAssignmentFactory(component=component, activity="budget", role="A")
    findings = [f for f in catalog_health() if f.object_slug == "crm"]
    contested = [f for f in findings if f.kind == "contested_accountable"]
    missing = [f for f in findings if f.kind == "no_accountable"]
    assert len(contested) == 1 and "budget" in contested[0].message
    assert len(missing) == 9  # the other nine activities


def test_retired_component_still_depended_on():
    old = ComponentFactory(slug="old-db", lifecycle="retired")
    RelationFactory(source=ComponentFactory(slug="app"), target=old, type="depends_on")
    RelationFactory(source=old, target=ComponentFactory(slug="bi"), type="data_flow")
    findings = [f for f in catalog_health() if f.kind == "retired_still_needed"]
    assert len(findings) == 1
    assert findings[0].object_slug == "old-db"
    assert "app" in findings[0].message.lower() or "Component" in findings[0].message


def test_retired_needed_only_by_retired_is_fine():
    old = ComponentFactory(lifecycle="retired")
    RelationFactory(source=ComponentFactory(lifecycle="retired"), target=old, type="depends_on")
    assert not [f for f in catalog_health() if f.kind == "retired_still_needed"]


def test_defunct_vendor_with_active_components():
    vendor = VendorFactory(slug="dead", status="defunct")
    ComponentFactory(vendor=vendor)
    ComponentFactory(vendor=VendorFactory(slug="dead-unused", status="defunct"), lifecycle="retired")
    findings = [f for f in catalog_health() if f.kind == "defunct_vendor"]
    assert [f.object_slug for f in findings] == ["dead"]
    assert summary(findings) == {"defunct_vendor": 1}


def test_health_query_count_is_constant(django_assert_max_num_queries):
    for _ in range(15):
        c = ComponentFactory(business_owner=None, hosting="shadow_it")
        RaciAssignmentFactory(component=c)
        RelationFactory(source=c, target=ComponentFactory(lifecycle="retired"), type="depends_on")
    with django_assert_max_num_queries(8):
        findings = catalog_health()
    assert len(findings) > 45
