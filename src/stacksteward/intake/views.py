"""Web pages of intake: capabilities, requests, the backlog and the roadmap. Thin views over services."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.forms import slug_choices
from stacksteward.core.questions import questions_about
from stacksteward.core.services import validation_messages
from stacksteward.core.views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    history_url,
    object_history,
    safe_next,
)
from stacksteward.org.models import Department, Person

from . import permissions as perms
from . import priority, services
from .choices import RequestStatusChoices as S
from .choices import ScheduleFieldChoices
from .filtersets import (
    RequestFilterSet,
    ScheduleChangeFilterSet,
)
from .forms import (
    PlanForm,
    RescheduleForm,
    RespondForm,
    TransitionForm,
)
from .leadtime import MIN_HISTORY, lead_time_check, observed_delivery_days
from .models import BacklogItem, Capability, Iteration, Request, Roadmap, ScheduleChange
from .policies import BACKLOG_ITEMS, ITERATIONS, REQUESTS
from .timeline import change_orders_of, request_timeline, schedule_changes_of
from .workdays import median


def _choice_field(label, choices, help_text=""):
    return forms.ChoiceField(label=label, choices=choices, required=False, help_text=help_text)


def _department_choices():
    return slug_choices(Department.objects.order_by("name"))


# Capabilities -----------------------------------------------------------------------------

class CapabilityListView(ObjectListView):

    def get_queryset(self):
        return super().get_queryset().select_related("department").annotate(request_count=Count("requests"))

    def tune_filter_form(self, form):
        form.fields["department"] = _choice_field("Department", _department_choices())


class CapabilityDetailView(ObjectDetailView):
    request_limit = 100

    def get_queryset(self):
        return super().get_queryset().select_related("department")

    def get_context_data(self, **kwargs):
        capability = kwargs["object"]
        requests = (Request.objects.restrict(self.request.user, "view").filter(capability=capability)
                    .with_list_data())
        history = observed_delivery_days(capability)
        return {**kwargs, "requests": list(requests[: self.request_limit]),
                "request_total": requests.count(), "delivered_count": len(history),
                "observed_median": median(history) if len(history) >= MIN_HISTORY else None,
                "min_history": MIN_HISTORY}


# Requests ---------------------------------------------------------------------------------

class RequestListView(ObjectListView):
    more_filters = ("department", "requester", "component", "feasibility", "needed_before")

    def get_queryset(self):
        return super().get_queryset().with_list_data()

    def tune_filter_form(self, form):
        capabilities = Capability.objects.order_by("name").only("slug", "name")
        form.fields["capability"] = _choice_field("Kind of work", slug_choices(capabilities))
        form.fields["department"] = _choice_field("Delivering department", _department_choices())
        people = Person.objects.filter(requests__isnull=False).distinct().order_by("name").only("id", "name")
        form.fields["requester"] = _choice_field("Requester", [("", "Anyone"), *[(str(p.pk), p.name)
                                                                                  for p in people]])
        form.fields["needed_before"].widget = forms.DateInput(attrs={"type": "date"})


class MyRequestListView(RequestListView):
    """The requests the user filed (not built from the declaration: set up here like the requests list)."""

    model = Request
    filterset_class = RequestFilterSet
    template_name = "intake/request_list.html"
    table_template = "intake/_request_table.html"
    add_url_name = "intake:request_add"
    title = "My requests"
    intro = "The requests you filed, with their status and the delivering side's answer."
    empty_text = "You have not filed a request yet."
    mine = True

    def get_queryset(self):
        person = perms.person_of(self.request.user)
        queryset = super().get_queryset()
        return queryset.filter(requester=person) if person is not None else queryset.none()

    def tune_filter_form(self, form):
        super().tune_filter_form(form)
        del form.fields["requester"]

    def get_context_data(self, **kwargs):
        return {**kwargs, "mine": True}


def _request_queryset(user):
    return Request.objects.restrict(user, "view").select_related(
        "requester", "requester__department", "capability", "capability__department", "delivering_department",
        "responder").prefetch_related("components")


STEP_LABELS = {
    S.SUBMITTED: "Clarified: submit again",
    S.CLARIFYING: "Ask for clarification",
    S.ACCEPTED: "Accept",
    S.PLANNED: "Plan",
    S.IN_PROGRESS: "Start work",
    S.NEEDS_REESTIMATE: "Needs re-estimate",
    S.DELIVERED: "Mark delivered",
    S.MEASURED: "Record the outcome",
    S.DECLINED: "Decline",
    S.WITHDRAWN: "Withdraw",
}
BACK_LABELS = {(S.PLANNED, S.ACCEPTED): "Back to accepted (unplan)", (S.IN_PROGRESS, S.PLANNED): "Back to planned",
               (S.NEEDS_REESTIMATE, S.ACCEPTED): "Re-estimated: accept again",
               (S.NEEDS_REESTIMATE, S.PLANNED): "Re-estimated: plan again"}
NOTE_LABELS = {
    S.DECLINED: ("Why is it declined?", True),
    S.MEASURED: ("How did it do against its success KPIs?", True),
    S.CLARIFYING: ("What needs clarifying?", False),
    S.WITHDRAWN: ("Why is it withdrawn?", False),
    S.PLANNED: ("Note (e.g. the iteration it goes into)", False),
}


def transition_steps(user, request_obj) -> list[dict]:
    """The workflow buttons this user may press, with the fields each step needs."""
    steps = []
    for to in perms.next_steps(user, request_obj):
        note_label, note_required = NOTE_LABELS.get(to, ("Note", False))
        steps.append({
            "to": to, "to_label": S(to).label,
            "label": BACK_LABELS.get((request_obj.status, to), STEP_LABELS[to]),
            "note_label": note_label, "note_required": note_required,
            "needs_planned": to == S.PLANNED, "needs_delivered": to == S.DELIVERED,
            "danger": to in (S.DECLINED, S.WITHDRAWN),
        })
    return steps


def request_detail_context(http_request, request_obj, **extra) -> dict:
    user = http_request.user
    questions = list(questions_about(request_obj))
    # Its own date moves and those of the backlog items that came from it ("bumped from X to Y because …").
    changes = list(schedule_changes_of(request_obj))
    orders = list(change_orders_of(request_obj))
    can_respond = perms.can_respond(user, request_obj)
    context = {
        "object": request_obj,
        "verbose_name": "request",
        "history": object_history(request_obj),
        "history_url": history_url(request_obj),
        "can_change": REQUESTS.allows(user, "change", request_obj),
        "can_delete": REQUESTS.allows(user, "delete", request_obj),
        "can_respond": can_respond and not request_obj.is_closed,
        "can_reschedule": (REQUESTS.allows(user, "reschedule", request_obj) and request_obj.planned_delivery is not None
                           and not request_obj.is_closed),
        "steps": transition_steps(user, request_obj),
        "is_watching": request_obj.watchers.filter(pk=user.pk).exists(),
        "timeline": request_timeline(request_obj, questions=questions, changes=changes, orders=orders),
        "change_orders": orders,
        "answer_is_stale": bool(orders) and request_obj.status == S.NEEDS_REESTIMATE and (
            request_obj.responded_at is None or request_obj.responded_at < orders[0].created_at),
        "questions": questions,
        "schedule_changes": changes,
        "items": list(request_obj.backlog_items.select_related("iteration", "assignee")),
        "milestones": list(request_obj.milestones.select_related("roadmap")),
        "lead_time": services.request_lead_time(request_obj),
        "respond_form": RespondForm(instance=request_obj),
        "reschedule_form": RescheduleForm(initial={"version": request_obj.version,
                                                   "planned_delivery": request_obj.planned_delivery}),
        "today": timezone.localdate(),
        "default_addressee": _default_addressee(user, request_obj),
    }
    context.update(extra)
    return context


def _default_addressee(user, request_obj) -> str:
    """Who a question on a request most likely goes to: the other side."""
    if perms.is_requester(user, request_obj):
        dept = perms.delivering_department_id(request_obj)
        return f"d{dept}" if dept else ""
    return f"p{request_obj.requester_id}"


class RequestDetailView(ObjectDetailView):
    """The request with its answer, workflow buttons, timeline, questions, items and lead-time check."""

    def get_queryset(self):
        return _request_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, request_detail_context(request, self.get_object()))


class RequestFormView(ObjectFormView):
    template_name = "intake/request_form.html"

    def get_queryset(self):
        return _request_queryset(self.request.user)

    def get_form(self, obj=None, data=None):
        initial = None if data is not None else self.get_initial()
        return self.form_class(data=data, instance=obj, initial=initial, user=self.request.user)

    def get_initial(self):
        slug = self.request.GET.get("capability")
        capability = Capability.objects.filter(slug=slug, active=True).first() if slug else None
        return {"capability": capability} if capability else {}

    def render_form(self, form, obj, status=200, **extra):
        capabilities = Capability.objects.filter(active=True).select_related("department").order_by("name")
        extra.setdefault("help_text", _edit_help(obj) if obj is not None else
                         "Tell the delivering side what you need and — above all — why, and what waiting costs. "
                         "They answer with how they would do it, an estimate, and whether it is feasible.")
        return super().render_form(form, obj, status=status, capabilities=list(capabilities), **extra)

    def save(self, form, obj):
        if obj is not None:
            orders = obj.change_orders.count()
            updated = super().save(form, obj)
            if updated.change_orders.count() > orders:
                messages.warning(self.request, f"This is change order {orders + 1}: the request goes back to "
                                               "the delivering side for a new estimate.")
            return updated
        data = form.service_data()
        request_obj, check = services.request_file(actor=self.request.user, data=data)
        for warning in check.warnings:
            messages.warning(self.request, f"Lead time: {warning}")
        return request_obj



def _edit_help(request_obj) -> str:
    if request_obj.has_response or request_obj.planned_delivery is not None:
        return ("The delivering side has already answered this request. Changing its title, objective, why, "
                "needed-by date or success KPIs is a change order: it goes back to them as “needs re-estimate”, "
                "with what you changed, and is counted on the request and in the backlog. (Their own edits are "
                "not change orders.)")
    return "Change what you ask for. The delivering side is told through the request's history."


def request_lead_time_check(request):
    """The capability's facts and the lead-time check for the dates on the form (htmx fragment)."""
    capability = Capability.objects.select_related("department").filter(pk=request.GET.get("capability") or 0) \
        .first() if (request.GET.get("capability") or "").isdigit() else None
    needed_by = None
    try:
        if request.GET.get("needed_by"):
            needed_by = datetime.date.fromisoformat(request.GET["needed_by"])
    except ValueError:
        needed_by = None
    check = lead_time_check(capability, needed_by, timezone.localdate()) if needed_by else None
    return render(request, "intake/_lead_time_check.html", {"capability": capability, "check": check,
                                                             "needed_by": needed_by,
                                                             "in_past": needed_by and needed_by < timezone.localdate()})


