"""Finance's sections of the stack-as-code format (``stackcode.registry``): contracts, objectives, KPIs and
their measurements, budgets, cost entries, selections with their candidates, criteria and scores, renewal
decisions, contract documents and value scores.

Every write is a finance service: an imported renewal decision is recorded by ``renewal_decision_record``, as
``contract_decide`` records one (but without ending the term or creating the next: the file holds those);
scores and value scores by ``score_record`` and ``value_score_record`` with the reviewer or scorer named (a
refusal of the person is reported at that field).
"""

from stacksteward.stackcode.checks import differs_from, names_a_criterion, score_range
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.schema import Field, Section, criterion_key

from . import services
from .choices import (
    BillingFrequencyChoices,
    ContractStatusChoices,
    CostKindChoices,
    KpiDirectionChoices,
    KpiFrequencyChoices,
    KpiValueKindChoices,
    RenewalDecisionChoices,
    RenewalTypeChoices,
    SelectionStatusChoices,
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
    RenewalDecision,
    Score,
    Selection,
    SelectionCandidate,
    SuccessFactor,
    ValueScore,
)


def _casefold_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)

CONTRACT_SECTION = Section(
    "contracts",
    (
        Field("key", "slug", required=True),
        Field("vendor", "ref", required=True, ref="vendors"),
        Field("components", "refs", ref="components"),
        Field("reference", "str", required=True),
        Field("start_date", "date", required=True),
        Field("end_date", "date", required=True),
        Field("renewal_type", "enum", choices=RenewalTypeChoices, default=RenewalTypeChoices.AUTO.value),
        Field("renewal_term_months", "int", default=12),
        Field("notice_period_days", "int", default=30),
        Field("annual_value", "decimal", money=True),  # required by the model; not by the file
        Field("currency", "currency"),
        Field("billing_frequency", "enum", choices=BillingFrequencyChoices,
              default=BillingFrequencyChoices.ANNUALLY.value),
        Field("seats", "int"),
        Field("payment_terms", "str", money=True),
        Field("dpa_signed", "bool", default=False),
        Field("security_review_done", "bool", default=False),
        Field("procurement_owner", "ref", ref="people"),
        Field("legal_reviewer", "ref", ref="people"),
        Field("business_owner", "ref", ref="people"),
        Field("status", "enum", choices=ContractStatusChoices, default=ContractStatusChoices.DRAFT.value),
        Field("previous", "ref", ref="contracts"),
        Field("notice_sent_on", "date"),
        Field("notes", "text"),
    ),
    key=("key",),
    singular="contract",
    model=Contract,
    create=services.contract_create,
    update=services.contract_update,
    bulk_create=services.contract_bulk_create,
    lists={"components": lambda: Contract.components.through.objects.values_list("contract_id", "component__slug")},
    sort_key=lambda e: e["key"],
    checks=(differs_from("previous", "key", "is this contract itself; “previous” names the term this one continues"),),
)

OBJECTIVE_SECTION = Section(
    "objectives",
    (
        Field("name", "str", required=True),
        Field("description", "text"),
        Field("owner", "ref", ref="people"),
        Field("period_start", "date", required=True),
        Field("period_end", "date", required=True),
        Field("success_factors", "names"),
    ),
    key=("name",),
    singular="objective",
    model=Objective,
    create=services.objective_create,
    update=services.objective_update,
    lists={"success_factors": lambda: SuccessFactor.objects.values_list("objective_id", "name")},
    sort_key=lambda e: _casefold_key(e["name"]),
    by_name=True,
)

KPI_SECTION = Section(
    "kpis",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("definition", "text"),
        Field("unit", "str"),
        Field("value_kind", "enum", choices=KpiValueKindChoices, default=KpiValueKindChoices.COUNT.value),
        Field("currency", "currency", default=""),  # money KPIs only
        Field("direction", "enum", choices=KpiDirectionChoices, default=KpiDirectionChoices.HIGHER.value),
        Field("target", "number"),
        Field("frequency", "enum", choices=KpiFrequencyChoices, default=KpiFrequencyChoices.MONTHLY.value),
        Field("objective", "ref", ref="objectives"),
        Field("components", "refs", ref="components"),
    ),
    key=("slug",),
    singular="KPI",
    plural="KPIs",
    model=Kpi,
    create=services.kpi_create,
    update=services.kpi_update,
    bulk_create=services.kpi_bulk_create,
    lists={"components": lambda: Kpi.components.through.objects.values_list("kpi_id", "component__slug")},
    sort_key=lambda e: e["slug"],
    by_name=True,
)

