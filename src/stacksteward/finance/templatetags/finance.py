"""``{% component_contracts component %}``: a component's contracts with their deadline state (catalog page)."""

from django import template

from stacksteward.finance.models import Contract

register = template.Library()


@register.inclusion_tag("finance/_component_contracts.html", takes_context=True)
def component_contracts(context, component):
    """The contracts covering ``component`` (newest terms first), each with its deadline state and — for those
    who may see it — its value. Three queries whatever the number of contracts."""
    from stacksteward.finance.views.common import HIDDEN_VALUE_NOTE, today
    from stacksteward.finance.views.contracts import mark_contracts

    request = context.get("request")
    user = getattr(request, "user", None)
    contracts = (Contract.objects.restrict(user, "view").filter(components=component).with_list_data()
                 .order_by("-end_date", "-id"))
    rows = mark_contracts(user, contracts[:20], today())
    return {"component": component, "contracts": rows, "hidden_value_note": HIDDEN_VALUE_NOTE,
            "any_hidden": any(not c.shows_money for c in rows), "request": request,
            "can_add": context.get("can_edit")}