class RequestRespondView(ObjectFormView):
    """The delivering side's answer: approach, estimate, feasibility, constraints."""

    model = Request
    form_class = RespondForm
    lookup = "pk"
    update_service = staticmethod(services.request_respond)
    list_url_name = "intake:request_list"
    help_text = ("Say how it would be done, what it takes, and whether it is feasible. The requester and the "
                 "watchers are told.")

    def get_queryset(self):
        return _request_queryset(self.request.user)

    def check_permission(self, obj):
        if not perms.can_respond(self.request.user, obj):
            raise PermissionDenied("Only editors of the delivering department (or an admin) can answer a request.")

    def render_form(self, form, obj, status=200, **extra):
        extra.setdefault("title", f"Answer {obj}")
        return super().render_form(form, obj, status=status, **extra)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            messages.success(request, "The answer is saved; the requester is told.")
        return response


def _render_step(request, request_obj, form, status=200, **extra):
    steps = {s["to"]: s for s in transition_steps(request.user, request_obj)}
    to = form.data.get("to_status") if form.is_bound else form.initial.get("to_status")
    step = steps.get(to) or {"to": to, "label": f"Move to {S(to).label}" if to in S.values else "Move",
                             "note_label": "Note", "needs_planned": to == S.PLANNED,
                             "needs_delivered": to == S.DELIVERED}
    context = {"object": request_obj, "form": form, "step": step, **extra}
    return render(request, "intake/request_transition.html", context, status=status)


