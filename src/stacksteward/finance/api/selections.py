"""Tool selections beyond their CRUD: a reviewer's score, the scorecard, and the decision."""

from django.core.exceptions import ValidationError
from ninja import Router

from stacksteward.core.api_support import GET_BY_ID_ERRORS, Refs, errors
from stacksteward.core.permissions import require_perm
from stacksteward.core.resources import add_routes
from stacksteward.org.models import Person

from .. import services
from ..models import Criterion, SelectionCandidate
from ..resources import SELECTION_CANDIDATES, SELECTION_CRITERIA, SELECTION_SCORES, SELECTIONS
from ..schemas import ScorecardOut, ScoreIn, ScoreOut, SelectionDecisionIn, SelectionOut
from ..scoring import selection_totals
from .common import ACTION_ERRORS, API, renamed

router = Router()
for resource in (SELECTIONS, SELECTION_CANDIDATES, SELECTION_CRITERIA, SELECTION_SCORES):
    add_routes(router, resource)


@router.post("/selections/{id}/scores", response={200: ScoreOut, **errors(401, 403, 404, 422)})
def record_selection_score(request, id: int, payload: ScoreIn):
    """Score a candidate on a criterion (0–5). Reviewers score their own department's criteria; scoring
    again replaces your score. Admins may record a score for a named ``reviewer``."""
    selection = SELECTIONS.fetch(request.auth, id)
    refs = Refs()
    criterion = refs.one(Criterion.objects.filter(selection=selection).select_related("selection", "department"),
                         "criterion", payload.criterion, key="pk")
    candidate = refs.one(SelectionCandidate.objects.filter(selection=selection), "candidate", payload.candidate,
                         key="pk")
    reviewer = refs.person(Person.objects.restrict(request.auth, "view"), "reviewer", payload.reviewer)
    refs.check()
    score = services.score_record(actor=request.auth, criterion=criterion, candidate=candidate,
                                  score=payload.score, comment=payload.comment, reviewer=reviewer, source=API)
    return SELECTION_SCORES.rows(request.auth).get(pk=score.pk)


@router.get("/selections/{id}/scorecard", response={200: ScorecardOut, **errors(*GET_BY_ID_ERRORS)})
def get_selection_scorecard(request, id: int):
    """Weighted totals per candidate (best first): overall and as each department sees it, with the number of
    criteria nobody scored yet. Unscored criteria are left out of the totals, not counted as zero."""
    selection = SELECTIONS.fetch(request.auth, id)
    totals = selection_totals(selection)
    return {
        "selection": selection.pk,
        "criteria": len(selection.criteria.all()),
        "candidates": [{
            "candidate": {"id": t.candidate.pk, "name": t.candidate.name},
            "overall": t.overall,
            "by_department": [{"department": name, "total": total} for name, total in t.by_department.items()],
            "missing": t.missing,
        } for t in totals],
    }


@router.post("/selections/{id}/decision", response={200: SelectionOut, **errors(*ACTION_ERRORS)})
def decide_selection(request, id: int, payload: SelectionDecisionIn):
    """Record the chosen candidate with reasons and any dissent. With ``create_component`` the chosen tool
    becomes a component (lifecycle pilot) and, when it has a vendor, a draft contract."""
    selection = SELECTIONS.fetch(request.auth, id)
    require_perm(request.auth, "change", selection)
    refs = Refs()
    chosen = refs.one(SelectionCandidate.objects.filter(selection=selection), "chosen", payload.chosen, key="pk")
    refs.check()
    try:
        services.selection_decide(selection, actor=request.auth, chosen=chosen, reasons=payload.reasons,
                                  dissent=payload.dissent, create_component=payload.create_component,
                                  expected_version=payload.version, source=API)
    except ValidationError as exc:
        raise renamed(exc, {"decision_reasons": "reasons", "status": "selection"}) from exc
    return SELECTIONS.fetch(request.auth, id)
