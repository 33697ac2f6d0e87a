"""API for finance ("money and value"): contracts and their renewal decisions and documents, tool selections
with candidates, criteria, scores, scorecards and the decision; objectives and success factors, KPIs and
their measurements, cost entries, budgets, value scores and investments (cost, value, ROI).

Handlers parse, fetch-and-authorize, resolve natural keys and call ``finance.services``; every rule lives
there and in ``finance.policies``. Contract money (annual value, payment terms) and component costs
are shown only to those the money field groups of ``finance.policies`` let see them; everyone else gets
null and ``values_hidden: true``.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.text import slugify
from ninja import Field, Query, Router, Schema, Status

from stacksteward.catalog.models import Category, Component, Vendor
from stacksteward.core.api_support import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    GET_BY_ID_ERRORS,
    GET_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    PageParams,
    Refs,
    all_fields,
    apply_filters,
    changed_fields,
    errors,
    fetch_or_404,
    filter_schema,
    page_schema,
    paginate,
)
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.permissions import require_perm
from stacksteward.intake.models import Request as IntakeRequest
from stacksteward.org.models import Department, Person

from . import services
from .filtersets import (
    BudgetFilterSet,
    ContractFilterSet,
    CostEntryFilterSet,
    KpiFilterSet,
    ObjectiveFilterSet,
    SelectionFilterSet,
    ValueScoreFilterSet,
)
from .models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Criterion,
    Kpi,
    Measurement,
    Objective,
    Score,
    Selection,
    SelectionCandidate,
    SuccessFactor,
    ValueScore,
)
from .models.contracts import LIVE
from .policies import CONTRACT_MONEY_FIELDS, CONTRACTS, money_component_ids
from .roi import investments
from .schemas import (
    BudgetIn,
    BudgetOut,
    BudgetPatch,
    ContractDecisionIn,
    ContractDocumentIn,
    ContractDocumentOut,
    ContractDocumentPatch,
    ContractIn,
    ContractOut,
    ContractPatch,
    CostEntryIn,
    CostEntryOut,
    CostEntryPatch,
    CriterionIn,
    CriterionOut,
    CriterionPatch,
    InvestmentOut,
    KpiIn,
    KpiOut,
    KpiPatch,
    MeasurementOut,
    MeasurementPushIn,
    MeasurementPushOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ScorecardOut,
    ScoreIn,
    ScoreOut,
    SelectionCandidateIn,
    SelectionCandidateOut,
    SelectionCandidatePatch,
    SelectionDecisionIn,
    SelectionIn,
    SelectionOut,
    SelectionPatch,
    SuccessFactorIn,
    SuccessFactorOut,
    SuccessFactorPatch,
    ValueScoreIn,
    ValueScoreOut,
    money_rows,
)
from .scoring import selection_totals
from .views.common import HIDDEN_VALUE_NOTE

router = Router(tags=["finance"])
API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version
MONEY_FIELDS = CONTRACT_MONEY_FIELDS


def _input(payload, *, partial: bool) -> dict:
    return changed_fields(payload) if partial else all_fields(payload)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})


def _people(user):
    return Person.objects.restrict(user, "view")


def _components(user):
    return Component.objects.restrict(user, "view")


# Contracts -------------------------------------------------------------------------------------

ContractFilters = filter_schema(ContractFilterSet)


def _contracts(user):
    """Contracts with what a row shows (constant queries): money visibility is decided per row from the
    prefetched components' owners, the deadline state from the prefetched decisions."""
    following = Contract.objects.filter(previous=OuterRef("pk")).values("pk")[:1]
    return (Contract.objects.restrict(user, "view")
            .select_related("vendor", "business_owner", "procurement_owner", "legal_reviewer")
            .prefetch_related("components", "decisions")
            .annotate(next_id=Subquery(following)))


def _contract(user, id: int) -> Contract:
    return fetch_or_404(_contracts(user), pk=id)


def _contract_data(user, payload, *, partial: bool, contract: Contract | None = None) -> dict:
    data = _input(payload, partial=partial)
    money = set(MONEY_FIELDS) & set(data)
    if contract is not None and money and not CONTRACTS.may_write_group(user, "money", contract):
        raise PermissionDenied("Only finance, procurement and legal people, the owners and admins may change "
                               "a contract's value and payment terms.")
    for name in ("notes", "payment_terms"):
        if name in data and data[name] is None:
            data[name] = ""
    for name in ("vendor", "reference", "start_date", "end_date", "annual_value", "currency", "status",
                 "renewal_type", "renewal_term_months", "notice_period_days", "billing_frequency", "dpa_signed",
                 "security_review_done"):
        if partial and name in data and data[name] is None:
            data.pop(name)  # cannot be emptied: null keeps the current value
    refs = Refs()
    if "vendor" in data:
        data["vendor"] = refs.one(Vendor.objects.restrict(user, "view"), "vendor", data["vendor"])
    if "components" in data:
        data["components"] = refs.many(_components(user), "components", data["components"] or [])
    for name in ("business_owner", "procurement_owner", "legal_reviewer"):
        if name in data:
            data[name] = refs.person(_people(user), name, data[name])
    refs.check()
    if "currency" in data:
        data["currency"] = (data["currency"] or "").strip().upper()
    return data


