"""Web pages of change control: changes (with a live impact preview), the change calendar, calendar events,
change-control meetings with their agenda and minutes, and the personal ICS feed. Thin views over
``services``, ``meetings`` and ``calendar``."""

import calendar as pycalendar
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from stacksteward.catalog.models import Component
from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.forms import slug_choices
from stacksteward.core.services import validation_messages
from stacksteward.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    history_url,
    object_history,
)
from stacksteward.org.models import Department

from . import calendar as feed
from . import meetings, services
from .choices import ApprovalDecisionChoices as D
from .choices import ChangeStatusChoices as S
from .choices import ChangeTypeChoices as T
from .choices import MeetingStatusChoices
from .forms import (
    DecideForm,
    MeetingDecideForm,
    MinutesForm,
    ReviewForm,
    SubmitForm,
    TransitionForm,
)
from .impact import compute_impact
from .models import CalendarEvent, CalendarFeedToken, ChangeApproval, ChangeRequest, Meeting, MeetingSeries
from .policies import APPROVALS, CHANGES, MEETING_DECISIONS, MEETINGS, SERIES, allowed_next, step_to

SELECT_LIMIT = 500


def _choice_field(label, choices, help_text=""):
    return forms.ChoiceField(label=label, choices=choices, required=False, help_text=help_text)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's errors next to the form's fields (or at the top when the form has no such field)."""
    for item in validation_messages(exc):
        field, message = item["field"], item["message"]
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, message)
        else:
            form.add_error(None, message)


# Changes ------------------------------------------------------------------------------------

# The pages' model, filterset, templates, titles and services come from ``resources.py``; these classes keep only
# what differs from the generic pages.

class ChangeListView(ObjectListView):
    more_filters = ("requester", "implementer", "window_from", "window_to")

    def get_queryset(self):
        return super().get_queryset().with_list_data()

    def tune_filter_form(self, form):
        components = Component.objects.order_by("name").only("slug", "name")
        if components.count() <= SELECT_LIMIT:
            form.fields["component"] = _choice_field("Component", slug_choices(components),
                                                     "Changes that touch this component.")
        else:
            form.fields["component"].label = "Component (short name)"
        form.fields["risk"].help_text = "Computed when the change is submitted."
        form.fields["awaiting_my_approval"].label = "Waiting for my department"
        for name in ("requester", "implementer"):
            form.fields[name].widget = forms.HiddenInput()
        for name in ("window_from", "window_to"):
            form.fields[name].widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
        form.fields["window_from"].label = "Window ends after"
        form.fields["window_to"].label = "Window starts before"


def _change_queryset(user):
    return ChangeRequest.objects.restrict(user, "view").select_related(
        "requester", "requester__department", "implementer", "request", "backlog_item",
    ).prefetch_related("components")


STEP_LABELS = {
    S.ASSESSING: ("Start the assessment", "Someone looks at the change more closely before it goes to approval."),
    S.AWAITING_APPROVAL: ("Ask for approval", "The departments that must approve are asked to decide."),
    S.SCHEDULED: ("Schedule it", "The change is planned in its window; everyone informed is told."),
    S.IMPLEMENTED: ("Mark it done", "The change was carried out as planned."),
    S.FAILED: ("Mark it failed", "The change did not work."),
    S.ROLLED_BACK: ("Mark it rolled back", "The change was undone with the rollback plan."),
}
NOTE_REQUIRED = (S.FAILED, S.ROLLED_BACK)
DECIDABLE = (S.SUBMITTED, S.ASSESSING, S.AWAITING_APPROVAL)
AFTER_THE_FACT = (S.SCHEDULED, S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK, S.REVIEWED)


def approvals_decidable(change) -> bool:
    return change.status in DECIDABLE or (change.type == T.EMERGENCY and change.status in AFTER_THE_FACT)


def workflow_steps(user, change, form=None) -> list[dict]:
    """The workflow buttons this user may press (submission and review have their own forms)."""
    steps = []
    for to in allowed_next(change):
        if to in (S.SUBMITTED, S.REVIEWED) or not CHANGES.allows(user, step_to(to), change):
            continue
        label, explain = STEP_LABELS.get(to, (f"Move to {S(to).label.lower()}", ""))
        shortcut = change.type == T.EMERGENCY and change.status in DECIDABLE and to in (S.SCHEDULED, S.IMPLEMENTED)
        if shortcut:
            explain += " Emergency change: it goes ahead before approval; approvals and a review follow."
        bound = form if form is not None and form.data.get("to_status") == to else None
        steps.append({
            "to": to, "to_label": S(to).label, "label": label, "explain": explain,
            "note_label": "What happened?" if to in NOTE_REQUIRED else "Note (optional)",
            "note_required": to in NOTE_REQUIRED, "danger": to in NOTE_REQUIRED,
            "form": bound or TransitionForm(initial={"to_status": to, "version": change.version}),
        })
    return steps


VIA_LABELS = {"data_flow": "sends data to", "depends_on": "is needed by", "hosted_on": "hosts"}


def named_paths(impact: dict) -> dict:
    """The impact with each impacted component's path as named steps ("CRM sends data to Automation")."""
    names = {row["slug"]: row["name"] for row in (*impact.get("changed", []), *impact.get("components", []))}
    rows = []
    for row in impact.get("components", []):
        path, via = row.get("path", []), row.get("via", [])
        steps = [{"slug": slug, "name": names.get(slug, slug),
                  "via": VIA_LABELS.get(via[i - 1], via[i - 1]) if i and i - 1 < len(via) else ""}
                 for i, slug in enumerate(path)]
        rows.append({**row, "steps": steps})
    return {**impact, "components": rows}


