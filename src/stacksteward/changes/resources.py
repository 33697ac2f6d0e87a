"""Change control's resources, declared once: the REST routes (``core.resources.add_routes``) and the web
pages (``core.pages.page_urls``) of change requests, calendar events, meeting series and meetings are built
from these. Workflow steps, impact, approvals, agenda, decisions and the calendar feed stay in ``api.py``."""

from django.db.models import Prefetch
from django.utils import timezone

from stacksteward.catalog.models import Component
from stacksteward.core.api_support import Refs
from stacksteward.core.pages import Pages
from stacksteward.core.resources import Ref, Resource
from stacksteward.org.models import Person

from . import meetings, services, views
from .filtersets import CalendarEventFilterSet, ChangeRequestFilterSet, MeetingFilterSet
from .forms import CalendarEventForm, ChangeRequestForm, MeetingForm, MeetingSeriesForm
from .models import CalendarEvent, ChangeApproval, ChangeRequest, Meeting, MeetingDecision, MeetingSeries
from .schemas import (
    CalendarEventIn,
    CalendarEventOut,
    CalendarEventPatch,
    ChangeRequestIn,
    ChangeRequestOut,
    ChangeRequestPatch,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingSeriesIn,
    MeetingSeriesOut,
    MeetingSeriesPatch,
)

TEXT_FIELDS = ("description", "rollback_plan", "conflict_justification", "location", "notes")


def aware(data: dict, *names: str) -> dict:
    """Date-times sent without an offset are read in the server's time zone."""
    for name in names:
        value = data.get(name)
        if value is not None and timezone.is_naive(value):
            data[name] = timezone.make_aware(value)
    return data


def _shaped(data: dict, *, keep: tuple[str, ...] = (), dates: tuple[str, ...] = ()) -> dict:
    """``null`` for a text field means blank; for a field in ``keep`` (it cannot be emptied) it keeps the
    current value; date-times sent without an offset are read in the server's time zone."""
    for name in TEXT_FIELDS:
        if name in data and data[name] is None:
            data[name] = ""
    for name in keep:
        if name in data and data[name] is None:
            data.pop(name)
    return aware(data, *dates)


# Change requests -------------------------------------------------------------------------------


def change_rows(actor):
    """Changes with what a row shows (constant queries whatever the page size)."""
    return (ChangeRequest.objects.restrict(actor, "view").with_list_data()
            .select_related("request", "backlog_item")
            .prefetch_related(Prefetch("approvals", queryset=ChangeApproval.objects.select_related("department"))))


CHANGE_REQUESTS = Resource(
    ChangeRequest, "change-requests", out=ChangeRequestOut, create_schema=ChangeRequestIn,
    patch_schema=ChangeRequestPatch, lookup="pk", filterset=ChangeRequestFilterSet, queryset=change_rows,
    plain_list=False,
    refs={"components": Ref(Component, many=True), "requester": Ref.person(), "implementer": Ref.person(),
          "request": Ref("intake.Request", key="pk"), "backlog_item": Ref("intake.BacklogItem", key="pk")},
    prepare=lambda actor, data: _shaped(data, keep=("type", "requester"), dates=("window_start", "window_end")),
    create=services.change_create, update=services.change_update, delete=services.change_delete,
    pages=Pages(form=ChangeRequestForm, name="change", path="", item_path="changes", title="Changes",
                list_view=views.ChangeListView, detail_view=views.ChangeDetailView, form_view=views.ChangeFormView,
                intro="Planned changes to shared tools, with who they affect, who must agree, and how risky they "
                      "are. File one before you change something others rely on.",
                empty_text="No changes filed yet."),
    docs={
        "list": "Changes, latest window first, with their risk, approvals and the steps you may take (constant "
                "queries).\n    ``awaiting_my_approval=true`` lists the changes waiting for your department's "
                "decision.",
        "create": "File a change as a draft (editors). The requester defaults to your own person record.",
        "patch": "Change only the fields sent; ``version`` must be the one you read (else 409). Once submitted, "
                 "new\n    components, type or window recompute impact, conflicts and risk; a moved window tells "
                 "everyone informed.",
        "delete": "Delete a draft (others are rejected or reviewed instead); (409) if ``?version=`` is stale.",
    },
)


# Calendar events -------------------------------------------------------------------------------