MEASUREMENT_SECTION = Section(
    "kpi_measurements",
    (
        Field("kpi", "ref", required=True, ref="kpis"),
        Field("period_start", "date", required=True),
        Field("value", "number", required=True),
        Field("note", "str"),
    ),
    key=("kpi", "period_start"),
    singular="KPI measurement",
    plural="KPI measurements",
    model=Measurement,
    create=services.measurement_set,
    update=services.measurement_update,
    bulk_create=services.measurement_bulk_create,
    sort_key=lambda e: (e["kpi"], e["period_start"]),
    index_key=lambda m: (m.kpi_id, m.period_start),
)

BUDGET_SECTION = Section(
    "budgets",
    (
        Field("year", "int", required=True),
        Field("component", "ref", ref="components"),
        Field("category", "ref", ref="categories"),
        Field("amount", "decimal", required=True),
        Field("currency", "currency"),
        Field("notes", "str"),
    ),
    key=("year", "component", "category"),
    singular="budget",
    one_of=("component", "category"),
    model=Budget,
    create=services.budget_create,
    update=services.budget_update,
    bulk_create=services.budget_bulk_create,
    sort_key=lambda e: (e["year"], e["component"] is None, e["component"] or e["category"]),
    index_key=lambda b: (b.year, b.component_id, b.category_id),
)

COST_ENTRY_SECTION = Section(
    "cost_entries",
    (
        Field("component", "ref", required=True, ref="components"),
        Field("year", "int", required=True),
        Field("kind", "enum", choices=CostKindChoices, default=CostKindChoices.SERVICES.value),
        Field("description", "str"),
        Field("amount", "decimal", money=True),
        Field("hours", "hours", money=True),
        Field("currency", "currency"),
    ),
    key=("component", "year", "kind", "description"),
    singular="cost entry",
    model=CostEntry,
    create=services.cost_entry_create,
    update=services.cost_entry_update,
    bulk_create=services.cost_entry_bulk_create,
    sort_key=lambda e: (e["component"], e["year"], e["kind"], e["description"], e["amount"] or "",
                        e["hours"] or "", e["currency"]),
    # No key of their own: component, year, kind and description name one (or several, in the UI).
    index_key=lambda e: (e.component_id, e.year, e.kind, e.description),
    many=True,
    load=lambda: CostEntry.objects.order_by("id"),
)

SELECTION_SECTION = Section(
    "selections",
    (
        Field("key", "slug", required=True),
        Field("title", "str", required=True),
        Field("need", "text"),
        Field("replaces", "ref", ref="components"),
        Field("status", "enum", choices=SelectionStatusChoices, default=SelectionStatusChoices.OPEN.value),
        Field("chosen", "candidate", ref="selection_candidates"),
        Field("decision_reasons", "text"),
        Field("dissent", "text"),
        Field("decided_at", "datetime"),
    ),
    key=("key",),
    singular="selection",
    model=Selection,
    create=services.selection_create,
    update=services.selection_update,
    sort_key=lambda e: e["key"],
)

CANDIDATE_SECTION = Section(
    "selection_candidates",
    (
        Field("selection", "ref", required=True, ref="selections"),
        Field("name", "str", required=True),
        Field("vendor", "ref", ref="vendors"),
        Field("notes", "text"),
    ),
    key=("selection", "name"),
    singular="selection candidate",
    model=SelectionCandidate,
    create=services.candidate_create,
    update=services.candidate_update,
    name_of=lambda candidate: candidate.name,
    row_key=lambda row, keys: row["name"],
    sort_key=lambda e: (e["selection"], _casefold_key(e["name"])),
    index_key=lambda c: (c.selection_id, c.name),
)

