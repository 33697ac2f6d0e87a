"""Who may see money and who may write in finance — declared once, asked everywhere.

**Money is one field group per model**, each built by the one money rule (``core.policies.money_group``:
read by ``SEES_ALL_MONEY`` and by the model's owners):

* a contract's money (``CONTRACT_MONEY_FIELDS``: annual value and payment terms) is read by those who see
  all money (admins, people in finance, procurement and legal departments) and by the contract's owners:
  its business owner, procurement owner and legal reviewer, and the business and technical owners of
  the components it covers (``CONTRACT_OWNER``);
* a component's money — its cost entries' amounts and hours, its yearly costs, ROI and cost per unit,
  the actual spend a budget is compared with — is read by those who see all money and by the component's
  business and technical owners (``COMPONENT_OWNER``). A component's costs add up every contract covering
  it, so its owners are exactly the people who see each of those contracts' values (they own a
  component the contract covers): nothing shown as a total is hidden as a single value elsewhere. The
  component's own cost per year (``catalog.policies.COMPONENT_MONEY``) is read by the same people;
* a budget's planned amount (``BUDGET_MONEY_FIELDS``): a component's budget by who sees all money and the
  component's owners, a category's budget by who sees all money.

Everyone else sees that a contract exists, its dates and its deadline, not its money. Every output —
pages, API answers (``values_hidden``), stack-as-code exports, the renewal brief and its PDF, charts and
the audit log — asks these declarations (``CONTRACTS.shows(actor, "money", contract)``,
``money_rows``/``sees_all_money`` below); ``finance.permissions`` only derives shortcuts from them.

Writing money: a new contract's value is entered by whoever records the contract (an editor; it is
required); an existing contract's value and payment terms only by an editor who reads them. Costs are
recorded by editors who read the component's money. The audit log keeps every old and new value: the
entries of contracts, costs and budgets only for those who see all money.
"""

from django.db.models import Q

from stacksteward.catalog.policies import component_owner
from stacksteward.core.actors import facts
from stacksteward.core.policies import (
    ADMIN,
    EDITOR,
    MONEY_DEPARTMENT_KINDS,
    NOBODY,
    SEES_ALL_MONEY,
    SIGNED_IN,
    Policy,
    money_group,
    register,
    row_rule,
)

CONTRACT_MONEY_FIELDS = ("annual_value", "payment_terms")
COST_MONEY_FIELDS = ("amount", "hours")
BUDGET_MONEY_FIELDS = ("amount",)


def _component_owner_q(person_id: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}business_owner_id": person_id}) | Q(**{f"{prefix}technical_owner_id": person_id})


def _contract_owner_q(who) -> Q | bool:
    if who.person_id is None:
        return False
    from .models import Contract

    person = who.person_id
    covering = Contract.components.through.objects.filter(
        _component_owner_q(person, "component__")).values("contract_id")
    # The covered components' owners through a subquery: one row per contract (no join duplicates).
    return (Q(business_owner_id=person) | Q(procurement_owner_id=person) | Q(legal_reviewer_id=person)
            | Q(pk__in=covering))


@row_rule("owner of the contract or of a component it covers", q=_contract_owner_q)
def CONTRACT_OWNER(who, contract) -> bool:
    """The contract's components should be prefetched (with their owners' ids) to answer without queries."""
    person = who.person_id
    if person is None:
        return False
    if person in (contract.business_owner_id, contract.procurement_owner_id, contract.legal_reviewer_id):
        return True
    return any(person in (c.business_owner_id, c.technical_owner_id) for c in contract.components.all())


# On rows with a ``component`` (cost entries, budgets): its business or technical owner (a category's budget: nobody).
COMPONENT_OWNER = component_owner("component")

# Every money group is the one money rule (``core.policies.money_group``) with its model's owners.
CONTRACT_MONEY = money_group(CONTRACT_MONEY_FIELDS, owner=CONTRACT_OWNER, label="the value and payment terms")
# A new cost entry's component is checked by ``services.cost_money_require`` (the read rule on the row to be;
# imports of money need all money, ``stackcode.importer``); an existing entry's by the change rule below.
COST_MONEY = money_group(COST_MONEY_FIELDS, owner=COMPONENT_OWNER, label="the amount and hours")
# A budget's planned amount: a component's budget is its owners' money; a category's only all money's.
BUDGET_MONEY = money_group(BUDGET_MONEY_FIELDS, owner=COMPONENT_OWNER, label="the planned amount")

