"""A small stack with owners on both sides, and editors in IT, Marketing and Legal."""

import pytest

from stacksteward.catalog.models import DataCategory
from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory, RelationFactory
from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory


def _member(username, role, department):
    user = UserFactory(username=username, first_name=username.capitalize())
    set_role(user, role)
    PersonFactory(name=username.capitalize(), department=department, user=user, email=f"{username}@example.com")
    return user


@pytest.fixture
def departments(db):
    return {
        "it": DepartmentFactory(name="IT", slug="it", kind="it"),
        "marketing": DepartmentFactory(name="Marketing", slug="marketing", kind="marketing"),
        "legal": DepartmentFactory(name="Legal", slug="legal", kind="legal"),
    }


@pytest.fixture
def people(departments):
    return {
        "ivan": _member("ivan", "editor", departments["it"]),
        "maria": _member("maria", "editor", departments["marketing"]),
        "lena": _member("lena", "editor", departments["legal"]),
        "vic": _member("vic", "viewer", departments["marketing"]),
    }


@pytest.fixture
def stack(departments, people):
    """CRM → marketing automation → web forms, carrying contact data; Marketing is Accountable for the CRM's
    configuration; Vic (Marketing) owns the web forms."""
    crm = ComponentFactory(name="CRM", slug="crm", tier=2, business_owner=people["maria"].person,
                           technical_owner=people["ivan"].person)
    automation = ComponentFactory(name="Marketing automation", slug="automation", tier=2,
                                  business_owner=people["maria"].person, technical_owner=people["ivan"].person)
    forms = ComponentFactory(name="Web forms", slug="web-forms", tier=3, business_owner=people["vic"].person,
                             technical_owner=None)
    contact = DataCategory.objects.filter(is_personal=True).first()
    RelationFactory(source=crm, target=automation).data_categories.set([contact])
    RelationFactory(source=forms, target=crm, type="depends_on")
    RaciAssignmentFactory(component=crm, activity="configuration", role="A", person=None,
                          department=departments["marketing"])
    return {"crm": crm, "automation": automation, "forms": forms}