CALENDAR_EVENTS = Resource(
    CalendarEvent, "calendar-events", out=CalendarEventOut, create_schema=CalendarEventIn,
    patch_schema=CalendarEventPatch, lookup="pk", filterset=CalendarEventFilterSet,
    queryset=lambda actor: CalendarEvent.objects.restrict(actor, "view").prefetch_related("components"),
    refs={"components": Ref(Component, many=True)},
    prepare=lambda actor, data: _shaped(data, keep=("all_components",), dates=("start", "end")),
    create=services.event_create, update=services.event_update, delete=services.event_delete,
    pages=Pages(form=CalendarEventForm, name="event", path="events", title="Freezes and events",
                list_view=views.EventListView, detail_view=views.EventDetailView,
                intro="Times when changes should not happen: change freezes, campaign launches, trade shows, "
                      "webinars, product launches, the end of a quarter. A change whose window overlaps one of "
                      "them is flagged.",
                empty_text="No freezes or events yet.",
                help_text="A freeze or an event changes should avoid. Name the components it relies on, or tick "
                          "“every component”."),
    docs={"list": "Freeze periods and marketing events, soonest first, with the components they rely on.",
          "create": "A freeze period or an event, relying on some components or (``all_components``) on all of "
                    "them."},
)


# Meeting series --------------------------------------------------------------------------------

MEETING_SERIES = Resource(
    MeetingSeries, "meeting-series", out=MeetingSeriesOut, create_schema=MeetingSeriesIn,
    patch_schema=MeetingSeriesPatch, lookup="pk", plain_list=False,
    prepare=lambda actor, data: _shaped(data, keep=("weekday", "time", "duration_minutes", "every_weeks",
                                                    "timezone", "starts_on", "active")),
    create=meetings.series_create, update=meetings.series_update, delete=meetings.series_delete,
    # The list of series is its own page (views.series_list); no delete page (the API deletes).
    pages=Pages(form=MeetingSeriesForm, name="series", path="series", detail_view=views.SeriesDetailView,
                without=("list", "delete"),
                help_text="A recurring change-control meeting, e.g. every Tuesday at 10:00: the departments "
                          "affected by pending changes meet and decide. The next twelve weeks of meetings are "
                          "created for you."),
    docs={"list": "Recurring change-control meetings, e.g. every Tuesday at 10:00.",
          "create": "A recurring meeting; its meetings for the next twelve weeks are created with it.",
          "patch": "Change only the fields sent; ``version`` must be the one you read (else 409). Meetings "
                   "already\n    created keep their time; POST …/schedule adds the missing ones.",
          "delete": "Delete; refused (422) while it has meetings, (409) if ``?version=`` is stale."},
)


# Meetings --------------------------------------------------------------------------------------


def meeting_rows(actor):
    """Meetings with their series, attendees and decisions (constant queries)."""
    decisions = MeetingDecision.objects.select_related("change", "department")
    return (Meeting.objects.restrict(actor, "view").select_related("series")
            .prefetch_related("attendees", Prefetch("decisions", queryset=decisions)))


def _meeting_input(actor, data: dict) -> dict:
    data = _shaped(data, keep=("title", "starts_at", "ends_at", "status"), dates=("starts_at", "ends_at"))
    if "attendees" in data:  # people by id or email, each named when unknown
        refs = Refs()
        people = Person.objects.restrict(actor, "view")
        found = [refs.person(people, "attendees", ref) for ref in data["attendees"] or []]
        refs.check()
        data["attendees"] = list(dict.fromkeys(p for p in found if p is not None))
    return data


MEETINGS = Resource(
    Meeting, "meetings", out=MeetingOut, create_schema=MeetingIn, patch_schema=MeetingPatch, lookup="pk",
    filterset=MeetingFilterSet, queryset=meeting_rows, plain_list=False,
    refs={"series": Ref(MeetingSeries, key="pk")}, prepare=_meeting_input,
    create=meetings.meeting_create, update=meetings.meeting_update, delete=meetings.meeting_delete,
    # No delete page (a meeting is cancelled through its status); the API deletes.
    pages=Pages(form=MeetingForm, title="Change-control meetings", without=("delete",),
                list_view=views.MeetingListView, detail_view=views.MeetingDetailView,
                intro="Where the departments affected by pending changes decide together. Each meeting's agenda "
                      "is generated from the changes waiting for a decision and those coming up.",
                empty_text="No meetings yet. Create a series for recurring meetings, or a single meeting.",
                help_text="A single change-control meeting (for recurring ones, create a series)."),
    docs={"list": "Change-control meetings, soonest first, with attendees and decisions (constant queries).",
          "create": "A single meeting (or one added to a series by hand).",
          "patch": "Change only the fields sent, e.g. the minutes (``notes``), attendees or status; ``version`` "
                   "required."},
)

RESOURCES = (CHANGE_REQUESTS, CALENDAR_EVENTS, MEETING_SERIES, MEETINGS)
