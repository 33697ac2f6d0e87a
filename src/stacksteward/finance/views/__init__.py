"""Web pages of finance: contracts and renewals, tool selections, objectives and KPIs, budget and investments."""

from .contracts import (
    ContractDeleteView,
    ContractDetailView,
    ContractFormView,
    ContractListFilterSet,
    ContractListView,
    contract_decide,
    contract_document_add,
    contract_document_delete,
)
from .selections import (
    SelectionDetailView,
    SelectionListView,
    candidate_add,
    candidate_delete,
    criterion_add,
    criterion_delete,
    selection_decide,
    selection_scores,
)
from .value import (
    BudgetDeleteView,
    BudgetFormView,
    CostEntryFormView,
    KpiDetailView,
    KpiListView,
    ObjectiveDetailView,
    ObjectiveListView,
    budget_page,
    investments_view,
    measurement_add,
    success_factor_add,
    success_factor_delete,
    value_score,
)

__all__ = [
    "BudgetDeleteView", "BudgetFormView", "ContractDeleteView", "ContractDetailView", "ContractFormView",
    "ContractListFilterSet", "ContractListView", "CostEntryFormView", "KpiDetailView", "KpiListView",
    "ObjectiveDetailView", "ObjectiveListView", "SelectionDetailView", "SelectionListView", "budget_page",
    "candidate_add", "candidate_delete", "contract_decide", "contract_document_add", "contract_document_delete",
    "criterion_add", "criterion_delete", "investments_view", "measurement_add", "selection_decide",
    "selection_scores", "success_factor_add", "success_factor_delete", "value_score",
]
