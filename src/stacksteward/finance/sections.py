"""Finance's sections of the stack-as-code format (``stackcode.registry``): contracts, objectives, KPIs and
their measurements, budgets, cost entries, selections with their candidates, criteria and scores, renewal
decisions, contract documents and value scores.

Every write is a finance service: an imported renewal decision is recorded by ``renewal_decision_record``, as
``contract_decide`` records one (but without ending the term or creating the next: the file holds those);
scores and value scores by ``score_record`` and ``value_score_record`` with the reviewer or scorer named (a
refusal of the person is reported at that field).
"""

from django.core.exceptions import ValidationError

from stacksteward.stackcode.checks import differs_from, names_a_criterion, score_range
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.report import quote
from stacksteward.stackcode.schema import SECTIONS, Field, Section, criterion_key, plain_value
from stacksteward.stackcode.workspace import Ambiguous, Skip, failed_key, unique_name

from . import services
from .choices import (
    BillingFrequencyChoices,
    ContractStatusChoices,
    CostKindChoices,
    KpiAttributionChoices,
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


# The import (``Section.apply``, ``file_key``) -------------------------------------------------------------

def _measurement_file_key(values: dict) -> tuple[str, str, str]:
    shown = f"{values['kpi']} · {values['period_start'].isoformat()}"
    return shown.casefold(), shown, "period_start"


def _budget_file_key(values: dict) -> tuple[str, str, str]:
    subject = values.get("component") or values.get("category") or ""
    shown = f"{values['year']} · {subject}"
    return f"{values['year']}|{values.get('component') or ''}|{values.get('category') or ''}".casefold(), shown, "year"


def _cost_entry_file_key(values: dict) -> tuple[str, str, str]:
    kind = values.get("kind") or SECTIONS["cost_entries"].get("kind").default
    parts = [values["component"], str(values["year"]), kind, values.get("description") or ""]
    return "|".join(p.casefold() for p in parts), " · ".join(p for p in parts if p), "component"


def apply_contracts(imp, items, converted=None) -> None:
    """Contracts, each term before the term continuing it (``previous``): one bulk write per generation."""
    refs = ["vendor", "components", "procurement_owner", "legal_reviewer", "business_owner"]
    pending = []
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            pending.append((entry, values["key"], imp.resolve_refs(entry, values, refs)))
        except Skip:
            imp.ws.failed["contracts"].add(failed_key(values["key"]))
    while pending:
        waiting_keys = {key for _entry, key, _desired in pending}
        ready, waiting = [], []
        for item in pending:
            previous = item[2].get("previous")
            blocked = previous and previous not in imp.ws.entries["contracts"] and previous in waiting_keys
            (waiting if blocked else ready).append(item)
        if not ready:  # every one waits on another: a cycle of terms
            for entry, _key, desired in waiting:
                imp.report.error(entry.place("previous"),
                                  f"{quote(desired['previous'])} would make a cycle of terms; a contract "
                                  f"cannot (even indirectly) continue itself.", desired["previous"])
            break
        for entry, key, desired in ready:
            if desired.get("previous"):
                try:
                    desired["previous"] = imp.ws.resolve("contracts", desired["previous"],
                                                          entry.place("previous"))
                except Skip:
                    imp.ws.failed["contracts"].add(failed_key(key))
                    continue
            imp.write("contracts", key, imp.ws.entries["contracts"].get(key), desired, entry)
        imp.ws.flush("contracts")
        pending = waiting


def apply_objectives(imp, items, converted=None) -> None:
    """Objectives one by one, then each one's success factors: the file's list is the objective's list
    (factors not in it are deleted, through the services like every write)."""
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        name = values["name"]
        try:
            desired = imp.resolve_refs(entry, values, ["owner"])
            obj = imp.ws.find("objectives", name)
        except Ambiguous as exc:
            imp.report.error(entry.place("name"), str(exc), name)
            imp.ws.failed["objectives"].add(failed_key(name))
            continue
        except Skip:
            imp.ws.failed["objectives"].add(failed_key(name))
            continue
        factors = desired.pop("success_factors", None)
        new = imp.write("objectives", name, obj, desired, entry)
        if new is not None and factors is not None:
            sync_success_factors(imp, name, new, factors, entry)


def success_factors(imp) -> dict:
    """Each objective's success factors (objects: the file's list replaces them), loaded on first use: one query."""
    if "success_factors" not in imp.state:
        factors = imp.state["success_factors"] = {}
        for factor in SuccessFactor.objects.order_by("id"):
            factors.setdefault(factor.objective_id, []).append(factor)
    return imp.state["success_factors"]


def sync_success_factors(imp, key: str, objective, names: list[str], entry) -> None:
    spec = SECTIONS["objectives"].get("success_factors")
    current = success_factors(imp).get(objective.pk, [])
    before = imp.ws.current("objectives", objective)["success_factors"]
    gone = [factor for factor in current if factor.name not in names]
    have = {factor.name for factor in current}
    kept = [factor for factor in current if factor.name in names]
    try:
        for factor in gone:
            services.success_factor_delete(factor, actor=imp.ws.actor, source=imp.ws.source)
        for name in names:
            if name not in have:
                kept.append(services.success_factor_create(
                    actor=imp.ws.actor, source=imp.ws.source, data={"objective": objective, "name": name}))
    except ValidationError as exc:
        imp.ws.service_errors("objectives", exc, entry.place, entry.raw, {"name": "success_factors"})
        imp.ws.failed["objectives"].add(failed_key(key))
        return
    success_factors(imp)[objective.pk] = kept
    imp.ws.lists["objectives"]["success_factors"][objective.pk] = [factor.name for factor in kept]
    after = plain_value(spec, [factor.name for factor in kept])
    if after != before:
        imp.report_late_change("objectives", key, {"success_factors": (before, after)})


def apply_kpi_measurements(imp, items, converted=None) -> None:
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["kpi"])
        except Skip:
            continue
        kpi, period = desired["kpi"], values["period_start"]
        imp.write("kpi_measurements", f"{kpi.slug} · {period.isoformat()}",
                   imp.ws.entries["kpi_measurements"].get((kpi.pk, period)), desired, entry)
    imp.ws.flush("kpi_measurements")