def request_transition(request, pk):
    """Move the request along its workflow (GET: the step's form; POST: do it)."""
    request_obj = get_object_or_404(_request_queryset(request.user), pk=pk)
    if request.method != "POST":
        form = TransitionForm(initial={"to_status": request.GET.get("to", ""), "version": request_obj.version,
                                       "delivered_on": timezone.localdate()})
        return _render_step(request, request_obj, form)
    form = TransitionForm(data=request.POST)
    if not form.is_valid():
        return _render_step(request, request_obj, form)
    data = form.cleaned_data
    try:
        services.request_transition(request_obj, actor=request.user, to_status=data["to_status"],
                                    note=data["note"], planned_delivery=data["planned_delivery"],
                                    delivered_on=data["delivered_on"], expected_version=data["version"])
    except StaleVersionError as exc:
        fresh = get_object_or_404(_request_queryset(request.user), pk=pk)
        form = TransitionForm(data={**request.POST.dict(), "version": fresh.version})
        form.is_valid()
        return _render_step(request, fresh, form, status=409, conflict=exc.message)
    except ValidationError as exc:
        _add_errors(form, exc)
        return _render_step(request, request_obj, form)
    messages.success(request, f"{request_obj} is now {S(data['to_status']).label.lower()}.")
    return redirect(request_obj.get_absolute_url())


