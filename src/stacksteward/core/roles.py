"""Roles are Django groups: viewer (read), editor (write), admin (users, tokens, settings).

Every signed-in user can read; the editor group grants writes; the admin group (or a
superuser) grants everything. Department-scoped rules are added on top in each app's
``permissions.py``.
"""

from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .choices import RoleChoices

_RANK = {None: 0, RoleChoices.VIEWER: 1, RoleChoices.EDITOR: 2, RoleChoices.ADMIN: 3}


def role_of(user) -> str | None:
    """The user's highest role, cached on the user object (one query per request at most)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_steward_role", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        role = RoleChoices.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = RoleChoices.VIEWER
        for candidate in (RoleChoices.ADMIN, RoleChoices.EDITOR):
            if candidate.value in names:
                role = candidate
                break
    user._steward_role = str(role)
    return str(role)


def has_role(user, role: str) -> bool:
    return _RANK[role_of(user)] >= _RANK[RoleChoices(role)]


def set_role(user, role: str) -> None:
    """Put the user in exactly one role group."""
    role = RoleChoices(role)
    groups = {g.name: g for g in Group.objects.filter(name__in=RoleChoices.values)}
    missing = [name for name in RoleChoices.values if name not in groups]
    for name in missing:
        groups[name] = Group.objects.create(name=name)
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    user.__dict__.pop("_steward_role", None)


@receiver(post_migrate)
def _create_role_groups(sender, app_config=None, **kwargs):
    if app_config is None or app_config.label != "core":
        return
    for name in RoleChoices.values:
        Group.objects.get_or_create(name=name)