def readable_conflicts(conflicts: list[dict]) -> list[dict]:
    """Conflicts as kept (ISO date-times) with real date-times for the templates."""
    return [{**c, "start": parse_datetime(c["start"]) if isinstance(c.get("start"), str) else c.get("start"),
             "end": parse_datetime(c["end"]) if isinstance(c.get("end"), str) else c.get("end")} for c in conflicts]


def change_assessment(change) -> dict:
    """What the page shows as impact: the kept snapshot, or for a draft a live (not kept) assessment."""
    if change.impact_snapshot is not None and change.status != S.DRAFT:
        snapshot = change.impact_snapshot
        return {"impact": named_paths(snapshot), "conflicts": readable_conflicts(snapshot.get("conflicts", [])),
                "risk": change.risk, "risk_reasons": change.risk_reasons, "live": False,
                "computed_at": change.impact_computed_at}
    impact, conflicts, risk = services.assess_change(change)
    return {"impact": named_paths(impact.as_dict()), "conflicts": readable_conflicts([c.as_dict() for c in conflicts]),
            "risk": risk.level, "risk_reasons": risk.reasons, "live": True, "computed_at": None}


def _timeline(change, transitions, approvals, decisions) -> list[dict]:
    rows = [{"when": t.created_at, "kind": "transition", "who": t.actor_name, "obj": t} for t in transitions]
    rows += [{"when": a.decided_at, "kind": "approval", "who": a.decided_by_name, "obj": a}
             for a in approvals if a.decided_at]
    rows += [{"when": d.created_at, "kind": "meeting", "who": d.actor_name, "obj": d} for d in decisions]
    if change.reviewed_at:
        rows.append({"when": change.reviewed_at, "kind": "review", "who": "", "obj": change})
    rows.sort(key=lambda r: r["when"])
    return rows


def change_detail_context(request, change, **extra) -> dict:
    user = request.user
    approvals = list(change.approvals.select_related("department", "meeting"))
    decidable = approvals_decidable(change)
    decide_form = extra.pop("decide_form", None)
    decide_pk = extra.pop("decide_pk", None)
    for approval in approvals:
        approval.may_decide = (decidable and approval.decision == D.PENDING
                               and APPROVALS.allows(user, "decide", approval))
        approval.form = decide_form if decide_pk == approval.pk else DecideForm()
    decisions = list(change.meeting_decisions.select_related("meeting", "department"))
    assessment = change_assessment(change)
    context = {
        "object": change,
        "verbose_name": "change",
        "history": object_history(change),
        "history_url": history_url(change),
        "can_change": CHANGES.allows(user, "change", change) and change.status not in (S.REVIEWED, S.REJECTED),
        "can_delete": CHANGES.allows(user, "delete", change) and change.status == S.DRAFT,
        "can_move": CHANGES.allows(user, "change", change),
        "approvals": approvals,
        "approvals_decidable": decidable,
        "steps": workflow_steps(user, change, extra.pop("transition_form", None)),
        "can_submit": CHANGES.allows(user, "submit", change) and change.status == S.DRAFT,
        "submit_form": extra.pop("submit_form", None) or SubmitForm(initial={
            "version": change.version, "conflict_justification": change.conflict_justification}),
        "can_review": (CHANGES.allows(user, "review", change)
                       and change.status in (S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK)),
        "review_form": extra.pop("review_form", None) or ReviewForm(initial={"version": change.version}),
        "can_recompute": CHANGES.allows(user, "recompute", change) and change.status != S.DRAFT,
        "timeline": _timeline(change, change.transitions.all(), approvals, decisions),
        "decisions": decisions,
        **assessment,
    }
    context.update(extra)
    return context


