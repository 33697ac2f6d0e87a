"""Writes of the finance area: contracts and their renewal, reminders, selections, KPIs, costs, budgets.

Every function takes ``actor=`` (a user or a ``SystemActor``, never a string), is authorized by the model's
policy in ``finance.policies`` (through ``core.services``' object writes, or ``POLICY.require`` as its first
line for a workflow step), runs in one transaction and is audited; the people concerned are told through
``core.notifications``. Changing a contract's money (value, payment terms) is refused unless the money field
group allows the actor, whatever the caller (UI, API, import, script).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from stacksteward.core import audit
from stacksteward.core.actors import is_system, user_of
from stacksteward.core.choices import AuditSourceChoices, NotificationKindChoices
from stacksteward.core.notifications import notify
from stacksteward.core.services import (
    check_version,
    object_create,
    object_delete,
    object_update,
    validation_messages,
)
from stacksteward.org.permissions import person_of

from .choices import ContractStatusChoices as S
from .choices import KpiAttributionChoices, RenewalTypeChoices, SelectionStatusChoices
from .choices import RenewalDecisionChoices as R
from .deadlines import days_until, next_term
from .models import (
    Budget,
    Contract,
    ContractDocument,
    ContractReminder,
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
from .models.contracts import LIVE
from .money import parse_shares, shares_json
from .policies import CONTRACT_REMINDERS, CONTRACTS, COSTS, MEASUREMENTS, SCORES, SELECTIONS, VALUE_SCORES

UI = AuditSourceChoices.UI
SYSTEM = AuditSourceChoices.SYSTEM


def today() -> datetime.date:
    return timezone.localdate()


def renewal_lead_days() -> int:
    return int(getattr(settings, "STEWARD_RENEWAL_LEAD_DAYS", 120))


def reminder_days() -> list[int]:
    return sorted({int(d) for d in getattr(settings, "STEWARD_RENEWAL_REMINDERS", (120, 60, 30, 7))}, reverse=True)


# Contracts ----------------------------------------------------------------------------------------

def _component_slugs(data: dict, obj) -> list[str]:
    """The slugs of the components ``data`` sets, else of those ``obj`` already covers."""
    from stacksteward.catalog.models import Component

    if "components" in data:
        items = list(data["components"] or [])
        ids = [c for c in items if not isinstance(c, Component)]
        found = dict(Component.objects.filter(pk__in=ids).values_list("pk", "slug")) if ids else {}
        return [c.slug if isinstance(c, Component) else found.get(c, str(c)) for c in items]
    if obj is None or obj.pk is None:
        return []
    return [c.slug for c in obj.components.all()]


def _with_allocation(data: dict, contract: Contract | None) -> dict:
    """Explicit cost shares, when given (or when the components change), checked against the components."""
    if "allocation_shares" not in data and "components" not in data:
        return data
    raw = data.get("allocation_shares", contract.allocation_shares if contract else {})
    if not raw:
        return {**data, "allocation_shares": {}}
    shares = parse_shares(raw, _component_slugs(data, contract), "allocation_shares")
    return {**data, "allocation_shares": shares_json(shares)}


def contract_create(*, actor, data: dict, source=UI) -> Contract:
    return object_create(Contract, actor=actor, data=_with_allocation(dict(data), None), source=source)


def contract_update(contract: Contract, *, actor, data: dict, expected_version, source=UI) -> Contract:
    """Change a contract; a change of its value or payment terms needs the money field group's write rule."""
    return object_update(contract, actor=actor, data=_with_allocation(dict(data), contract),
                         expected_version=expected_version, source=source)


def contract_delete(contract: Contract, *, actor, expected_version=None, source=UI) -> None:
    CONTRACTS.require(actor, "delete", contract)
    if contract.status != S.DRAFT:
        raise ValidationError({"status": "Only draft contracts can be deleted; cancel or let it expire instead."})
    object_delete(contract, actor=actor, expected_version=expected_version, source=source)


