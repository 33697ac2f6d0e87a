"""Who may do what in the catalog: everyone signed in reads the stack; editors (and admins) write it.

A component's cost per year is money (``core.policies.money_group``): read by who sees all money and by the
component's business and technical owners, like the contracts and costs of the component — everyone else
sees "hidden" on every page, null in the API, nothing in exports and audit entries, and cannot sort by it.
"""

from django.db.models import Q

from stacksteward.core.policies import Policy, Rule, money_group, register

COMPONENT_MONEY_FIELDS = ("annual_cost",)


def component_owner(through: str = "") -> Rule:
    """The actor is the business or technical owner of the component: the row itself (``through`` empty) or
    the row's ``through`` foreign key (a cost entry's or budget's ``component``; a row without one: nobody)."""

    def test(who, obj):
        if obj is None:
            return who.person_id is not None
        component = getattr(obj, through) if through else obj
        return (who.person_id is not None and component is not None
                and who.person_id in (component.business_owner_id, component.technical_owner_id))

    def q(who):
        if who.person_id is None:
            return False
        prefix = f"{through}__" if through else ""
        return Q(**{f"{prefix}business_owner_id": who.person_id}) | Q(**{f"{prefix}technical_owner_id": who.person_id})

    return Rule("owner of the component", test, q)


COMPONENT_OWNER = component_owner()
COMPONENT_MONEY = money_group(COMPONENT_MONEY_FIELDS, owner=COMPONENT_OWNER, label="the cost per year")

DATA_CATEGORIES = register(Policy("catalog.datacategory"))
CATEGORIES = register(Policy("catalog.category"))
VENDORS = register(Policy("catalog.vendor"))
COMPONENTS = register(Policy("catalog.component", fields={"money": COMPONENT_MONEY}))
RELATIONS = register(Policy("catalog.relation"))
RACI_ASSIGNMENTS = register(Policy("catalog.raciassignment"))
