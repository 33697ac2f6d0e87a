"""Finance's resources, declared once: the REST routes (``core.resources.add_routes``) and the list, add,
detail, edit and delete pages (``core.pages.page_urls``) are built from these.

Money is never decided here: the Out schemas ask the money field groups of ``finance.policies`` per row
(``values_hidden``), so every list reads its rows through the schema (``plain_list=False``).
"""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.text import slugify

from stacksteward.catalog.models import Category, Component, Vendor
from stacksteward.core.pages import Pages
from stacksteward.core.resources import Parent, Ref, Resource

from . import services, views
from .filtersets import (
    BudgetFilterSet,
    ContractFilterSet,
    CostEntryFilterSet,
    KpiFilterSet,
    ObjectiveFilterSet,
    SelectionFilterSet,
    ValueScoreFilterSet,
)
from .forms import ContractForm, KpiForm, ObjectiveForm, SelectionForm
from .models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Criterion,
    Kpi,
    Objective,
    Score,
    Selection,
    SelectionCandidate,
    SuccessFactor,
    ValueScore,
)
from .policies import CRITERIA as CRITERION_POLICY
from .policies import SELECTION_CANDIDATES as CANDIDATE_POLICY
from .schemas import (
    BudgetIn,
    BudgetOut,
    BudgetPatch,
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
    KpiIn,
    KpiOut,
    KpiPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ScoreOut,
    SelectionCandidateIn,
    SelectionCandidateOut,
    SelectionCandidatePatch,
    SelectionIn,
    SelectionOut,
    SelectionPatch,
    SuccessFactorIn,
    SuccessFactorOut,
    SuccessFactorPatch,
    ValueScoreOut,
)

UI = services.UI


def _shaped(*, empty_text: tuple[str, ...] = (), kept: tuple[str, ...] = (), currency: bool = False):
    """Input shaping: ``empty_text`` fields sent as null become "", ``kept`` fields sent as null keep their
    value (they cannot be emptied; in a create they are required, never null), a currency is upper-cased."""

    def prepare(actor, data: dict) -> dict:
        for name in empty_text:
            if name in data and data[name] is None:
                data[name] = ""
        for name in kept:
            if name in data and data[name] is None:
                data.pop(name)
        if currency and data.get("currency"):
            data["currency"] = data["currency"].strip().upper()
        return data

    return prepare


def _without_nulls(actor, data: dict) -> dict:
    """Every field sent as null keeps its value (all are required in a create)."""
    return {name: value for name, value in data.items() if value is not None}


# Contracts and their documents ---------------------------------------------------------------------

def contract_rows(actor):
    """Contracts with what a row shows (constant queries): money visibility is decided per row from the
    prefetched components' owners, the deadline state from the prefetched decisions."""
    following = Contract.objects.filter(previous=OuterRef("pk")).values("pk")[:1]
    return (Contract.objects.restrict(actor, "view")
            .select_related("vendor", "business_owner", "procurement_owner", "legal_reviewer")
            .prefetch_related("components", "decisions")
            .annotate(next_id=Subquery(following)))


