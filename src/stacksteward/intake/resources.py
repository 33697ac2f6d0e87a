"""Intake's resources, declared once: their REST routes (``core.resources.add_routes``) and their list, add,
detail, edit and delete pages (``core.pages.page_urls``) are built from these. The workflow of a request
(answer, steps, new date, watching) and the planning of an item stay in ``api.py`` and ``views.py``."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from stacksteward.core.pages import Pages
from stacksteward.core.resources import Ref, Resource

from . import services, views
from .filtersets import (
    BacklogItemFilterSet,
    CapabilityFilterSet,
    IterationFilterSet,
    MilestoneFilterSet,
    RequestFilterSet,
    RoadmapFilterSet,
    ScheduleChangeFilterSet,
)
from .forms import BacklogItemForm, CapabilityForm, IterationForm, MilestoneForm, RequestForm, RoadmapForm
from .models import BacklogItem, Capability, Iteration, Milestone, Request, Roadmap, ScheduleChange
from .schemas import (
    BacklogItemIn,
    BacklogItemOut,
    BacklogItemPatch,
    CapabilityIn,
    CapabilityOut,
    CapabilityPatch,
    IterationIn,
    IterationOut,
    IterationPatch,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    RequestIn,
    RequestOut,
    RequestPatch,
    RoadmapIn,
    RoadmapOut,
    RoadmapPatch,
    ScheduleChangeOut,
)

# A date moved by an edit needs ``schedule_reason`` in the body; the services name it ``reason``.
SCHEDULE_REASON = {"reason": "schedule_reason"}

CAPABILITIES = Resource(
    Capability, "capabilities", out=CapabilityOut, create_schema=CapabilityIn, patch_schema=CapabilityPatch,
    filterset=CapabilityFilterSet,
    queryset=lambda actor: Capability.objects.restrict(actor, "view").select_related("department"),
    refs={"department": Ref("org.Department")},
    create=services.capability_create, update=services.capability_update, delete=services.capability_delete,
    pages=Pages(form=CapabilityForm, list_view=views.CapabilityListView, detail_view=views.CapabilityDetailView,
                list_template="core/object_list.html", empty_text="No capabilities described yet.",
                intro="What IT and the other departments take on, how long it usually takes, and in plain words "
                      "what is and is not possible. Pick one when you file a request.",
                help_text="Describe a kind of work your department takes on, so that requesters know what to "
                          "expect."),
    docs={"list": "What each department offers, with its standard lead time and what is and is not possible.",
          "patch": "Change only the fields sent (editors of the offering department, or an admin); ``version`` "
                   "required.",
          "delete": "Delete; refused (422) while requests use it, (409) if ``?version=`` is stale."},
)


def _requests(actor):
    """Requests with what a row shows, and whether ``actor`` watches each (constant queries)."""
    watched = Request.watchers.through.objects.filter(request_id=OuterRef("pk"), user_id=actor.pk)
    return Request.objects.restrict(actor, "view").with_list_data().annotate(watching=Exists(watched))


# Filing answers with the lead-time check as well (``RequestCreatedOut``): ``api.create_request`` is written
# by hand; the add page files through ``RequestFormView``, which shows the check's warnings.
REQUESTS = Resource(
    Request, "requests", out=RequestOut, create_schema=RequestIn, patch_schema=RequestPatch, lookup="pk",
    filterset=RequestFilterSet, queryset=_requests, plain_list=False, skip=("create",),
    refs={"capability": Ref(Capability), "delivering_department": Ref("org.Department"),
          "requester": Ref.person(), "components": Ref("catalog.Component", many=True)},
    create=services.request_create, update=services.request_update, delete=services.request_delete,
    pages=Pages(form=RequestForm, list_view=views.RequestListView, detail_view=views.RequestDetailView,
                form_view=views.RequestFormView,
                intro="What Marketing and the other departments ask for, why, what waiting costs, and the "
                      "delivering side's answer."),
    docs={"list": "Requests, newest first, with their open question count and the steps you may take (constant "
                  "queries).",
          "patch": "Change the *what* and *why* (the requester, the delivering side, or an admin); ``version`` "
                   "required.",
          "delete": "Delete (admins only; others withdraw instead); (409) if ``?version=`` is stale."},
)

BACKLOG_ITEMS = Resource(
    BacklogItem, "backlog-items", out=BacklogItemOut, create_schema=BacklogItemIn, patch_schema=BacklogItemPatch,
    lookup="pk", filterset=BacklogItemFilterSet, plain_list=False, error_names=SCHEDULE_REASON,
    # by score, highest first, unscored ones last (on both databases)
    queryset=lambda actor: (BacklogItem.objects.restrict(actor, "view").with_list_data()
                            .order_by(F("score").desc(nulls_last=True), "id")),
    refs={"components": Ref("catalog.Component", many=True), "request": Ref(Request, key="pk"),
          "iteration": Ref(Iteration, key="pk"), "assignee": Ref.person(),
          "depends_on": Ref(BacklogItem, key="pk", many=True)},
    create=services.backlog_item_create, update=services.backlog_item_update, delete=services.backlog_item_delete,
    pages=Pages(form=BacklogItemForm, list_view=views.BacklogItemListView, detail_view=views.BacklogItemDetailView,
                form_view=views.BacklogItemFormView, path="backlog", title="Backlog",
                empty_text="The backlog is empty.",
                intro="Bugs, issues, enhancements, ideas and customer feedback, highest priority first. The score "
                      "is cost of delay ÷ effort; a score set by hand is marked.",
                help_text="The priority score is computed from value, the request's cost of waiting, urgency and "
                          "effort. Set it by hand only with a reason; moving a planned item out of its iteration "
                          "needs a reason too."),
    docs={"list": "The backlog, by priority score (highest first; items without an effort estimate last), with the\n"
                  "    score's parts. ``ordering`` sorts otherwise.",
          "patch": "Change only the fields sent; ``version`` required. Moving the item out of the iteration it was\n"
                   "    planned in needs ``schedule_reason``; dependencies that would make a cycle are refused.",
          "delete": "Delete; (409) if ``?version=`` is stale."},
)

ROADMAPS = Resource(
    Roadmap, "roadmaps", out=RoadmapOut, create_schema=RoadmapIn, patch_schema=RoadmapPatch,
    filterset=RoadmapFilterSet,
    queryset=lambda actor: Roadmap.objects.restrict(actor, "view").select_related("department"),
    refs={"department": Ref("org.Department")},
    create=services.roadmap_create, update=services.roadmap_update, delete=services.roadmap_delete,
    pages=Pages(form=RoadmapForm, list_view=views.RoadmapListView, detail_view=views.RoadmapDetailView,
                list_template="core/object_list.html", empty_text="No roadmap yet.",
                intro="Long-term visions with their milestones and time-boxed iterations.",
                help_text="The vision says where the stack should be in two or three years, in plain words."),
    docs={"patch": "Change only the fields sent; ``version`` required.",
          "delete": "Delete; refused (422) while it has iterations or milestones, (409) if ``?version=`` is "
                    "stale."},
)


def _iterations(actor):
    planned = (BacklogItem.objects.filter(iteration=OuterRef("pk")).order_by().values("iteration")
               .annotate(n=Count("id")).values("n"))
    return (Iteration.objects.restrict(actor, "view").select_related("roadmap")
            .annotate(item_count=Coalesce(Subquery(planned, output_field=IntegerField()), Value(0))))


# Iterations and milestones are listed on their roadmap's page: no list page of their own.
ITERATIONS = Resource(
    Iteration, "iterations", out=IterationOut, create_schema=IterationIn, patch_schema=IterationPatch,
    lookup="pk", filterset=IterationFilterSet, queryset=_iterations, plain_list=False,
    error_names=SCHEDULE_REASON, refs={"roadmap": Ref(Roadmap)},
    create=services.iteration_create, update=services.iteration_update, delete=services.iteration_delete,
    pages=Pages(form=IterationForm, detail_view=views.IterationDetailView, form_view=views.RoadmapChildFormView,
                without=("list",), list_url_name="intake:roadmap_list",
                help_text="An iteration is a time box (an MVP increment) into which backlog items are planned. "
                          "Moving its dates needs a reason; everyone with work in it is told."),
    docs={"list": "Time-boxed iterations (MVP increments), by start date.",
          "patch": "Change only the fields sent; ``version`` required. Moving ``start`` or ``end`` needs\n"
                   "    ``schedule_reason``; the people affected by its items are told.",
          "delete": "Delete; refused (422) while items are planned in it, (409) if ``?version=`` is stale."},
)

MILESTONES = Resource(
    Milestone, "milestones", out=MilestoneOut, create_schema=MilestoneIn, patch_schema=MilestonePatch,
    lookup="pk", filterset=MilestoneFilterSet, plain_list=False, error_names=SCHEDULE_REASON,
    queryset=lambda actor: (Milestone.objects.restrict(actor, "view").select_related("roadmap")
                            .prefetch_related("requests")),
    refs={"roadmap": Ref(Roadmap), "requests": Ref(Request, key="pk", many=True)},
    create=services.milestone_create, update=services.milestone_update, delete=services.milestone_delete,
    pages=Pages(form=MilestoneForm, detail_view=views.MilestoneDetailView, form_view=views.RoadmapChildFormView,
                without=("list",), list_url_name="intake:roadmap_list",
                help_text="A milestone is a date the roadmap aims at. Moving it needs a reason; the requests it "
                          "serves are told."),
    docs={"list": "Roadmap milestones by due date, with the requests they serve.",
          "patch": "Change only the fields sent; ``version`` required. Moving ``due`` needs ``schedule_reason``; "
                   "the\npeople affected by its requests are told.",
          "delete": "Delete; (409) if ``?version=`` is stale."},
)

# Written only by the steps that move a date: read-only, listed (the page is ``views.ScheduleChangeListView``).
SCHEDULE_CHANGES = Resource(
    ScheduleChange, "schedule-changes", out=ScheduleChangeOut, lookup="pk", filterset=ScheduleChangeFilterSet,
    detail=False, plain_list=False,
    queryset=lambda actor: ScheduleChange.objects.restrict(actor, "view").select_related(
        "request", "backlog_item", "iteration", "milestone"),
    docs={"list": "Planned dates that moved, newest first: what, from when to when, why, who, and how many were "
                  "told."},
)

RESOURCES = (CAPABILITIES, REQUESTS, BACKLOG_ITEMS, ROADMAPS, ITERATIONS, MILESTONES, SCHEDULE_CHANGES)
