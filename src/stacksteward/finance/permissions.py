"""Who may see money and who may write in finance.

Contract values (annual value, payment terms, seats' prices) are visible to admins, to people in
finance, procurement and legal departments, and to the owners: the contract's business owner,
procurement owner and legal reviewer, and the business and technical owners of the components it
covers. Everyone else sees that a contract exists, its dates and its deadline, not its money.
Writes follow the default roles (editors), checked again in the services.
"""

from django.db.models import Q

from stacksteward.core.choices import RoleChoices
from stacksteward.core.permissions import is_admin  # noqa: F401 (used by the services)
from stacksteward.core.roles import has_role
from stacksteward.org.permissions import is_system, person_of

MONEY_DEPARTMENT_KINDS = frozenset({"finance", "procurement", "legal"})


def sees_all_values(user) -> bool:
    """Admins and finance, procurement and legal people see every contract's values."""
    if is_system(user) or is_admin(user):
        return True
    person = person_of(user)
    return bool(person and person.department_id and person.department.kind in MONEY_DEPARTMENT_KINDS)


def sees_values(user, contract, *, all_values: bool | None = None) -> bool:
    """Whether ``user`` may see this contract's money (its components should be prefetched with their owners)."""
    if all_values if all_values is not None else sees_all_values(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if person.pk in (contract.business_owner_id, contract.procurement_owner_id, contract.legal_reviewer_id):
        return True
    return any(person.pk in (c.business_owner_id, c.technical_owner_id) for c in contract.components.all())


def can_write(user) -> bool:
    return is_system(user) or has_role(user, RoleChoices.EDITOR)


def money_component_ids(user) -> set[int] | None:
    """The components whose money ``user`` sees: None means all of them (two queries at most).

    The same people as ``sees_values``: the components' business and technical owners and
    the owners of the contracts covering them; finance, procurement, legal and admins see every one.
    """
    if sees_all_values(user):
        return None
    person = person_of(user)
    if person is None:
        return set()
    from stacksteward.catalog.models import Component

    from .models import Contract

    owned = set(Component.objects.filter(Q(business_owner=person) | Q(technical_owner=person))
                .values_list("pk", flat=True))
    owned |= set(Contract.objects.filter(Q(business_owner=person) | Q(procurement_owner=person)
                                         | Q(legal_reviewer=person), components__isnull=False)
                 .values_list("components", flat=True))
    return owned