CRITERION_SECTION = Section(
    "selection_criteria",
    (
        Field("selection", "ref", required=True, ref="selections"),
        Field("department", "ref", required=True, ref="departments"),
        Field("name", "str", required=True),
        Field("weight", "decimal", required=True),
        Field("description", "text"),
    ),
    key=("selection", "department", "name"),
    singular="selection criterion",
    model=Criterion,
    create=services.criterion_create,
    update=services.criterion_update,
    name_of=criterion_key,
    row_key=lambda row, keys: f"{keys['departments'][row['department_id']]}/{row['name']}",
    sort_key=lambda e: (e["selection"], e["department"], _casefold_key(e["name"])),
    index_key=lambda c: (c.selection_id, c.department_id, c.name),
    load=lambda: Criterion.objects.select_related("department"),
)

SCORE_SECTION = Section(
    "selection_scores",
    (
        Field("selection", "ref", required=True, ref="selections", attr="criterion__selection"),
        Field("criterion", "criterion", required=True, ref="selection_criteria"),
        Field("candidate", "candidate", required=True, ref="selection_candidates"),
        Field("reviewer", "ref", required=True, ref="people"),
        Field("score", "int", required=True),
        Field("comment", "text"),
    ),
    key=("selection", "criterion", "candidate", "reviewer"),
    singular="selection score",
    model=Score,
    create=services.score_set,
    update=services.score_set_update,
    refused_at="reviewer",
    sort_key=lambda e: (e["selection"], _casefold_key(e["criterion"]), _casefold_key(e["candidate"]),
                        _casefold_key(e["reviewer"])),
    checks=(score_range(0, 5), names_a_criterion),
    index_key=lambda s: (s.criterion_id, s.candidate_id, s.reviewer_id),
)

DECISION_SECTION = Section(
    "renewal_decisions",
    (
        Field("contract", "ref", required=True, ref="contracts"),
        Field("decision", "enum", required=True, choices=RenewalDecisionChoices),
        Field("reasons", "text", required=True),
        Field("new_seats", "int"),
        Field("notice_sent_on", "date"),
        Field("decided_by", "str", attr="decided_by_name"),
    ),
    key=("contract",),  # a contract term has at most one renewal decision
    singular="renewal decision",
    model=RenewalDecision,
    create=services.renewal_decision_record,
    update=services.renewal_decision_update,
    sort_key=lambda e: e["contract"],
    index_key=lambda d: d.contract_id,  # a term has one decision: the oldest
    load=lambda: RenewalDecision.objects.order_by("-id"),
)

DOCUMENT_SECTION = Section(
    "contract_documents",
    (
        Field("contract", "ref", required=True, ref="contracts"),
        Field("url", "str", required=True),
        Field("title", "str", required=True),
    ),
    key=("contract", "url"),
    singular="contract document",
    model=ContractDocument,
    create=services.document_create,
    update=services.document_update,
    sort_key=lambda e: (e["contract"], e["url"]),
    index_key=lambda d: (d.contract_id, d.url),
    load=lambda: ContractDocument.objects.order_by("-id"),
)

VALUE_SCORE_SECTION = Section(
    "value_scores",
    (
        Field("component", "ref", required=True, ref="components"),
        Field("year", "int", required=True),
        Field("scorer", "ref", required=True, ref="people"),
        Field("score", "int", required=True),
        Field("reasons", "text", required=True),
    ),
    key=("component", "year", "scorer"),
    singular="value score",
    model=ValueScore,
    create=services.value_score_set,
    update=services.value_score_set_update,
    refused_at="scorer",
    sort_key=lambda e: (e["component"], e["year"], _casefold_key(e["scorer"])),
    checks=(score_range(1, 5),),
    index_key=lambda s: (s.component_id, s.year, s.scorer_id),
)

register_section(CONTRACT_SECTION, OBJECTIVE_SECTION, KPI_SECTION, MEASUREMENT_SECTION, BUDGET_SECTION,
                 COST_ENTRY_SECTION, SELECTION_SECTION, CANDIDATE_SECTION, CRITERION_SECTION, SCORE_SECTION,
                 DECISION_SECTION, DOCUMENT_SECTION, VALUE_SCORE_SECTION)