CONTRACTS = Resource(
    Contract, "contracts", out=ContractOut, create_schema=ContractIn, patch_schema=ContractPatch, lookup="pk",
    filterset=ContractFilterSet, queryset=contract_rows, plain_list=False,
    refs={"vendor": Ref(Vendor), "components": Ref(Component, many=True), "business_owner": Ref.person(),
          "procurement_owner": Ref.person(), "legal_reviewer": Ref.person()},
    prepare=_shaped(empty_text=("notes", "payment_terms"), currency=True, kept=(
        "vendor", "reference", "start_date", "end_date", "annual_value", "currency", "status", "renewal_type",
        "renewal_term_months", "notice_period_days", "billing_frequency", "dpa_signed", "security_review_done")),
    create=services.contract_create, update=services.contract_update, delete=services.contract_delete,
    pages=Pages(form=ContractForm, list_view=views.ContractListView, detail_view=views.ContractDetailView,
                form_view=views.ContractFormView, delete_view=views.ContractDeleteView,
                filterset=views.ContractListFilterSet, title="Contracts", empty_text="No contracts recorded yet.",
                intro="Every vendor contract with its notice deadline: the last day to cancel or renegotiate before "
                      "it renews. Red: the deadline passed and nobody decided; orange: due within 30 days; yellow: "
                      "up for renewal.",
                help_text="The notice deadline is computed from the end date and the notice period. A contract "
                          "stays a draft until it is signed; renewals are recorded on the contract's page."),
    docs={"list": "Contracts, nearest notice deadline first, with their deadline state and decisions (constant "
                  "queries).\n    Annual value and payment terms are null, with ``values_hidden: true``, for "
                  "callers who may not see them.",
          "create": "Record a contract; the notice deadline is computed from the end date and the notice period.",
          "patch": "Change only the fields sent; ``version`` must be the one you read (else 409). Renewing, "
                   "cancelling and\n    ending a contract is a renewal decision (POST …/decision), not an edit.",
          "delete": "Delete a draft contract (others are cancelled or expire instead: 422); (409) if ``?version=`` "
                    "is stale."},
)

CONTRACT_DOCUMENTS = Resource(
    ContractDocument, "contract-documents", out=ContractDocumentOut, create_schema=ContractDocumentIn,
    patch_schema=ContractDocumentPatch, lookup="pk", plain_list=False,
    parent=Parent(CONTRACTS, "contract", "documents"), prepare=_without_nulls,
    create=services.document_create, update=services.document_update, delete=services.document_delete,
    docs={"list": "Links to the contract's documents (the signed contract, the DPA, order forms)."},
)


# Selections: candidates, criteria, scores ------------------------------------------------------------

def selection_rows(actor):
    return (Selection.objects.restrict(actor, "view").select_related("replaces", "chosen")
            .prefetch_related(Prefetch("candidates", queryset=SelectionCandidate.objects.select_related("vendor")),
                              Prefetch("criteria", queryset=Criterion.objects.select_related("department"))))


def require_open(selection: Selection) -> None:
    if selection.status != "open":
        raise ValidationError({"selection": "The selection is decided or abandoned: its candidates, criteria and "
                                            "scores no longer change."})


SELECTIONS = Resource(
    Selection, "selections", out=SelectionOut, create_schema=SelectionIn, patch_schema=SelectionPatch, lookup="pk",
    filterset=SelectionFilterSet, queryset=selection_rows, plain_list=False,
    refs={"request": Ref("intake.Request", key="pk"), "replaces": Ref(Component)},
    prepare=_shaped(empty_text=("need",), kept=("title",)),
    create=services.selection_create, update=services.selection_update, delete=services.selection_delete,
    pages=Pages(form=SelectionForm, list_view=views.SelectionListView, detail_view=views.SelectionDetailView,
                title="Tool selections", empty_text="No tool selection yet.",
                intro="Choosing a tool together: candidates, what each department judges them on and how much it "
                      "weighs, the reviewers' scores, and the decision with its reasons and any dissent.",
                help_text="Say what is being chosen and why. Then add the candidates and what each department "
                          "judges them on."),
    docs={"list": "Tool selections, newest first, with their candidates and criteria (constant queries).",
          "delete": "Delete the selection with its candidates, criteria and scores; (409) if ``?version=`` is "
                    "stale."},
)


def _while_open(policy, action: str, service, *, item: bool):
    """``service`` for the API, refused (422) once the selection is decided or abandoned — after the policy
    (403 first), as the service asks it again."""
    if not item:
        def create(*, actor, data: dict, source=UI):
            policy.require(actor, action)
            require_open(data["selection"])
            return service(actor=actor, data=data, source=source)
        return create

    def write(obj, *, actor, source=UI, **kwargs):
        policy.require(actor, action, obj)
        require_open(obj.selection)
        return service(obj, actor=actor, source=source, **kwargs)
    return write


