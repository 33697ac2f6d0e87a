"""Web pages of finance: contracts and renewals, tool selections, objectives and KPIs, budget and investments."""

from .contracts import (
    ContractDeleteView,
    ContractFormView,
    ContractListView,
    contract_decide,
    contract_detail,
    contract_document_add,
    contract_document_delete,
)
from .selections import (
    SelectionDeleteView,
    SelectionFormView,
    SelectionListView,
    candidate_add,
    candidate_delete,
    criterion_add,
    criterion_delete,
    selection_decide,
    selection_detail,
    selection_scores,
)
from .value import (
    BudgetDeleteView,
    BudgetFormView,
    CostEntryFormView,
    KpiDeleteView,
    KpiFormView,
    KpiListView,
    ObjectiveDeleteView,
    ObjectiveFormView,
    ObjectiveListView,
    budget_page,
    investments_view,
    kpi_detail,
    measurement_add,
    objective_detail,
    success_factor_add,
    success_factor_delete,
    value_score,
)

__all__ = [
    "BudgetDeleteView", "BudgetFormView", "ContractDeleteView", "ContractFormView", "ContractListView",
    "CostEntryFormView", "KpiDeleteView", "KpiFormView", "KpiListView", "ObjectiveDeleteView", "ObjectiveFormView",
    "ObjectiveListView", "SelectionDeleteView", "SelectionFormView", "SelectionListView", "budget_page",
    "candidate_add", "candidate_delete", "contract_decide", "contract_detail", "contract_document_add",
    "contract_document_delete", "criterion_add", "criterion_delete", "investments_view", "kpi_detail",
    "measurement_add", "objective_detail", "selection_decide", "selection_detail", "selection_scores",
    "success_factor_add", "success_factor_delete", "value_score",
]
