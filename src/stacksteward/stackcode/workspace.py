"""The catalog as an import sees it: bulk-loaded once, looked up by natural key, written through services.

Both importers (the full format and the inventory spreadsheet) use one ``Workspace``. It loads
every department, person, vendor, category, data category, component, capability, backlog
item, calendar event, contract, objective, KPI, measurement, budget and cost entry (about thirty queries
whatever the size of the catalog; relations are loaded as plain values), answers look-ups by slug, email,
key or name without further queries, compares what the file wants with what is there, and writes only the
differences through ``org.services``, ``catalog.services``, ``intake.services``, ``changes.services`` and
``finance.services`` — so every write is validated and audited exactly as from the web UI, with
``source="import"``, and backlog items get their priority scores.

With ``bulk=True`` (the full format) creates are queued (``enqueue``) after the uniqueness checks
that ``validate_unique`` would query for, and ``flush(section)`` writes them with the services'
``*_bulk_create``: a few queries per section instead of several per object. Backlog items are
always created one by one through ``intake.services.backlog_item_create``, which computes their
priority score.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.changes import services as changes_services
from stacksteward.changes.models import CalendarEvent
from stacksteward.core import audit
from stacksteward.core.exceptions import ConflictError
from stacksteward.core.services import object_create, object_update, objects_bulk_create
from stacksteward.finance import services as finance_services
from stacksteward.finance.choices import MeasurementSourceChoices
from stacksteward.finance.models import (
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
from stacksteward.intake import services as intake_services
from stacksteward.intake.models import BacklogItem, Capability
from stacksteward.org import services as org_services
from stacksteward.org.models import Department, Person

from .report import Change, ImportReport, Location, quote
from .schema import SECTIONS, SELECTION_PART_KINDS, Field, comparable, person_key, plain_value


def _refused_at(name: str):
    """Run a service and turn its PermissionDenied (a reviewer or scorer the actor may not name) into a
    ValidationError at the field ``name``, so that it is reported at its row like any refused value."""
    def wrap(function):
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except PermissionDenied as exc:
                raise ValidationError({name: str(exc) or "You may not record this."})
        return run
    return wrap


@_refused_at("reviewer")
def _score_create(*, actor, data: dict, source: str):
    return finance_services.score_record(actor=actor, source=source, criterion=data["criterion"],
                                        candidate=data["candidate"], reviewer=data["reviewer"], score=data["score"],
                                        comment=data.get("comment") or "")


@_refused_at("reviewer")
def _score_update(obj, *, actor, data: dict, expected_version, source: str):
    """``score_record`` again replaces the reviewer's score; the fields not in ``data`` stay as they are."""
    return finance_services.score_record(actor=actor, source=source, criterion=obj.criterion, candidate=obj.candidate,
                                        reviewer=obj.reviewer, score=data.get("score", obj.score),
                                        comment=data.get("comment", obj.comment))


@_refused_at("scorer")
def _value_score_create(*, actor, data: dict, source: str):
    return finance_services.value_score_record(actor=actor, source=source, component=data["component"],
                                              year=data["year"], scorer=data["scorer"], score=data["score"],
                                              reasons=data["reasons"])


@_refused_at("scorer")
def _value_score_update(obj, *, actor, data: dict, expected_version, source: str):
    return finance_services.value_score_record(actor=actor, source=source, component=obj.component, year=obj.year,
                                              scorer=obj.scorer, score=data.get("score", obj.score),
                                              reasons=data.get("reasons", obj.reasons))


def _decision_create(*, actor, data: dict, source: str):
    """A renewal decision as a record (audited on its contract), not through ``contract_decide``, which would end
    the term or create the next one: the file holds the contract's status and its next term itself. Authorized
    by the renewal decision's policy in ``object_create``."""
    data = {"decided_by_name": audit.actor_name(actor)[:150], **data}
    return object_create(RenewalDecision, actor=actor, data=data, source=source, related_attr="contract")


def _decision_update(obj, *, actor, data: dict, expected_version, source: str):
    return object_update(obj, actor=actor, data=data, expected_version=expected_version, source=source,
                         related_attr="contract")


CREATE = {
    "departments": org_services.department_create,
    "people": org_services.person_create,
    "vendors": catalog_services.vendor_create,
    "categories": catalog_services.category_create,
    "components": catalog_services.component_create,
    "relations": catalog_services.relation_create,
    "raci": catalog_services.raci_create,
    "capabilities": intake_services.capability_create,
    "backlog_items": intake_services.backlog_item_create,
    "calendar_events": changes_services.event_create,
    "contracts": finance_services.contract_create,
    "objectives": finance_services.objective_create,
    "kpis": finance_services.kpi_create,
    "kpi_measurements": lambda *, actor, data, source: finance_services.measurement_record(
        actor=actor, source=source, **data),
    "budgets": finance_services.budget_create,
    "cost_entries": finance_services.cost_entry_create,
    "selections": finance_services.selection_create,
    "selection_candidates": finance_services.candidate_create,
    "selection_criteria": finance_services.criterion_create,
    "selection_scores": _score_create,
    "renewal_decisions": _decision_create,
    "contract_documents": finance_services.document_create,
    "value_scores": _value_score_create,
}


def _measurement_origin(source: str) -> str:
    """A measurement's own ``source`` (typed in, imported, pushed) for the audit source of the write."""
    return {"import": MeasurementSourceChoices.IMPORT, "api": MeasurementSourceChoices.API}.get(
        str(source), MeasurementSourceChoices.UI)


