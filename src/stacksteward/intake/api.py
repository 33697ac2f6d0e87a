"""API for intake: capabilities, requests and their workflow, backlog items, roadmaps, iterations,
milestones and schedule changes. Handlers parse, fetch-and-authorize, resolve natural keys and call
``intake.services``, which authorize every write by the policies of ``intake.policies`` (a handler asks
the same policy early only to answer 403 before doing any work)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from ninja import Query, Router, Status

from stacksteward.catalog.models import Component
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
from stacksteward.org.models import Department, Person

from . import services
from .choices import RequestStatusChoices
from .filtersets import (
    BacklogItemFilterSet,
    CapabilityFilterSet,
    IterationFilterSet,
    MilestoneFilterSet,
    RequestFilterSet,
    RoadmapFilterSet,
    ScheduleChangeFilterSet,
)
from .models import BacklogItem, Capability, Iteration, Milestone, Request, Roadmap, ScheduleChange
from .policies import BACKLOG_ITEMS, CAPABILITIES, ITERATIONS, MILESTONES, REQUESTS, ROADMAPS
from .schemas import (
    BacklogItemIn,
    BacklogItemOut,
    BacklogItemPatch,
    BacklogItemPlanIn,
    CapabilityIn,
    CapabilityOut,
    CapabilityPatch,
    IterationIn,
    IterationOut,
    IterationPatch,
    LeadTimeOut,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    RequestCreatedOut,
    RequestIn,
    RequestOut,
    RequestPatch,
    RequestRescheduleIn,
    RequestResponseIn,
    RequestTransitionIn,
    RoadmapIn,
    RoadmapOut,
    RoadmapPatch,
    ScheduleChangeOut,
    TimelineEntryOut,
)
from .timeline import request_timeline

router = Router(tags=["intake"])
API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version


def _input(payload, *, partial: bool) -> dict:
    data = changed_fields(payload) if partial else all_fields(payload)
    if "slug" in data and not data["slug"]:
        data.pop("slug")
    return data


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them (``status`` → ``to``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})


# Capabilities ----------------------------------------------------------------------------------

CapabilityFilters = filter_schema(CapabilityFilterSet)


def _capabilities(user):
    return Capability.objects.restrict(user, "view").select_related("department")


def _capability_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "department" in data:
        data["department"] = refs.one(Department.objects.restrict(user, "view"), "department", data["department"])
    refs.check()
    return data


@router.get("/capabilities", response={200: page_schema(CapabilityOut), **errors(*LIST_ERRORS)})
def list_capabilities(request, filters: Query[CapabilityFilters], page: Query[PageParams]):
    """What each department offers, with its standard lead time and what is and is not possible."""
    return paginate(apply_filters(CapabilityFilterSet, request, _capabilities(request.auth)), page)


@router.post("/capabilities", response={201: CapabilityOut, **errors(*CREATE_ERRORS)})
def create_capability(request, payload: CapabilityIn):
    CAPABILITIES.require(request.auth, "add")
    capability = services.capability_create(actor=request.auth, source=API,
                                            data=_capability_data(request.auth, payload, partial=False))
    return Status(201, _capabilities(request.auth).get(pk=capability.pk))


@router.get("/capabilities/{slug}", response={200: CapabilityOut, **errors(*GET_ERRORS)})
def get_capability(request, slug: str):
    return fetch_or_404(_capabilities(request.auth), slug=slug)


@router.patch("/capabilities/{slug}", response={200: CapabilityOut, **errors(*UPDATE_ERRORS)})
def patch_capability(request, slug: str, payload: CapabilityPatch):
    """Change only the fields sent (editors of the offering department, or an admin); ``version`` required."""
    capability = fetch_or_404(_capabilities(request.auth), slug=slug)
    CAPABILITIES.require(request.auth, "change", capability)
    services.capability_update(capability, actor=request.auth, expected_version=payload.version, source=API,
                               data=_capability_data(request.auth, payload, partial=True))
    return _capabilities(request.auth).get(pk=capability.pk)


@router.delete("/capabilities/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_capability(request, slug: str, version: int | None = None):
    """Delete; refused (422) while requests use it, (409) if ``?version=`` is stale."""
    capability = fetch_or_404(_capabilities(request.auth), slug=slug)
    CAPABILITIES.require(request.auth, "delete", capability)
    services.capability_delete(capability, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Requests --------------------------------------------------------------------------------------

RequestFilters = filter_schema(RequestFilterSet)


def _requests(user):
    """Requests with what a row shows, and whether ``user`` watches each (constant queries)."""
    watched = Request.watchers.through.objects.filter(request_id=OuterRef("pk"), user_id=user.pk)
    return Request.objects.restrict(user, "view").with_list_data().annotate(watching=Exists(watched))


def _request(user, id: int) -> Request:
    return fetch_or_404(_requests(user), pk=id)


def _request_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "capability" in data:
        data["capability"] = refs.one(Capability.objects.restrict(user, "view"), "capability", data["capability"])
    if "delivering_department" in data:
        data["delivering_department"] = refs.one(Department.objects.restrict(user, "view"), "delivering_department",
                                                 data["delivering_department"])
    if "requester" in data:
        data["requester"] = refs.person(Person.objects.restrict(user, "view"), "requester", data["requester"])
    if "components" in data:
        data["components"] = refs.many(Component.objects.restrict(user, "view"), "components", data["components"])
    refs.check()
    return data


@router.get("/requests", response={200: page_schema(RequestOut), **errors(*LIST_ERRORS)})
def list_requests(request, filters: Query[RequestFilters], page: Query[PageParams]):
    """Requests, newest first, with their open question count and the steps you may take (constant queries)."""
    return paginate(apply_filters(RequestFilterSet, request, _requests(request.auth)), page)


@router.post("/requests", response={201: RequestCreatedOut, **errors(*CREATE_ERRORS)})
def create_request(request, payload: RequestIn):
    """File a request. The answer adds ``lead_time``: whether the needed-by date leaves enough time, with the
    numbers (the capability's standard lead time and, with enough history, the observed median)."""
    REQUESTS.require(request.auth, "add")
    filed, check = services.request_file(actor=request.auth, source=API,
                                         data=_request_data(request.auth, payload, partial=False))
    created = _requests(request.auth).get(pk=filed.pk)
    created.lead_time = check.as_dict()
    return Status(201, created)


@router.get("/requests/{id}", response={200: RequestOut, **errors(*GET_BY_ID_ERRORS)})
def get_request(request, id: int):
    return _request(request.auth, id)


@router.patch("/requests/{id}", response={200: RequestOut, **errors(*UPDATE_ERRORS)})
def patch_request(request, id: int, payload: RequestPatch):
    """Change the *what* and *why* (the requester, the delivering side, or an admin); ``version`` required."""
    filed = _request(request.auth, id)
    REQUESTS.require(request.auth, "change", filed)
    services.request_update(filed, actor=request.auth, expected_version=payload.version, source=API,
                            data=_request_data(request.auth, payload, partial=True))
    return _request(request.auth, id)


@router.delete("/requests/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_request(request, id: int, version: int | None = None):
    """Delete (admins only; others withdraw instead); (409) if ``?version=`` is stale."""
    filed = _request(request.auth, id)
    services.request_delete(filed, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


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
    questions and answers, and moved dates (its own and its backlog items')."""
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
    before = obj.old_label or (f"{obj.old_date:%Y-%m-%d}" if obj.old_date else "unplanned")
    after = obj.new_label or (f"{obj.new_date:%Y-%m-%d}" if obj.new_date else "unplanned")
    what = obj.backlog_item if obj.backlog_item_id else obj.get_field_display()
    return {**out, "summary": f"{what} moved: {before} → {after}", "text": obj.reason,
            "old_date": obj.old_date, "new_date": obj.new_date, "backlog_item_id": obj.backlog_item_id}


@router.get("/requests/{id}/lead-time", response={200: LeadTimeOut, **errors(*GET_BY_ID_ERRORS)})
def get_request_lead_time(request, id: int):
    """The lead-time check as at filing: working days left against the standard and observed lead times."""
    return services.request_lead_time(_request(request.auth, id)).as_dict()


# Backlog items ---------------------------------------------------------------------------------

BacklogItemFilters = filter_schema(BacklogItemFilterSet)


def _items(user):
    """Backlog items by score, highest first, unscored ones last (on both databases)."""
    return (BacklogItem.objects.restrict(user, "view").with_list_data()
            .order_by(F("score").desc(nulls_last=True), "id"))


def _item_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "components" in data:
        data["components"] = refs.many(Component.objects.restrict(user, "view"), "components", data["components"])
    if "request" in data:
        data["request"] = refs.one(Request.objects.restrict(user, "view"), "request", data["request"], key="pk")
    if "iteration" in data:
        data["iteration"] = refs.one(Iteration.objects.restrict(user, "view"), "iteration", data["iteration"],
                                     key="pk")
    if "assignee" in data:
        data["assignee"] = refs.person(Person.objects.restrict(user, "view"), "assignee", data["assignee"])
    if "depends_on" in data:
        data["depends_on"] = refs.many(BacklogItem.objects.restrict(user, "view"), "depends_on",
                                       data["depends_on"], key="pk")
    refs.check()
    return data


@router.get("/backlog-items", response={200: page_schema(BacklogItemOut), **errors(*LIST_ERRORS)})
def list_backlog_items(request, filters: Query[BacklogItemFilters], page: Query[PageParams]):
    """The backlog, by priority score (highest first; items without an effort estimate last), with the
    score's parts. ``ordering`` sorts otherwise."""
    return paginate(apply_filters(BacklogItemFilterSet, request, _items(request.auth)), page)


@router.post("/backlog-items", response={201: BacklogItemOut, **errors(*CREATE_ERRORS)})
def create_backlog_item(request, payload: BacklogItemIn):
    BACKLOG_ITEMS.require(request.auth, "add")
    item = services.backlog_item_create(actor=request.auth, source=API,
                                        data=_item_data(request.auth, payload, partial=False))
    return Status(201, _items(request.auth).get(pk=item.pk))


@router.get("/backlog-items/{id}", response={200: BacklogItemOut, **errors(*GET_BY_ID_ERRORS)})
def get_backlog_item(request, id: int):
    return fetch_or_404(_items(request.auth), pk=id)


@router.patch("/backlog-items/{id}", response={200: BacklogItemOut, **errors(*UPDATE_ERRORS)})
def patch_backlog_item(request, id: int, payload: BacklogItemPatch):
    """Change only the fields sent; ``version`` required. Moving the item out of the iteration it was
    planned in needs ``schedule_reason``; dependencies that would make a cycle are refused."""
    item = fetch_or_404(_items(request.auth), pk=id)
    BACKLOG_ITEMS.require(request.auth, "change", item)
    try:
        services.backlog_item_update(item, actor=request.auth, expected_version=payload.version, source=API,
                                     data=_item_data(request.auth, payload, partial=True))
    except ValidationError as exc:
        raise _renamed(exc, {"reason": "schedule_reason"}) from exc
    return _items(request.auth).get(pk=id)


@router.post("/backlog-items/{id}/plan", response={200: BacklogItemOut, **errors(*ACTION_ERRORS)})
def plan_backlog_item(request, id: int, payload: BacklogItemPlanIn):
    """Plan the item into an iteration, or take it out (``iteration: null``). Moving it out of an iteration
    is a bump: ``reason`` is required and everyone affected is told."""
    item = fetch_or_404(_items(request.auth), pk=id)
    BACKLOG_ITEMS.require(request.auth, "plan", item)
    refs = Refs()
    iteration = refs.one(Iteration.objects.restrict(request.auth, "view"), "iteration", payload.iteration, key="pk")
    refs.check()
    services.backlog_item_plan(item, actor=request.auth, iteration=iteration, reason=payload.reason,
                               expected_version=payload.version, source=API)
    return _items(request.auth).get(pk=id)


@router.delete("/backlog-items/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_backlog_item(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    item = fetch_or_404(BacklogItem.objects.restrict(request.auth, "view"), pk=id)
    BACKLOG_ITEMS.require(request.auth, "delete", item)
    services.backlog_item_delete(item, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Roadmaps --------------------------------------------------------------------------------------

RoadmapFilters = filter_schema(RoadmapFilterSet)


def _roadmaps(user):
    return Roadmap.objects.restrict(user, "view").select_related("department")


def _roadmap_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    if "department" in data:
        data["department"] = refs.one(Department.objects.restrict(user, "view"), "department", data["department"])
    refs.check()
    return data


@router.get("/roadmaps", response={200: page_schema(RoadmapOut), **errors(*LIST_ERRORS)})
def list_roadmaps(request, filters: Query[RoadmapFilters], page: Query[PageParams]):
    return paginate(apply_filters(RoadmapFilterSet, request, _roadmaps(request.auth)), page)


@router.post("/roadmaps", response={201: RoadmapOut, **errors(*CREATE_ERRORS)})
def create_roadmap(request, payload: RoadmapIn):
    ROADMAPS.require(request.auth, "add")
    roadmap = services.roadmap_create(actor=request.auth, source=API,
                                      data=_roadmap_data(request.auth, payload, partial=False))
    return Status(201, _roadmaps(request.auth).get(pk=roadmap.pk))


@router.get("/roadmaps/{slug}", response={200: RoadmapOut, **errors(*GET_ERRORS)})
def get_roadmap(request, slug: str):
    return fetch_or_404(_roadmaps(request.auth), slug=slug)


@router.patch("/roadmaps/{slug}", response={200: RoadmapOut, **errors(*UPDATE_ERRORS)})
def patch_roadmap(request, slug: str, payload: RoadmapPatch):
    """Change only the fields sent; ``version`` required."""
    roadmap = fetch_or_404(_roadmaps(request.auth), slug=slug)
    ROADMAPS.require(request.auth, "change", roadmap)
    services.roadmap_update(roadmap, actor=request.auth, expected_version=payload.version, source=API,
                            data=_roadmap_data(request.auth, payload, partial=True))
    return _roadmaps(request.auth).get(pk=roadmap.pk)


@router.delete("/roadmaps/{slug}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_roadmap(request, slug: str, version: int | None = None):
    """Delete; refused (422) while it has iterations or milestones, (409) if ``?version=`` is stale."""
    roadmap = fetch_or_404(_roadmaps(request.auth), slug=slug)
    ROADMAPS.require(request.auth, "delete", roadmap)
    services.roadmap_delete(roadmap, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Iterations ------------------------------------------------------------------------------------

IterationFilters = filter_schema(IterationFilterSet)


def _iterations(user):
    planned = (BacklogItem.objects.filter(iteration=OuterRef("pk")).order_by().values("iteration")
               .annotate(n=Count("id")).values("n"))
    return (Iteration.objects.restrict(user, "view").select_related("roadmap")
            .annotate(item_count=Coalesce(Subquery(planned, output_field=IntegerField()), Value(0))))


def _roadmap_ref(user, data: dict, refs: Refs) -> None:
    if "roadmap" in data:
        data["roadmap"] = refs.one(Roadmap.objects.restrict(user, "view"), "roadmap", data["roadmap"])


def _iteration_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    _roadmap_ref(user, data, refs)
    refs.check()
    return data


@router.get("/iterations", response={200: page_schema(IterationOut), **errors(*LIST_ERRORS)})
def list_iterations(request, filters: Query[IterationFilters], page: Query[PageParams]):
    """Time-boxed iterations (MVP increments), by start date."""
    return paginate(apply_filters(IterationFilterSet, request, _iterations(request.auth)), page)


@router.post("/iterations", response={201: IterationOut, **errors(*CREATE_ERRORS)})
def create_iteration(request, payload: IterationIn):
    ITERATIONS.require(request.auth, "add")
    iteration = services.iteration_create(actor=request.auth, source=API,
                                          data=_iteration_data(request.auth, payload, partial=False))
    return Status(201, _iterations(request.auth).get(pk=iteration.pk))


@router.get("/iterations/{id}", response={200: IterationOut, **errors(*GET_BY_ID_ERRORS)})
def get_iteration(request, id: int):
    return fetch_or_404(_iterations(request.auth), pk=id)


@router.patch("/iterations/{id}", response={200: IterationOut, **errors(*UPDATE_ERRORS)})
def patch_iteration(request, id: int, payload: IterationPatch):
    """Change only the fields sent; ``version`` required. Moving ``start`` or ``end`` needs
    ``schedule_reason``; the people affected by its items are told."""
    iteration = fetch_or_404(_iterations(request.auth), pk=id)
    ITERATIONS.require(request.auth, "change", iteration)
    try:
        services.iteration_update(iteration, actor=request.auth, expected_version=payload.version, source=API,
                                  data=_iteration_data(request.auth, payload, partial=True))
    except ValidationError as exc:
        raise _renamed(exc, {"reason": "schedule_reason"}) from exc
    return _iterations(request.auth).get(pk=id)


@router.delete("/iterations/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_iteration(request, id: int, version: int | None = None):
    """Delete; refused (422) while items are planned in it, (409) if ``?version=`` is stale."""
    iteration = fetch_or_404(Iteration.objects.restrict(request.auth, "view"), pk=id)
    ITERATIONS.require(request.auth, "delete", iteration)
    services.iteration_delete(iteration, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Milestones ------------------------------------------------------------------------------------

MilestoneFilters = filter_schema(MilestoneFilterSet)


def _milestones(user):
    return Milestone.objects.restrict(user, "view").select_related("roadmap").prefetch_related("requests")


def _milestone_data(user, payload, *, partial: bool) -> dict:
    data = _input(payload, partial=partial)
    refs = Refs()
    _roadmap_ref(user, data, refs)
    if "requests" in data:
        data["requests"] = refs.many(Request.objects.restrict(user, "view"), "requests", data["requests"], key="pk")
    refs.check()
    return data


@router.get("/milestones", response={200: page_schema(MilestoneOut), **errors(*LIST_ERRORS)})
def list_milestones(request, filters: Query[MilestoneFilters], page: Query[PageParams]):
    """Roadmap milestones by due date, with the requests they serve."""
    return paginate(apply_filters(MilestoneFilterSet, request, _milestones(request.auth)), page)


@router.post("/milestones", response={201: MilestoneOut, **errors(*CREATE_ERRORS)})
def create_milestone(request, payload: MilestoneIn):
    MILESTONES.require(request.auth, "add")
    milestone = services.milestone_create(actor=request.auth, source=API,
                                          data=_milestone_data(request.auth, payload, partial=False))
    return Status(201, _milestones(request.auth).get(pk=milestone.pk))


@router.get("/milestones/{id}", response={200: MilestoneOut, **errors(*GET_BY_ID_ERRORS)})
def get_milestone(request, id: int):
    return fetch_or_404(_milestones(request.auth), pk=id)


@router.patch("/milestones/{id}", response={200: MilestoneOut, **errors(*UPDATE_ERRORS)})
def patch_milestone(request, id: int, payload: MilestonePatch):
    """Change only the fields sent; ``version`` required. Moving ``due`` needs ``schedule_reason``; the
    people affected by its requests are told."""
    milestone = fetch_or_404(_milestones(request.auth), pk=id)
    MILESTONES.require(request.auth, "change", milestone)
    try:
        services.milestone_update(milestone, actor=request.auth, expected_version=payload.version, source=API,
                                  data=_milestone_data(request.auth, payload, partial=True))
    except ValidationError as exc:
        raise _renamed(exc, {"reason": "schedule_reason"}) from exc
    return _milestones(request.auth).get(pk=id)


@router.delete("/milestones/{id}", response={204: None, **errors(*DELETE_ERRORS)})
def delete_milestone(request, id: int, version: int | None = None):
    """Delete; (409) if ``?version=`` is stale."""
    milestone = fetch_or_404(Milestone.objects.restrict(request.auth, "view"), pk=id)
    MILESTONES.require(request.auth, "delete", milestone)
    services.milestone_delete(milestone, actor=request.auth, expected_version=version, source=API)
    return Status(204, None)


# Schedule changes ------------------------------------------------------------------------------

ScheduleChangeFilters = filter_schema(ScheduleChangeFilterSet)


@router.get("/schedule-changes", response={200: page_schema(ScheduleChangeOut), **errors(*LIST_ERRORS)})
def list_schedule_changes(request, filters: Query[ScheduleChangeFilters], page: Query[PageParams]):
    """Planned dates that moved, newest first: what, from when to when, why, who, and how many were told."""
    queryset = ScheduleChange.objects.restrict(request.auth, "view").select_related(
        "request", "backlog_item", "iteration", "milestone")
    return paginate(apply_filters(ScheduleChangeFilterSet, request, queryset), page)
