"""API for intake: the declared resources (``resources.py``: capabilities, requests, backlog items,
roadmaps, iterations, milestones and schedule changes) plus what is not CRUD — filing a request (its answer
adds the lead-time check), the request's workflow (answer, steps, new date, watching), its timeline and
lead-time check, and planning a backlog item. Handlers parse, fetch through the declared (restricted) rows
and call ``intake.services``, which authorize every write by the policies of ``intake.policies``."""

from django.core.exceptions import ValidationError
from ninja import Router, Status

from stacksteward.core.api_support import CREATE_ERRORS, GET_BY_ID_ERRORS, Refs, changed_fields, errors
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.resources import add_routes

from . import policies, services
from .choices import RequestStatusChoices
from .models import Iteration
from .resources import BACKLOG_ITEMS, REQUESTS, RESOURCES
from .schemas import (
    BacklogItemOut,
    BacklogItemPlanIn,
    ChangeOrderOut,
    LeadTimeOut,
    RequestCreatedOut,
    RequestIn,
    RequestOut,
    RequestRescheduleIn,
    RequestResponseIn,
    RequestTransitionIn,
    TimelineEntryOut,
)
from .timeline import change_orders_of, request_timeline

router = Router(tags=["intake"])
API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version

for resource in RESOURCES:
    add_routes(router, resource)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them (``status`` → ``to``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})


def _request(user, id: int):
    return REQUESTS.fetch(user, id)


# Requests --------------------------------------------------------------------------------------

@router.post("/requests", response={201: RequestCreatedOut, **errors(*CREATE_ERRORS)})
def create_request(request, payload: RequestIn):
    """File a request. The answer adds ``lead_time``: whether the needed-by date leaves enough time, with the
    numbers (the capability's standard lead time and, with enough history, the observed median)."""
    policies.REQUESTS.require(request.auth, "add")
    filed, check = services.request_file(actor=request.auth, source=API,
                                         data=REQUESTS.input(request.auth, payload, partial=False))
    created = REQUESTS.rows(request.auth).get(pk=filed.pk)
    created.lead_time = check.as_dict()
    return Status(201, created)


@router.post("/requests/{id}/response", response={200: RequestOut, **errors(*ACTION_ERRORS)})
def respond_to_request(request, id: int, payload: RequestResponseIn):
    """The delivering side's answer: approach, estimate, feasibility and constraints (editors of the
    delivering department, or an admin). Fields left out keep their value; the requester is told."""
    filed = _request(request.auth, id)
    data = changed_fields(payload)
    for name in ("feasibility", "approach", "constraints"):
        if name in data and data[name] is None:
            data[name] = ""
    services.request_respond(filed, actor=request.auth, data=data, expected_version=payload.version, source=API)
    return _request(request.auth, id)


@router.post("/requests/{id}/transitions", response={200: RequestOut, **errors(*ACTION_ERRORS)})
def transition_request(request, id: int, payload: RequestTransitionIn):
    """Move the request along its workflow; ``next_steps`` on the request lists the moves you may make.
    Declining needs ``note`` (the reason); planning needs an answered request and ``planned_delivery``."""
    filed = _request(request.auth, id)
    try:
        services.request_transition(filed, actor=request.auth, to_status=payload.to, note=payload.note,
                                    planned_delivery=payload.planned_delivery, delivered_on=payload.delivered_on,
                                    expected_version=payload.version, source=API)
    except ValidationError as exc:
        raise _renamed(exc, {"status": "to"}) from exc
    return _request(request.auth, id)


@router.post("/requests/{id}/reschedule", response={200: RequestOut, **errors(*ACTION_ERRORS)})
def reschedule_request(request, id: int, payload: RequestRescheduleIn):
    """Move the planned delivery date. The reason is recorded as a schedule change and everyone affected
    (requester, watchers, owners of its components) is notified."""
    filed = _request(request.auth, id)
    services.request_reschedule(filed, actor=request.auth, planned_delivery=payload.planned_delivery,
                                reason=payload.reason, expected_version=payload.version, source=API)
    return _request(request.auth, id)


@router.post("/requests/{id}/watch", response={204: None, **errors(401, 403, 404, 422)})
def watch_request(request, id: int):
    """Be notified of the request's steps and date changes."""
    services.request_watch(_request(request.auth, id), actor=request.auth, watch=True, source=API)
    return Status(204, None)