def deadline_state(contract: Contract, on: datetime.date, *, decided: bool | None = None) -> str:
    """overdue (past the notice deadline, nobody decided), due (≤ 30 days), upcoming (≤ the lead time),
    ok, decided (a decision is recorded) or closed (not live)."""
    if contract.status not in LIVE:
        return "closed"
    if decided if decided is not None else contract.decisions.exists():
        return "decided"
    left = days_until(contract.notice_deadline, on)
    if left < 0:
        return "overdue"
    if left <= 30:
        return "due"
    if left <= renewal_lead_days():
        return "upcoming"
    return "ok"


def _contract_people(contract: Contract) -> list:
    return [p for p in (contract.business_owner, contract.procurement_owner, contract.legal_reviewer) if p]


def _next_period(contract: Contract, *, actor, source, seats=None) -> Contract:
    start, end = next_term(contract.end_date, contract.renewal_term_months)
    fields = {f.name: getattr(contract, f.name) for f in Contract._meta.concrete_fields
              if f.name not in ("id", "created_at", "updated_at", "version", "previous", "status", "start_date",
                                "end_date", "notice_deadline", "notice_sent_on")}
    follower = object_create(Contract, actor=actor, source=source, data={
        **fields, "start_date": start, "end_date": end, "previous": contract, "status": S.ACTIVE,
        "seats": seats if seats is not None else contract.seats,
        "components": list(contract.components.all())})
    return follower


