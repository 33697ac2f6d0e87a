"""API schemas for finance: contracts and renewals, tool selections and scorecards, objectives, KPIs and
measurements, costs, budgets, value scores and investments."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from stacksteward.catalog.schemas import CategoryBrief, ComponentBrief, VendorBrief
from stacksteward.core.api_support import InputSchema, patch_schema
from stacksteward.org.schemas import PERSON_REF, DepartmentBrief, PersonBrief, PersonRef

from . import services
from .choices import (
    BillingFrequencyChoices,
    CostKindChoices,
    KpiAttributionChoices,
    KpiDirectionChoices,
    KpiFrequencyChoices,
    KpiValueKindChoices,
    RenewalDecisionChoices,
    RenewalTypeChoices,
)
from .policies import BUDGETS, CONTRACTS, COSTS
from .roi import allocation, attribution

HIDDEN = "Null with values_hidden true for callers who may not see this contract's money."
MONEY = {"max_digits": 14, "decimal_places": 2, "ge": 0}


def _version():
    return Field(..., ge=1, description="The version your step is based on (from the last read).")


def _today(context) -> date:
    """One ``today`` per request (the list's rows all agree)."""
    request = context["request"]
    day = getattr(request, "_steward_today", None)
    if day is None:
        day = request._steward_today = services.today()
    return day


def _shows_money(obj, context) -> bool:
    """Whether the caller may see the contract's money (the money field group of ``policies.CONTRACTS``),
    decided per row from its prefetched components: no queries."""
    return CONTRACTS.shows(context["request"].auth, "money", obj)


def _shows_costs(obj, context) -> bool:
    """Whether the caller may see the cost entry's amount and hours (the money field group of
    ``policies.COSTS``), decided per row from its selected component: no queries."""
    return COSTS.shows(context["request"].auth, "money", obj)


class MoneyOut(Schema):
    amount: Decimal
    currency: str


def money_rows(money) -> list[dict]:
    return [{"amount": amount, "currency": currency} for amount, currency in money.items()]


# Contracts -------------------------------------------------------------------------------------


class RenewalDecisionOut(Schema):
    id: int
    decision: str = Field(..., description="renew, renegotiate, downsize, replace or cancel.")
    reasons: str
    new_seats: int | None
    notice_sent_on: date | None
    decided_by_name: str
    created_at: datetime


class ContractIn(InputSchema):
    vendor: str = Field(..., description="Vendor slug.")
    components: list[str] = Field(default_factory=list, description="Slugs of the components the contract covers.")
    reference: str = Field(..., max_length=100, description="The contract or order number.")
    start_date: date
    end_date: date = Field(..., description="The last day of this term.")
    renewal_type: RenewalTypeChoices = RenewalTypeChoices.AUTO
    renewal_term_months: int = Field(12, ge=1, le=120, description="How long the next term runs.")
    notice_period_days: int = Field(30, ge=0, description="Notice deadline = end date − these days.")
    annual_value: Decimal = Field(..., **MONEY)
    currency: str = Field(settings.STEWARD_CURRENCY, description="ISO 4217 code, e.g. USD, EUR.")
    billing_frequency: BillingFrequencyChoices = BillingFrequencyChoices.ANNUALLY
    seats: int | None = Field(None, ge=0)
    payment_terms: str = Field("", max_length=100)
    allocation_shares: dict[str, Decimal] = Field(default_factory=dict, description=(
        "Component slug → percent (up to two decimals), one for each component, adding up to 100. How the "
        "cost is split over the components; empty: by their seats purchased when each records them, else "
        "equally."))
    dpa_signed: bool = False
    security_review_done: bool = False
    business_owner: PersonRef | None = Field(None, description=PERSON_REF)
    procurement_owner: PersonRef | None = Field(None, description=PERSON_REF)
    legal_reviewer: PersonRef | None = Field(None, description=PERSON_REF)
    status: Literal["draft", "active", "renewing"] = Field(
        "draft", description="Renewed, cancelled and expired are set by the renewal decision and the daily roll.")
    notes: str = ""


ContractPatch = patch_schema(ContractIn, "ContractPatch")


class ContractOut(Schema):
    id: int
    vendor: VendorBrief
    components: list[ComponentBrief]
    reference: str
    start_date: date
    end_date: date
    renewal_type: str
    renewal_term_months: int
    notice_period_days: int
    notice_deadline: date = Field(..., description="Computed: the last day to cancel or renegotiate.")
    notice_before_start: bool = Field(..., description="The notice period is longer than the term.")
    deadline_state: str = Field(..., description="overdue (deadline passed, nobody decided), due (≤ 30 days), "
                                                 "upcoming (within the lead time), ok, decided or closed.")
    days_to_notice_deadline: int = Field(..., description="Negative once the deadline has passed.")
    values_hidden: bool = Field(..., description="The caller may not see this contract's money.")
    annual_value: Decimal | None = Field(..., description=HIDDEN)
    currency: str
    billing_frequency: str
    seats: int | None
    payment_terms: str | None = Field(..., description=HIDDEN)
    allocation_shares: dict[str, Decimal] = Field(..., description="The cost shares the contract states (empty: "
                                                                   "none stated).")
    allocation_basis: str = Field(..., description="How its cost is split over its components, in words: as "
                                                   "the contract says, by seats purchased, or equally.")
    dpa_signed: bool
    security_review_done: bool
    business_owner: PersonBrief | None
    procurement_owner: PersonBrief | None
    legal_reviewer: PersonBrief | None
    status: str
    previous: int | None = Field(..., description="Id of the term this one continues.")
    next: int | None = Field(..., description="Id of the term that follows this one.")
    notice_sent_on: date | None
    notes: str
    decisions: list[RenewalDecisionOut]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_deadline_state(obj, context) -> str:
        return services.deadline_state(obj, _today(context), decided=bool(obj.decisions.all()))

    @staticmethod
    def resolve_days_to_notice_deadline(obj, context) -> int:
        return (obj.notice_deadline - _today(context)).days

    @staticmethod
    def resolve_values_hidden(obj, context) -> bool:
        return not _shows_money(obj, context)

    @staticmethod
    def resolve_annual_value(obj, context) -> Decimal | None:
        return obj.annual_value if _shows_money(obj, context) else None

    @staticmethod
    def resolve_payment_terms(obj, context) -> str | None:
        return obj.payment_terms if _shows_money(obj, context) else None

    @staticmethod
    def resolve_allocation_basis(obj) -> str:
        return allocation(obj).label

    @staticmethod
    def resolve_previous(obj) -> int | None:
        return obj.previous_id

    @staticmethod
    def resolve_next(obj) -> int | None:
        return obj.next_id

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())