def _add_errors(form, exc: ValidationError) -> None:
    for item in validation_messages(exc):
        field, message = item["field"], item["message"]
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, message)
        else:
            form.add_error(None, message)


def request_reschedule(request, pk):
    """Move the planned delivery date, with the reason everyone affected reads."""
    request_obj = get_object_or_404(_request_queryset(request.user), pk=pk)
    if not REQUESTS.allows(request.user, "reschedule", request_obj):
        raise PermissionDenied("Only editors of the delivering department (or an admin) can move a planned date.")
    status = 200
    conflict = ""
    if request.method == "POST":
        form = RescheduleForm(data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.request_reschedule(request_obj, actor=request.user,
                                                     planned_delivery=data["planned_delivery"],
                                                     reason=data["reason"], expected_version=data["version"])
            except StaleVersionError as exc:
                request_obj = get_object_or_404(_request_queryset(request.user), pk=pk)
                form = RescheduleForm(data={**request.POST.dict(), "version": request_obj.version})
                form.is_valid()
                status, conflict = 409, exc.message
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Planned delivery moved to {change.new_date:%d %b %Y}; "
                                          f"{change.notified_count} people were told why.")
                return redirect(request_obj.get_absolute_url())
    else:
        form = RescheduleForm(initial={"version": request_obj.version,
                                       "planned_delivery": request_obj.planned_delivery})
    return render(request, "intake/request_reschedule.html",
                  {"object": request_obj, "form": form, "conflict": conflict}, status=status)


@require_POST
def request_watch(request, pk):
    request_obj = get_object_or_404(Request.objects.restrict(request.user, "view"), pk=pk)
    watch = request.POST.get("watch") != "0"
    services.request_watch(request_obj, actor=request.user, watch=watch)
    messages.success(request, f"You now watch {request_obj}: you are told when it changes." if watch
                     else f"You no longer watch {request_obj}.")
    return redirect(safe_next(request, request_obj.get_absolute_url()))


# Backlog ----------------------------------------------------------------------------------

class BacklogItemListView(ObjectListView):
    more_filters = ("component", "request", "iteration", "unplanned", "assignee", "overridden")

    def get_queryset(self):
        return super().get_queryset().with_list_data().order_by(F("score").desc(nulls_last=True), "id")

    def tune_filter_form(self, form):
        iterations = Iteration.objects.select_related("roadmap").order_by("start", "id")
        form.fields["iteration"] = _choice_field(
            "Iteration", [("", "Any"), *[(str(i.pk), f"{i.roadmap.name} › {i.name}") for i in iterations]])
        people = Person.objects.filter(backlog_items__isnull=False).distinct().order_by("name").only("id", "name")
        form.fields["assignee"] = _choice_field("Assignee", [("", "Anyone"), *[(str(p.pk), p.name) for p in people]])
        form.fields["unplanned"].label = "Not in an iteration"
        form.fields["request"].label = "Request number"