def apply_budgets(imp, items, converted=None) -> None:
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["component", "category"])
        except Skip:
            continue
        component, category = desired.get("component"), desired.get("category")
        key = f"{values['year']} · {component.slug}" if component else \
            f"{values['year']} · {category.slug} (category)"
        identity = (values["year"], component.pk if component else None, category.pk if category else None)
        imp.write("budgets", key, imp.ws.entries["budgets"].get(identity), desired, entry)
    imp.ws.flush("budgets")


def apply_cost_entries(imp, items, converted=None) -> None:
    """Cost entries have no key of their own: component, year, kind and description name one."""
    default_kind = SECTIONS["cost_entries"].get("kind").default
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["component"])
        except Skip:
            continue
        component, year = desired["component"], values["year"]
        kind, description = values.get("kind") or default_kind, values.get("description") or ""
        matches = imp.ws.entries["cost_entries"].get((component.pk, year, kind, description), [])
        if len(matches) > 1:
            imp.report.error(entry.place("description"),
                              f"{quote(description)} names {len(matches)} {kind} cost entries of "
                              f"{component.slug} in {year}; give them different descriptions in the UI first.",
                              description)
            continue
        key = " · ".join(str(p) for p in (component.slug, year, kind, description) if p)
        imp.write("cost_entries", key, matches[0] if matches else None, desired, entry)
    imp.ws.flush("cost_entries")


def apply_selections(imp, selections, converted) -> None:
    """A selection's own fields, then its candidates, criteria and scores, then its decision (status, chosen
    candidate, reasons, dissent, decided_at) — so that a decided selection's scores are written while it is
    still open, as in the UI. The decision is written through ``selection_update`` (audited) rather than
    ``selection_decide``, which would stamp the import's time and user over the file's ``decided_at``."""
    decision_fields = ("status", "decision_reasons", "dissent", "decided_at")
    open_status = SECTIONS["selections"].get("status").default
    later = []
    for entry, values in selections:
        imp.ws.tick()
        if values is None:
            continue
        key = values["key"]
        try:
            desired = imp.resolve_refs(entry, values, ["replaces"])
        except Skip:
            imp.ws.failed["selections"].add(failed_key(key))
            continue
        decision = {"chosen": desired.pop("chosen")} if "chosen" in desired else {}
        if desired.get("status", open_status) != open_status:
            decision.update({name: desired.pop(name) for name in decision_fields if name in desired})
        written = imp.write("selections", key, imp.ws.entries["selections"].get(key), desired, entry)
        if written is not None and decision:
            later.append((entry, key, decision))
    apply_selection_parts(imp, "selection_candidates", converted["selection_candidates"],
                          ["selection", "vendor"])
    apply_selection_parts(imp, "selection_criteria", converted["selection_criteria"],
                          ["selection", "department"])
    apply_selection_scores(imp, converted["selection_scores"])
    for entry, key, decision in later:
        selection = imp.ws.entries["selections"][key]
        if decision.get("chosen"):
            try:
                decision["chosen"] = selection_part(imp, entry, selection, "chosen", "selection_candidates",
                                                         decision["chosen"])
            except Skip:
                imp.ws.failed["selections"].add(failed_key(key))
                continue
        changes = imp.ws.diff("selections", imp.ws.current("selections", selection), decision)
        if changes and imp.update_quietly("selections", selection, decision, entry) is not None:
            imp.report_late_change("selections", key, changes)


