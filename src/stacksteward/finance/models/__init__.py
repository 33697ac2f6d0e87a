from .contracts import Contract, ContractDocument, ContractReminder, RenewalDecision
from .selections import Criterion, Score, Selection, SelectionCandidate
from .value import Budget, CostEntry, Kpi, Measurement, Objective, SuccessFactor, ValueScore

__all__ = [
    "Budget", "Contract", "ContractDocument", "ContractReminder", "CostEntry", "Criterion", "Kpi", "Measurement",
    "Objective", "RenewalDecision", "Score", "Selection", "SelectionCandidate", "SuccessFactor", "ValueScore",
]
