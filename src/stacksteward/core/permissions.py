"""The one place permission checks are decided.

``has_perm(user, action, target)`` answers for a model class or an instance, for the
actions ``view``, ``add``, ``change`` and ``delete``. Apps register extra rules by model
label in their own ``permissions.py``::

    @rule("org.apitoken", "view", "delete")
    def own_tokens(user, action, obj):
        ...

A rule returns True/False to decide, or None to fall through to the default
(view: any signed-in user; writes: editors and admins).
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from .choices import RoleChoices
from .roles import has_role, role_of

ACTIONS = ("view", "add", "change", "delete")
Rule = Callable[[object, str, object | None], bool | None]
_rules: dict[tuple[str, str], list[Rule]] = {}


def rule(model_label: str, *actions: str):
    def register(func: Rule) -> Rule:
        for action in actions or ACTIONS:
            _rules.setdefault((model_label.lower(), action), []).append(func)
        return func

    return register


def _label(target) -> str:
    return target._meta.label_lower


def has_perm(user, action: str, target) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if role_of(user) is None:
        return False
    obj = None if isinstance(target, type) else target
    for func in _rules.get((_label(target), action), []):
        decided = func(user, action, obj)
        if decided is not None:
            return decided
    if action == "view":
        return True
    return has_role(user, RoleChoices.EDITOR)


def require_perm(user, action: str, target) -> None:
    if not has_perm(user, action, target):
        raise PermissionDenied(f"You may not {action} {target._meta.verbose_name}.")


def is_admin(user) -> bool:
    return has_role(user, RoleChoices.ADMIN)


@rule("core.question", "add")
def anyone_asks(user, action, obj):
    """Anyone signed in may ask a question (the service checks they can see what it is about)."""
    return True


@rule("core.answer", "add")
def anyone_answers(user, action, obj):
    return True


@rule("core.notification", "view", "change")
def own_notifications(user, action, obj):
    return True if obj is None else obj.recipient_id == user.pk
