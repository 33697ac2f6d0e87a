"""People with logins on both sides of intake: a marketer who files, IT editors who deliver."""

import pytest
from django.test import Client

from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import CapabilityFactory


def login_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def marketing(db):
    return DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")


@pytest.fixture
def it_department(db):
    return DepartmentFactory(name="IT", slug="it", kind="it")


def _member(username, role, department):
    user = UserFactory(username=username, first_name=username.capitalize())
    set_role(user, role)
    PersonFactory(name=username.capitalize(), department=department, user=user, email=f"{username}@example.com")
    return user


@pytest.fixture
def marketer(marketing):
    """A Marketing viewer: may file requests and ask questions, nothing else."""
    return _member("marketer", "viewer", marketing)


@pytest.fixture
def it_editor(it_department):
    """An IT editor: answers and plans requests delivered by IT."""
    return _member("iteditor", "editor", it_department)


@pytest.fixture
def other_editor(marketing):
    """An editor outside the delivering department."""
    return _member("mkteditor", "editor", marketing)


@pytest.fixture
def capability(it_department):
    return CapabilityFactory(name="New landing page", slug="new-landing-page", department=it_department,
                             lead_time_days=15)


@pytest.fixture
def marketer_client(marketer):
    return login_client(marketer)


@pytest.fixture
def it_editor_client(it_editor):
    return login_client(it_editor)