@transaction.atomic
def contract_decide(contract: Contract, *, actor, decision: str, reasons: str, new_seats=None, notice_sent_on=None,
                    expected_version=None, source=UI) -> RenewalDecision:
    """Record the renewal decision for the current term.

    Renew, renegotiate or downsize create the next term (linked to this one; a downsize keeps
    ``new_seats``); replace or cancel end the contract (a cancellation records when notice was sent).
    """
    CONTRACTS.require(actor, "decide", contract)
    current = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    check_version(current, expected_version)
    if current.status not in LIVE:
        raise ValidationError({"decision": f"The contract is {current.get_status_display().lower()}; "
                                           "only an active contract's renewal can be decided."})
    if current.decisions.exists():
        raise ValidationError({"decision": "This term's renewal is already decided."})
    if decision not in R.values:
        raise ValidationError({"decision": f"Choose one of: {', '.join(R.values)}."})
    reasons = (reasons or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = "Say why: the budget meeting and the next owner will read it."
    if decision == R.DOWNSIZE:
        if new_seats is None:
            errors["new_seats"] = "Give the number of seats to keep."
        elif current.seats is not None and new_seats >= current.seats:
            errors["new_seats"] = f"A downsize keeps fewer than the {current.seats} seats bought now."
    if decision == R.CANCEL and notice_sent_on is None:
        errors["notice_sent_on"] = "Give the date the cancellation notice was sent."
    if notice_sent_on is not None and notice_sent_on > today():
        errors["notice_sent_on"] = "The notice cannot be sent in the future."
    if errors:
        raise ValidationError(errors)
    user = user_of(actor)
    record = renewal_decision_record(actor=actor, source=source, data={
        "contract": current, "decision": decision, "reasons": reasons, "new_seats": new_seats,
        "notice_sent_on": notice_sent_on, "decided_by": user})
    if decision in (R.RENEW, R.RENEGOTIATE, R.DOWNSIZE):
        current = _set_status(current, {"status": S.RENEWED}, actor=actor, source=source, step="decide")
        _next_period(current, actor=actor, source=source, seats=new_seats if decision == R.DOWNSIZE else None)
    else:
        current = _set_status(current, {"status": S.CANCELLED, "notice_sent_on": notice_sent_on}, actor=actor,
                              source=source, step="decide")
    notify(_contract_people(current), kind=NotificationKindChoices.STATUS_CHANGED, actor=actor, target=current,
           url=current.get_absolute_url(), title=f"Renewal of {current}: {record.get_decision_display().lower()}",
           body=reasons)
    return record


def _set_status(contract: Contract, data: dict, *, actor, source, step: str) -> Contract:
    """A workflow step's write: locked, version-checked, bumped and audited by ``object_update``."""
    return object_update(contract, actor=actor, data=data, expected_version=contract.version, source=source,
                         rule=step)


@transaction.atomic
def contracts_roll_forward(*, actor, on: datetime.date | None = None) -> dict:
    """Daily: terms that ended with nobody deciding. Auto-renewing ones roll into the next term (as
    many terms as have passed); manual ones expire. Returns the counts. The daily job's step alone."""
    CONTRACTS.require(actor, "roll_forward")
    on = on or today()
    rolled = expired = 0
    ended = Contract.objects.filter(status__in=LIVE, end_date__lt=on, decisions__isnull=True).prefetch_related(
        "components")
    for contract in ended:
        current = contract
        while current.end_date < on:
            if current.renewal_type == RenewalTypeChoices.AUTO:
                current = _set_status(current, {"status": S.RENEWED}, actor=actor, source=SYSTEM,
                                      step="roll_forward")
                current = _next_period(current, actor=actor, source=SYSTEM)
                rolled += 1
            else:
                _set_status(current, {"status": S.EXPIRED}, actor=actor, source=SYSTEM, step="roll_forward")
                expired += 1
                break
    return {"rolled_forward": rolled, "expired": expired}


@transaction.atomic
def contracts_mark_renewing(*, actor, on: datetime.date | None = None) -> int:
    """Daily: active contracts whose notice deadline is within the renewal lead time (120 days by
    default) and still undecided are now "renewing" — up for renewal. Returns how many changed."""
    CONTRACTS.require(actor, "mark_renewing")
    on = on or today()
    due = Contract.objects.filter(status=S.ACTIVE, decisions__isnull=True,
                                  notice_deadline__lte=on + datetime.timedelta(days=renewal_lead_days()))
    changed = 0
    for contract in due:
        _set_status(contract, {"status": S.RENEWING}, actor=actor, source=SYSTEM, step="mark_renewing")
        changed += 1
    return changed


@transaction.atomic
def contract_reminders(*, actor, on: datetime.date | None = None) -> list[ContractReminder]:
    """Daily: remind the owners of undecided contracts as their notice deadline nears.

    At most one reminder per contract, deadline and lead time (120, 60, 30, 7 days by default):
    the tightest lead time the contract is within. None once a decision is recorded, none after the
    deadline (the contract is flagged overdue instead).
    """
    CONTRACT_REMINDERS.require(actor, "add")
    on = on or today()
    leads = reminder_days()
    if not leads:
        return []
    horizon = on + datetime.timedelta(days=max(leads))
    sent_keys = set(ContractReminder.objects.filter(notice_deadline__gte=on).values_list(
        "contract_id", "notice_deadline", "days_before"))
    candidates = (Contract.objects.undecided().filter(notice_deadline__gte=on, notice_deadline__lte=horizon)
                  .select_related("vendor", "business_owner", "procurement_owner", "legal_reviewer"))
    sent = []
    for contract in candidates:
        left = days_until(contract.notice_deadline, on)
        due = min(lead for lead in leads if left <= lead)
        if (contract.pk, contract.notice_deadline, due) in sent_keys:
            continue
        told = notify(_contract_people(contract), kind=NotificationKindChoices.SCHEDULE_CHANGED, target=contract,
                      url=contract.get_absolute_url(), actor=actor,
                      title=f"Notice deadline for {contract} in {left} day{'s' if left != 1 else ''}: "
                            f"{contract.notice_deadline.day} {contract.notice_deadline:%b %Y}",
                      body="Decide: renew, renegotiate, downsize, replace or cancel — before the deadline.")
        sent.append(ContractReminder.objects.create(contract=contract, days_before=due,
                                                    notice_deadline=contract.notice_deadline,
                                                    recipient_count=len(told)))
    return sent


# Selections --------------------------------------------------------------------------------------

def _crud(model, *, related_attr=None):
    """Create, update and delete of ``model``: each authorized by its policy in ``core.services``."""

    def create(*, actor, data: dict, source=UI):
        return object_create(model, actor=actor, data=data, source=source, related_attr=related_attr)

    def update(obj, *, actor, data: dict, expected_version, source=UI):
        return object_update(obj, actor=actor, data=data, expected_version=expected_version, source=source,
                             related_attr=related_attr)

    def delete(obj, *, actor, expected_version=None, source=UI):
        object_delete(obj, actor=actor, expected_version=expected_version, source=source, related_attr=related_attr)

    return create, update, delete


selection_create, selection_update, _selection_delete = _crud(Selection)


@transaction.atomic
def selection_delete(selection: Selection, *, actor, expected_version=None, source=UI) -> None:
    """Delete the selection with its candidates, criteria and scores — decided ones too (the chosen
    candidate is protected only against being deleted on its own)."""
    SELECTIONS.require(actor, "delete", selection)
    if selection.chosen_id:
        check_version(Selection.objects.select_for_update().get(pk=selection.pk), expected_version)
        Selection.objects.filter(pk=selection.pk).update(chosen=None)
    _selection_delete(selection, actor=actor, expected_version=expected_version, source=source)
candidate_create, candidate_update, candidate_delete = _crud(SelectionCandidate, related_attr="selection")
criterion_create, criterion_update, criterion_delete = _crud(Criterion, related_attr="selection")
objective_create, objective_update, objective_delete = _crud(Objective)
success_factor_create, success_factor_update, success_factor_delete = _crud(
    SuccessFactor, related_attr="objective")
_kpi_create, _kpi_update, kpi_delete = _crud(Kpi)


def _with_attribution(data: dict, kpi: Kpi | None) -> dict:
    """The attribution rule checked against the components: explicit shares name each component once and sum
    to 100 %; the equal split takes no shares."""
    touched = {"attribution", "attribution_shares", "components"} & set(data)
    if not touched:
        return data
    rule = data.get("attribution") or (kpi.attribution if kpi else KpiAttributionChoices.EQUAL)
    raw = data.get("attribution_shares", kpi.attribution_shares if kpi else {})
    if rule != KpiAttributionChoices.SHARES:
        if raw and "attribution_shares" in data:
            raise ValidationError({"attribution_shares": "Shares are given only with the rule “explicit shares "
                                                         "per component”; the equal split needs none."})
        return {**data, "attribution": rule, "attribution_shares": {}}
    slugs = _component_slugs(data, kpi)
    if not slugs:
        raise ValidationError({"attribution_shares": "Explicit shares need the components the KPI measures."})
    shares = parse_shares(raw or {}, slugs, "attribution_shares")
    return {**data, "attribution": rule, "attribution_shares": shares_json(shares)}


def kpi_create(*, actor, data: dict, source=UI) -> Kpi:
    """A KPI; its value is attributed to its components by its rule (equal split, or explicit shares)."""
    return _kpi_create(actor=actor, data=_with_attribution(dict(data), None), source=source)


def kpi_update(kpi: Kpi, *, actor, data: dict, expected_version, source=UI) -> Kpi:
    return _kpi_update(kpi, actor=actor, data=_with_attribution(dict(data), kpi),
                       expected_version=expected_version, source=source)
# Not related to the component in the audit: its history is public, costs are not.
_cost_entry_create, _cost_entry_update, cost_entry_delete = _crud(CostEntry)


def cost_money_require(actor, component) -> None:
    """Refuse recording costs of a component whose money the actor may not read (or write)."""
    if component is not None and not COSTS.allows(actor, "change", CostEntry(component=component)):
        raise PermissionDenied(f"Only finance, procurement and legal people, admins and the owners of {component} "
                               "may record its costs.")


def cost_entry_create(*, actor, data: dict, source=UI) -> CostEntry:
    COSTS.require(actor, "add")
    cost_money_require(actor, data.get("component"))
    return _cost_entry_create(actor=actor, data=data, source=source)


def cost_entry_update(entry: CostEntry, *, actor, data: dict, expected_version, source=UI) -> CostEntry:
    COSTS.require(actor, "change", entry)
    if "component" in data:
        cost_money_require(actor, data["component"])
    return _cost_entry_update(entry, actor=actor, data=data, expected_version=expected_version, source=source)
budget_create, budget_update, budget_delete = _crud(Budget)
document_create, document_update, document_delete = _crud(ContractDocument, related_attr="contract")


@transaction.atomic
def score_record(*, actor, criterion: Criterion, candidate: SelectionCandidate, score: int, comment: str = "",
                 reviewer=None, source=UI) -> Score:
    """A reviewer scores a candidate on a criterion (0–5); scoring again replaces the reviewer's score.

    Reviewers score for their own department's criteria (admins may record for anyone, naming them).
    """
    SCORES.require(actor, "add")
    own = person_of(actor)
    reviewer = reviewer or own
    if reviewer is None:
        raise ValidationError({"reviewer": "Your account is not linked to a person: name the reviewer."})
    if not SCORES.allows(actor, "score_for_anyone"):
        if reviewer != own:
            raise PermissionDenied("You can only record your own scores.")
        if reviewer.department_id != criterion.department_id:
            raise PermissionDenied(f"{criterion.name} is scored by {criterion.department}.")
    if criterion.selection.status != SelectionStatusChoices.OPEN:
        raise ValidationError({"score": "The selection is decided: scores can no longer change."})
    existing = Score.objects.filter(criterion=criterion, candidate=candidate, reviewer=reviewer).first()
    data = {"criterion": criterion, "candidate": candidate, "reviewer": reviewer, "score": score, "comment": comment}
    if existing:
        return object_update(existing, actor=actor, data=data, expected_version=None, source=source,
                             related_attr="candidate")
    return object_create(Score, actor=actor, data=data, source=source, related_attr="candidate")


@transaction.atomic
def selection_decide(selection: Selection, *, actor, chosen: SelectionCandidate, reasons: str, dissent: str = "",
                     create_component: bool = False, component_data: dict | None = None,
                     expected_version=None, source=UI) -> Selection:
    """Record the decision. Optionally create the chosen tool as a component (lifecycle: pilot) and a
    draft contract with its vendor."""
    SELECTIONS.require(actor, "decide", selection)
    current = Selection.objects.select_for_update(of=("self",)).get(pk=selection.pk)
    check_version(current, expected_version)
    if current.status != SelectionStatusChoices.OPEN:
        raise ValidationError({"status": "The selection is already decided or abandoned."})
    if chosen.selection_id != current.pk:
        raise ValidationError({"chosen": "The chosen candidate belongs to another selection."})
    if not (reasons or "").strip():
        raise ValidationError({"decision_reasons": "Say why this candidate was chosen."})
    user = user_of(actor)
    current = object_update(current, actor=actor, expected_version=None, source=source, rule="decide", data={
        "status": SelectionStatusChoices.DECIDED, "chosen": chosen, "decision_reasons": reasons.strip(),
        "dissent": (dissent or "").strip(), "decided_at": timezone.now(), "decided_by": user})
    if create_component:
        from stacksteward.catalog import services as catalog_services

        data = {"name": chosen.name, "vendor": chosen.vendor, "lifecycle": "pilot",
                "description": f"Chosen in the selection “{current.title}”: {reasons.strip()}",
                **(component_data or {})}
        component = catalog_services.component_create(actor=actor, data=data, source=source)
        if chosen.vendor is not None:
            start = today()
            contract_create(actor=actor, source=source, data={
                "vendor": chosen.vendor, "reference": f"Draft: {chosen.name}", "start_date": start,
                "end_date": next_term(start - datetime.timedelta(days=1), 12)[1], "annual_value": 0,
                "status": S.DRAFT, "components": [component]})
    return current


def value_score_record(*, actor, component, year: int, score: int, reasons: str, scorer=None,
                       source=UI) -> ValueScore:
    """The business owner's value score for a year (1–5, with reasons); again the same year replaces it.

    ``scorer`` names the person for a system actor (an import, the demo), who has no person of its own.
    """
    VALUE_SCORES.require(actor, "add")
    own = person_of(actor)
    if scorer is not None and scorer != own and not is_system(actor):
        raise PermissionDenied("You can only record your own value score.")
    scorer = scorer or own
    if scorer is None:
        raise ValidationError({"scorer": "Your account is not linked to a person."})
    if not VALUE_SCORES.allows(actor, "score_for_anyone") and scorer.pk != component.business_owner_id:
        raise PermissionDenied(f"The value of {component} is scored by its business owner.")
    existing = ValueScore.objects.filter(component=component, year=year, scorer=scorer).first()
    data = {"component": component, "year": year, "scorer": scorer, "score": score, "reasons": reasons}
    if existing:
        return object_update(existing, actor=actor, data=data, expected_version=None, source=source,
                             related_attr="component")
    return object_create(ValueScore, actor=actor, data=data, source=source, related_attr="component")


def measurement_record(*, actor, kpi: Kpi, period_start: datetime.date, value, note: str = "", source=UI
                       ) -> Measurement:
    """A KPI's value for a period (typed in, imported or pushed); the same period again replaces it."""
    MEASUREMENTS.require(actor, "add")
    existing = Measurement.objects.filter(kpi=kpi, period_start=period_start).first()
    origin = {AuditSourceChoices.API: "api", AuditSourceChoices.IMPORT: "import"}.get(source, "ui")
    data = {"kpi": kpi, "period_start": period_start, "value": value, "note": note, "source": origin}
    if existing:
        return object_update(existing, actor=actor, data=data, expected_version=None, source=source,
                             related_attr="kpi")
    return object_create(Measurement, actor=actor, data=data, source=source, related_attr="kpi")


@transaction.atomic
def measurements_record(*, actor, kpi: Kpi, items: list[dict], source=UI) -> tuple[list[Measurement], int]:
    """Record many measurements of one KPI, all or nothing (a pushed batch). Returns the measurements and
    how many replaced an earlier value of their period. Errors name the item: ``items.3.value``."""
    problems: dict[str, list[str]] = {}
    first_seen: dict[datetime.date, int] = {}
    for index, item in enumerate(items):
        period = item.get("period_start")
        if period in first_seen:
            problems[f"items.{index}.period_start"] = [
                f"The period {period:%Y-%m-%d} is already in item {first_seen[period]}."]
        first_seen.setdefault(period, index)
    if problems:
        raise ValidationError(problems)
    existing = set(Measurement.objects.filter(kpi=kpi, period_start__in=list(first_seen))
                   .values_list("period_start", flat=True))
    recorded = []
    for index, item in enumerate(items):
        try:
            recorded.append(measurement_record(actor=actor, kpi=kpi, source=source, **item))
        except ValidationError as exc:
            for entry in validation_messages(exc):
                field = entry["field"] if entry["field"] != "__all__" else ""
                problems.setdefault(f"items.{index}.{field}" if field else f"items.{index}", []).append(
                    entry["message"])
    if problems:
        raise ValidationError(problems)  # the atomic block rolls back every item already recorded
    return recorded, sum(1 for m in recorded if m.period_start in existing)


# Records as they are: the stack-as-code import ----------------------------------------------------
# The standard signatures (``create(*, actor, data, source)``, ``update(obj, *, actor, data, expected_version,
# source)``, ``bulk_create(*, actor, rows, source)``) over the finance writes above, for the sections of
# ``finance.sections``: an imported record is written by the same service as one entered in the UI.

def renewal_decision_record(*, actor, data: dict, source=UI) -> RenewalDecision:
    """Write a renewal decision as a record, audited on its contract and authorized by the decision's policy
    (``object_create``). ``contract_decide`` records its decision here and then ends the term or creates the
    next one; an import records the file's decision alone (the file holds the contract's status and its next
    term itself). The decider's name is the actor's unless ``data`` names one."""
    data = {"decided_by_name": audit.actor_name(actor)[:150], **data}
    return object_create(RenewalDecision, actor=actor, data=data, source=source, related_attr="contract")


def renewal_decision_update(decision: RenewalDecision, *, actor, data: dict, expected_version,
                            source=UI) -> RenewalDecision:
    return object_update(decision, actor=actor, data=data, expected_version=expected_version, source=source,
                         related_attr="contract")


def score_set(*, actor, data: dict, source=UI) -> Score:
    """``score_record`` with the reviewer named in ``data``."""
    return score_record(actor=actor, source=source, criterion=data["criterion"], candidate=data["candidate"],
                        reviewer=data["reviewer"], score=data["score"], comment=data.get("comment") or "")


def score_set_update(score: Score, *, actor, data: dict, expected_version, source=UI) -> Score:
    """``score_record`` again replaces the reviewer's score; the fields not in ``data`` stay as they are."""
    return score_record(actor=actor, source=source, criterion=score.criterion, candidate=score.candidate,
                        reviewer=score.reviewer, score=data.get("score", score.score),
                        comment=data.get("comment", score.comment))


def value_score_set(*, actor, data: dict, source=UI) -> ValueScore:
    """``value_score_record`` with the scorer named in ``data``."""
    return value_score_record(actor=actor, source=source, component=data["component"], year=data["year"],
                              scorer=data["scorer"], score=data["score"], reasons=data["reasons"])


def value_score_set_update(score: ValueScore, *, actor, data: dict, expected_version, source=UI) -> ValueScore:
    return value_score_record(actor=actor, source=source, component=score.component, year=score.year,
                              scorer=score.scorer, score=data.get("score", score.score),
                              reasons=data.get("reasons", score.reasons))


def measurement_origin(source) -> str:
    """A measurement's own ``source`` (typed in, imported, pushed) for the audit source of the write."""
    from .choices import MeasurementSourceChoices

    return {"import": MeasurementSourceChoices.IMPORT, "api": MeasurementSourceChoices.API}.get(
        str(source), MeasurementSourceChoices.UI)


def measurement_set(*, actor, data: dict, source=UI) -> Measurement:
    """``measurement_record`` with the KPI, period, value and note in ``data``."""
    return measurement_record(actor=actor, source=source, **data)


def measurement_update(measurement: Measurement, *, actor, data: dict, expected_version, source=UI) -> Measurement:
    """Change a measurement's value or note; like ``measurement_record`` it then counts as typed in, imported
    or pushed, after ``source``."""
    return object_update(measurement, actor=actor, data={**data, "source": measurement_origin(source)},
                         expected_version=expected_version, source=source, related_attr="kpi")


def _bulk_create(model, related_attr: str | None = None):
    """Bulk creation authorized by the model's policy (and its money field group) in ``objects_bulk_create``."""

    from stacksteward.core.services import objects_bulk_create

    def create(*, actor, rows: list[dict], source=UI) -> list:
        if model is Measurement:
            rows = [{**row, "source": measurement_origin(source)} for row in rows]
        return objects_bulk_create(model, actor=actor, rows=rows, source=source, related_attr=related_attr)

    return create


contract_bulk_create = _bulk_create(Contract)
kpi_bulk_create = _bulk_create(Kpi)
measurement_bulk_create = _bulk_create(Measurement, related_attr="kpi")
budget_bulk_create = _bulk_create(Budget)
cost_entry_bulk_create = _bulk_create(CostEntry)