def _render_change(request, change, status=200, **extra):
    return render(request, "changes/change.html", change_detail_context(request, change, **extra), status=status)


class ChangeDetailView(ObjectDetailView):

    def get_queryset(self):
        return _change_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return _render_change(request, self.get_object())


ADD_HELP = ("Say what you will change and when. Stack Steward works out what else is affected, who must agree and "
            "how risky it is — see the preview below the form. It is saved as a draft; submit it from its page when "
            "ready.")
EDIT_HELP = ("Once submitted, a new window or new components recompute the impact, and a moved window tells "
             "everyone affected.")


class ChangeFormView(ObjectFormView):
    template_name = "changes/change_form.html"

    def get_queryset(self):
        return _change_queryset(self.request.user)

    def get_initial(self):
        initial = {}
        slugs = self.request.GET.getlist("component")
        if slugs:
            initial["components"] = list(Component.objects.filter(slug__in=slugs))
        for name in ("request", "backlog_item"):
            value = self.request.GET.get(name)
            if value and value.isdigit():
                initial[name] = value
        return initial

    def render_form(self, form, obj, status=200, **extra):
        return super().render_form(form, obj, status=status, preview_url=reverse("changes:change_preview"),
                                   help_text=EDIT_HELP if obj is not None else ADD_HELP, **extra)


def _parse_when(value):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def change_preview(request):
    """The impact, conflicts and risk of the change as typed on the form (htmx fragment); nothing is saved."""
    ids = [int(v) for v in request.GET.getlist("components") if v.isdigit()]
    ids = list(Component.objects.restrict(request.user, "view").filter(pk__in=ids).values_list("pk", flat=True))
    try:
        start, end = _parse_when(request.GET.get("window_start")), _parse_when(request.GET.get("window_end"))
    except ValueError:
        start = end = None
    change_type = request.GET.get("type") if request.GET.get("type") in T.values else T.NORMAL
    pk = request.GET.get("pk")
    context = {"has_components": bool(ids), "window_ok": bool(start and end and end > start)}
    if ids:
        if context["window_ok"]:
            probe = ChangeRequest(pk=int(pk) if pk and pk.isdigit() else None, type=change_type,
                                  window_start=start, window_end=end)
            impact, conflicts, risk = services.assess_change(probe, component_ids=ids, start=start, end=end,
                                                             change_type=change_type)
            context.update(conflicts=readable_conflicts([c.as_dict() for c in conflicts]), risk=risk.level,
                           risk_reasons=risk.reasons)
        else:
            impact = compute_impact(ids)
        context["impact"] = named_paths(impact.as_dict())
    return render(request, "changes/_impact_preview.html", context)


def _stale(request, change, exc, **forms_):
    fresh = get_object_or_404(_change_queryset(request.user), pk=change.pk)
    return _render_change(request, fresh, status=409, stale=exc.message, **forms_)