def apply_selection_parts(imp, section: str, items, refs: list[str]) -> None:
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, refs)
        except Skip:
            imp.ws.failed[section].add(failed_key(imp.raw_key(entry)))
            continue
        selection = desired["selection"]
        if section == "selection_candidates":
            identity, key = (selection.pk, values["name"]), f"{selection.key} · {values['name']}"
        else:
            department = desired["department"]
            identity = (selection.pk, department.pk, values["name"])
            key = f"{selection.key} · {department.slug}/{values['name']}"
        imp.write(section, key, imp.ws.entries[section].get(identity), desired, entry)


def selection_part(imp, entry, selection, name: str, section: str, ref: str):
    """The candidate (by name) or criterion (``department/name``) of ``selection`` that ``ref`` names."""
    found = imp.ws.find_selection_part(section, selection, ref)
    if found is not None:
        return found
    raw = ref.replace("/", "|", 1) if section == "selection_criteria" else ref
    if {failed_key(f"{selection.key}|{raw}"), failed_key(f"{selection.key} · {ref}")} & imp.ws.failed[section]:
        raise Skip
    noun = "candidate" if section == "selection_candidates" else "criterion"
    imp.report.error(entry.place(name), f"{quote(ref)} is not a {noun} of the selection {quote(selection.key)} "
                                         f"in the file or the catalog.", ref)
    raise Skip


def apply_selection_scores(imp, items, converted=None) -> None:
    """Scores through ``finance.services.score_record`` with the reviewer named (the import is a trusted actor
    for a system caller; a user importing may record only what the UI would let them)."""
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["selection", "reviewer"])
            selection = desired.pop("selection")
            desired["criterion"] = selection_part(imp, entry, selection, "criterion", "selection_criteria",
                                                       values["criterion"])
            desired["candidate"] = selection_part(imp, entry, selection, "candidate", "selection_candidates",
                                                       values["candidate"])
        except Skip:
            continue
        criterion, candidate, reviewer = desired["criterion"], desired["candidate"], desired["reviewer"]
        key = f"{selection.key} · {values['criterion']} · {candidate.name} · {values['reviewer']}"
        existing = imp.ws.entries["selection_scores"].get((criterion.pk, candidate.pk, reviewer.pk))
        imp.write("selection_scores", key, existing, desired, entry)


def apply_renewal_decisions(imp, items, converted=None) -> None:
    """One decision per contract term. Written as records (``core.services.object_create``, audited), never
    through ``contract_decide``: the contract's status and its next term are entries of the file themselves,
    so recording a decision must not create another term."""
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["contract"])
        except Skip:
            continue
        contract = desired["contract"]
        existing = imp.ws.entries["renewal_decisions"].get(contract.pk)
        if not desired.get("decided_by"):
            desired.pop("decided_by", None)  # the importing actor's name for a new one; kept for an old one
        imp.write("renewal_decisions", contract.key, existing, desired, entry)


def apply_contract_documents(imp, items, converted=None) -> None:
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["contract"])
        except Skip:
            continue
        contract = desired["contract"]
        imp.write("contract_documents", f"{contract.key} · {values['url']}",
                   imp.ws.entries["contract_documents"].get((contract.pk, values["url"])), desired, entry)


def apply_value_scores(imp, items, converted=None) -> None:
    """Through ``finance.services.value_score_record`` with the scorer named."""
    for entry, values in items:
        imp.ws.tick()
        if values is None:
            continue
        try:
            desired = imp.resolve_refs(entry, values, ["component", "scorer"])
        except Skip:
            continue
        component, scorer, year = desired["component"], desired["scorer"], values["year"]
        imp.write("value_scores", f"{component.slug} · {year} · {values['scorer']}",
                   imp.ws.entries["value_scores"].get((component.pk, year, scorer.pk)), desired, entry)


