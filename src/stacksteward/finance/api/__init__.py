"""API for finance ("money and value"): contracts and their renewal decisions and documents, tool selections
with candidates, criteria, scores, scorecards and the decision; objectives and success factors, KPIs and
their measurements, cost entries, budgets, value scores and investments (cost, value, ROI).

The CRUD routes are built from the declarations in ``finance.resources``; the modules here keep what is not
CRUD, one per sub-domain: ``contracts`` (renewals due, the renewal decision), ``selections`` (scores, the
scorecard, the decision) and ``value`` (KPI measurements, value scores, investments). Handlers parse,
fetch-and-authorize, resolve natural keys and call ``finance.services``; every rule lives there and in
``finance.policies``. Contract money (annual value, payment terms) and component costs are shown only to
those the money field groups of ``finance.policies`` let see them; everyone else gets null and
``values_hidden: true``.
"""

from ninja import Router

from . import contracts, selections, value

router = Router(tags=["finance"])
for part in (contracts, selections, value):
    router.add_router("", part.router)