@router.delete("/requests/{id}/watch", response={204: None, **errors(401, 403, 404, 422)})
def unwatch_request(request, id: int):
    services.request_watch(_request(request.auth, id), actor=request.auth, watch=False, source=API)
    return Status(204, None)


def _status_label(value: str) -> str:
    return RequestStatusChoices(value).label.lower() if value else "—"


@router.get("/requests/{id}/timeline", response={200: list[TimelineEntryOut], **errors(*GET_BY_ID_ERRORS)})
def get_request_timeline(request, id: int):
    """Everything that happened to the request, oldest first: workflow steps, the delivering side's answer,
    questions and answers, moved dates (its own and its backlog items') and change orders."""
    return [_timeline_out(entry) for entry in request_timeline(_request(request.auth, id))]


def _timeline_out(entry) -> dict:
    """One timeline entry as the API shows it: a summary line and the text it carries."""
    obj = entry.obj
    out = {"at": entry.at, "kind": entry.kind, "actor_name": entry.actor_name}
    if entry.kind == "transition":
        summary = (f"Filed ({_status_label(obj.to_status)})" if not obj.from_status
                   else f"{_status_label(obj.from_status)} → {_status_label(obj.to_status)}")
        return {**out, "summary": summary, "text": obj.note, "from_status": obj.from_status or None,
                "to_status": obj.to_status}
    if entry.kind == "response":
        return {**out, "summary": f"Answered: {obj.get_feasibility_display().lower()}", "text": obj.approach}
    if entry.kind in ("question", "question_closed"):
        summary = f"Asked {obj.addressee}" if entry.kind == "question" else f"Marked question {obj.pk} answered"
        return {**out, "summary": summary, "text": obj.text, "question_id": obj.pk, "question_status": obj.status}
    if entry.kind == "answer":
        return {**out, "summary": f"Answered question {entry.question.pk}", "text": obj.text,
                "question_id": entry.question.pk, "question_status": entry.question.status}
    if entry.kind == "change_order":
        return {**out, "summary": f"Change order {obj.number}: {obj.summary}",
                "text": "\n".join(f"{c['label']}: {c['before'] or '(empty)'} → {c['after'] or '(empty)'}"
                                  for c in obj.changes),
                "from_status": obj.from_status, "change_order": obj.number}
    before = obj.old_label or (f"{obj.old_date:%Y-%m-%d}" if obj.old_date else "unplanned")
    after = obj.new_label or (f"{obj.new_date:%Y-%m-%d}" if obj.new_date else "unplanned")
    what = obj.backlog_item if obj.backlog_item_id else obj.get_field_display()
    return {**out, "summary": f"{what} moved: {before} → {after}", "text": obj.reason,
            "old_date": obj.old_date, "new_date": obj.new_date, "backlog_item_id": obj.backlog_item_id}


@router.get("/requests/{id}/change-orders", response={200: list[ChangeOrderOut], **errors(*GET_BY_ID_ERRORS)})
def get_request_change_orders(request, id: int):
    """The request's change orders, newest first: scope changes by the requester after the delivering side
    answered or planned it, each with what changed (before → after) and the estimate it made stale."""
    return list(change_orders_of(_request(request.auth, id)))


@router.get("/requests/{id}/lead-time", response={200: LeadTimeOut, **errors(*GET_BY_ID_ERRORS)})
def get_request_lead_time(request, id: int):
    """The lead-time check as at filing: working days left against the standard and observed lead times."""
    return services.request_lead_time(_request(request.auth, id)).as_dict()


# Backlog items ---------------------------------------------------------------------------------

@router.post("/backlog-items/{id}/plan", response={200: BacklogItemOut, **errors(*ACTION_ERRORS)})
def plan_backlog_item(request, id: int, payload: BacklogItemPlanIn):
    """Plan the item into an iteration, or take it out (``iteration: null``). Moving it out of an iteration
    is a bump: ``reason`` is required and everyone affected is told."""
    item = BACKLOG_ITEMS.fetch(request.auth, id)
    policies.BACKLOG_ITEMS.require(request.auth, "plan", item)
    refs = Refs()
    iteration = refs.one(Iteration.objects.restrict(request.auth, "view"), "iteration", payload.iteration, key="pk")
    refs.check()
    services.backlog_item_plan(item, actor=request.auth, iteration=iteration, reason=payload.reason,
                               expected_version=payload.version, source=API)
    return BACKLOG_ITEMS.rows(request.auth).get(pk=id)
