"""Who may see money and who may write in finance.

Contract values (annual value, payment terms, seats' prices) are visible to admins, to people in
finance, procurement and legal departments, and to the owners: the contract's business owner,
procurement owner and legal reviewer, and the business and technical owners of the components it
covers. Everyone else sees that a contract exists, its dates and its deadline, not its money.
The audit log keeps every old and new value: money entries only for those who see all money.
"""

from stacksteward.core.policies import ADMIN, Policy, Rule, in_department_kind, register

MONEY_DEPARTMENT_KINDS = frozenset({"finance", "procurement", "legal"})
SEES_ALL_MONEY = ADMIN | in_department_kind(*MONEY_DEPARTMENT_KINDS)


def _contract_owner(who, contract) -> bool:
    if contract is None or who.person_id is None:
        return False
    person = who.person_id
    if person in (contract.business_owner_id, contract.procurement_owner_id, contract.legal_reviewer_id):
        return True
    return any(person in (c.business_owner_id, c.technical_owner_id) for c in contract.components.all())


CONTRACT_OWNER = Rule("owner of the contract or of a component it covers", _contract_owner, lambda who: False)

CONTRACTS = register(Policy("finance.contract", audit=SEES_ALL_MONEY))
COSTS = register(Policy("finance.costentry", audit=SEES_ALL_MONEY))
BUDGETS = register(Policy("finance.budget", audit=SEES_ALL_MONEY))
