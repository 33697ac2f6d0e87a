import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.core.models import AuditEntry
from stacksteward.org.models import ApiToken, Person
from stacksteward.org.services import person_create, token_authenticate, token_create, token_revoke, user_create
from stacksteward.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_hash_and_authenticates(viewer):
    token, key = token_create(actor=viewer, user=viewer, name="laptop")
    assert key.startswith("sst_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.key_hint)
    assert stored.key_hash == ApiToken.hash_key(key)
    assert token_authenticate(key) == viewer
    assert token_authenticate(key + "x") is None
    entry = AuditEntry.objects.get(object_id=str(token.pk), content_type__model="apitoken")
    assert key not in str(entry.after)


def test_revoked_token_no_longer_authenticates(viewer):
    token, key = token_create(actor=viewer, user=viewer)
    token_revoke(token, actor=viewer)
    assert token_authenticate(key) is None


def test_token_for_other_user_requires_admin(viewer, admin_user):
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        token_create(actor=viewer, user=other)
    token, _ = token_create(actor=admin_user, user=other)
    assert token.user == other


def test_token_of_inactive_user_does_not_authenticate(viewer):
    _, key = token_create(actor=viewer, user=viewer)
    viewer.is_active = False
    viewer.save()
    assert token_authenticate(key) is None


def test_person_email_unique_case_insensitive(editor):
    PersonFactory(email="ana@example.com")
    with pytest.raises(ValidationError) as excinfo:
        person_create(actor=editor, data={"name": "Other Ana", "email": "ANA@example.com"})
    assert "email" in excinfo.value.message_dict
    assert Person.objects.count() == 1


def test_person_can_exist_without_login(editor):
    person = person_create(actor=editor, data={"name": "No Login"})
    assert person.user is None


def test_user_create_duplicate_username_names_field(admin_user):
    user_create(actor=admin_user, username="dana", password="a-long-password-1", role="editor")
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=admin_user, username="DANA", password="x", role="viewer")
    assert "username" in excinfo.value.message_dict


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_token_authenticate_brings_the_role_in_one_query(role, django_assert_num_queries):
    from stacksteward.core.roles import role_of, set_role

    user = UserFactory()
    set_role(user, role)
    _, key = token_create(actor=user, user=user)
    with django_assert_num_queries(2):  # the token with user and role, and the last-use stamp
        authenticated = token_authenticate(key)
        assert role_of(authenticated) == role