SELECTION_CANDIDATES = Resource(
    SelectionCandidate, "selection-candidates", out=SelectionCandidateOut, create_schema=SelectionCandidateIn,
    patch_schema=SelectionCandidatePatch, lookup="pk", plain_list=False, singular="selection_candidate",
    queryset=lambda actor: SelectionCandidate.objects.restrict(actor, "view").select_related("vendor", "selection"),
    parent=Parent(SELECTIONS, "selection", "candidates"), refs={"vendor": Ref(Vendor)},
    prepare=_shaped(empty_text=("notes",), kept=("name",)),
    create=_while_open(CANDIDATE_POLICY, "add", services.candidate_create, item=False),
    update=services.candidate_update,
    delete=_while_open(CANDIDATE_POLICY, "delete", services.candidate_delete, item=True),
    docs={"create": "Add a candidate product (optionally with its vendor) to an open selection.",
          "delete": "Remove a candidate (and its scores) from an open selection."},
)

SELECTION_CRITERIA = Resource(
    Criterion, "selection-criteria", out=CriterionOut, create_schema=CriterionIn, patch_schema=CriterionPatch,
    lookup="pk", plain_list=False, singular="selection_criterion",
    queryset=lambda actor: Criterion.objects.restrict(actor, "view").select_related("department", "selection"),
    parent=Parent(SELECTIONS, "selection", "criteria"), refs={"department": Ref("org.Department")},
    prepare=_shaped(empty_text=("description",), kept=("name", "weight", "department")),
    create=_while_open(CRITERION_POLICY, "add", services.criterion_create, item=False),
    update=_while_open(CRITERION_POLICY, "change", services.criterion_update, item=True),
    delete=_while_open(CRITERION_POLICY, "delete", services.criterion_delete, item=True),
    docs={"create": "Add a weighted criterion, scored by the named department's reviewers."},
)

# Scores are recorded (and replaced) by a reviewer's step (``api.selections``): here only their list.
SELECTION_SCORES = Resource(
    Score, "selection-scores", out=ScoreOut, lookup="pk", plain_list=False, detail=False, singular="selection_score",
    queryset=lambda actor: Score.objects.restrict(actor, "view").select_related("reviewer"),
    parent=Parent(SELECTIONS, "criterion__selection", "scores"),
    docs={"list": "Every reviewer's score of every candidate on every criterion."},
)


# Objectives, success factors and KPIs ------------------------------------------------------------------

OBJECTIVES = Resource(
    Objective, "objectives", out=ObjectiveOut, create_schema=ObjectiveIn, patch_schema=ObjectivePatch, lookup="pk",
    filterset=ObjectiveFilterSet, plain_list=False,
    queryset=lambda actor: (Objective.objects.restrict(actor, "view").select_related("owner")
                            .prefetch_related("success_factors", Prefetch("kpis", queryset=Kpi.objects.order_by(
                                "name")))),
    refs={"owner": Ref.person()},
    prepare=_shaped(empty_text=("description",), kept=("name", "period_start", "period_end")),
    create=services.objective_create, update=services.objective_update, delete=services.objective_delete,
    pages=Pages(form=ObjectiveForm, list_view=views.ObjectiveListView, detail_view=views.ObjectiveDetailView,
                title="Objectives", empty_text="No objectives yet.",
                intro="What the business wants to achieve, the critical success factors under each, and the KPIs "
                      "that show whether the tools bought for it deliver.",
                help_text="A strategic objective with its owner and period, e.g. “grow marketing-sourced pipeline "
                          "20 % in 2027”."),
    docs={"list": "Strategic objectives, latest period first, with their success factors and KPIs (constant "
                  "queries).",
          "delete": "Delete the objective and its success factors (its KPIs stay, without an objective)."},
)

SUCCESS_FACTORS = Resource(
    SuccessFactor, "success-factors", out=SuccessFactorOut, create_schema=SuccessFactorIn,
    patch_schema=SuccessFactorPatch, lookup="pk", plain_list=False,
    parent=Parent(OBJECTIVES, "objective", "success-factors"), prepare=_without_nulls,
    create=services.success_factor_create, update=services.success_factor_update,
    delete=services.success_factor_delete,
    docs={"create": "Add a critical success factor under the objective."},
)