def _measurement_update(obj, *, actor, data: dict, expected_version, source: str):
    """Change a measurement's value or note; like ``measurement_record`` it then counts as imported."""
    return object_update(obj, actor=actor, data={**data, "source": _measurement_origin(source)},
                         expected_version=expected_version, source=source, related_attr="kpi")


def _finance_bulk_create(model, related_attr: str | None = None):
    """Bulk creation authorized by the model's policy (and its money field group) in ``objects_bulk_create``."""

    def create(*, actor, rows: list[dict], source: str) -> list:
        if model is Measurement:
            rows = [{**row, "source": _measurement_origin(source)} for row in rows]
        return objects_bulk_create(model, actor=actor, rows=rows, source=source, related_attr=related_attr)

    return create


def _capability_bulk_create(*, actor, rows: list[dict], source: str) -> list[Capability]:
    return objects_bulk_create(Capability, actor=actor, rows=rows, source=source)


def _calendar_event_bulk_create(*, actor, rows: list[dict], source: str) -> list[CalendarEvent]:
    changes_services.require_editor(actor, "keep the change calendar")
    return objects_bulk_create(CalendarEvent, actor=actor, rows=rows, source=source)


# Sections whose new entries are queued and written in bulk (backlog items are not: their service
# computes the priority score of each one).
BULK_CREATE = {
    "departments": org_services.department_bulk_create,
    "people": org_services.person_bulk_create,
    "vendors": catalog_services.vendor_bulk_create,
    "categories": catalog_services.category_bulk_create,
    "components": catalog_services.component_bulk_create,
    "relations": catalog_services.relation_bulk_create,
    "raci": catalog_services.raci_bulk_create,
    "capabilities": _capability_bulk_create,
    "calendar_events": _calendar_event_bulk_create,
    "contracts": _finance_bulk_create(Contract),
    "kpis": _finance_bulk_create(Kpi),
    "kpi_measurements": _finance_bulk_create(Measurement, related_attr="kpi"),
    "budgets": _finance_bulk_create(Budget),
    "cost_entries": _finance_bulk_create(CostEntry),
}
MODELS = {
    "departments": Department, "people": Person, "vendors": Vendor, "categories": Category,
    "components": Component, "relations": Relation, "raci": RaciAssignment, "capabilities": Capability,
    "backlog_items": BacklogItem, "calendar_events": CalendarEvent, "contracts": Contract, "objectives": Objective,
    "kpis": Kpi, "kpi_measurements": Measurement, "budgets": Budget, "cost_entries": CostEntry,
    "selections": Selection, "selection_candidates": SelectionCandidate, "selection_criteria": Criterion,
    "selection_scores": Score, "renewal_decisions": RenewalDecision, "contract_documents": ContractDocument,
    "value_scores": ValueScore,
}
UPDATE = {
    "departments": org_services.department_update,
    "people": org_services.person_update,
    "vendors": catalog_services.vendor_update,
    "categories": catalog_services.category_update,
    "components": catalog_services.component_update,
    "relations": catalog_services.relation_update,
    "capabilities": intake_services.capability_update,
    "backlog_items": intake_services.backlog_item_update,
    "calendar_events": changes_services.event_update,
    "contracts": finance_services.contract_update,
    "objectives": finance_services.objective_update,
    "kpis": finance_services.kpi_update,
    "kpi_measurements": _measurement_update,
    "budgets": finance_services.budget_update,
    "cost_entries": finance_services.cost_entry_update,
    "selections": finance_services.selection_update,
    "selection_candidates": finance_services.candidate_update,
    "selection_criteria": finance_services.criterion_update,
    "selection_scores": _score_update,
    "renewal_decisions": _decision_update,
    "contract_documents": finance_services.document_update,
    "value_scores": _value_score_update,
}
NOUNS = {
    "departments": "department", "people": "person", "vendors": "vendor", "categories": "category",
    "components": "component", "data_categories": "data category", "capabilities": "capability",
    "backlog_items": "backlog item", "calendar_events": "calendar event", "contracts": "contract",
    "objectives": "objective", "kpis": "KPI", "selections": "selection",
}


class Skip(Exception):
    """The entry depends on an entry that already failed; its error was reported there."""


class Ambiguous(Exception):
    pass


@dataclass(slots=True)
class Queued:
    """A create waiting for its section's bulk write: the model data and where the entry sits in the file."""

    key: str
    data: dict
    desired: dict
    place: Callable
    raw: Callable
    note: str = ""
    attr_to_field: dict | None = None