@require_POST
def change_submit(request, pk):
    change = get_object_or_404(_change_queryset(request.user), pk=pk)
    CHANGES.require(request.user, "submit", change)
    form = SubmitForm(data=request.POST)
    if form.is_valid():
        try:
            services.change_submit(change, actor=request.user, expected_version=form.cleaned_data["version"],
                                   conflict_justification=form.cleaned_data["conflict_justification"])
        except StaleVersionError as exc:
            return _stale(request, change, exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            fresh = ChangeRequest.objects.get(pk=pk)
            messages.success(request, f"{fresh} is submitted: {fresh.get_status_display().lower()}.")
            return redirect(fresh.get_absolute_url())
    return _render_change(request, change, submit_form=form)


@require_POST
def change_transition(request, pk):
    change = get_object_or_404(_change_queryset(request.user), pk=pk)
    form = TransitionForm(data=request.POST)
    CHANGES.require(request.user, step_to(form.data.get("to_status", "")), change)
    if form.is_valid():
        data = form.cleaned_data
        if data["to_status"] in NOTE_REQUIRED and not data["note"].strip():
            form.add_error("note", "Say what happened.")
        else:
            try:
                moved = services.change_transition(change, actor=request.user, to_status=data["to_status"],
                                                   note=data["note"], expected_version=data["version"])
            except StaleVersionError as exc:
                return _stale(request, change, exc)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{moved} is now {moved.get_status_display().lower()}.")
                return redirect(moved.get_absolute_url())
    return _render_change(request, change, transition_form=form, step_error=True)


@require_POST
def change_review(request, pk):
    change = get_object_or_404(_change_queryset(request.user), pk=pk)
    CHANGES.require(request.user, "review", change)
    form = ReviewForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_review(change, actor=request.user, outcome=data["outcome"], went_well=data["went_well"],
                                   went_badly=data["went_badly"], expected_version=data["version"])
        except StaleVersionError as exc:
            return _stale(request, change, exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"The review of {change} is recorded.")
            return redirect(change.get_absolute_url())
    return _render_change(request, change, review_form=form)


@require_POST
def change_recompute(request, pk):
    change = get_object_or_404(_change_queryset(request.user), pk=pk)
    CHANGES.require(request.user, "recompute", change)
    diff = services.change_recompute(change, actor=request.user)
    fresh = get_object_or_404(_change_queryset(request.user), pk=pk)
    return _render_change(request, fresh, diff=diff)


@require_POST
def approval_decide(request, pk):
    approval = get_object_or_404(ChangeApproval.objects.select_related("change", "department"), pk=pk)
    change = get_object_or_404(_change_queryset(request.user), pk=approval.change_id)
    APPROVALS.require(request.user, "decide", approval)
    form = DecideForm(data=request.POST)
    if form.is_valid():
        try:
            services.approval_decide(approval, actor=request.user, decision=form.cleaned_data["decision"],
                                     comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            verb = "approved" if form.cleaned_data["decision"] == D.APPROVED else "rejected"
            messages.success(request, f"{approval.department} {verb} {change}.")
            return redirect(change.get_absolute_url() + "#approvals")
    return _render_change(request, change, decide_form=form, decide_pk=approval.pk)


# Calendar -----------------------------------------------------------------------------------

CALENDAR_HIDDEN = (S.REJECTED,)


def _month(value: str | None) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def _shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def calendar_month(request):
    """A month of change windows, freeze periods, events and meetings (three queries, whatever the month holds)."""
    first = _month(request.GET.get("month"))
    tz = timezone.get_current_timezone()
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    start = datetime.datetime.combine(grid_start, datetime.time.min, tz)
    end = datetime.datetime.combine(grid_end + datetime.timedelta(days=1), datetime.time.min, tz)
    items = []
    for change in (ChangeRequest.objects.restrict(request.user, "view").overlapping(start, end)
                   .exclude(status__in=CALENDAR_HIDDEN).only("id", "title", "status", "risk", "type",
                                                              "window_start", "window_end")):
        items.append({"kind": "change", "label": str(change), "url": change.get_absolute_url(),
                      "start": change.window_start, "end": change.window_end, "status": change.get_status_display(),
                      "css": f"risk-{change.risk or 'none'} status-{change.status}", "risk": change.risk,
                      "testid": f"cal-change-{change.pk}"})
    for event in CalendarEvent.objects.filter(start__lt=end, end__gt=start):
        items.append({"kind": "freeze" if event.is_freeze else "event", "label": event.name,
                      "url": event.get_absolute_url(), "start": event.start, "end": event.end,
                      "status": event.get_kind_display(), "css": f"event-{event.kind}", "risk": "",
                      "testid": f"cal-event-{event.pk}"})
    for meeting in Meeting.objects.filter(starts_at__lt=end, ends_at__gt=start).exclude(
            status=MeetingStatusChoices.CANCELLED):
        items.append({"kind": "meeting", "label": meeting.title, "url": meeting.get_absolute_url(),
                      "start": meeting.starts_at, "end": meeting.ends_at, "status": "Change-control meeting",
                      "css": "meeting", "risk": "", "testid": f"cal-meeting-{meeting.pk}"})
    order = {"freeze": 0, "event": 1, "meeting": 2, "change": 3}
    items.sort(key=lambda i: (order[i["kind"]], i["start"]))
    today = timezone.localdate()
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            day_start = datetime.datetime.combine(day, datetime.time.min, tz)
            day_end = day_start + datetime.timedelta(days=1)
            week.append({"date": day, "in_month": day.month == first.month, "is_today": day == today,
                         "items": [i for i in items if i["start"] < day_end and i["end"] > day_start]})
            day += datetime.timedelta(days=1)
        weeks.append(week)
    in_month = [i for i in items if i["start"] < end and i["end"] > start]
    in_month.sort(key=lambda i: i["start"])
    context = {"month": first, "weeks": weeks, "items": in_month, "title": f"Change calendar · {first:%B %Y}",
               "previous": _shift(first, -1), "next": _shift(first, 1), "this_month": today.replace(day=1),
               "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], "time_zone": tz}
    return render(request, "changes/calendar.html", context)


# Calendar events ----------------------------------------------------------------------------

class EventListView(ObjectListView):
    more_filters = ("start_from", "start_to")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("components")

    def tune_filter_form(self, form):
        components = Component.objects.order_by("name").only("slug", "name")
        if components.count() <= SELECT_LIMIT:
            form.fields["component"] = _choice_field("Component", slug_choices(components),
                                                     "Events relying on it (or on every component).")
        for name in ("start_from", "start_to"):
            form.fields[name].widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
        form.fields["start_from"].label = "Ends after"
        form.fields["start_to"].label = "Starts before"


class EventDetailView(ObjectDetailView):

    def get_queryset(self):
        return super().get_queryset().prefetch_related("components")

    def get_context_data(self, **kwargs):
        event = kwargs["object"]
        overlapping = (ChangeRequest.objects.restrict(self.request.user, "view").live()
                       .overlapping(event.start, event.end).select_related("requester"))
        return {**kwargs, "overlapping": list(overlapping[:100])}


# Meeting series and meetings ----------------------------------------------------------------

def series_list(request):
    now = timezone.now()
    series = (MeetingSeries.objects.restrict(request.user, "view")
              .annotate(upcoming=Count("meetings", filter=Q(meetings__starts_at__gte=now))).order_by("name"))
    return render(request, "changes/series_list.html", {
        "series_list": list(series), "title": "Meeting series",
        "can_add": SERIES.allows(request.user, "add")})


class SeriesDetailView(ObjectDetailView):

    def get_context_data(self, **kwargs):
        series = kwargs["object"]
        now = timezone.now()
        return {**kwargs, "upcoming": list(series.meetings.filter(starts_at__gte=now).order_by("starts_at")[:20]),
                "past": list(series.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10])}


@require_POST
def series_schedule(request, pk):
    series = get_object_or_404(MeetingSeries.objects.restrict(request.user, "view"), pk=pk)
    SERIES.require(request.user, "schedule", series)
    created = meetings.series_schedule(series, actor=request.user)
    messages.success(request, f"Scheduled {len(created)} more meeting{'s' if len(created) != 1 else ''}.")
    return redirect(series.get_absolute_url())


class MeetingListView(ObjectListView):
    more_filters = ("starts_from", "starts_to")

    def get_queryset(self):
        return super().get_queryset().select_related("series").annotate(decision_count=Count("decisions"))

    def tune_filter_form(self, form):
        series = MeetingSeries.objects.order_by("name")
        form.fields["series"] = _choice_field("Series", [("", "Any"), *[(str(s.pk), s.name) for s in series]])
        for name in ("starts_from", "starts_to"):
            form.fields[name].widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
        form.fields["starts_from"].label = "Starts on or after"
        form.fields["starts_to"].label = "Starts before"

    def get(self, request, *args, **kwargs):
        if not request.GET and not getattr(request, "htmx", None):
            # Upcoming first: the list opens at today's meetings.
            request.GET = request.GET.copy()
            request.GET["starts_from"] = timezone.localdate().isoformat() + "T00:00"
        return super().get(request, *args, **kwargs)


def meeting_context(request, meeting, **extra) -> dict:
    user = request.user
    agenda = meetings.agenda(meeting)
    decide_form = extra.pop("decide_form", None)
    decide_key = extra.pop("decide_key", None)
    for item in agenda.items:
        for approval in item.pending:
            approval.may_decide = APPROVALS.allows(user, "decide", approval)
            key = (item.change.pk, approval.department_id)
            approval.form = decide_form if decide_key == key else None
        item.defer_form = decide_form if decide_key == (item.change.pk, None) else None
    minutes_form = extra.pop("minutes_form", None) or MinutesForm(instance=meeting)
    decisions = list(meeting.decisions.select_related("change", "department"))
    context = {
        "object": meeting, "agenda": agenda, "decisions": decisions,
        "can_minute": MEETINGS.allows(user, "change", meeting) and meeting.status != MeetingStatusChoices.CANCELLED,
        "can_change": MEETINGS.allows(user, "change", meeting),
        "minutes_form": minutes_form,
        "attendees": list(meeting.attendees.select_related("department").order_by("name")),
        "history": object_history(meeting), "history_url": history_url(meeting),
    }
    context.update(extra)
    return context


def _meeting_queryset(user):
    return Meeting.objects.restrict(user, "view").select_related("series")


class MeetingDetailView(ObjectDetailView):

    def get_queryset(self):
        return _meeting_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, meeting_context(request, self.get_object()))


@require_POST
def meeting_decide(request, pk):
    """A decision taken in the meeting: one department approves, rejects or defers, or the meeting defers."""
    meeting = get_object_or_404(_meeting_queryset(request.user), pk=pk)
    MEETING_DECISIONS.require(request.user, "add")
    form = MeetingDecideForm(data=request.POST)
    key = None
    if form.is_valid():
        data = form.cleaned_data
        key = (data["change"], data["department"])
        change = ChangeRequest.objects.restrict(request.user, "view").filter(pk=data["change"]).first()
        department = Department.objects.filter(pk=data["department"]).first() if data["department"] else None
        if change is None or (data["department"] and department is None):
            raise Http404("No such change or department.")
        try:
            meetings.meeting_decide(meeting, change, actor=request.user, decision=data["decision"],
                                    department=department, comment=data["comment"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            who = department.name if department else "The meeting"
            verb = {"approve": "approved", "reject": "rejected", "defer": "deferred"}[data["decision"]]
            messages.success(request, f"{who} {verb} {change}; noted in the minutes.")
            return redirect(f"{meeting.get_absolute_url()}#change-{change.pk}")
    elif form.data.get("change", "").isdigit():
        dept = form.data.get("department", "")
        key = (int(form.data["change"]), int(dept) if dept.isdigit() else None)
    return render(request, "changes/meeting.html",
                  meeting_context(request, meeting, decide_form=form, decide_key=key))


@require_POST
def meeting_minutes(request, pk):
    meeting = get_object_or_404(_meeting_queryset(request.user), pk=pk)
    MEETINGS.require(request.user, "change", meeting)
    form = MinutesForm(data=request.POST, instance=meeting)
    status = 200
    extra = {}
    if form.is_valid():
        try:
            meetings.meeting_update(meeting, actor=request.user, data=form.service_data(),
                                    expected_version=form.expected_version)
        except StaleVersionError as exc:
            meeting = get_object_or_404(_meeting_queryset(request.user), pk=pk)
            form = MinutesForm(data={**request.POST.dict(), "attendees": request.POST.getlist("attendees"),
                                     "version": meeting.version}, instance=meeting)
            form.is_valid()
            status, extra = 409, {"stale": exc.message}
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Minutes saved.")
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    return render(request, "changes/meeting.html", meeting_context(request, meeting, minutes_form=form, **extra),
                  status=status)


# Personal calendar feed ----------------------------------------------------------------------

def calendar_feed(request):
    """My calendar feed: a secret address for a calendar app; a new key (shown once) replaces the old one."""
    new_url = ""
    if request.method == "POST":
        key = feed.feed_token_rotate(actor=request.user, user=request.user)
        new_url = request.build_absolute_uri(reverse("changes:calendar_ics", args=[key]))
    has_feed = CalendarFeedToken.objects.filter(user=request.user).first()
    response = render(request, "changes/calendar_feed.html",
                      {"new_url": new_url, "token": has_feed, "title": "My calendar feed"})
    if new_url:
        response["Cache-Control"] = "no-store"
    return response


@login_not_required
def calendar_ics(request, key):
    """The ICS feed behind the secret address; no session needed, an unknown key answers 404."""
    user = feed.user_for_key(key)
    if user is None:
        raise Http404("No such calendar feed.")
    body = feed.feed_for(user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stacksteward-changes.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