def kpi_create(*, actor, data: dict, source=UI) -> Kpi:
    """A KPI sent without a slug gets one made from its name."""
    if "slug" not in data:
        data = {**data, "slug": slugify(data.get("name") or "")[:200]}
    return services.kpi_create(actor=actor, data=data, source=source)


KPIS = Resource(
    Kpi, "kpis", out=KpiOut, create_schema=KpiIn, patch_schema=KpiPatch, filterset=KpiFilterSet, plain_list=False,
    queryset=lambda actor: Kpi.objects.restrict(actor, "view").select_related("objective").prefetch_related(
        "components"),
    refs={"objective": Ref(Objective, key="pk"), "request": Ref("intake.Request", key="pk"),
          "components": Ref(Component, many=True)},
    prepare=_shaped(empty_text=("currency",), currency=True,
                    kept=("name", "definition", "unit", "value_kind", "direction", "frequency")),
    create=kpi_create, update=services.kpi_update, delete=services.kpi_delete,
    pages=Pages(form=KpiForm, list_view=views.KpiListView, detail_view=views.KpiDetailView, title="KPIs",
                empty_text="No KPIs defined yet.",
                intro="The measures the tools are judged by: what is counted, the target, and how the latest "
                      "period did against it.",
                help_text="Define exactly what is counted and from which source, the target per period, and "
                          "whether higher or lower is better. Money and counts feed ROI and cost per unit."),
    docs={"list": "KPIs with the objective they serve and the components they measure (constant queries).",
          "delete": "Delete the KPI with its measurements; (409) if ``?version=`` is stale."},
)


# Costs, budgets and value scores -----------------------------------------------------------------------

COST_ENTRIES = Resource(
    CostEntry, "cost-entries", out=CostEntryOut, create_schema=CostEntryIn, patch_schema=CostEntryPatch,
    lookup="pk", filterset=CostEntryFilterSet, plain_list=False,
    queryset=lambda actor: CostEntry.objects.restrict(actor, "view").select_related("component"),
    refs={"component": Ref(Component)},
    prepare=_shaped(empty_text=("description",), kept=("component", "year", "kind", "currency"), currency=True),
    create=services.cost_entry_create, update=services.cost_entry_update, delete=services.cost_entry_delete,
    docs={"list": "Services, internal effort and other costs per component and year (licences come from "
                  "contracts).\n    Amounts and hours are null, with ``values_hidden: true``, where you may not "
                  "see the component's money."},
)

BUDGETS = Resource(
    Budget, "budgets", out=BudgetOut, create_schema=BudgetIn, patch_schema=BudgetPatch, lookup="pk",
    filterset=BudgetFilterSet, plain_list=False,
    queryset=lambda actor: Budget.objects.restrict(actor, "view").select_related("component", "category"),
    refs={"component": Ref(Component), "category": Ref(Category)},
    prepare=_shaped(empty_text=("notes",), kept=("year", "amount", "currency"), currency=True),
    create=services.budget_create, update=services.budget_update, delete=services.budget_delete,
    docs={"list": "Planned amounts per year, for one component or one category.\n    The amount is null, with "
                  "``values_hidden: true``, where you may not see it (a component's budget: its owners and who "
                  "sees all money; a category's: who sees all money).",
          "create": "Plan a year's budget for one component or one category (not both)."},
)

# A value score is recorded (and replaced) by the component's owner's step (``api.value``): here its list.
VALUE_SCORES = Resource(
    ValueScore, "value-scores", out=ValueScoreOut, lookup="pk", filterset=ValueScoreFilterSet, plain_list=False,
    detail=False, queryset=lambda actor: ValueScore.objects.restrict(actor, "view").select_related("component",
                                                                                                   "scorer"),
    docs={"list": "The business owners' judgement of each tool's value (1–5, with reasons) per year."},
)

RESOURCES = (CONTRACTS, CONTRACT_DOCUMENTS, SELECTIONS, SELECTION_CANDIDATES, SELECTION_CRITERIA,
             SELECTION_SCORES, OBJECTIVES, SUCCESS_FACTORS, KPIS, COST_ENTRIES, BUDGETS, VALUE_SCORES)
