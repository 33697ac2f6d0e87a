"""Writes for departments, people, user accounts and API tokens (audited, version-checked)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify

from stacksteward.core import audit
from stacksteward.core.actors import is_system, remember_facts
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.permissions import is_admin
from stacksteward.core.policies import USERS
from stacksteward.core.roles import set_role
from stacksteward.core.services import object_create, object_delete, object_update, objects_bulk_create

from .models import ApiToken, Department, Person
from .policies import API_TOKENS, DEPARTMENTS, PEOPLE


def department_create(*, actor, data: dict, source=AuditSourceChoices.UI) -> Department:
    DEPARTMENTS.require(actor, "add")
    data = dict(data)
    if not data.get("slug") and data.get("name"):
        data["slug"] = slugify(data["name"])[:100]
    return object_create(Department, actor=actor, data=data, source=source)


def department_update(department: Department, *, actor, data: dict, expected_version, source=AuditSourceChoices.UI):
    DEPARTMENTS.require(actor, "change", department)
    return object_update(department, actor=actor, data=data, expected_version=expected_version, source=source)


def department_delete(department: Department, *, actor, expected_version=None, source=AuditSourceChoices.UI):
    DEPARTMENTS.require(actor, "delete", department)
    object_delete(department, actor=actor, expected_version=expected_version, source=source)


def person_create(*, actor, data: dict, source=AuditSourceChoices.UI) -> Person:
    PEOPLE.require(actor, "add")
    return object_create(Person, actor=actor, data=data, source=source)


def person_update(person: Person, *, actor, data: dict, expected_version, source=AuditSourceChoices.UI):
    PEOPLE.require(actor, "change", person)
    return object_update(person, actor=actor, data=data, expected_version=expected_version, source=source)


def person_set_time_zone(person: Person, *, actor, time_zone: str, expected_version=None,
                         source=AuditSourceChoices.UI) -> Person:
    """The time zone ``person`` sees dates and times in (empty: the company's): their own choice, or an editor's."""
    PEOPLE.require(actor, "set_time_zone", person)
    return object_update(person, actor=actor, data={"time_zone": (time_zone or "").strip()},
                         expected_version=expected_version, source=source, rule="set_time_zone")


def person_delete(person: Person, *, actor, expected_version=None, source=AuditSourceChoices.UI):
    PEOPLE.require(actor, "delete", person)
    object_delete(person, actor=actor, expected_version=expected_version, source=source)


def department_bulk_create(*, actor, rows: list[dict], source=AuditSourceChoices.IMPORT) -> list[Department]:
    """Many departments at once (imports); the caller guarantees unique names and slugs."""
    DEPARTMENTS.require(actor, "add")
    rows = [{**row, "slug": slugify(row["name"])[:100]} if not row.get("slug") and row.get("name") else row
            for row in rows]
    return objects_bulk_create(Department, actor=actor, rows=rows, source=source)


def person_bulk_create(*, actor, rows: list[dict], source=AuditSourceChoices.IMPORT) -> list[Person]:
    """Many people at once (imports); the caller guarantees unique emails."""
    PEOPLE.require(actor, "add")
    return objects_bulk_create(Person, actor=actor, rows=rows, source=source)


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, role: str = "viewer", email: str = "",
                person: Person | None = None, source=AuditSourceChoices.CLI):
    USERS.require(actor, "add")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    user = User(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    set_role(user, role)
    audit.record(actor=actor, action="create", obj=user, before=None,
                 after={"username": username, "email": email, "role": role}, source=source)
    if person is not None:
        person_update(person, actor=actor, data={"user": user}, expected_version=None, source=source)
    return user


@transaction.atomic
def token_create(*, actor, user, name: str = "", expires_at=None, source=AuditSourceChoices.UI):
    """Create a token for ``user``; returns (token, key). The key is shown once and never stored."""
    API_TOKENS.require(actor, "add")
    if not is_system(actor) and actor.pk != user.pk and not is_admin(actor):
        raise PermissionDenied("Only admins can create tokens for other users.")
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=ApiToken.hash_key(key), key_hint=key[:10], expires_at=expires_at
    )
    audit.record(actor=actor, action="create", obj=token, before=None,
                 after={"user": user.get_username(), "name": token.name, "key_hint": token.key_hint}, source=source)
    return token, key


@transaction.atomic
def token_revoke(token: ApiToken, *, actor, source=AuditSourceChoices.UI) -> ApiToken:
    API_TOKENS.require(actor, "delete", token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="update", obj=token, before={"revoked_at": None},
                     after={"revoked_at": token.revoked_at.isoformat()}, source=source)
    return token


def token_authenticate(key: str):
    """The user owning an active token with this key, or None. Updates last use (at most once a minute)."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    in_group = {  # the role comes with the token in one query (every API call pays this)
        f"in_{name}": Exists(Group.objects.filter(user=OuterRef("user_id"), name=name)) for name in ("admin", "editor")
    }
    token = (ApiToken.objects.active().select_related("user", "user__person", "user__person__department")
             .annotate(**in_group).filter(key_hash=ApiToken.hash_key(key)).first())
    if token is None or not token.user.is_active:
        return None
    user = token.user
    remember_facts(user, role="admin" if user.is_superuser or token.in_admin else
                   "editor" if token.in_editor else "viewer", person=getattr(user, "person", None))
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