class ContractDecisionIn(InputSchema):
    decision: RenewalDecisionChoices
    reasons: str = Field("", description="Required: why. The budget meeting and the next owner read it.")
    new_seats: int | None = Field(None, ge=0, description="Downsize: the seats to keep (fewer than now).")
    notice_sent_on: date | None = Field(None, description="Cancel: the day the notice went to the vendor.")
    version: int = _version()


class ContractDocumentIn(InputSchema):
    title: str = Field(..., max_length=200)
    url: str = Field(..., max_length=500, description="Where the document lives (a link).")


ContractDocumentPatch = patch_schema(ContractDocumentIn, "ContractDocumentPatch")


class ContractDocumentOut(Schema):
    id: int
    contract: int = Field(..., description="Id of the contract.")
    title: str
    url: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contract(obj) -> int:
        return obj.contract_id


# Selections ------------------------------------------------------------------------------------


class CandidateBrief(Schema):
    id: int
    name: str


class SelectionCandidateIn(InputSchema):
    name: str = Field(..., max_length=150, description="The product.")
    vendor: str | None = Field(None, description="Vendor slug, if the vendor is recorded.")
    notes: str = ""


SelectionCandidatePatch = patch_schema(SelectionCandidateIn, "SelectionCandidatePatch")


class SelectionCandidateOut(Schema):
    id: int
    selection: int
    name: str
    vendor: VendorBrief | None
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_selection(obj) -> int:
        return obj.selection_id


class CriterionIn(InputSchema):
    department: str = Field(..., description="Slug of the department that scores it.")
    name: str = Field(..., max_length=150)
    description: str = ""
    weight: Decimal = Field(..., ge=0, max_digits=6, decimal_places=2,
                            description="Relative weight: 2 counts twice as much as 1.")