class Workspace:
    def __init__(self, report: ImportReport, *, actor, source: str, progress: Callable | None = None,
                 bulk: bool = False):
        self.report = report
        self.actor = actor
        self.source = source
        self.progress = progress
        self.total = 0
        self.done = 0
        self.failed: dict[str, set[str]] = defaultdict(set)
        # bulk=True: creates are queued per section and written by ``flush`` (a few queries per section
        # instead of several per object); the importer flushes each section before the next one needs it.
        self.bulk = bulk
        self.queue: dict[str, list[Queued]] = defaultdict(list)
        self._queued_keys: dict[str, set] = defaultdict(set)
        self._load()

    # Loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        self.by_id: dict[str, dict[int, object]] = defaultdict(dict)
        self.departments: dict[str, Department] = {}
        self.departments_by_name: dict[str, list[Department]] = defaultdict(list)
        for d in Department.objects.all():
            self._index_department(d)
        self.people_by_email: dict[str, Person] = {}
        self.people_by_name: dict[str, list[Person]] = defaultdict(list)
        for p in Person.objects.all():
            self._index_person(p)
        self.vendors: dict[str, Vendor] = {}
        self.vendors_by_name: dict[str, list[Vendor]] = defaultdict(list)
        for v in Vendor.objects.all():
            self._index_vendor(v)
        self.categories: dict[str, Category] = {}
        self.categories_by_name: dict[str, list[Category]] = defaultdict(list)
        for c in Category.objects.all():
            self._index_category(c)
        self.data_categories = {dc.key: dc for dc in DataCategory.objects.all()}
        self.data_categories_by_id = {dc.pk: dc for dc in self.data_categories.values()}
        self.components: dict[str, Component] = {}
        self.components_by_name: dict[str, list[Component]] = defaultdict(list)
        for c in Component.objects.all():
            self._index_component(c)
        self.component_tags: dict[int, list[str]] = defaultdict(list)
        for component_id, name in Component.tags.through.objects.values_list("component_id", "tag__name"):
            self.component_tags[component_id].append(name)
        self.component_data: dict[int, list[str]] = defaultdict(list)
        for component_id, dc_id in Component.data_categories.through.objects.values_list(
            "component_id", "datacategory_id"
        ):
            self.component_data[component_id].append(self.data_categories_by_id[dc_id].key)
        relation_data: dict[int, list[str]] = defaultdict(list)
        for relation_id, dc_id in Relation.data_categories.through.objects.values_list(
            "relation_id", "datacategory_id"
        ):
            relation_data[relation_id].append(self.data_categories_by_id[dc_id].key)
        self.relations: dict[tuple, dict] = {}
        for row in Relation.objects.values("id", "source_id", "target_id", "type", "mechanism", "frequency",
                                           "description"):
            row["data_categories"] = relation_data.get(row["id"], [])
            self.relations[(row["source_id"], row["target_id"], row["type"])] = row
        self.raci: set[tuple] = set(
            RaciAssignment.objects.values_list("component_id", "activity", "role", "department_id", "person_id")
        )
        self.capabilities: dict[str, Capability] = {}
        self.capabilities_by_name: dict[str, list[Capability]] = defaultdict(list)
        for c in Capability.objects.all():
            self._index_capability(c)
        self.backlog_items: dict[str, BacklogItem] = {}
        for item in BacklogItem.objects.all():
            self._index_item(item)
        self.item_components: dict[int, list[str]] = defaultdict(list)
        for item_id, slug in BacklogItem.components.through.objects.values_list("backlogitem_id", "component__slug"):
            self.item_components[item_id].append(slug)
        self.item_deps: dict[int, list[str]] = defaultdict(list)
        for item_id, key in BacklogItem.depends_on.through.objects.values_list("from_backlogitem_id",
                                                                                "to_backlogitem__key"):
            self.item_deps[item_id].append(key)
        self.calendar_events: dict[str, CalendarEvent] = {}
        for event in CalendarEvent.objects.all():
            self._index_event(event)
        self.event_components: dict[int, list[str]] = defaultdict(list)
        for event_id, slug in CalendarEvent.components.through.objects.values_list("calendarevent_id",
                                                                                   "component__slug"):
            self.event_components[event_id].append(slug)
        self._load_finance()

    def _load_finance(self) -> None:
        self.contracts: dict[str, Contract] = {}
        self.contract_previous: dict[int, str] = {}  # previous term's id → the key of the contract continuing it
        for contract in Contract.objects.all():
            self._index_contract(contract)
        self.contract_components: dict[int, list[str]] = defaultdict(list)
        for contract_id, slug in Contract.components.through.objects.values_list("contract_id", "component__slug"):
            self.contract_components[contract_id].append(slug)
        self.objectives: dict[str, Objective] = {}
        self.objectives_by_name: dict[str, list[Objective]] = defaultdict(list)
        for objective in Objective.objects.all():
            self._index_objective(objective)
        self.objective_factors: dict[int, list] = defaultdict(list)  # objective id → its SuccessFactor objects
        for factor in SuccessFactor.objects.order_by("id"):
            self.objective_factors[factor.objective_id].append(factor)
        self.kpis: dict[str, Kpi] = {}
        self.kpis_by_name: dict[str, list[Kpi]] = defaultdict(list)
        for kpi in Kpi.objects.all():
            self._index_kpi(kpi)
        self.kpi_components: dict[int, list[str]] = defaultdict(list)
        for kpi_id, slug in Kpi.components.through.objects.values_list("kpi_id", "component__slug"):
            self.kpi_components[kpi_id].append(slug)
        self.measurements: dict[tuple, Measurement] = {}
        for measurement in Measurement.objects.all():
            self._index_measurement(measurement)
        self.budgets: dict[tuple, Budget] = {}
        for budget in Budget.objects.all():
            self._index_budget(budget)
        self.cost_entries: dict[tuple, list[CostEntry]] = defaultdict(list)
        for entry in CostEntry.objects.order_by("id"):
            self.cost_entries[cost_entry_identity(entry)].append(entry)
        self.selections: dict[str, Selection] = {}
        for selection in Selection.objects.all():
            self._index_selection(selection)
        # (selection id, name) → candidate; (selection id, department id, name) → criterion
        self.selection_parts: dict[str, dict[tuple, object]] = {"selection_candidates": {}, "selection_criteria": {}}
        for candidate in SelectionCandidate.objects.all():
            self._index_candidate(candidate)
        for criterion in Criterion.objects.select_related("department"):
            self._index_criterion(criterion)
        self.selection_scores: dict[tuple, Score] = {}
        for score in Score.objects.all():
            self._index_score(score)
        self.renewal_decisions: dict[int, RenewalDecision] = {}  # contract id → its decision (the oldest)
        for decision in RenewalDecision.objects.order_by("-id"):
            self._index_decision(decision)
        self.contract_documents: dict[tuple, ContractDocument] = {}
        for document in ContractDocument.objects.order_by("-id"):
            self._index_document(document)
        self.value_scores: dict[tuple, ValueScore] = {}
        for score in ValueScore.objects.all():
            self._index_value_score(score)

    def _index_department(self, d: Department) -> None:
        self.departments[d.slug] = d
        self.departments_by_name[d.name.casefold()].append(d)
        self.by_id["departments"][d.pk] = d

    def _index_person(self, p: Person) -> None:
        if p.email:
            self.people_by_email[p.email.lower()] = p
        self.people_by_name[p.name.casefold()].append(p)
        self.by_id["people"][p.pk] = p

    def _index_vendor(self, v: Vendor) -> None:
        self.vendors[v.slug] = v
        self.vendors_by_name[v.name.casefold()].append(v)
        self.by_id["vendors"][v.pk] = v

    def _index_category(self, c: Category) -> None:
        self.categories[c.slug] = c
        self.categories_by_name[c.name.casefold()].append(c)
        self.by_id["categories"][c.pk] = c

    def _index_component(self, c: Component) -> None:
        self.components[c.slug] = c
        self.components_by_name[c.name.casefold()].append(c)
        self.by_id["components"][c.pk] = c

    def _index_capability(self, c: Capability) -> None:
        self.capabilities[c.slug] = c
        self.capabilities_by_name[c.name.casefold()].append(c)
        self.by_id["capabilities"][c.pk] = c

    def _index_item(self, item: BacklogItem) -> None:
        self.backlog_items[item.key] = item
        self.by_id["backlog_items"][item.pk] = item

    def _index_event(self, event: CalendarEvent) -> None:
        self.calendar_events[event.slug] = event
        self.by_id["calendar_events"][event.pk] = event

    def _index_contract(self, contract: Contract) -> None:
        self.contracts[contract.key] = contract
        self.by_id["contracts"][contract.pk] = contract
        if contract.previous_id:
            self.contract_previous[contract.previous_id] = contract.key

    def _index_objective(self, objective: Objective) -> None:
        self.objectives[objective.name] = objective
        self.objectives_by_name[objective.name.casefold()].append(objective)
        self.by_id["objectives"][objective.pk] = objective

    def _index_kpi(self, kpi: Kpi) -> None:
        self.kpis[kpi.slug] = kpi
        self.kpis_by_name[kpi.name.casefold()].append(kpi)
        self.by_id["kpis"][kpi.pk] = kpi

    def _index_measurement(self, measurement: Measurement) -> None:
        self.measurements[(measurement.kpi_id, measurement.period_start)] = measurement

    def _index_budget(self, budget: Budget) -> None:
        self.budgets[(budget.year, budget.component_id, budget.category_id)] = budget

    def _index_cost_entry(self, entry: CostEntry) -> None:
        self.cost_entries[cost_entry_identity(entry)] = [entry]

    def _index_selection(self, selection: Selection) -> None:
        self.selections[selection.key] = selection
        self.by_id["selections"][selection.pk] = selection

    def _index_candidate(self, candidate: SelectionCandidate) -> None:
        self.selection_parts["selection_candidates"][(candidate.selection_id, candidate.name)] = candidate
        self.by_id["selection_candidates"][candidate.pk] = candidate

    def _index_criterion(self, criterion: Criterion) -> None:
        identity = (criterion.selection_id, criterion.department_id, criterion.name)
        self.selection_parts["selection_criteria"][identity] = criterion
        self.by_id["selection_criteria"][criterion.pk] = criterion

    def _index_score(self, score: Score) -> None:
        self.selection_scores[(score.criterion_id, score.candidate_id, score.reviewer_id)] = score

    def _index_decision(self, decision: RenewalDecision) -> None:
        self.renewal_decisions[decision.contract_id] = decision

    def _index_document(self, document: ContractDocument) -> None:
        self.contract_documents[(document.contract_id, document.url)] = document

    def _index_value_score(self, score: ValueScore) -> None:
        self.value_scores[(score.component_id, score.year, score.scorer_id)] = score

    def register(self, section: str, old, new) -> None:
        """Keep the look-ups right after a write (names, slugs and emails may have changed)."""
        if old is not None:
            if section == "departments":
                self.departments.pop(old.slug, None)
                _remove(self.departments_by_name[old.name.casefold()], old)
            elif section == "people":
                if old.email:
                    self.people_by_email.pop(old.email.lower(), None)
                _remove(self.people_by_name[old.name.casefold()], old)
            elif section == "vendors":
                self.vendors.pop(old.slug, None)
                _remove(self.vendors_by_name[old.name.casefold()], old)
            elif section == "categories":
                self.categories.pop(old.slug, None)
                _remove(self.categories_by_name[old.name.casefold()], old)
            elif section == "components":
                self.components.pop(old.slug, None)
                _remove(self.components_by_name[old.name.casefold()], old)
            elif section == "capabilities":
                self.capabilities.pop(old.slug, None)
                _remove(self.capabilities_by_name[old.name.casefold()], old)
            elif section == "backlog_items":
                self.backlog_items.pop(old.key, None)
            elif section == "calendar_events":
                self.calendar_events.pop(old.slug, None)
            elif section == "contracts":
                self.contracts.pop(old.key, None)
                if old.previous_id and self.contract_previous.get(old.previous_id) == old.key:
                    del self.contract_previous[old.previous_id]
            elif section == "objectives":
                self.objectives.pop(old.name, None)
                _remove(self.objectives_by_name[old.name.casefold()], old)
            elif section == "kpis":
                self.kpis.pop(old.slug, None)
                _remove(self.kpis_by_name[old.name.casefold()], old)
            elif section == "selections":
                self.selections.pop(old.key, None)
            elif section == "selection_candidates":
                self.selection_parts[section].pop((old.selection_id, old.name), None)
            elif section == "selection_criteria":
                self.selection_parts[section].pop((old.selection_id, old.department_id, old.name), None)
            elif section == "contract_documents":
                self.contract_documents.pop((old.contract_id, old.url), None)
        index = {
            "departments": self._index_department, "people": self._index_person, "vendors": self._index_vendor,
            "categories": self._index_category, "components": self._index_component,
            "capabilities": self._index_capability, "backlog_items": self._index_item,
            "calendar_events": self._index_event, "contracts": self._index_contract,
            "objectives": self._index_objective, "kpis": self._index_kpi,
            "kpi_measurements": self._index_measurement, "budgets": self._index_budget,
            "cost_entries": self._index_cost_entry, "selections": self._index_selection,
            "selection_candidates": self._index_candidate, "selection_criteria": self._index_criterion,
            "selection_scores": self._index_score, "renewal_decisions": self._index_decision,
            "contract_documents": self._index_document, "value_scores": self._index_value_score,
        }.get(section)
        if index is not None:
            index(new)

    # Progress -----------------------------------------------------------------------------

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 50 == 0 or self.done >= self.total):
            self.progress(self.done, self.total)

    # Look-ups -----------------------------------------------------------------------------

    @staticmethod
    def _unique(candidates: list, ref: str, noun_plural: str):
        if len(candidates) > 1:
            raise Ambiguous(f"{quote(ref)} matches several {noun_plural}; name it by its "
                            f"{'email' if noun_plural == 'people' else 'slug'}.")
        return candidates[0] if candidates else None

    def find_department(self, ref: str) -> Department | None:
        return self.departments.get(ref) or self._unique(self.departments_by_name.get(ref.casefold(), []), ref,
                                                         "departments")

    def find_person(self, ref: str) -> Person | None:
        """By email (case-insensitive) when the reference has an ``@``, else by name (case-insensitive)."""
        if "@" in ref:
            return self.people_by_email.get(ref.strip().lower())
        return self._unique(self.people_by_name.get(ref.strip().casefold(), []), ref, "people")

    def find_vendor(self, ref: str) -> Vendor | None:
        return self.vendors.get(ref) or self._unique(self.vendors_by_name.get(ref.casefold(), []), ref, "vendors")

    def find_category(self, ref: str) -> Category | None:
        return self.categories.get(ref) or self._unique(self.categories_by_name.get(ref.casefold(), []), ref,
                                                        "categories")

    def find_component(self, ref: str) -> Component | None:
        return self.components.get(ref) or self._unique(self.components_by_name.get(ref.casefold(), []), ref,
                                                        "components")

    def find_objective(self, ref: str) -> Objective | None:
        return self.objectives.get(ref) or self._unique(self.objectives_by_name.get(ref.strip().casefold(), []), ref,
                                                        "objectives")

    def find_kpi(self, ref: str) -> Kpi | None:
        return self.kpis.get(ref) or self._unique(self.kpis_by_name.get(ref.casefold(), []), ref, "KPIs")

    def find(self, section: str, ref: str):
        if section == "data_categories":
            return self.data_categories.get(ref.strip().lower())
        if section == "backlog_items":
            return self.backlog_items.get(ref.strip())
        if section == "capabilities":
            return self.capabilities.get(ref.strip())
        if section == "contracts":
            return self.contracts.get(ref.strip())
        if section == "selections":
            return self.selections.get(ref.strip())
        if section == "objectives":
            return self.find_objective(ref)
        if section == "kpis":
            return self.find_kpi(ref)
        return {
            "departments": self.find_department, "people": self.find_person, "vendors": self.find_vendor,
            "categories": self.find_category, "components": self.find_component,
        }[section](ref)

    def find_selection_part(self, section: str, selection: Selection, ref: str):
        """A candidate of ``selection`` by name, or a criterion by ``department/name`` (names exactly, else
        ignoring case when that names only one)."""
        parts = self.selection_parts[section]
        if section == "selection_candidates":
            identity = (selection.pk, ref.strip())
        else:
            department_ref, _, name = ref.partition("/")
            department = self.departments.get(department_ref.strip())
            if department is None:
                return None
            identity = (selection.pk, department.pk, name.strip())
        if identity in parts:
            return parts[identity]
        folded = [obj for key, obj in parts.items()
                  if key[:-1] == identity[:-1] and key[-1].casefold() == identity[-1].casefold()]
        return folded[0] if len(folded) == 1 else None

    def resolve(self, section: str, ref: str, where: Location):
        """The object a reference names, or an error (unknown, ambiguous) and ``Skip``."""
        try:
            found = self.find(section, ref)
        except Ambiguous as exc:
            self.report.error(where, str(exc), ref)
            raise Skip
        if found is not None:
            return found
        if failed_key(ref) in self.failed[section]:
            raise Skip
        self.report.error(where, f"{quote(ref)} is not a {NOUNS[section]} in the file or the catalog.", ref)
        raise Skip

    # Current values -----------------------------------------------------------------------

    def current(self, section: str, obj) -> dict:
        """The object's fields as the format writes them, from the loaded maps (no queries)."""
        plain = {}
        for spec in SECTIONS[section].fields:
            plain[spec.name] = plain_value(spec, self._model_value(section, obj, spec))
        return plain

    def _model_value(self, section: str, obj, spec: Field):
        if section == "selection_scores" and spec.name == "selection":
            criterion = self.by_id["selection_criteria"].get(obj.criterion_id) or obj.criterion
            return self.by_id["selections"].get(criterion.selection_id) or criterion.selection
        if spec.kind in SELECTION_PART_KINDS:
            pk = getattr(obj, spec.model_attr + "_id")
            return None if pk is None else self.by_id[spec.ref].get(pk) or getattr(obj, spec.model_attr)
        if spec.kind == "ref":
            pk = getattr(obj, spec.model_attr + "_id")
            return None if pk is None else self.by_id[spec.ref].get(pk) or getattr(obj, spec.model_attr)
        if spec.kind == "refs" and section == "components":
            return self.component_data.get(obj.pk, [])
        if spec.kind == "refs" and section == "backlog_items":
            found = self.item_components if spec.name == "components" else self.item_deps
            return found.get(obj.pk, [])
        if spec.kind == "refs" and section == "calendar_events":
            return self.event_components.get(obj.pk, [])
        if spec.kind == "refs" and section == "contracts":
            return self.contract_components.get(obj.pk, [])
        if spec.kind == "refs" and section == "kpis":
            return self.kpi_components.get(obj.pk, [])
        if spec.kind == "names":
            return [factor.name for factor in self.objective_factors.get(obj.pk, [])]
        if spec.kind == "tags":
            return self.component_tags.get(obj.pk, [])
        return getattr(obj, spec.model_attr)

    def diff(self, section: str, current: dict, desired: dict) -> dict[str, tuple]:
        """{field: (before, after)} for the desired fields that differ from the current ones."""
        changes = {}
        for name, value in desired.items():
            spec = SECTIONS[section].get(name)
            new = plain_value(spec, value)
            if comparable(spec, current[name]) != comparable(spec, new):
                changes[name] = (current[name], new)
        return changes

    # Writes -------------------------------------------------------------------------------

    def write(self, section: str, key: str, obj, desired: dict, *, place: Callable[[str], Location],
              raw: Callable[[str], object], note: str = "", attr_to_field: dict | None = None):
        """Create ``obj`` (None) or update it with the fields of ``desired`` that differ; report it.

        ``desired`` maps the format's field names to model values (objects for references). Returns
        the object, or None after reporting the service's validation errors at their fields.
        """
        specs = SECTIONS[section]
        try:
            if obj is None and self.bulk and section in BULK_CREATE:
                data = {specs.get(name).model_attr: value for name, value in desired.items()}
                self.enqueue(section, Queued(key, data, desired, place, raw, note, attr_to_field))
                return None
            if obj is None:
                data = {specs.get(name).model_attr: value for name, value in desired.items()}
                new = CREATE[section](actor=self.actor, data=data, source=self.source)
                self._after_write(section, None, new, desired)
                self.report.created.add(Change(section, key, note=note))
                return new
            changes = self.diff(section, self.current(section, obj), desired)
            if not changes:
                self.report.unchanged.add(Change(section, key))
                return obj
            data = {specs.get(name).model_attr: desired[name] for name in changes}
            new = UPDATE[section](obj, actor=self.actor, data=data, expected_version=None, source=self.source)
            self._after_write(section, obj, new, desired)
            self.report.changed.add(Change(section, key, changes, note=note))
            return new
        except ValidationError as exc:
            self.service_errors(section, exc, place, raw, attr_to_field)
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
        self.failed[section].add(failed_key(key))
        return None

    # Bulk creates ---------------------------------------------------------------------------

    def enqueue(self, section: str, item: Queued) -> None:
        """Queue a create for ``flush``, after the uniqueness checks that ``validate_unique`` would have
        queried for one by one (against the loaded catalog and the creates already queued)."""
        for name, value in item.data.items():  # a reference named twice is one link, as with ``.set()``
            if isinstance(value, list) and value and hasattr(value[0], "pk"):
                item.data[name] = list({obj.pk: obj for obj in value}.values())
        problem, identities = self._uniqueness(section, item.data)
        if problem:
            self.service_errors(section, ValidationError(problem), item.place, item.raw, item.attr_to_field)
            self.failed[section].add(failed_key(item.key))
            return
        self._queued_keys[section].update(identities)
        self.queue[section].append(item)

    def _uniqueness(self, section: str, data: dict) -> tuple[dict | None, list]:
        """({field: message} when ``data`` clashes with the catalog or a queued create, identities to hold)."""
        taken = self._queued_keys[section]
        name = (data.get("name") or "").strip()
        slug = data.get("slug") or ""
        identities = []
        if section in ("departments", "vendors", "categories", "components", "capabilities",
                       "calendar_events", "kpis") and slug:
            existing = {"departments": self.departments, "vendors": self.vendors, "categories": self.categories,
                        "components": self.components, "capabilities": self.capabilities,
                        "calendar_events": self.calendar_events, "kpis": self.kpis}[section]
            if slug in existing or ("slug", slug) in taken:
                return {"slug": f"{NOUNS[section][:1].upper() + NOUNS[section][1:]} with this slug already exists."}, []
            identities.append(("slug", slug))
        if section == "departments" and name:
            if any(d.name == name for d in self.departments_by_name.get(name.casefold(), [])) or \
                    ("name", name) in taken:
                return {"name": "Department with this name already exists."}, []
            identities.append(("name", name))
        elif section == "capabilities" and name:
            if any(c.name == name for c in self.capabilities_by_name.get(name.casefold(), [])) or \
                    ("name", name) in taken:
                return {"name": "Capability with this name already exists."}, []
            identities.append(("name", name))
        elif section == "vendors" and name:
            if self.vendors_by_name.get(name.casefold()) or ("name", name.casefold()) in taken:
                return {"name": f"A vendor named “{name}” already exists."}, []
            identities.append(("name", name.casefold()))
        elif section == "categories" and name:
            parent = data.get("parent")
            parent_key = (parent.pk or id(parent)) if parent is not None else None
            same = [c for c in self.categories_by_name.get(name.casefold(), [])
                    if c.name == name and c.parent_id == (parent.pk if parent is not None else None)]
            if same or ("name", parent_key, name) in taken:
                return {"name": f"A category named “{name}” already exists in this group."}, []
            identities.append(("name", parent_key, name))
        elif section == "kpis" and name:
            if any(k.name == name for k in self.kpis_by_name.get(name.casefold(), [])) or ("name", name) in taken:
                return {"name": "KPI with this name already exists."}, []
            identities.append(("name", name))
        elif section == "contracts":
            key, previous = data.get("key") or "", data.get("previous")
            if key in self.contracts or ("key", key) in taken:
                return {"key": "Contract with this key already exists."}, []
            identities.append(("key", key))
            if previous is not None:
                follower = self.contract_previous.get(previous.pk)
                if follower is not None or ("previous", previous.pk) in taken:
                    return {"previous": f"{previous.key} is already continued by "
                                        f"{follower or 'another contract in the file'}."}, []
                identities.append(("previous", previous.pk))
        elif section in ("kpi_measurements", "budgets"):
            if section == "kpi_measurements":
                identity = (data["kpi"].pk, data["period_start"])
                existing, field, message = self.measurements, "period_start", "This KPI already has a measurement " \
                                                                             "for this period."
            else:
                component, category = data.get("component"), data.get("category")
                identity = (data["year"], component.pk if component else None, category.pk if category else None)
                existing, field, message = self.budgets, "year", f"{component or category} already has a budget " \
                                                                 f"for {data['year']}."
            if identity in existing or identity in taken:
                return {field: message}, []
            identities.append(identity)
        elif section == "cost_entries":
            identity = (data["component"].pk, data["year"], data.get("kind") or MODELS[section].kind.field.default,
                        data.get("description") or "")
            if identity in taken:
                return {"description": "The file names this cost entry twice (its component, year, kind and "
                                       "description)."}, []
            identities.append(identity)
        elif section == "people":
            email = (data.get("email") or "").strip().lower()
            if email:
                clash = self.people_by_email.get(email)
                if clash is not None or ("email", email) in taken:
                    return {"email": f"{email} is already used by {clash or 'another person in the file'}."}, []
                identities.append(("email", email))
        elif section == "relations":
            identity = (data["source"].pk, data["target"].pk, data["type"])
            if identity in self.relations or identity in taken:
                return {"target": f"This {data['type']} relation from {data['source']} to {data['target']} "
                                  f"already exists."}, []
            identities.append(identity)
        elif section == "raci":
            department, person = data.get("department"), data.get("person")
            identity = (data["component"].pk, data["activity"], data["role"],
                        department.pk if department else None, person.pk if person else None)
            if identity in self.raci or identity in taken:
                return {"role": f"{department or person} already holds {data['role']} for this activity."}, []
            identities.append(identity)
        return None, identities

    def flush(self, section: str) -> list:
        """Write the queued creates of ``section`` in bulk, then report and index them like single creates.

        A row the model refuses is reported at its place in the file; the other rows are still written
        (the import is rolled back anyway), so that the entries naming them are checked too.
        """
        items = self.queue.pop(section, [])
        self._queued_keys.pop(section, None)
        if not items:
            return []
        try:
            items, objs = self._bulk(section, items)
        except ValidationError as exc:  # not tied to one row (both passes checked every row)
            self.service_errors(section, exc, items[0].place, items[0].raw)
            objs = None
        except (IntegrityError, ConflictError) as exc:
            self.report.error(items[0].place(""), f"could not be saved (with the other new {section}): {exc}")
            objs = None
        if objs is None:
            for item in items:
                self.failed[section].add(failed_key(item.key))
            return []
        for item, new in zip(items, objs, strict=True):
            if section == "relations":
                self._index_relation(new, item.desired)
            elif section == "raci":
                self.raci.add((new.component_id, new.activity, new.role, new.department_id, new.person_id))
            else:
                self._after_write(section, None, new, item.desired)
            self.report.created.add(Change(section, item.key, note=item.note))
        return objs

    def _bulk(self, section: str, items: list[Queued]) -> tuple[list[Queued], list]:
        """The bulk create → (items written, their objects); when a row is refused, every refused row is
        reported and the others are written."""
        create = BULK_CREATE[section]
        rows = [item.data for item in items]
        try:
            return items, create(actor=self.actor, rows=rows, source=self.source)
        except ValidationError as exc:
            index = getattr(exc, "row_index", None)
            if index is None:
                raise
            bad = {index: exc}
        model = MODELS[section]
        for i in range(index + 1, len(rows)):
            problem = _row_problem(model, rows[i])
            if problem is not None:
                bad[i] = problem
        for i, problem in sorted(bad.items()):
            item = items[i]
            self.service_errors(section, problem, item.place, item.raw, item.attr_to_field)
            self.failed[section].add(failed_key(item.key))
        kept = [i for i in range(len(rows)) if i not in bad]
        return [items[i] for i in kept], create(actor=self.actor, rows=[rows[i] for i in kept], source=self.source)

    def _index_relation(self, new, desired: dict) -> None:
        self.relations[(new.source_id, new.target_id, new.type)] = {
            "id": new.pk, "source_id": new.source_id, "target_id": new.target_id, "type": new.type,
            "mechanism": new.mechanism, "frequency": new.frequency, "description": new.description,
            "data_categories": [dc.key for dc in desired.get("data_categories", [])],
        }

    def _after_write(self, section: str, old, new, desired: dict) -> None:
        self.register(section, old, new)
        if section == "backlog_items":
            if "components" in desired:
                self.item_components[new.pk] = [c.slug for c in desired["components"]]
            if "depends_on" in desired:
                self.item_deps[new.pk] = [item.key for item in desired["depends_on"]]
        if section == "calendar_events" and "components" in desired:
            self.event_components[new.pk] = [c.slug for c in desired["components"]]
        if section == "contracts" and "components" in desired:
            self.contract_components[new.pk] = [c.slug for c in desired["components"]]
        if section == "kpis" and "components" in desired:
            self.kpi_components[new.pk] = [c.slug for c in desired["components"]]
        if section == "components":
            if "tags" in desired:
                self.component_tags[new.pk] = [getattr(t, "name", t) for t in desired["tags"]]
            if "data_categories" in desired:
                self.component_data[new.pk] = [dc.key for dc in desired["data_categories"]]

    def service_errors(self, section: str, exc: ValidationError, place, raw, attr_to_field=None) -> None:
        """A service's ValidationError as errors at the fields they name, quoting the file's values."""
        names = {f.model_attr: f.name for f in SECTIONS[section].fields}
        names.update(attr_to_field or {})
        items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
        for attr, messages in items:
            name = names.get(attr, "" if attr == "__all__" else attr)
            value = raw(name) if name else None
            for message in messages:
                text = f"{quote(value)} is refused: {message}" if name else message
                self.report.error(place(name), text, value)

    # Relations and RACI -------------------------------------------------------------------

    def relation_current(self, row: dict) -> dict:
        source = self.by_id["components"][row["source_id"]]
        target = self.by_id["components"][row["target_id"]]
        return {
            "from": source.slug, "to": target.slug, "type": row["type"],
            "data_categories": sorted(row["data_categories"]), "mechanism": row["mechanism"],
            "frequency": row["frequency"], "description": row["description"],
        }

    def write_relation(self, key: str, desired: dict, *, place, raw, note: str = "") -> bool:
        """Create or update the relation (source, target, type) named in ``desired``."""
        source, target, rtype = desired["from"], desired["to"], desired["type"]
        row = self.relations.get((source.pk, target.pk, rtype))
        try:
            if row is None:
                data = {SECTIONS["relations"].get(n).model_attr: v for n, v in desired.items()}
                if self.bulk:
                    self.enqueue("relations", Queued(key, data, desired, place, raw, note))
                    return True
                new = CREATE["relations"](actor=self.actor, data=data, source=self.source)
                self._index_relation(new, desired)
                self.report.created.add(Change("relations", key, note=note))
                return True
            changes = self.diff("relations", self.relation_current(row), desired)
            if not changes:
                self.report.unchanged.add(Change("relations", key))
                return True
            relation = Relation.objects.get(pk=row["id"])
            data = {SECTIONS["relations"].get(n).model_attr: desired[n] for n in changes}
            new = UPDATE["relations"](relation, actor=self.actor, data=data, expected_version=None,
                                      source=self.source)
            row.update(mechanism=new.mechanism, frequency=new.frequency, description=new.description)
            if "data_categories" in desired:
                row["data_categories"] = [dc.key for dc in desired["data_categories"]]
            self.report.changed.add(Change("relations", key, changes, note=note))
            return True
        except ValidationError as exc:
            self.service_errors("relations", exc, place, raw)
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
        return False

    def write_raci(self, key: str, component, activity: str, role: str, holder, *, place, raw) -> bool:
        is_department = isinstance(holder, Department)
        lookup = (component.pk, activity, role, holder.pk if is_department else None,
                  None if is_department else holder.pk)
        if lookup in self.raci:
            self.report.unchanged.add(Change("raci", key))
            return True
        data = {"component": component, "activity": activity, "role": role,
                ("department" if is_department else "person"): holder}
        if self.bulk:
            self.enqueue("raci", Queued(key, data, data, place, raw))
            return True
        try:
            CREATE["raci"](actor=self.actor, data=data, source=self.source)
        except ValidationError as exc:
            self.service_errors("raci", exc, place, raw)
            return False
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
            return False
        self.raci.add(lookup)
        self.report.created.add(Change("raci", key))
        return True


def _row_problem(model, row: dict) -> ValidationError | None:
    """The checks ``objects_bulk_create`` runs on a row (fields without foreign keys, then ``clean``)."""
    m2m = {f.name for f in model._meta.many_to_many}
    fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj = model(**{k: v for k, v in row.items() if k not in m2m})
    try:
        obj.clean_fields(exclude=fk_names)
        obj.clean()
    except ValidationError as exc:
        return exc
    return None


def _remove(items: list, obj) -> None:
    for i, item in enumerate(items):
        if item.pk == obj.pk:
            del items[i]
            return


def cost_entry_identity(entry) -> tuple:
    """What names a cost entry: its component, year, kind and description (there is no other key)."""
    return (entry.component_id, entry.year, entry.kind, entry.description)


def failed_key(ref: str) -> str:
    """How an entry that failed is remembered, so that entries naming it are skipped quietly."""
    return ref.strip().casefold()


def holder_key(holder) -> str:
    return person_key(holder) if isinstance(holder, Person) else holder.slug
