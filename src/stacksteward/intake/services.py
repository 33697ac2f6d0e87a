"""Writes and workflow transitions of intake. Every function takes ``actor=``, is authorized by the model's
policy (``intake.policies``: the action or the workflow step it takes) before anything else, runs in one
transaction, writes through core's versioned, locked and audited path (``object_create``/``object_update``/
``object_delete``), and tells the people affected through ``core.notifications``."""

import datetime
from collections import deque
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from stacksteward.core import audit
from stacksteward.core.actors import user_of
from stacksteward.core.choices import AuditSourceChoices, NotificationKindChoices
from stacksteward.core.notifications import notify
from stacksteward.core.services import check_version, object_create, object_delete, object_update, with_slug
from stacksteward.org.models import Person

from . import permissions as perms
from . import priority
from .choices import BacklogItemStatusChoices, FeasibilityChoices, RequestStatusChoices, ScheduleFieldChoices
from .leadtime import LeadTimeCheck, lead_time_check
from .models import BacklogItem, Capability, ChangeOrder, Iteration, Milestone, Request, Roadmap, ScheduleChange
from .policies import BACKLOG_ITEMS, CAPABILITIES, ITERATIONS, MILESTONES, REQUESTS, ROADMAPS, on_delivering_side
from .querysets import CLOSED_ITEM, CLOSED_REQUEST
from .workflow import CHANGE_ORDER_FROM, FILE_STEP, REQUEST_WORKFLOW

UI = AuditSourceChoices.UI
S = RequestStatusChoices


def today() -> datetime.date:
    return timezone.localdate()


# Capabilities -----------------------------------------------------------------------------

def capability_create(*, actor, data: dict, source=UI) -> Capability:
    CAPABILITIES.require(actor, "add")
    return object_create(Capability, actor=actor, data=with_slug(Capability, data), source=source)


def capability_update(capability: Capability, *, actor, data: dict, expected_version, source=UI) -> Capability:
    CAPABILITIES.require(actor, "change", capability)
    return object_update(capability, actor=actor, data=data, expected_version=expected_version, source=source)


def capability_delete(capability: Capability, *, actor, expected_version=None, source=UI) -> None:
    CAPABILITIES.require(actor, "delete", capability)
    object_delete(capability, actor=actor, expected_version=expected_version, source=source)


# Audiences --------------------------------------------------------------------------------

def request_audience(request_ids: Iterable[int]) -> list:
    """Everyone affected by the given requests: requesters, responders, watchers, owners of their components.

    Two queries whatever the number of requests.
    """
    ids = list(request_ids)
    if not ids:
        return []
    people = list(Person.objects.filter(
        Q(requests__in=ids) | Q(request_responses__in=ids) | Q(business_owned_components__requests__in=ids)
        | Q(technical_owned_components__requests__in=ids)).distinct())
    watchers = list(Request.watchers.through.objects.filter(request_id__in=ids).select_related("user"))
    return people + [w.user for w in watchers]


def item_audience(item_ids: Iterable[int]) -> list:
    """Everyone affected by backlog items: assignees, component owners, and their requests' audience."""
    ids = list(item_ids)
    if not ids:
        return []
    people = list(Person.objects.filter(
        Q(backlog_items__in=ids) | Q(business_owned_components__backlog_items__in=ids)
        | Q(technical_owned_components__backlog_items__in=ids)).distinct())
    request_ids = set(BacklogItem.objects.filter(pk__in=ids, request__isnull=False)
                      .values_list("request_id", flat=True))
    return people + request_audience(request_ids)


def _no_past(field: str, value: datetime.date | None, label: str) -> None:
    if value is not None and value < today():
        raise ValidationError({field: f"The {label} {value:%Y-%m-%d} is in the past; choose today or a later date."})


# Requests ---------------------------------------------------------------------------------

REQUEST_FIELDS = ("title", "objective", "why", "lost_cost_amount", "lost_cost_currency", "lost_cost_period",
                  "lost_cost_unquantifiable", "needed_by", "success_kpis", "components", "capability",
                  "requester", "delivering_department")
RESPONSE_FIELDS = ("approach", "estimate_days", "estimate_cost", "feasibility", "constraints")


