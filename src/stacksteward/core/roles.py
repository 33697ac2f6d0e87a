"""Roles are Django groups: viewer (read), editor (write), admin (users, tokens, settings).

Every signed-in user can read; the editor group grants writes; the admin group (or a
superuser) grants everything. Department- and row-scoped rules are added on top in each app's
``policies.py``. A user's role is read by :func:`core.actors.facts` (once per user object).
"""

from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .actors import facts, forget_facts
from .choices import RoleChoices


def role_of(user) -> str | None:
    """The user's highest role, or None for anonymous and inactive users and system actors."""
    return facts(user).role


def has_role(user, role: str) -> bool:
    return facts(user).at_least(role)


def set_role(user, role: str) -> None:
    """Put the user in exactly one role group."""
    role = RoleChoices(role)
    groups = {g.name: g for g in Group.objects.filter(name__in=RoleChoices.values)}
    missing = [name for name in RoleChoices.values if name not in groups]
    for name in missing:
        groups[name] = Group.objects.create(name=name)
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    forget_facts(user)


@receiver(post_migrate)
def _create_role_groups(sender, app_config=None, **kwargs):
    if app_config is None or app_config.label != "core":
        return
    for name in RoleChoices.values:
        Group.objects.get_or_create(name=name)