def _item_queryset(user):
    return BacklogItem.objects.restrict(user, "view").select_related(
        "request", "request__requester", "assignee", "iteration", "iteration__roadmap",
    ).prefetch_related("components", "depends_on", "dependents")


def score_explanation(item, today=None) -> dict:
    """The priority score's parts for the item page (see ``priority``)."""
    parts = priority.score_item(item, today or timezone.localdate())
    return {"parts": parts, "weekly_cost": item.request.weekly_lost_cost if item.request_id else None,
            "currency": item.request.lost_cost_currency if item.request_id else "",
            "needed_by": item.effective_needed_by}


class BacklogItemDetailView(ObjectDetailView):

    def get_queryset(self):
        return _item_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        item = kwargs["object"]
        return {**kwargs, "score": score_explanation(item),
                "schedule_changes": list(item.schedule_changes.all()),
                "plan_form": PlanForm(initial={"iteration": item.iteration_id, "version": item.version}),
                "plan_errors": []}


class BacklogItemFormView(ObjectFormView):

    def get_queryset(self):
        return _item_queryset(self.request.user)

    def get_initial(self):
        initial = {}
        request_id = self.request.GET.get("request")
        if request_id and request_id.isdigit():
            source = Request.objects.filter(pk=request_id).first()
            if source is not None:
                initial.update(request=source, title=source.title, description=source.objective,
                               effort_days=source.estimate_days)
        return initial


def backlog_item_plan(request, pk):
    """Plan an item into an iteration from its page (a bump out of an iteration needs the reason)."""
    item = get_object_or_404(_item_queryset(request.user), pk=pk)
    BACKLOG_ITEMS.require(request.user, "plan", item)
    if request.method != "POST":
        return redirect(item.get_absolute_url())
    form = PlanForm(data=request.POST)
    errors, status = [], 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.backlog_item_plan(item, actor=request.user, iteration=data["iteration"], reason=data["reason"],
                                       expected_version=data["version"])
        except StaleVersionError as exc:
            errors, status = [exc.message], 409
            item = get_object_or_404(_item_queryset(request.user), pk=pk)
        except ValidationError as exc:
            errors = [m["message"] for m in validation_messages(exc)]
        else:
            target = data["iteration"]
            messages.success(request, f"{item} planned into {target}." if target
                             else f"{item} is back in the backlog.")
            return redirect(item.get_absolute_url())
    else:
        errors = [f"{form.field_label(name)}: {' '.join(e)}" for name, e in form.errors.items()]
    context = {"object": item, "history": object_history(item), "history_url": history_url(item),
               "can_change": True, "can_delete": BACKLOG_ITEMS.allows(request.user, "delete", item),
               "verbose_name": "backlog item", "score": score_explanation(item),
               "schedule_changes": list(item.schedule_changes.all()), "plan_form": form, "plan_errors": errors}
    return render(request, "intake/backlog_item.html", context, status=status)


# Roadmaps ---------------------------------------------------------------------------------

class RoadmapListView(ObjectListView):

    def get_queryset(self):
        return super().get_queryset().select_related("department").annotate(
            iteration_count=Count("iterations", distinct=True), milestone_count=Count("milestones", distinct=True))

    def get(self, request, *args, **kwargs):
        if not request.GET:
            only = list(Roadmap.objects.restrict(request.user, "view")[:2])
            if len(only) == 1:  # one roadmap: go straight to it
                return redirect(only[0].get_absolute_url())
        return super().get(request, *args, **kwargs)


def timeline(iterations, milestones, today) -> dict:
    """Positions (percent of the axis) of iteration bars, milestone markers, today and month ticks."""
    dates = [d for i in iterations for d in (i.start, i.end)] + [m.due for m in milestones] + [today]
    first, last = min(dates), max(dates)
    first = first.replace(day=1)
    last = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)  # first day of the next month
    span = (last - first).days or 1

    def pos(day):
        return round((day - first).days * 100 / span, 3)

    bars = [{"iteration": i, "left": pos(i.start), "width": max(round(((i.end - i.start).days + 1) * 100 / span, 3),
                                                                     0.5)} for i in iterations]
    markers = [{"milestone": m, "left": pos(m.due)} for m in milestones]
    ticks, month = [], first
    while month < last:
        ticks.append({"date": month, "left": pos(month)})
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return {"bars": bars, "markers": markers, "ticks": ticks, "today": pos(today), "first": first, "last": last}