@router.get("/contracts", response={200: page_schema(ContractOut), **errors(*LIST_ERRORS)})
def list_contracts(request, filters: Query[ContractFilters], page: Query[PageParams]):
    """Contracts, nearest notice deadline first, with their deadline state and decisions (constant queries).
    Annual value and payment terms are null, with ``values_hidden: true``, for callers who may not see them."""
    return paginate(apply_filters(ContractFilterSet, request, _contracts(request.auth)), page)


class RenewalWindow(Schema):
    days: int | None = Field(None, ge=0, le=3660, description="Notice deadlines within this many days "
                                                              "(default: the renewal lead time, 120 days).")


@router.get("/contracts/up-for-renewal", response={200: page_schema(ContractOut), **errors(*LIST_ERRORS)})
def list_contracts_up_for_renewal(request, window: Query[RenewalWindow], page: Query[PageParams]):
    """Live contracts nobody has decided on whose notice deadline falls within ``days`` — and those whose
    deadline already passed (overdue), nearest deadline first."""
    days = window.days if window.days is not None else services.renewal_lead_days()
    horizon = services.today() + datetime.timedelta(days=days)
    queryset = _contracts(request.auth).filter(status__in=LIVE, decisions__isnull=True,
                                               notice_deadline__lte=horizon)
    return paginate(queryset.order_by("notice_deadline", "id"), page)


@router.post("/contracts", response={201: ContractOut, **errors(*CREATE_ERRORS)})
def create_contract(request, payload: ContractIn):
    """Record a contract; the notice deadline is computed from the end date and the notice period."""
    require_perm(request.auth, "add", Contract)
    contract = services.contract_create(actor=request.auth, source=API,
                                        data=_contract_data(request.auth, payload, partial=False))
    return Status(201, _contract(request.auth, contract.pk))


@router.get("/contracts/{id}", response={200: ContractOut, **errors(*GET_BY_ID_ERRORS)})
def get_contract(request, id: int):
    return _contract(request.auth, id)


@router.patch("/contracts/{id}", response={200: ContractOut, **errors(*UPDATE_ERRORS)})
def patch_contract(request, id: int, payload: ContractPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409). Renewing, cancelling and
    ending a contract is a renewal decision (POST …/decision), not an edit."""
    contract = _contract(request.auth, id)
    require_perm(request.auth, "change", contract)
    services.contract_update(contract, actor=request.auth, expected_version=payload.version, source=API,
                             data=_contract_data(request.auth, payload, partial=True, contract=contract))
    return _contract(request.auth, id)


@router.delete("/contracts/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_contract(request, id: int, version: int | None = None):
    """Delete a draft contract (others are cancelled or expire instead: 422); (409) if ``?version=`` is stale."""
    contract = _contract(request.auth, id)
    require_perm(request.auth, "delete", contract)
    services.contract_delete(contract, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


@router.post("/contracts/{id}/decision", response={200: ContractOut, **errors(*ACTION_ERRORS)})
def decide_contract(request, id: int, payload: ContractDecisionIn):
    """Record the renewal decision for this term, with reasons. Renew, renegotiate and downsize (``new_seats``,
    fewer than now) create the next term, linked as ``next``; replace and cancel (``notice_sent_on``
    required) end the contract. The owners are notified. Nothing is written when the decision is refused."""
    contract = _contract(request.auth, id)
    require_perm(request.auth, "change", contract)
    services.contract_decide(contract, actor=request.auth, decision=payload.decision, reasons=payload.reasons,
                             new_seats=payload.new_seats, notice_sent_on=payload.notice_sent_on,
                             expected_version=payload.version, source=API)
    return _contract(request.auth, id)


# Contract documents ----------------------------------------------------------------------------


def _documents(user):
    return ContractDocument.objects.restrict(user, "view")


@router.get("/contracts/{id}/documents", response={200: page_schema(ContractDocumentOut), **errors(401, 404, 422)})
def list_contract_documents(request, id: int, page: Query[PageParams]):
    """Links to the contract's documents (the signed contract, the DPA, order forms)."""
    contract = _contract(request.auth, id)
    return paginate(_documents(request.auth).filter(contract=contract), page)


@router.post("/contracts/{id}/documents", response={201: ContractDocumentOut, **errors(401, 403, 404, 422)})
def create_contract_document(request, id: int, payload: ContractDocumentIn):
    contract = _contract(request.auth, id)
    require_perm(request.auth, "add", ContractDocument)
    document = services.document_create(actor=request.auth, source=API,
                                        data={**all_fields(payload), "contract": contract})
    return Status(201, document)