# Contracts: editors record and change them (the money group decides who touches their value); the renewal
# decision is an editor's step; rolling terms forward and marking them renewing is the daily job's alone.
CONTRACTS = register(Policy(
    "finance.contract", fields={"money": CONTRACT_MONEY}, audit=SEES_ALL_MONEY,
    steps={"decide": EDITOR, "roll_forward": NOBODY, "mark_renewing": NOBODY},
))
RENEWAL_DECISIONS = register(Policy("finance.renewaldecision", change=NOBODY, delete=NOBODY))
CONTRACT_DOCUMENTS = register(Policy("finance.contractdocument"))
# Reminders are written by the daily job only (system actors pass every rule).
CONTRACT_REMINDERS = register(Policy("finance.contractreminder", add=NOBODY, change=NOBODY, delete=NOBODY))

SELECTIONS = register(Policy("finance.selection", steps={"decide": EDITOR}))
SELECTION_CANDIDATES = register(Policy("finance.selectioncandidate"))
CRITERIA = register(Policy("finance.criterion"))
# Reviewers score their own department's criteria (the service checks whose score it is; admins name anyone).
SCORES = register(Policy("finance.score", actions={"score_for_anyone": ADMIN}))

OBJECTIVES = register(Policy("finance.objective"))
SUCCESS_FACTORS = register(Policy("finance.successfactor"))
KPIS = register(Policy("finance.kpi"))
MEASUREMENTS = register(Policy("finance.measurement"))
# A cost entry is its money: changed and deleted only by editors who read it; a new one is checked against its
# component by the service (``cost_money_require``), the same rule on the row to be.
COST_WRITER = EDITOR & (SEES_ALL_MONEY | COMPONENT_OWNER)
COSTS = register(Policy("finance.costentry", change=COST_WRITER, delete=COST_WRITER, fields={"money": COST_MONEY},
                        audit=SEES_ALL_MONEY))
BUDGETS = register(Policy("finance.budget", fields={"money": BUDGET_MONEY}, audit=SEES_ALL_MONEY))
# A tool's value is scored by its business owner (the service checks it is theirs; admins for anyone).
VALUE_SCORES = register(Policy("finance.valuescore", actions={"score_for_anyone": ADMIN}))


# Derived answers (every output asks these, never its own rule) -------------------------------------

def money_q(actor, policy: Policy = CONTRACTS) -> Q | bool:
    """The rows of ``policy``'s model whose money ``actor`` reads: True (all), False (none) or a filter."""
    return policy.shows_q(actor, "money")


def sees_all_money(actor) -> bool:
    """Whether ``actor`` reads every contract's and component's money (exports, charts of the whole stack)."""
    return money_q(actor) is True


def money_rows(actor, queryset, policy: Policy = CONTRACTS):
    """The rows of ``queryset`` whose money ``actor`` reads (one query, however many rows)."""
    found = money_q(actor, policy)
    if found is True:
        return queryset
    if found is False:
        return queryset.none()
    return queryset.filter(found)


def money_component_ids(actor) -> set[int] | None:
    """The components whose money (costs, ROI, actual spend) ``actor`` reads: None means all (one query)."""
    found = money_q(actor, COSTS)
    if found is True:
        return None
    if found is False:
        return set()
    from stacksteward.catalog.models import Component

    who = facts(actor)
    return set(Component.objects.filter(_component_owner_q(who.person_id)).values_list("pk", flat=True))


__all__ = [
    "BUDGETS", "BUDGET_MONEY_FIELDS", "COMPONENT_OWNER", "CONTRACTS", "CONTRACT_MONEY_FIELDS", "CONTRACT_OWNER",
    "COSTS", "COST_MONEY_FIELDS", "MONEY_DEPARTMENT_KINDS", "SEES_ALL_MONEY", "SIGNED_IN", "money_component_ids",
    "money_q", "money_rows", "sees_all_money",
]