def roadmap_schedule_changes(roadmap):
    return (ScheduleChange.objects.filter(
        Q(iteration__roadmap=roadmap) | Q(milestone__roadmap=roadmap) | Q(backlog_item__iteration__roadmap=roadmap)
        | Q(backlog_item__isnull=False, backlog_item__iteration__isnull=True, field=ScheduleFieldChoices.ITERATION))
        .select_related("iteration", "milestone", "backlog_item"))


class RoadmapDetailView(ObjectDetailView):

    def get_queryset(self):
        return super().get_queryset().select_related("department")

    def get_context_data(self, **kwargs):
        roadmap = kwargs["object"]
        today = timezone.localdate()
        iterations = list(roadmap.iterations.all())
        items = BacklogItem.objects.filter(iteration__roadmap=roadmap).select_related(
            "request").order_by(F("score").desc(nulls_last=True), "id")
        by_iteration: dict[int, list] = {}
        for item in items:
            by_iteration.setdefault(item.iteration_id, []).append(item)
        for iteration in iterations:
            iteration.planned_items = by_iteration.get(iteration.pk, [])
            seen, served = set(), []
            for item in iteration.planned_items:
                if item.request_id and item.request_id not in seen:
                    seen.add(item.request_id)
                    served.append(item.request)
            iteration.served_requests = served
        milestones = list(roadmap.milestones.prefetch_related("requests"))
        return {**kwargs, "iterations": iterations, "milestones": milestones, "today": today,
                "timeline": timeline(iterations, milestones, today) if iterations or milestones else None,
                "schedule_changes": list(roadmap_schedule_changes(roadmap)[:50]),
                "can_plan": ITERATIONS.allows(self.request.user, "add")}


class RoadmapChildFormView(ObjectFormView):
    """An iteration's or a milestone's form: ``?roadmap=<slug>`` picks the roadmap of a new one."""

    def get_initial(self):
        slug = self.request.GET.get("roadmap")
        roadmap = Roadmap.objects.filter(slug=slug).first() if slug else None
        return {"roadmap": roadmap} if roadmap else {}


class IterationDetailView(ObjectDetailView):

    def get_queryset(self):
        return super().get_queryset().select_related("roadmap")

    def get_context_data(self, **kwargs):
        iteration = kwargs["object"]
        items = (iteration.items.select_related("request", "assignee").prefetch_related("components")
                 .order_by(F("score").desc(nulls_last=True), "id"))
        return {**kwargs, "items": list(items), "schedule_changes": list(iteration.schedule_changes.all())}


class MilestoneDetailView(ObjectDetailView):

    def get_queryset(self):
        return super().get_queryset().select_related("roadmap")

    def get_context_data(self, **kwargs):
        milestone = kwargs["object"]
        return {**kwargs, "requests": list(milestone.requests.select_related("requester")),
                "schedule_changes": list(milestone.schedule_changes.all())}


# Schedule changes -------------------------------------------------------------------------

class ScheduleChangeListView(ObjectListView):
    model = ScheduleChange
    filterset_class = ScheduleChangeFilterSet
    template_name = "core/object_list.html"
    table_template = "intake/_schedule_change_table.html"
    title = "Schedule changes"
    intro = "Every planned date that moved: what, from when to when, why, who moved it and how many people were told."
    empty_text = "No date has moved yet."

    def get_queryset(self):
        return ScheduleChange.objects.select_related("request", "backlog_item", "iteration", "milestone")

    def tune_filter_form(self, form):
        for name in ("request", "backlog_item", "iteration", "milestone"):
            form.fields[name].widget = forms.HiddenInput()
        form.fields["since"].widget = forms.DateInput(attrs={"type": "date"})