CriterionPatch = patch_schema(CriterionIn, "CriterionPatch")


class CriterionOut(Schema):
    id: int
    selection: int
    department: DepartmentBrief
    name: str
    description: str
    weight: Decimal
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_selection(obj) -> int:
        return obj.selection_id


class SelectionIn(InputSchema):
    title: str = Field(..., max_length=200)
    need: str = Field("", description="What the tool must make possible.")
    request: int | None = Field(None, description="Id of the intake request this selection answers.")
    replaces: str | None = Field(None, description="Slug of the component it would replace.")


SelectionPatch = patch_schema(SelectionIn, "SelectionPatch")


class SelectionOut(Schema):
    id: int
    title: str
    need: str
    request: int | None
    replaces: ComponentBrief | None
    status: str = Field(..., description="open (scoring), decided or abandoned.")
    chosen: CandidateBrief | None
    decision_reasons: str
    dissent: str
    decided_at: datetime | None
    candidates: list[SelectionCandidateOut]
    criteria: list[CriterionOut]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_request(obj) -> int | None:
        return obj.request_id

    @staticmethod
    def resolve_candidates(obj) -> list:
        return list(obj.candidates.all())

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())


class ScoreIn(InputSchema):
    criterion: int = Field(..., description="Id of the criterion (of this selection).")
    candidate: int = Field(..., description="Id of the candidate (of this selection).")
    score: int = Field(..., ge=0, le=5)
    comment: str = ""
    reviewer: PersonRef | None = Field(None, description=PERSON_REF + " Default: you; only admins name another.")


class ScoreOut(Schema):
    id: int
    criterion: int
    candidate: int
    reviewer: PersonBrief
    score: int
    comment: str
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_criterion(obj) -> int:
        return obj.criterion_id

    @staticmethod
    def resolve_candidate(obj) -> int:
        return obj.candidate_id


class DepartmentTotalOut(Schema):
    department: str
    total: Decimal | None = Field(..., description="Null while none of its criteria is scored.")


class CandidateTotalsOut(Schema):
    candidate: CandidateBrief
    overall: Decimal | None = Field(..., description="Weighted mean over every scored criterion (0–5).")
    by_department: list[DepartmentTotalOut]
    missing: int = Field(..., description="Criteria nobody scored yet for this candidate.")


class ScorecardOut(Schema):
    selection: int
    criteria: int = Field(..., description="How many criteria the selection has.")
    candidates: list[CandidateTotalsOut] = Field(..., description="Best overall first.")


class SelectionDecisionIn(InputSchema):
    chosen: int = Field(..., description="Id of the chosen candidate.")
    reasons: str = Field(..., description="Why this candidate.")
    dissent: str = Field("", description="Who disagreed, and why.")
    create_component: bool = Field(False, description="Create the chosen tool as a component (pilot) and a draft "
                                                      "contract with its vendor.")
    version: int = _version()


# Objectives and KPIs ---------------------------------------------------------------------------


class ObjectiveBrief(Schema):
    id: int
    name: str


class KpiBrief(Schema):
    slug: str
    name: str


class SuccessFactorIn(InputSchema):
    name: str = Field(..., max_length=200)


SuccessFactorPatch = patch_schema(SuccessFactorIn, "SuccessFactorPatch")


class SuccessFactorOut(Schema):
    id: int
    objective: int
    name: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_objective(obj) -> int:
        return obj.objective_id


class ObjectiveIn(InputSchema):
    name: str = Field(..., max_length=200)
    description: str = ""
    owner: PersonRef | None = Field(None, description=PERSON_REF)
    period_start: date
    period_end: date


ObjectivePatch = patch_schema(ObjectiveIn, "ObjectivePatch")


class ObjectiveOut(Schema):
    id: int
    name: str
    description: str
    owner: PersonBrief | None
    period_start: date
    period_end: date
    success_factors: list[SuccessFactorOut]
    kpis: list[KpiBrief]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_success_factors(obj) -> list:
        return list(obj.success_factors.all())

    @staticmethod
    def resolve_kpis(obj) -> list:
        return list(obj.kpis.all())