def _contract_unique(ws, data: dict, taken: set):
    """A key names one contract; a term is continued by one term at most."""
    key, previous = data.get("key") or "", data.get("previous")
    if key in ws.entries["contracts"] or ("key", key) in taken:
        return {"key": "Contract with this key already exists."}, []
    identities = [("key", key)]
    if previous is not None:
        follower = next((c.key for c in ws.entries["contracts"].values() if c.previous_id == previous.pk), None)
        if follower is not None or ("previous", previous.pk) in taken:
            return {"previous": f"{previous.key} is already continued by "
                                f"{follower or 'another contract in the file'}."}, []
        identities.append(("previous", previous.pk))
    return None, identities


def _measurement_unique(ws, data: dict, taken: set):
    identity = (data["kpi"].pk, data["period_start"])
    if identity in ws.entries["kpi_measurements"] or identity in taken:
        return {"period_start": "This KPI already has a measurement for this period."}, []
    return None, [identity]


def _budget_unique(ws, data: dict, taken: set):
    component, category = data.get("component"), data.get("category")
    identity = (data["year"], component.pk if component else None, category.pk if category else None)
    if identity in ws.entries["budgets"] or identity in taken:
        return {"year": f"{component or category} already has a budget for {data['year']}."}, []
    return None, [identity]


def _cost_entry_unique(ws, data: dict, taken: set):
    """Only against the file: the catalog may hold several alike (the file then names them ambiguously)."""
    kind = data.get("kind") or CostEntry.kind.field.default
    identity = (data["component"].pk, data["year"], kind, data.get("description") or "")
    if identity in taken:
        return {"description": "The file names this cost entry twice (its component, year, kind and "
                               "description)."}, []
    return None, [identity]


CONTRACT_SECTION = Section(
    "contracts",
    (
        Field("key", "slug", required=True),
        Field("vendor", "ref", required=True, ref="vendors"),
        Field("components", "refs", ref="components"),
        Field("allocation_shares", "shares"),  # how the cost is split over the components (else by seats, equal)
        Field("reference", "str", required=True),
        Field("start_date", "date", required=True),
        Field("end_date", "date", required=True),
        Field("renewal_type", "enum", choices=RenewalTypeChoices, default=RenewalTypeChoices.AUTO.value),
        Field("renewal_term_months", "int", default=12),
        Field("notice_period_days", "int", default=30),
        Field("annual_value", "decimal"),  # required by the model; not by the file
        Field("currency", "currency"),
        Field("billing_frequency", "enum", choices=BillingFrequencyChoices,
              default=BillingFrequencyChoices.ANNUALLY.value),
        Field("seats", "int"),
        Field("payment_terms", "str"),
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
    apply=apply_contracts,
    unique=_contract_unique,
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
    apply=apply_objectives,
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
        Field("attribution", "enum", choices=KpiAttributionChoices, default=KpiAttributionChoices.EQUAL.value),
        Field("attribution_shares", "shares"),
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
    unique=unique_name("kpis", "KPI with this name already exists."),
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
    apply=apply_kpi_measurements,
    file_key=_measurement_file_key,
    unique=_measurement_unique,
)

BUDGET_SECTION = Section(
    "budgets",
    (
        Field("year", "int", required=True),
        Field("component", "ref", ref="components"),
        Field("category", "ref", ref="categories"),
        Field("amount", "decimal"),  # required by the model; not by the file (left out for who may not see it)
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
    apply=apply_budgets,
    file_key=_budget_file_key,
    unique=_budget_unique,
)

COST_ENTRY_SECTION = Section(
    "cost_entries",
    (
        Field("component", "ref", required=True, ref="components"),
        Field("year", "int", required=True),
        Field("kind", "enum", choices=CostKindChoices, default=CostKindChoices.SERVICES.value),
        Field("description", "str"),
        Field("amount", "decimal"),
        Field("hours", "hours"),
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
    apply=apply_cost_entries,
    file_key=_cost_entry_file_key,
    unique=_cost_entry_unique,
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
    apply=apply_selections,  # with its candidates, criteria and scores
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
    applied_by="selections",
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
    applied_by="selections",
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
    applied_by="selections",
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
    apply=apply_renewal_decisions,
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
    apply=apply_contract_documents,
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
    apply=apply_value_scores,
)

register_section(CONTRACT_SECTION, OBJECTIVE_SECTION, KPI_SECTION, MEASUREMENT_SECTION, BUDGET_SECTION,
                 COST_ENTRY_SECTION, SELECTION_SECTION, CANDIDATE_SECTION, CRITERION_SECTION, SCORE_SECTION,
                 DECISION_SECTION, DOCUMENT_SECTION, VALUE_SCORE_SECTION)