def _request_data(data: dict, *, actor) -> dict:
    unknown = set(data) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError({name: "This field is not part of a request's filing." for name in sorted(unknown)})
    data = dict(data)
    if data.get("capability") is not None and not data.get("delivering_department"):
        data["delivering_department"] = data["capability"].department
    return data


@transaction.atomic
def request_file(*, actor, data: dict, source=UI) -> tuple[Request, LeadTimeCheck]:
    """File a request; returns it with the lead-time check the requester is shown."""
    REQUESTS.require(actor, "add")
    data = _request_data(data, actor=actor)
    if data.get("requester") is None:
        person = perms.person_of(actor)
        if person is None:
            raise ValidationError({"requester": "Your account is not linked to a person: name the requester."})
        data["requester"] = person
    if data.get("needed_by") is None:
        raise ValidationError({"needed_by": "Give the date it is needed by."})
    _no_past("needed_by", data["needed_by"], "needed-by date")
    capability = data.get("capability")
    if capability is not None and not capability.active:
        raise ValidationError({"capability": f"“{capability}” is no longer offered for new requests."})
    data["status"] = S.SUBMITTED
    request = object_create(Request, actor=actor, data=data, source=source)
    REQUEST_WORKFLOW.record(request, from_state="", to_state=S.SUBMITTED, step=FILE_STEP, note="", actor=actor)
    user = user_of(actor)
    if user is not None:
        request.watchers.add(user)
    department = request.delivering_department
    if department is not None:
        notify([department], kind=NotificationKindChoices.STATUS_CHANGED, actor=actor, target=request,
               title=f"New request for {department}: {request.title}", body=request.objective,
               url=request.get_absolute_url())
    check = lead_time_check(capability, request.needed_by, timezone.localdate(request.created_at),
                            exclude_pk=request.pk)
    return request, check


def request_create(*, actor, data: dict, source=UI) -> Request:
    """File a request (the standard create signature; ``request_file`` also gives the lead-time check)."""
    return request_file(actor=actor, data=data, source=source)[0]


def request_lead_time(request: Request) -> LeadTimeCheck:
    """The lead-time check as it stood at filing (the filing date and the needed-by date)."""
    return lead_time_check(request.capability, request.needed_by, timezone.localdate(request.created_at),
                           exclude_pk=request.pk)


# What the requester asks for: changing one of these after the delivering side answered or planned is a
# change order (the lost-opportunity cost, the tools and the kind of work re-rank or re-route the request,
# they do not change what is to be built).
SCOPE_FIELDS = ("title", "objective", "why", "needed_by", "success_kpis")


