"""Fixtures shared by every test: users per role, signed-in clients, an API token client."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from stacksteward.catalog import graph
from stacksteward.core.roles import set_role
from stacksteward.org.services import token_create
from stacksteward.org.tests.factories import UserFactory

PASSWORD = "pass-word-123"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_graph_cache():
    graph.clear_cache()
    yield
    graph.clear_cache()


@pytest.fixture(scope="module")
def demo_company(django_db_setup, django_db_blocker):
    """The demo company, loaded once for a module (it takes seconds) inside a transaction that is rolled back when
    the module ends. Ask for it together with ``db``: each test then runs in a savepoint inside it, so one test's
    writes never reach the next. Modules that use it should hold only tests that want the demo loaded."""
    from stacksteward import demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo.load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            graph.clear_cache()


def _user(username, role):
    user = UserFactory(username=username, first_name=username.capitalize())
    set_role(user, role)
    return user


@pytest.fixture
def viewer(db):
    return _user("viewer", "viewer")


@pytest.fixture
def editor(db):
    return _user("editor", "editor")


@pytest.fixture
def admin_user(db):
    return _user("admin", "admin")


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


class TokenClient(Client):
    """A test client that sends ``Authorization: Bearer <key>`` and JSON bodies."""

    def __init__(self, key, **kwargs):
        super().__init__(headers={"Authorization": f"Bearer {key}"}, **kwargs)

    def _json(self, method, path, data=None, **kwargs):
        return getattr(super(), method)(path, data=data, content_type="application/json", **kwargs)

    def post_json(self, path, data=None, **kwargs):
        return self._json("post", path, data, **kwargs)

    def put_json(self, path, data=None, **kwargs):
        return self._json("put", path, data, **kwargs)

    def patch_json(self, path, data=None, **kwargs):
        return self._json("patch", path, data, **kwargs)


@pytest.fixture
def api_as():
    """``api_as(user)`` → a client authenticated by a fresh API token of that user."""

    def make(user):
        _token, key = token_create(actor=user, user=user, name="tests")
        return TokenClient(key)

    return make


@pytest.fixture
def editor_api(editor, api_as):
    return api_as(editor)


@pytest.fixture
def viewer_api(viewer, api_as):
    return api_as(viewer)


@pytest.fixture
def admin_api(admin_user, api_as):
    return api_as(admin_user)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; a fast hasher keeps set-up cheap (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
