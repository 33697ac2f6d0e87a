import pytest
from django.contrib.auth.models import AnonymousUser

from stacksteward.catalog.models import Component
from stacksteward.core.permissions import has_perm, is_admin
from stacksteward.core.roles import role_of, set_role
from stacksteward.org.models import ApiToken
from stacksteward.org.services import token_create
from stacksteward.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "view", "write", "admin"),
    [("viewer", True, False, False), ("editor", True, True, False), ("admin", True, True, True)],
)
def test_role_grants_expected_actions(role, view, write, admin):
    user = UserFactory()
    set_role(user, role)
    assert has_perm(user, "view", Component) is view
    for action in ("add", "change", "delete"):
        assert has_perm(user, action, Component) is write
    assert is_admin(user) is admin


def test_anonymous_has_no_permission():
    assert has_perm(AnonymousUser(), "view", Component) is False
    assert Component.objects.restrict(AnonymousUser()).query.is_empty()


def test_user_without_group_is_viewer():
    assert role_of(UserFactory()) == "viewer"


def test_inactive_user_has_no_role():
    user = UserFactory(is_active=False)
    assert role_of(user) is None


def test_superuser_is_admin():
    assert role_of(UserFactory(is_superuser=True)) == "admin"


def test_set_role_replaces_previous_role():
    user = UserFactory()
    set_role(user, "admin")
    set_role(user, "viewer")
    assert list(user.groups.values_list("name", flat=True)) == ["viewer"]
    assert role_of(user) == "viewer"


def test_tokens_restricted_to_owner_unless_admin(viewer, admin_user):
    other = UserFactory()
    token_create(actor=other, user=other)
    mine, _ = token_create(actor=viewer, user=viewer)
    assert list(ApiToken.objects.restrict(viewer)) == [mine]
    assert ApiToken.objects.restrict(admin_user).count() == 2
    assert has_perm(viewer, "delete", mine)
    assert not has_perm(viewer, "delete", ApiToken.objects.exclude(pk=mine.pk).get())