def _readable(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return format_date(value, "j M Y")
    return str(value).strip()


def scope_changes(request: Request, data: dict) -> list[dict]:
    """What ``data`` changes of the request's scope: ``[{field, label, before, after}]``, values as people
    read them (dates as “15 Jun 2026”, text as written)."""
    changes = []
    for name in SCOPE_FIELDS:
        if name not in data:
            continue
        before, after = getattr(request, name), data[name]
        if isinstance(before, str) or isinstance(after, str):
            if (before or "").strip() == (after or "").strip():
                continue
        elif before == after:
            continue
        label = str(Request._meta.get_field(name).verbose_name)
        changes.append({"field": name, "label": label, "before": _readable(before), "after": _readable(after)})
    return changes


def _is_change_order(current: Request, changes: list[dict], *, actor) -> bool:
    """A scope change after the delivering side answered or planned, made by someone not on that side, while
    the work is still ahead."""
    if not changes or on_delivering_side(actor, current):
        return False
    if current.status not in (*CHANGE_ORDER_FROM, S.NEEDS_REESTIMATE):
        return False
    return current.has_response or current.planned_delivery is not None


@transaction.atomic
def request_update(request: Request, *, actor, data: dict, expected_version, source=UI) -> Request:
    """Change the request's *what* and *why* (the requester, the delivering side, or an admin).

    Changing the scope (``SCOPE_FIELDS``) after the delivering side answered or planned it is a change order
    (``_is_change_order``): it is recorded with what changed, the request moves to "needs re-estimate" by the
    internal step ``change_scope`` in the same write, and the delivering side is told."""
    REQUESTS.require(actor, "change", request)
    data = _request_data(data, actor=actor)
    if "needed_by" in data and data["needed_by"] != request.needed_by:
        if data["needed_by"] is None:
            raise ValidationError({"needed_by": "Give the date it is needed by."})
        _no_past("needed_by", data["needed_by"], "needed-by date")
    if "requester" in data and data["requester"] is None:
        raise ValidationError({"requester": "A request needs a requester."})
    current = Request.objects.select_for_update(of=("self",)).select_related("capability").get(pk=request.pk)
    check_version(current, expected_version)
    changes = scope_changes(current, data)
    change_order = _is_change_order(current, changes, actor=actor)
    before = {"status": current.status, "estimate_days": current.estimate_days,
              "planned_delivery": current.planned_delivery}
    if change_order and current.status != S.NEEDS_REESTIMATE:
        number = current.change_orders.count() + 1
        updated, _transition = REQUEST_WORKFLOW.move(
            current, actor=actor, to=S.NEEDS_REESTIMATE, note=f"Change order {number}.", data=data,
            expected_version=current.version, source=source, internal=True)
    else:
        updated = object_update(current, actor=actor, data=data, expected_version=current.version, source=source)
    if change_order:
        _change_order(updated, changes=changes, before=before, actor=actor, source=source)
    if {"needed_by", "lost_cost_amount", "lost_cost_period"} & set(data):
        rescore_items(BacklogItem.objects.filter(request=updated))
    return updated


def _change_order(request: Request, *, changes: list[dict], before: dict, actor, source) -> ChangeOrder:
    """Record a change order (audited) and tell the delivering side: its department and whoever answered."""
    number = ChangeOrder.objects.filter(request=request).count() + 1
    order = ChangeOrder.objects.create(
        request=request, number=number, from_status=before["status"], changes=changes,
        estimate_days=before["estimate_days"], planned_delivery=before["planned_delivery"], actor=user_of(actor),
        actor_name=audit.actor_name(actor)[:150])
    lines = [f"{c['label'][:1].upper()}{c['label'][1:]}: {c['before'] or '(empty)'} → {c['after'] or '(empty)'}"
             for c in changes]
    # The history shows the changes as the page does, not as stored.
    audit.record(actor=actor, action="create", obj=order, before=None,
                 after={**audit.snapshot(order), "changes": " · ".join(lines)}, source=source, related=request)
    estimate = (f"The estimate of {before['estimate_days']} days" if before["estimate_days"] is not None
                else "The answer")
    body = "\n".join([*lines, f"{estimate} was given before this change: estimate it again."])
    department = request.delivering_department if request.delivering_department_id else (
        request.capability.department if request.capability_id else None)
    sent = notify([request.responder, department], kind=NotificationKindChoices.STATUS_CHANGED, actor=actor,
                  target=request, url=order.get_absolute_url(),
                  title=f"Change order {number} on {request} — {order.summary}", body=body)
    if sent:
        order.notified_count = len(sent)
        order.save(update_fields=["notified_count"])
    return order


@transaction.atomic
def request_respond(request: Request, *, actor, data: dict, expected_version, source=UI) -> Request:
    """The delivering side's answer: approach, estimate, feasibility, constraints."""
    if not REQUESTS.allows(actor, "respond", request):
        raise PermissionDenied("Only editors of the delivering department (or an admin) can answer a request.")
    unknown = set(data) - set(RESPONSE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field is not part of the answer." for name in sorted(unknown)})
    if request.is_closed:
        raise ValidationError({"status": f"The request is {request.get_status_display().lower()}; "
                                         "it can no longer be answered."})
    merged = {name: data.get(name, getattr(request, name)) for name in RESPONSE_FIELDS}
    errors = {}
    if not merged["feasibility"]:
        errors["feasibility"] = "Say whether it is feasible, partly feasible or not feasible."
    elif merged["feasibility"] != FeasibilityChoices.FEASIBLE and not (merged["constraints"] or "").strip():
        errors["constraints"] = "Say what limits it when it is only partly feasible or not feasible."
    if not (merged["approach"] or "").strip():
        errors["approach"] = "Describe how it would be done (or why it cannot be)."
    if errors:
        raise ValidationError(errors)
    data = {**data, "responder": perms.person_of(actor), "responded_at": timezone.now()}
    updated = object_update(request, actor=actor, data=data, expected_version=expected_version, source=source,
                            rule="respond")
    notify([updated.requester, *updated.watchers.all()], kind=NotificationKindChoices.RESPONSE_GIVEN, actor=actor,
           target=updated, url=updated.get_absolute_url(),
           title=f"{updated}: {updated.get_feasibility_display().lower()}", body=updated.approach)
    return updated


def _transition_problems(request: Request, to_status: str, *, planned_delivery, delivered_on) -> dict:
    """What a step needs beyond its required note: planning needs feasibility answered and a date to come."""
    errors = {}
    if request.status == S.NEEDS_REESTIMATE and to_status in (S.ACCEPTED, S.PLANNED):
        last = request.change_orders.order_by("-number").first()
        if last is not None and (request.responded_at is None or request.responded_at < last.created_at):
            verb = "accepting" if to_status == S.ACCEPTED else "planning"
            errors["status"] = (f"The scope changed after the last answer ({last.summary.lower()} on "
                                f"{format_date(timezone.localtime(last.created_at), 'j M Y')}): answer again — "
                                f"approach, estimate and feasibility — before {verb} it.")
            return errors
    if to_status == S.PLANNED:
        if not request.feasibility:
            errors["status"] = "Answer feasibility, approach and estimate before planning the request."
        elif request.feasibility == FeasibilityChoices.NOT_FEASIBLE:
            errors["status"] = "A request answered “not feasible” cannot be planned; decline it or answer again."
        date = planned_delivery or request.planned_delivery
        if date is None:
            errors["planned_delivery"] = "Give the planned delivery date."
        elif date < today():
            errors["planned_delivery"] = f"The planned delivery date {date:%Y-%m-%d} is in the past."
    if delivered_on is not None and delivered_on > today():
        errors["delivered_on"] = "The delivery date cannot be in the future."
    return errors


@transaction.atomic
def request_transition(request: Request, *, actor, to_status: str, note: str = "", planned_delivery=None,
                       delivered_on=None, expected_version=None, source=UI) -> Request:
    """Move the request along its workflow (``workflow.REQUEST_WORKFLOW``): the engine checks the move, the
    step's rule (``REQUESTS.steps``) and its required note; this adds what each step sets and tells people."""
    note = (note or "").strip()
    data = {}
    if to_status == S.DECLINED:
        data["decline_reason"] = note
    if to_status == S.PLANNED and planned_delivery:
        data["planned_delivery"] = planned_delivery
    if to_status == S.DELIVERED:
        data["delivered_on"] = delivered_on or today()
    if to_status == S.MEASURED:
        data["measured_outcome"] = note
    earlier = request.planned_delivery

    def check(current, step):
        nonlocal earlier
        earlier = current.planned_delivery
        return _transition_problems(current, to_status, planned_delivery=planned_delivery, delivered_on=delivered_on)

    current, _transition = REQUEST_WORKFLOW.move(
        request, actor=actor, to=to_status, note=note, data=data, expected_version=expected_version, source=source,
        check=check, lock=lambda rows: rows.select_for_update(of=("self",)).select_related("capability", "requester"))
    if to_status == S.PLANNED and earlier is not None and planned_delivery and earlier != planned_delivery:
        _schedule_change(current, field=ScheduleFieldChoices.PLANNED_DELIVERY, old=earlier, new=planned_delivery,
                         reason=note or "Planned again.", actor=actor, notify_people=False, source=source)
    label = S(to_status).label.lower()
    notify(request_audience([current.pk]), kind=NotificationKindChoices.STATUS_CHANGED, actor=actor, target=current,
           url=current.get_absolute_url(), title=f"{current} is now {label}", body=note)
    return current


@transaction.atomic
def request_reschedule(request: Request, *, actor, planned_delivery: datetime.date, reason: str,
                       expected_version=None, source=UI) -> ScheduleChange:
    """Move a planned delivery date; the reason is required and everyone affected is told."""
    if not REQUESTS.allows(actor, "reschedule", request):
        raise PermissionDenied("Only editors of the delivering department (or an admin) can move a planned date.")
    current = Request.objects.select_for_update().get(pk=request.pk)
    check_version(current, expected_version)
    if current.planned_delivery is None:
        raise ValidationError({"planned_delivery": "The request has no planned delivery date yet: plan it first."})
    if planned_delivery is None:
        raise ValidationError({"planned_delivery": "Give the new planned delivery date."})
    _no_past("planned_delivery", planned_delivery, "planned delivery date")
    if planned_delivery == current.planned_delivery:
        raise ValidationError({"planned_delivery": "That is the date already planned."})
    change = _schedule_change(current, field=ScheduleFieldChoices.PLANNED_DELIVERY, old=current.planned_delivery,
                              new=planned_delivery, reason=reason, actor=actor, source=source)
    object_update(current, actor=actor, data={"planned_delivery": planned_delivery}, expected_version=current.version,
                  source=source, rule="reschedule")
    return change


@transaction.atomic
def request_watch(request: Request, *, actor, watch: bool = True, source=UI) -> None:
    """Start (or stop) watching a request: watchers hear of its status and date changes. Audited.

    Watching is not an edit of the request: its version does not move (an open edit form stays current)."""
    REQUESTS.require(actor, "watch", request)
    user = user_of(actor)
    if user is None:
        raise ValidationError({"watchers": "Only a signed-in user can watch a request."})
    watching = request.watchers.filter(pk=user.pk).exists()
    if watching == watch:
        return
    (request.watchers.add if watch else request.watchers.remove)(user)
    name = audit.actor_name(actor)
    audit.record(actor=actor, action="update", obj=request, source=source,
                 before={"watchers": f"{name} {'not ' if watch else ''}watching"},
                 after={"watchers": f"{name} {'' if watch else 'not '}watching"})


def request_delete(request: Request, *, actor, expected_version=None, source=UI) -> None:
    REQUESTS.require(actor, "delete", request)
    object_delete(request, actor=actor, expected_version=expected_version, source=source)


# Schedule changes -------------------------------------------------------------------------

SUBJECT_FIELD = {Request: "request", BacklogItem: "backlog_item", Iteration: "iteration", Milestone: "milestone"}


def _schedule_change(subject, *, field: str, old, new, reason: str, actor, old_label: str = "", new_label: str = "",
                     notify_people: bool = True, source=UI) -> ScheduleChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the date moves; everyone affected will read it."})
    change = ScheduleChange.objects.create(
        **{SUBJECT_FIELD[type(subject)]: subject}, field=field, old_date=old, new_date=new, old_label=old_label[:200],
        new_label=new_label[:200], reason=reason, actor=user_of(actor), actor_name=audit.actor_name(actor)[:150])
    audit.record(actor=actor, action="create", obj=change, before=None, after=audit.snapshot(change),
                 source=source, related=subject)
    if notify_people:
        audience = _audience_of(subject)
        before = old_label or (f"{old:%Y-%m-%d}" if old else "unplanned")
        after = new_label or (f"{new:%Y-%m-%d}" if new else "unplanned")
        sent = notify(audience, kind=NotificationKindChoices.SCHEDULE_CHANGED, actor=actor, target=subject,
                      url=subject.get_absolute_url(), title=f"{subject} moved: {before} → {after}", body=reason)
        change.notified_count = len(sent)
        change.save(update_fields=["notified_count"])
    return change


def _audience_of(subject) -> list:
    if isinstance(subject, Request):
        return request_audience([subject.pk])
    if isinstance(subject, BacklogItem):
        return item_audience([subject.pk])
    if isinstance(subject, Iteration):
        return item_audience(subject.items.values_list("pk", flat=True))
    if isinstance(subject, Milestone):
        return request_audience(subject.requests.values_list("pk", flat=True))
    raise TypeError(subject)


# Backlog ----------------------------------------------------------------------------------

ITEM_META = ("schedule_reason",)


def _check_no_cycle(item: BacklogItem, depends_on: list[BacklogItem]) -> None:
    """Refuse dependencies that would make a cycle (one query: every dependency edge)."""
    if item.pk is None:
        return  # a new item has no dependents yet, so no cycle can go through it
    if any(dep.pk == item.pk for dep in depends_on):
        raise ValidationError({"depends_on": "An item cannot depend on itself."})
    through = BacklogItem.depends_on.through
    adjacency: dict[int, list[int]] = {}
    for source, target in through.objects.exclude(from_backlogitem_id=item.pk).values_list(
            "from_backlogitem_id", "to_backlogitem_id"):
        adjacency.setdefault(source, []).append(target)
    for dep in depends_on:
        path = _path(adjacency, dep.pk, item.pk)
        if path:
            chain = " → ".join(f"B-{pk}" for pk in path)
            raise ValidationError({"depends_on": f"B-{dep.pk} already depends on B-{item.pk} ({chain}); "
                                                 "adding it would make a cycle."})


def _path(adjacency: dict[int, list[int]], start: int, goal: int) -> list[int] | None:
    parents = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            while node is not None:
                path.append(node)
                node = parents[node]
            return path[::-1]
        for nxt in adjacency.get(node, ()):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    return None


def _check_can_start(item: BacklogItem, depends_on: list[BacklogItem]) -> None:
    waiting = [d for d in depends_on if d.status != BacklogItemStatusChoices.DONE]
    if waiting:
        names = ", ".join(str(d) for d in waiting)
        raise ValidationError({"status": f"Cannot start before the items it depends on are done: {names}."})


def _apply_score(item: BacklogItem, on: datetime.date | None = None) -> None:
    item.computed_score = priority.score_item(item, on or today()).score
    item.score = item.priority_override if item.priority_override is not None else item.computed_score


@transaction.atomic
def backlog_item_create(*, actor, data: dict, source=UI) -> BacklogItem:
    BACKLOG_ITEMS.require(actor, "add")
    data = {k: v for k, v in data.items() if k != "schedule_reason"}  # a new item has no date to move
    depends_on = list(data.get("depends_on") or [])
    if data.get("status") == BacklogItemStatusChoices.IN_PROGRESS:
        _check_can_start(BacklogItem(), depends_on)
    if data.get("iteration") is not None and data.get("status") in (None, BacklogItemStatusChoices.NEW,
                                                                    BacklogItemStatusChoices.READY):
        data["status"] = BacklogItemStatusChoices.PLANNED
    probe = BacklogItem(**{k: v for k, v in data.items() if k not in ("components", "depends_on")})
    _apply_score(probe)
    data["computed_score"], data["score"] = probe.computed_score, probe.score
    return object_create(BacklogItem, actor=actor, data=data, source=source)


@transaction.atomic
def backlog_item_update(item: BacklogItem, *, actor, data: dict, expected_version, source=UI,
                        rule: str = "change") -> BacklogItem:
    """Edit an item. Moving it out of the iteration it was planned in is a schedule change: it needs
    ``schedule_reason`` and tells everyone affected."""
    BACKLOG_ITEMS.require(actor, rule, item)
    current = (BacklogItem.objects.select_for_update(of=("self",))  # PostgreSQL cannot lock the nullable joined side
               .select_related("iteration", "request").get(pk=item.pk))
    check_version(current, expected_version)
    data = dict(data)
    reason = data.pop("schedule_reason", "") or ""
    if "depends_on" in data:
        _check_no_cycle(current, list(data["depends_on"] or []))
    status = data.get("status", current.status)
    if status == BacklogItemStatusChoices.IN_PROGRESS and current.status != status:
        deps = list(data["depends_on"]) if "depends_on" in data else list(current.depends_on.all())
        _check_can_start(current, deps)
    moved = "iteration" in data and data["iteration"] != current.iteration
    old_iteration = current.iteration
    if moved and data["iteration"] is not None and status in (BacklogItemStatusChoices.NEW,
                                                              BacklogItemStatusChoices.READY):
        data["status"] = BacklogItemStatusChoices.PLANNED
    if moved and data["iteration"] is None and status == BacklogItemStatusChoices.PLANNED:
        data["status"] = BacklogItemStatusChoices.READY
    if moved and old_iteration is not None:
        new = data["iteration"]
        _schedule_change(current, field=ScheduleFieldChoices.ITERATION, old=old_iteration.end,
                         new=new.end if new else None, old_label=f"{old_iteration} (ends {old_iteration.end:%Y-%m-%d})",
                         new_label=f"{new} (ends {new.end:%Y-%m-%d})" if new else "back to the backlog",
                         reason=reason, actor=actor, source=source)
    for name, value in data.items():
        if name not in ("components", "depends_on"):
            setattr(current, name, value)
    _apply_score(current)
    data["computed_score"], data["score"] = current.computed_score, current.score
    updated = object_update(current, actor=actor, data=data, expected_version=None, source=source, rule=rule)
    if moved and old_iteration is None and data["iteration"] is not None:
        notify(item_audience([updated.pk]), kind=NotificationKindChoices.SCHEDULE_CHANGED, actor=actor,
               target=updated, url=updated.get_absolute_url(),
               title=f"{updated} planned into {updated.iteration} (ends {updated.iteration.end:%Y-%m-%d})")
    return updated


def backlog_item_plan(item: BacklogItem, *, actor, iteration: Iteration | None, reason: str = "",
                      expected_version=None, source=UI) -> BacklogItem:
    """Plan the item into an iteration (or take it out); moving it from one is a bump that needs a reason."""
    return backlog_item_update(item, actor=actor, data={"iteration": iteration, "schedule_reason": reason},
                               expected_version=expected_version, source=source, rule="plan")


def backlog_item_delete(item: BacklogItem, *, actor, expected_version=None, source=UI) -> None:
    BACKLOG_ITEMS.require(actor, "delete", item)
    object_delete(item, actor=actor, expected_version=expected_version, source=source)


def rescore_items(queryset=None, *, on: datetime.date | None = None) -> int:
    """Recompute the stored scores (urgency changes with the calendar); returns how many changed.

    Run daily (``steward intake_rescore``) and whenever a request's cost or needed-by date changes.
    """
    queryset = BacklogItem.objects.exclude(status__in=CLOSED_ITEM) if queryset is None else queryset
    changed = []
    for item in queryset.select_related("request"):
        old = (item.computed_score, item.score)
        _apply_score(item, on)
        if (item.computed_score, item.score) != old:
            changed.append(item)
    BacklogItem.objects.bulk_update(changed, ["computed_score", "score"], batch_size=500)
    return len(changed)


# Roadmaps, iterations and milestones --------------------------------------------------------

def roadmap_create(*, actor, data: dict, source=UI) -> Roadmap:
    ROADMAPS.require(actor, "add")
    return object_create(Roadmap, actor=actor, data=with_slug(Roadmap, data), source=source)


def roadmap_update(roadmap: Roadmap, *, actor, data: dict, expected_version, source=UI) -> Roadmap:
    ROADMAPS.require(actor, "change", roadmap)
    return object_update(roadmap, actor=actor, data=data, expected_version=expected_version, source=source)


def roadmap_delete(roadmap: Roadmap, *, actor, expected_version=None, source=UI) -> None:
    ROADMAPS.require(actor, "delete", roadmap)
    object_delete(roadmap, actor=actor, expected_version=expected_version, source=source)


def iteration_create(*, actor, data: dict, source=UI) -> Iteration:
    ITERATIONS.require(actor, "add")
    data = {k: v for k, v in data.items() if k != "schedule_reason"}
    return object_create(Iteration, actor=actor, data=data, source=source, related_attr="roadmap")


def requests_planned_in(iteration: Iteration):
    """The requests planned in ``iteration`` whose planned delivery follows it: open, not yet delivered, with a
    planned delivery date, and with an open backlog item in it."""
    open_items = BacklogItem.objects.filter(iteration=iteration).exclude(status__in=CLOSED_ITEM)
    return (Request.objects.filter(pk__in=open_items.values("request_id"), planned_delivery__isnull=False)
            .exclude(status__in=(*CLOSED_REQUEST, S.DELIVERED)).order_by("pk"))


def _request_ends(request_ids, *, iteration: Iteration, end: datetime.date) -> dict[int, datetime.date]:
    """For each request, the end of the last iteration its open backlog items are planned in — with
    ``iteration`` ending on ``end`` (one query)."""
    ends: dict[int, datetime.date] = {}
    rows = (BacklogItem.objects.filter(request_id__in=list(request_ids), iteration__isnull=False)
            .exclude(status__in=CLOSED_ITEM).values_list("request_id", "iteration_id", "iteration__end"))
    for request_id, iteration_id, iteration_end in rows:
        value = end if iteration_id == iteration.pk else iteration_end
        ends[request_id] = max(ends.get(request_id, value), value)
    return ends


def _follow_iteration(iteration: Iteration, *, old_end: datetime.date, requests: list[Request], reason: str,
                      actor, source) -> list[ScheduleChange]:
    """Move the planned delivery of each request planned in ``iteration`` by as many days as the last iteration
    holding its work moved (a margin the delivering side left stays), through the request's own versioned,
    audited write, with a schedule change on its timeline naming the old and new date and the reason.

    The people affected were told once, by the iteration's own schedule change; these are not told again.
    Each request is written through ``object_update`` (no bulk update path exists), all in the caller's
    transaction."""
    if not requests:
        return []
    before = _request_ends([r.pk for r in requests], iteration=iteration, end=old_end)
    after = _request_ends([r.pk for r in requests], iteration=iteration, end=iteration.end)
    changes = []
    why = f"{iteration} now ends {format_date(iteration.end, 'j M Y')} (was {format_date(old_end, 'j M Y')}): {reason}"
    for request in requests:
        if request.pk not in before or before[request.pk] == after[request.pk]:
            continue  # another iteration ending later still decides its delivery
        new = request.planned_delivery + (after[request.pk] - before[request.pk])
        if new == request.planned_delivery:
            continue
        changes.append(_schedule_change(request, field=ScheduleFieldChoices.PLANNED_DELIVERY,
                                        old=request.planned_delivery, new=new, reason=why, actor=actor,
                                        notify_people=False, source=source))
        object_update(request, actor=actor, data={"planned_delivery": new}, expected_version=None, source=source,
                      rule="follow_iteration")
    return changes


@transaction.atomic
def iteration_update(iteration: Iteration, *, actor, data: dict, expected_version, source=UI) -> Iteration:
    """Edit an iteration; moving its start or end is a schedule change (``schedule_reason`` required).

    Moving its end moves the planned delivery of every request planned in it (``_follow_iteration``)."""
    ITERATIONS.require(actor, "change", iteration)
    current = Iteration.objects.select_for_update().get(pk=iteration.pk)
    check_version(current, expected_version)
    data = dict(data)
    reason = (data.pop("schedule_reason", "") or "").strip()
    moves = [(field, label) for field, label in (("start", ScheduleFieldChoices.START),
                                                 ("end", ScheduleFieldChoices.END))
             if field in data and data[field] is not None and data[field] != getattr(current, field)]
    old_end = current.end
    end_moves = any(field == "end" for field, _label in moves)
    requests = list(requests_planned_in(current).select_for_update(of=("self",))) if end_moves else []
    if moves and not reason and requests:
        names = ", ".join(f"R-{r.pk}" for r in requests[:5]) + (" …" if len(requests) > 5 else "")
        raise ValidationError({"reason": f"Say why the dates move: the planned delivery of {len(requests)} "
                                         f"request{'s' if len(requests) != 1 else ''} planned in it ({names}) "
                                         "moves with its end, and their requesters read this reason."})
    for field, label in moves:
        _schedule_change(current, field=label, old=getattr(current, field), new=data[field], reason=reason,
                         actor=actor, source=source)
    updated = object_update(current, actor=actor, data=data, expected_version=None, source=source,
                            related_attr="roadmap")
    if end_moves:
        _follow_iteration(updated, old_end=old_end, requests=requests, reason=reason, actor=actor, source=source)
    if "end" in data:
        rescore_items(BacklogItem.objects.filter(iteration=updated))
    return updated


def iteration_delete(iteration: Iteration, *, actor, expected_version=None, source=UI) -> None:
    ITERATIONS.require(actor, "delete", iteration)
    object_delete(iteration, actor=actor, expected_version=expected_version, source=source, related_attr="roadmap")


def milestone_create(*, actor, data: dict, source=UI) -> Milestone:
    MILESTONES.require(actor, "add")
    data = {k: v for k, v in data.items() if k != "schedule_reason"}
    return object_create(Milestone, actor=actor, data=data, source=source, related_attr="roadmap")


@transaction.atomic
def milestone_update(milestone: Milestone, *, actor, data: dict, expected_version, source=UI) -> Milestone:
    """Edit a milestone; moving its due date is a schedule change (``schedule_reason`` required)."""
    MILESTONES.require(actor, "change", milestone)
    current = Milestone.objects.select_for_update().get(pk=milestone.pk)
    check_version(current, expected_version)
    data = dict(data)
    reason = data.pop("schedule_reason", "") or ""
    if "due" in data and data["due"] is not None and data["due"] != current.due:
        _schedule_change(current, field=ScheduleFieldChoices.DUE, old=current.due, new=data["due"], reason=reason,
                         actor=actor, source=source)
    return object_update(current, actor=actor, data=data, expected_version=None, source=source,
                         related_attr="roadmap")


def milestone_delete(milestone: Milestone, *, actor, expected_version=None, source=UI) -> None:
    MILESTONES.require(actor, "delete", milestone)
    object_delete(milestone, actor=actor, expected_version=expected_version, source=source, related_attr="roadmap")