@router.get("/contract-documents/{id}", response={200: ContractDocumentOut, **errors(*GET_BY_ID_ERRORS)})
def get_contract_document(request, id: int):
    return fetch_or_404(_documents(request.auth), pk=id)


@router.patch("/contract-documents/{id}", response={200: ContractDocumentOut, **errors(*UPDATE_ERRORS)})
def patch_contract_document(request, id: int, payload: ContractDocumentPatch):
    document = fetch_or_404(_documents(request.auth), pk=id)
    require_perm(request.auth, "change", document)
    data = {k: v for k, v in changed_fields(payload).items() if v is not None}
    return services.document_update(document, actor=request.auth, expected_version=payload.version,
                                    source=API, data=data)


@router.delete("/contract-documents/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_contract_document(request, id: int, version: int | None = None):
    document = fetch_or_404(_documents(request.auth), pk=id)
    require_perm(request.auth, "delete", document)
    services.document_delete(document, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Selections ------------------------------------------------------------------------------------

SelectionFilters = filter_schema(SelectionFilterSet)


def _selections(user):
    return (Selection.objects.restrict(user, "view").select_related("replaces", "chosen")
            .prefetch_related(Prefetch("candidates", queryset=SelectionCandidate.objects.select_related("vendor")),
                              Prefetch("criteria", queryset=Criterion.objects.select_related("department"))))


def _selection(user, id: int) -> Selection:
    return fetch_or_404(_selections(user), pk=id)


def _selection_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "need" in data and data["need"] is None:
        data["need"] = ""
    if partial and data.get("title", "") is None:
        data.pop("title")
    refs = Refs()
    if "request" in data:
        data["request"] = refs.one(IntakeRequest.objects.restrict(user, "view"), "request", data["request"],
                                   key="pk")
    if "replaces" in data:
        data["replaces"] = refs.one(_components(user), "replaces", data["replaces"])
    refs.check()
    return data


@router.get("/selections", response={200: page_schema(SelectionOut), **errors(*LIST_ERRORS)})
def list_selections(request, filters: Query[SelectionFilters], page: Query[PageParams]):
    """Tool selections, newest first, with their candidates and criteria (constant queries)."""
    return paginate(apply_filters(SelectionFilterSet, request, _selections(request.auth)), page)


@router.post("/selections", response={201: SelectionOut, **errors(*CREATE_ERRORS)})
def create_selection(request, payload: SelectionIn):
    require_perm(request.auth, "add", Selection)
    selection = services.selection_create(actor=request.auth, source=API,
                                          data=_selection_data(request.auth, payload, partial=False))
    return Status(201, _selection(request.auth, selection.pk))


@router.get("/selections/{id}", response={200: SelectionOut, **errors(*GET_BY_ID_ERRORS)})
def get_selection(request, id: int):
    return _selection(request.auth, id)


@router.patch("/selections/{id}", response={200: SelectionOut, **errors(*UPDATE_ERRORS)})
def patch_selection(request, id: int, payload: SelectionPatch):
    """Change only the fields sent; ``version`` must be the one you read (else 409)."""
    selection = _selection(request.auth, id)
    require_perm(request.auth, "change", selection)
    services.selection_update(selection, actor=request.auth, expected_version=payload.version, source=API,
                              data=_selection_data(request.auth, payload, partial=True))
    return _selection(request.auth, id)


@router.delete("/selections/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_selection(request, id: int, version: int | None = None):
    """Delete the selection with its candidates, criteria and scores; (409) if ``?version=`` is stale."""
    selection = _selection(request.auth, id)
    require_perm(request.auth, "delete", selection)
    services.selection_delete(selection, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


def _open(selection: Selection) -> None:
    if selection.status != "open":
        raise ValidationError({"selection": "The selection is decided or abandoned: its candidates, criteria and "
                                            "scores no longer change."})


# Candidates


def _candidates(user):
    return SelectionCandidate.objects.restrict(user, "view").select_related("vendor", "selection")


def _candidate_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "notes" in data and data["notes"] is None:
        data["notes"] = ""
    if partial and data.get("name", "") is None:
        data.pop("name")
    refs = Refs()
    if "vendor" in data:
        data["vendor"] = refs.one(Vendor.objects.restrict(user, "view"), "vendor", data["vendor"])
    refs.check()
    return data


@router.get("/selections/{id}/candidates",
            response={200: page_schema(SelectionCandidateOut), **errors(401, 404, 422)})
def list_selection_candidates(request, id: int, page: Query[PageParams]):
    selection = _selection(request.auth, id)
    return paginate(_candidates(request.auth).filter(selection=selection), page)


@router.post("/selections/{id}/candidates", response={201: SelectionCandidateOut, **errors(401, 403, 404, 422)})
def create_selection_candidate(request, id: int, payload: SelectionCandidateIn):
    """Add a candidate product (optionally with its vendor) to an open selection."""
    selection = _selection(request.auth, id)
    require_perm(request.auth, "add", SelectionCandidate)
    _open(selection)
    candidate = services.candidate_create(actor=request.auth, source=API, data={
        **_candidate_data(request.auth, payload, partial=False), "selection": selection})
    return Status(201, candidate)


@router.get("/selection-candidates/{id}", response={200: SelectionCandidateOut, **errors(*GET_BY_ID_ERRORS)})
def get_selection_candidate(request, id: int):
    return fetch_or_404(_candidates(request.auth), pk=id)


@router.patch("/selection-candidates/{id}", response={200: SelectionCandidateOut, **errors(*UPDATE_ERRORS)})
def patch_selection_candidate(request, id: int, payload: SelectionCandidatePatch):
    candidate = fetch_or_404(_candidates(request.auth), pk=id)
    require_perm(request.auth, "change", candidate)
    return services.candidate_update(candidate, actor=request.auth, expected_version=payload.version,
                                     source=API, data=_candidate_data(request.auth, payload, partial=True))


@router.delete("/selection-candidates/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_selection_candidate(request, id: int, version: int | None = None):
    """Remove a candidate (and its scores) from an open selection."""
    candidate = fetch_or_404(_candidates(request.auth), pk=id)
    require_perm(request.auth, "delete", candidate)
    _open(candidate.selection)
    services.candidate_delete(candidate, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Criteria


def _criteria(user):
    return Criterion.objects.restrict(user, "view").select_related("department", "selection")


def _criterion_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "description" in data and data["description"] is None:
        data["description"] = ""
    for name in ("name", "weight", "department"):
        if partial and name in data and data[name] is None:
            data.pop(name)
    refs = Refs()
    if "department" in data:
        data["department"] = refs.one(Department.objects.restrict(user, "view"), "department", data["department"])
    refs.check()
    return data


@router.get("/selections/{id}/criteria", response={200: page_schema(CriterionOut), **errors(401, 404, 422)})
def list_selection_criteria(request, id: int, page: Query[PageParams]):
    selection = _selection(request.auth, id)
    return paginate(_criteria(request.auth).filter(selection=selection), page)


@router.post("/selections/{id}/criteria", response={201: CriterionOut, **errors(401, 403, 404, 422)})
def create_selection_criterion(request, id: int, payload: CriterionIn):
    """Add a weighted criterion, scored by the named department's reviewers."""
    selection = _selection(request.auth, id)
    require_perm(request.auth, "add", Criterion)
    _open(selection)
    criterion = services.criterion_create(actor=request.auth, source=API, data={
        **_criterion_data(request.auth, payload, partial=False), "selection": selection})
    return Status(201, _criteria(request.auth).get(pk=criterion.pk))


@router.get("/selection-criteria/{id}", response={200: CriterionOut, **errors(*GET_BY_ID_ERRORS)})
def get_selection_criterion(request, id: int):
    return fetch_or_404(_criteria(request.auth), pk=id)


@router.patch("/selection-criteria/{id}", response={200: CriterionOut, **errors(*UPDATE_ERRORS)})
def patch_selection_criterion(request, id: int, payload: CriterionPatch):
    criterion = fetch_or_404(_criteria(request.auth), pk=id)
    require_perm(request.auth, "change", criterion)
    _open(criterion.selection)
    services.criterion_update(criterion, actor=request.auth, expected_version=payload.version, source=API,
                              data=_criterion_data(request.auth, payload, partial=True))
    return _criteria(request.auth).get(pk=id)


@router.delete("/selection-criteria/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_selection_criterion(request, id: int, version: int | None = None):
    criterion = fetch_or_404(_criteria(request.auth), pk=id)
    require_perm(request.auth, "delete", criterion)
    _open(criterion.selection)
    services.criterion_delete(criterion, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Scores, scorecard, decision


def _scores(user):
    return Score.objects.restrict(user, "view").select_related("reviewer")


@router.get("/selections/{id}/scores", response={200: page_schema(ScoreOut), **errors(401, 404, 422)})
def list_selection_scores(request, id: int, page: Query[PageParams]):
    """Every reviewer's score of every candidate on every criterion."""
    selection = _selection(request.auth, id)
    return paginate(_scores(request.auth).filter(criterion__selection=selection), page)


@router.post("/selections/{id}/scores", response={200: ScoreOut, **errors(401, 403, 404, 422)})
def record_selection_score(request, id: int, payload: ScoreIn):
    """Score a candidate on a criterion (0–5). Reviewers score their own department's criteria; scoring
    again replaces your score. Admins may record a score for a named ``reviewer``."""
    selection = _selection(request.auth, id)
    refs = Refs()
    criterion = refs.one(Criterion.objects.filter(selection=selection).select_related("selection", "department"),
                         "criterion", payload.criterion, key="pk")
    candidate = refs.one(SelectionCandidate.objects.filter(selection=selection), "candidate", payload.candidate,
                         key="pk")
    reviewer = refs.person(_people(request.auth), "reviewer", payload.reviewer)
    refs.check()
    score = services.score_record(actor=request.auth, criterion=criterion, candidate=candidate,
                                  score=payload.score, comment=payload.comment, reviewer=reviewer, source=API)
    return _scores(request.auth).get(pk=score.pk)


@router.get("/selections/{id}/scorecard", response={200: ScorecardOut, **errors(*GET_BY_ID_ERRORS)})
def get_selection_scorecard(request, id: int):
    """Weighted totals per candidate (best first): overall and as each department sees it, with the number of
    criteria nobody scored yet. Unscored criteria are left out of the totals, not counted as zero."""
    selection = _selection(request.auth, id)
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
    selection = _selection(request.auth, id)
    require_perm(request.auth, "change", selection)
    refs = Refs()
    chosen = refs.one(SelectionCandidate.objects.filter(selection=selection), "chosen", payload.chosen, key="pk")
    refs.check()
    try:
        services.selection_decide(selection, actor=request.auth, chosen=chosen, reasons=payload.reasons,
                                  dissent=payload.dissent, create_component=payload.create_component,
                                  expected_version=payload.version, source=API)
    except ValidationError as exc:
        raise _renamed(exc, {"decision_reasons": "reasons", "status": "selection"}) from exc
    return _selection(request.auth, id)


# Objectives and success factors ----------------------------------------------------------------

ObjectiveFilters = filter_schema(ObjectiveFilterSet)


def _objectives(user):
    return (Objective.objects.restrict(user, "view").select_related("owner")
            .prefetch_related("success_factors", Prefetch("kpis", queryset=Kpi.objects.order_by("name"))))


def _objective_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "description" in data and data["description"] is None:
        data["description"] = ""
    for name in ("name", "period_start", "period_end"):
        if partial and name in data and data[name] is None:
            data.pop(name)
    refs = Refs()
    if "owner" in data:
        data["owner"] = refs.person(_people(user), "owner", data["owner"])
    refs.check()
    return data


@router.get("/objectives", response={200: page_schema(ObjectiveOut), **errors(*LIST_ERRORS)})
def list_objectives(request, filters: Query[ObjectiveFilters], page: Query[PageParams]):
    """Strategic objectives, latest period first, with their success factors and KPIs (constant queries)."""
    return paginate(apply_filters(ObjectiveFilterSet, request, _objectives(request.auth)), page)


@router.post("/objectives", response={201: ObjectiveOut, **errors(*CREATE_ERRORS)})
def create_objective(request, payload: ObjectiveIn):
    require_perm(request.auth, "add", Objective)
    objective = services.objective_create(actor=request.auth, source=API,
                                          data=_objective_data(request.auth, payload, partial=False))
    return Status(201, fetch_or_404(_objectives(request.auth), pk=objective.pk))


@router.get("/objectives/{id}", response={200: ObjectiveOut, **errors(*GET_BY_ID_ERRORS)})
def get_objective(request, id: int):
    return fetch_or_404(_objectives(request.auth), pk=id)


@router.patch("/objectives/{id}", response={200: ObjectiveOut, **errors(*UPDATE_ERRORS)})
def patch_objective(request, id: int, payload: ObjectivePatch):
    objective = fetch_or_404(_objectives(request.auth), pk=id)
    require_perm(request.auth, "change", objective)
    services.objective_update(objective, actor=request.auth, expected_version=payload.version, source=API,
                              data=_objective_data(request.auth, payload, partial=True))
    return fetch_or_404(_objectives(request.auth), pk=id)


@router.delete("/objectives/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_objective(request, id: int, version: int | None = None):
    """Delete the objective and its success factors (its KPIs stay, without an objective)."""
    objective = fetch_or_404(_objectives(request.auth), pk=id)
    require_perm(request.auth, "delete", objective)
    services.objective_delete(objective, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


def _factors(user):
    return SuccessFactor.objects.restrict(user, "view")


@router.get("/objectives/{id}/success-factors",
            response={200: page_schema(SuccessFactorOut), **errors(401, 404, 422)})
def list_success_factors(request, id: int, page: Query[PageParams]):
    objective = fetch_or_404(Objective.objects.restrict(request.auth, "view"), pk=id)
    return paginate(_factors(request.auth).filter(objective=objective), page)


@router.post("/objectives/{id}/success-factors", response={201: SuccessFactorOut, **errors(401, 403, 404, 422)})
def create_success_factor(request, id: int, payload: SuccessFactorIn):
    """Add a critical success factor under the objective."""
    objective = fetch_or_404(Objective.objects.restrict(request.auth, "view"), pk=id)
    require_perm(request.auth, "add", SuccessFactor)
    factor = services.success_factor_create(actor=request.auth, source=API,
                                            data={**all_fields(payload), "objective": objective})
    return Status(201, factor)


@router.get("/success-factors/{id}", response={200: SuccessFactorOut, **errors(*GET_BY_ID_ERRORS)})
def get_success_factor(request, id: int):
    return fetch_or_404(_factors(request.auth), pk=id)


@router.patch("/success-factors/{id}", response={200: SuccessFactorOut, **errors(*UPDATE_ERRORS)})
def patch_success_factor(request, id: int, payload: SuccessFactorPatch):
    factor = fetch_or_404(_factors(request.auth), pk=id)
    require_perm(request.auth, "change", factor)
    data = {k: v for k, v in changed_fields(payload).items() if v is not None}
    return services.success_factor_update(factor, actor=request.auth, expected_version=payload.version,
                                          source=API, data=data)


@router.delete("/success-factors/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_success_factor(request, id: int, version: int | None = None):
    factor = fetch_or_404(_factors(request.auth), pk=id)
    require_perm(request.auth, "delete", factor)
    services.success_factor_delete(factor, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# KPIs and measurements -------------------------------------------------------------------------

KpiFilters = filter_schema(KpiFilterSet)


def _kpis(user):
    return Kpi.objects.restrict(user, "view").select_related("objective").prefetch_related("components")


def _kpi_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "slug" in data and not data["slug"]:
        data.pop("slug")
    if not partial and "slug" not in data:
        data["slug"] = slugify(data.get("name") or "")[:200]
    for name in ("currency",):
        if name in data and data[name] is None:
            data[name] = ""
    for name in ("name", "definition", "unit", "value_kind", "direction", "frequency"):
        if partial and name in data and data[name] is None:
            data.pop(name)
    if data.get("currency"):
        data["currency"] = data["currency"].strip().upper()
    refs = Refs()
    if "objective" in data:
        data["objective"] = refs.one(Objective.objects.restrict(user, "view"), "objective", data["objective"],
                                     key="pk")
    if "request" in data:
        data["request"] = refs.one(IntakeRequest.objects.restrict(user, "view"), "request", data["request"],
                                   key="pk")
    if "components" in data:
        data["components"] = refs.many(_components(user), "components", data["components"] or [])
    refs.check()
    return data


@router.get("/kpis", response={200: page_schema(KpiOut), **errors(*LIST_ERRORS)})
def list_kpis(request, filters: Query[KpiFilters], page: Query[PageParams]):
    """KPIs with the objective they serve and the components they measure (constant queries)."""
    return paginate(apply_filters(KpiFilterSet, request, _kpis(request.auth)), page)


@router.post("/kpis", response={201: KpiOut, **errors(*CREATE_ERRORS)})
def create_kpi(request, payload: KpiIn):
    require_perm(request.auth, "add", Kpi)
    kpi = services.kpi_create(actor=request.auth, source=API,
                              data=_kpi_data(request.auth, payload, partial=False))
    return Status(201, _kpis(request.auth).get(pk=kpi.pk))


@router.get("/kpis/{slug}", response={200: KpiOut, **errors(*GET_ERRORS)})
def get_kpi(request, slug: str):
    return fetch_or_404(_kpis(request.auth), slug=slug)


@router.patch("/kpis/{slug}", response={200: KpiOut, **errors(*UPDATE_ERRORS)})
def patch_kpi(request, slug: str, payload: KpiPatch):
    kpi = fetch_or_404(_kpis(request.auth), slug=slug)
    require_perm(request.auth, "change", kpi)
    kpi = services.kpi_update(kpi, actor=request.auth, expected_version=payload.version, source=API,
                              data=_kpi_data(request.auth, payload, partial=True))
    return _kpis(request.auth).get(pk=kpi.pk)


@router.delete("/kpis/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_kpi(request, slug: str, version: int | None = None):
    """Delete the KPI with its measurements; (409) if ``?version=`` is stale."""
    kpi = fetch_or_404(_kpis(request.auth), slug=slug)
    require_perm(request.auth, "delete", kpi)
    services.kpi_delete(kpi, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


class MeasurementRange(Schema):
    since: datetime.date | None = Field(None, description="Periods starting on or after this day.")
    until: datetime.date | None = Field(None, description="Periods starting on or before this day.")


@router.get("/kpis/{slug}/measurements", response={200: page_schema(MeasurementOut), **errors(401, 404, 422)})
def list_kpi_measurements(request, slug: str, period: Query[MeasurementRange], page: Query[PageParams]):
    """The KPI's measurements, oldest period first."""
    kpi = fetch_or_404(Kpi.objects.restrict(request.auth, "view"), slug=slug)
    queryset = Measurement.objects.restrict(request.auth, "view").filter(kpi=kpi).order_by("period_start")
    if period.since:
        queryset = queryset.filter(period_start__gte=period.since)
    if period.until:
        queryset = queryset.filter(period_start__lte=period.until)
    return paginate(queryset, page)


@router.post("/kpis/{slug}/measurements", response={200: MeasurementPushOut, **errors(401, 403, 404, 422)})
def push_kpi_measurements(request, slug: str, payload: MeasurementPushIn):
    """Push one or many measurements (``source: api``); a period already measured is replaced. All or
    nothing: if any item is refused, none is written and each error names its item (``items.3.value``)."""
    kpi = fetch_or_404(Kpi.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "add", Measurement)
    recorded, replaced = services.measurements_record(
        actor=request.auth, kpi=kpi, source=API,
        items=[{"period_start": i.period_start, "value": i.value, "note": i.note} for i in payload.items])
    return {"created": len(recorded) - replaced, "replaced": replaced, "items": recorded}


# Cost entries ----------------------------------------------------------------------------------

CostEntryFilters = filter_schema(CostEntryFilterSet)


def _cost_entries(user):
    return CostEntry.objects.restrict(user, "view").select_related("component")


def _mark_costs(user, entries):
    """Set ``shows_money`` on each entry: amounts and hours only for who may see the component's money."""
    visible = money_component_ids(user)
    for entry in entries:
        entry.shows_money = visible is None or entry.component_id in visible
    return entries


def _cost_entry(user, id: int) -> CostEntry:
    return _mark_costs(user, [fetch_or_404(_cost_entries(user), pk=id)])[0]


def _cost_entry_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "description" in data and data["description"] is None:
        data["description"] = ""
    for name in ("component", "year", "kind", "currency"):
        if partial and name in data and data[name] is None:
            data.pop(name)
    if data.get("currency"):
        data["currency"] = data["currency"].strip().upper()
    refs = Refs()
    if "component" in data:
        data["component"] = refs.one(_components(user), "component", data["component"])
    refs.check()
    return data


def _require_money(user, component) -> None:
    """Answer 403 before any work (the service asks the same rule again)."""
    services.cost_money_require(user, component)


@router.get("/cost-entries", response={200: page_schema(CostEntryOut), **errors(*LIST_ERRORS)})
def list_cost_entries(request, filters: Query[CostEntryFilters], page: Query[PageParams]):
    """Services, internal effort and other costs per component and year (licences come from contracts).
    Amounts and hours are null, with ``values_hidden: true``, where you may not see the component's money."""
    result = paginate(apply_filters(CostEntryFilterSet, request, _cost_entries(request.auth)), page)
    _mark_costs(request.auth, result["items"])
    return result


@router.post("/cost-entries", response={201: CostEntryOut, **errors(*CREATE_ERRORS)})
def create_cost_entry(request, payload: CostEntryIn):
    require_perm(request.auth, "add", CostEntry)
    data = _cost_entry_data(request.auth, payload, partial=False)
    _require_money(request.auth, data["component"])
    entry = services.cost_entry_create(actor=request.auth, source=API, data=data)
    return Status(201, _cost_entry(request.auth, entry.pk))


@router.get("/cost-entries/{id}", response={200: CostEntryOut, **errors(*GET_BY_ID_ERRORS)})
def get_cost_entry(request, id: int):
    return _cost_entry(request.auth, id)


@router.patch("/cost-entries/{id}", response={200: CostEntryOut, **errors(*UPDATE_ERRORS)})
def patch_cost_entry(request, id: int, payload: CostEntryPatch):
    entry = _cost_entry(request.auth, id)
    require_perm(request.auth, "change", entry)
    data = _cost_entry_data(request.auth, payload, partial=True)
    _require_money(request.auth, entry.component)
    _require_money(request.auth, data.get("component"))
    services.cost_entry_update(entry, actor=request.auth, expected_version=payload.version, source=API,
                               data=data)
    return _cost_entry(request.auth, id)


@router.delete("/cost-entries/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_cost_entry(request, id: int, version: int | None = None):
    entry = _cost_entry(request.auth, id)
    require_perm(request.auth, "delete", entry)
    _require_money(request.auth, entry.component)
    services.cost_entry_delete(entry, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Budgets ---------------------------------------------------------------------------------------

BudgetFilters = filter_schema(BudgetFilterSet)


def _budgets(user):
    return Budget.objects.restrict(user, "view").select_related("component", "category")


def _budget_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    if "notes" in data and data["notes"] is None:
        data["notes"] = ""
    for name in ("year", "amount", "currency"):
        if partial and name in data and data[name] is None:
            data.pop(name)
    if data.get("currency"):
        data["currency"] = data["currency"].strip().upper()
    refs = Refs()
    if "component" in data:
        data["component"] = refs.one(_components(user), "component", data["component"])
    if "category" in data:
        data["category"] = refs.one(Category.objects.restrict(user, "view"), "category", data["category"])
    refs.check()
    return data


@router.get("/budgets", response={200: page_schema(BudgetOut), **errors(*LIST_ERRORS)})
def list_budgets(request, filters: Query[BudgetFilters], page: Query[PageParams]):
    """Planned amounts per year, for one component or one category."""
    return paginate(apply_filters(BudgetFilterSet, request, _budgets(request.auth)), page)


@router.post("/budgets", response={201: BudgetOut, **errors(*CREATE_ERRORS)})
def create_budget(request, payload: BudgetIn):
    """Plan a year's budget for one component or one category (not both)."""
    require_perm(request.auth, "add", Budget)
    budget = services.budget_create(actor=request.auth, source=API,
                                    data=_budget_data(request.auth, payload, partial=False))
    return Status(201, _budgets(request.auth).get(pk=budget.pk))


@router.get("/budgets/{id}", response={200: BudgetOut, **errors(*GET_BY_ID_ERRORS)})
def get_budget(request, id: int):
    return fetch_or_404(_budgets(request.auth), pk=id)


@router.patch("/budgets/{id}", response={200: BudgetOut, **errors(*UPDATE_ERRORS)})
def patch_budget(request, id: int, payload: BudgetPatch):
    budget = fetch_or_404(_budgets(request.auth), pk=id)
    require_perm(request.auth, "change", budget)
    services.budget_update(budget, actor=request.auth, expected_version=payload.version, source=API,
                           data=_budget_data(request.auth, payload, partial=True))
    return _budgets(request.auth).get(pk=id)


@router.delete("/budgets/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_budget(request, id: int, version: int | None = None):
    budget = fetch_or_404(_budgets(request.auth), pk=id)
    require_perm(request.auth, "delete", budget)
    services.budget_delete(budget, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Value scores ----------------------------------------------------------------------------------

ValueScoreFilters = filter_schema(ValueScoreFilterSet)


def _value_scores(user):
    return ValueScore.objects.restrict(user, "view").select_related("component", "scorer")


@router.get("/value-scores", response={200: page_schema(ValueScoreOut), **errors(*LIST_ERRORS)})
def list_value_scores(request, filters: Query[ValueScoreFilters], page: Query[PageParams]):
    """The business owners' judgement of each tool's value (1–5, with reasons) per year."""
    return paginate(apply_filters(ValueScoreFilterSet, request, _value_scores(request.auth)), page)


@router.post("/value-scores", response={200: ValueScoreOut, **errors(*CREATE_ERRORS)})
def record_value_score(request, payload: ValueScoreIn):
    """Score a tool's value for a year, as its business owner (or an admin); scoring the same year again
    replaces your score."""
    require_perm(request.auth, "add", ValueScore)
    refs = Refs()
    component = refs.one(_components(request.auth), "component", payload.component)
    refs.check()
    score = services.value_score_record(actor=request.auth, component=component, year=payload.year,
                                        score=payload.score, reasons=payload.reasons, source=API)
    return _value_scores(request.auth).get(pk=score.pk)


# Investments -----------------------------------------------------------------------------------


class InvestmentParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.")
    component: str | None = Field(None, description="Component slug.")
    category: str | None = Field(None, description="Category slug (includes its sub-categories).")


def _investment_row(investment, shown: bool) -> dict:
    roi, explanation = investment.roi
    hidden = not shown
    return {
        "component": investment.component,
        "year": investment.year,
        "values_hidden": hidden,
        "licence": None if hidden else money_rows(investment.licence),
        "services": None if hidden else money_rows(investment.services),
        "internal": None if hidden else money_rows(investment.internal),
        "total": None if hidden else money_rows(investment.cost),
        "value": money_rows(investment.value),
        "roi": None if hidden else roi,
        "roi_formula": None if hidden or roi is None else explanation,
        "roi_reason": HIDDEN_VALUE_NOTE if hidden else (explanation if roi is None else None),
        "cost_per_unit": None if hidden else [
            {"unit": unit, "value": value, "formula": formula}
            for unit, (value, formula) in investment.cost_per_unit.items()],
        "value_score": investment.value_score,
        "value_scores": len(investment.value_scores),
        "seat_utilisation": investment.seat_utilisation,
    }


@router.get("/investments", response={200: page_schema(InvestmentOut), **errors(*LIST_ERRORS)})
def list_investments(request, params: Query[InvestmentParams], page: Query[PageParams]):
    """Per component and year: licence, services, internal and total cost per currency; value from money
    KPIs; ROI = (value − cost) ÷ cost with its formula, or the reason there is none; cost per unit of
    counted KPIs; the owners' value score; seat utilisation. Costs, ROI and cost per unit are null, with
    ``values_hidden: true``, for components whose money you may not see. Constant queries."""
    year = params.year or services.today().year
    queryset = _components(request.auth).order_by("name", "pk")
    if params.component:
        queryset = queryset.filter(slug=params.component)
    if params.category:
        queryset = queryset.filter(category__slug=params.category) | queryset.filter(
            category__parent__slug=params.category)
    count = queryset.count()
    keys = list(queryset.values_list("pk", flat=True)[page.offset: page.offset + page.limit])
    found = investments(year, component_ids=keys) if keys else {}
    visible = money_component_ids(request.auth)
    items = [_investment_row(found[pk], visible is None or pk in visible) for pk in keys if pk in found]
    return {"count": count, "items": items}