class KpiIn(InputSchema):
    name: str = Field(..., max_length=200)
    slug: str | None = Field(None, max_length=200, description="Made from the name when left out.")
    definition: str = Field(..., description="Exactly what is counted, and from which source.")
    unit: str = Field(..., max_length=30, description="E.g. leads, %, EUR.")
    value_kind: KpiValueKindChoices = KpiValueKindChoices.COUNT
    currency: str = Field("", description="For money KPIs: ISO 4217 code.")
    direction: KpiDirectionChoices = KpiDirectionChoices.HIGHER
    target: Decimal | None = Field(None, max_digits=16, decimal_places=2, description="Per period.")
    frequency: KpiFrequencyChoices = KpiFrequencyChoices.MONTHLY
    objective: int | None = Field(None, description="Id of the objective it serves.")
    components: list[str] = Field(default_factory=list, description="Slugs of the components it measures.")
    request: int | None = Field(None, description="Id of the request that promised it.")
    attribution: KpiAttributionChoices = Field(
        KpiAttributionChoices.EQUAL, description="How its value is shared among the components it measures.")
    attribution_shares: dict[str, Decimal] = Field(default_factory=dict, description=(
        "Component slug → percent (up to two decimals), one for each component, adding up to 100. Only with "
        "``shares``."))


KpiPatch = patch_schema(KpiIn, "KpiPatch")


class KpiOut(Schema):
    id: int
    slug: str
    name: str
    definition: str
    unit: str
    value_kind: str
    currency: str
    direction: str
    target: Decimal | None
    frequency: str
    objective: ObjectiveBrief | None
    components: list[ComponentBrief]
    request: int | None
    attribution: str = Field(..., description="equal or shares.")
    attribution_shares: dict[str, Decimal] = Field(..., description="With ``shares``: component slug → percent.")
    attribution_basis: str = Field(..., description="The rule in words, with each component's share.")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_request(obj) -> int | None:
        return obj.request_id

    @staticmethod
    def resolve_attribution_basis(obj) -> str:
        return attribution(obj).label

    @staticmethod
    def resolve_components(obj) -> list:
        return list(obj.components.all())


class MeasurementIn(InputSchema):
    period_start: date = Field(..., description="The first day of the period measured.")
    value: Decimal
    note: str = Field("", max_length=300)


class MeasurementPushIn(InputSchema):
    items: list[MeasurementIn] = Field(..., min_length=1, max_length=1000,
                                       description="One or many periods; a period already measured is replaced.")


class MeasurementOut(Schema):
    id: int
    period_start: date
    value: Decimal
    source: str = Field(..., description="ui, import or api.")
    note: str
    version: int
    updated_at: datetime


class MeasurementPushOut(Schema):
    created: int
    replaced: int
    items: list[MeasurementOut]


# Costs, budgets, value scores and investments --------------------------------------------------


class CostEntryIn(InputSchema):
    component: str = Field(..., description="Component slug.")
    year: int = Field(..., ge=2000, le=2100)
    kind: CostKindChoices = CostKindChoices.SERVICES
    amount: Decimal | None = Field(None, **MONEY)
    hours: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=1,
                                  description="Internal effort, priced at the configured rate.")
    currency: str = Field(settings.STEWARD_CURRENCY, description="ISO 4217 code.")
    description: str = Field("", max_length=300)


CostEntryPatch = patch_schema(CostEntryIn, "CostEntryPatch")


class CostEntryOut(Schema):
    id: int
    component: ComponentBrief
    year: int
    kind: str
    values_hidden: bool = Field(..., description="The caller may not see this component's money.")
    amount: Decimal | None
    hours: Decimal | None
    currency: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_values_hidden(obj, context) -> bool:
        return not _shows_costs(obj, context)

    @staticmethod
    def resolve_amount(obj, context) -> Decimal | None:
        return obj.amount if _shows_costs(obj, context) else None

    @staticmethod
    def resolve_hours(obj, context) -> Decimal | None:
        return obj.hours if _shows_costs(obj, context) else None


