"""Shortcuts over ``finance.policies`` (the one declaration of who sees money and who writes).

Nothing here decides on its own: each name asks the policies' money field groups.
"""

from .policies import CONTRACTS, MONEY_DEPARTMENT_KINDS, money_component_ids, sees_all_money

__all__ = ["MONEY_DEPARTMENT_KINDS", "money_component_ids", "sees_all_values", "sees_values"]


def sees_all_values(actor) -> bool:
    """Admins and finance, procurement and legal people (and system actors) see every contract's values."""
    return sees_all_money(actor)


def sees_values(actor, contract, *, all_values: bool | None = None) -> bool:
    """Whether ``actor`` may see this contract's money (its components should be prefetched)."""
    if all_values:
        return True
    return CONTRACTS.shows(actor, "money", contract)
