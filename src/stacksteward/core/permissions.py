"""Shortcuts over :mod:`core.policies` for code that asks about a model's plain actions.

``has_perm(actor, "change", obj)`` is ``policy_for(obj).allows(actor, "change", obj)``;
``require_perm`` is ``policy_for(obj).require(...)``. The rules themselves live in each app's
``policies.py``.
"""

from .actors import facts, is_system
from .choices import RoleChoices
from .policies import policy_for


def has_perm(actor, action: str, target) -> bool:
    obj = None if isinstance(target, type) else target
    return policy_for(target).allows(actor, action, obj)


def require_perm(actor, action: str, target) -> None:
    obj = None if isinstance(target, type) else target
    policy_for(target).require(actor, action, obj)


def is_admin(actor) -> bool:
    return is_system(actor) or facts(actor).at_least(RoleChoices.ADMIN)
