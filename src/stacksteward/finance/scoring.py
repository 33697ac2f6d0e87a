"""Weighted scorecards of a selection, overall and as each department sees it.

For each candidate and criterion the reviewers' scores (0–5) are averaged; a department's total is
the weighted mean of its criteria (Σ weight × average ÷ Σ weight of the criteria scored), and the
overall total is the weighted mean over every criterion scored. Criteria nobody scored yet are left
out of both (and counted as missing), so a half-scored candidate is not pulled down to zero.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import Criterion, Score, SelectionCandidate

TWO = Decimal("0.01")


@dataclass
class CandidateTotals:
    candidate: SelectionCandidate
    overall: Decimal | None
    by_department: dict[str, Decimal | None] = field(default_factory=dict)
    missing: int = 0  # criteria without any score for this candidate


def _weighted(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    weight = sum((w for w, _ in pairs), Decimal(0))
    if not pairs or weight == 0:
        return None
    return (sum((w * s for w, s in pairs), Decimal(0)) / weight).quantize(TWO, rounding=ROUND_HALF_UP)


def selection_totals(selection) -> list[CandidateTotals]:
    """Totals for every candidate, best overall first (three queries)."""
    candidates = list(SelectionCandidate.objects.filter(selection=selection))
    criteria = list(Criterion.objects.filter(selection=selection).select_related("department"))
    sums: dict[tuple[int, int], list[int]] = defaultdict(list)
    for criterion_id, candidate_id, score in Score.objects.filter(criterion__selection=selection).values_list(
            "criterion_id", "candidate_id", "score"):
        sums[(criterion_id, candidate_id)].append(score)
    results = []
    for candidate in candidates:
        overall, departments, missing = [], defaultdict(list), 0
        for criterion in criteria:
            scores = sums.get((criterion.pk, candidate.pk))
            if not scores:
                missing += 1
                departments.setdefault(criterion.department.name, [])
                continue
            pair = (criterion.weight, Decimal(sum(scores)) / Decimal(len(scores)))
            overall.append(pair)
            departments[criterion.department.name].append(pair)
        results.append(CandidateTotals(candidate, _weighted(overall),
                                       {name: _weighted(pairs) for name, pairs in sorted(departments.items())},
                                       missing))
    results.sort(key=lambda r: (r.overall is None, -(r.overall or 0), r.candidate.name))
    return results