class BudgetIn(InputSchema):
    year: int = Field(..., ge=2000, le=2100)
    component: str | None = Field(None, description="Component slug (or give a category).")
    category: str | None = Field(None, description="Category slug (or give a component).")
    amount: Decimal = Field(..., **MONEY)
    currency: str = Field(settings.STEWARD_CURRENCY, description="ISO 4217 code.")
    notes: str = Field("", max_length=300)


BudgetPatch = patch_schema(BudgetIn, "BudgetPatch")


class BudgetOut(Schema):
    id: int
    year: int
    component: ComponentBrief | None
    category: CategoryBrief | None
    values_hidden: bool = Field(..., description="The caller may not see this budget's planned amount (a "
                                                 "component's owners and who sees all money may; a category's "
                                                 "budget only who sees all money).")
    amount: Decimal | None = Field(..., description="Planned amount; null with values_hidden true.")
    currency: str
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_values_hidden(obj, context) -> bool:
        return not BUDGETS.shows(context["request"].auth, "money", obj)

    @staticmethod
    def resolve_amount(obj, context) -> Decimal | None:
        return obj.amount if BUDGETS.shows(context["request"].auth, "money", obj) else None


class ValueScoreIn(InputSchema):
    component: str = Field(..., description="Component slug; you must be its business owner (or an admin).")
    year: int = Field(..., ge=2000, le=2100)
    score: int = Field(..., ge=1, le=5)
    reasons: str = Field(..., min_length=1)


class ValueScoreOut(Schema):
    id: int
    component: ComponentBrief
    year: int
    scorer: PersonBrief
    score: int
    reasons: str
    version: int
    updated_at: datetime


class CostPerUnitOut(Schema):
    unit: str
    value: Decimal | None
    formula: str = Field(..., description="The computation with its numbers, or why there is none.")


class LicencePartOut(Schema):
    contract: str = Field(..., description="The contract's reference.")
    contract_id: int
    amount: Decimal = Field(..., description="This component's part of the contract's cost in the year.")
    currency: str
    year_total: Decimal = Field(..., description="The contract's cost in the year, before the split.")
    share: Decimal = Field(..., description="This component's share, as a fraction.")
    basis: str = Field(..., description="How the contract's cost is split, in words.")


class ValuePartOut(Schema):
    kpi: str = Field(..., description="The KPI's slug.")
    amount: Decimal = Field(..., description="This component's part of the KPI's value (or count) in the year.")
    unit: str = Field(..., description="The currency of a money KPI, else the KPI's unit.")
    year_total: Decimal = Field(..., description="The KPI's whole value in the year: counted once, over all parts.")
    share: Decimal = Field(..., description="This component's share, as a fraction.")
    basis: str = Field(..., description="The KPI's attribution rule, in words.")


class InvestmentOut(Schema):
    component: ComponentBrief
    year: int
    values_hidden: bool = Field(..., description="The caller may not see this component's costs: cost fields, "
                                                 "ROI and cost per unit are null.")
    licence: list[MoneyOut] | None = Field(..., description="Contracts' annual value prorated to the year.")
    services: list[MoneyOut] | None
    internal: list[MoneyOut] | None = Field(..., description="Hours × the configured rate, or amounts.")
    total: list[MoneyOut] | None = Field(..., description="Cost per currency (never summed across currencies).")
    value: list[MoneyOut] = Field(..., description="This component's share of the money KPIs measuring it in "
                                                   "the year (see ``value_parts``).")
    value_parts: list[ValuePartOut] = Field(..., description="Each KPI's part: amount, share and rule.")
    licence_parts: list[LicencePartOut] | None = Field(..., description="Each contract's part: amount, share "
                                                                        "and basis.")
    roi: Decimal | None = Field(..., description="(value − cost) ÷ cost, as a fraction.")
    roi_formula: str | None = Field(..., description="The computation with its numbers, when there is an ROI.")
    roi_reason: str | None = Field(..., description="Why there is no ROI.")
    cost_per_unit: list[CostPerUnitOut] | None
    value_score: Decimal | None = Field(..., description="The owners' mean value score (1–5) for the year.")
    value_scores: int = Field(..., description="How many owners scored it.")
    seat_utilisation: float | None = Field(..., description="Seats used ÷ seats purchased.")
