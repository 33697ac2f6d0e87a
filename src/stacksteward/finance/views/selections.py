"""Tool selections: the list, and the workspace (candidates, criteria, scorecards, totals, the decision)."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.views import ObjectDetailView, ObjectListView, history_url, object_history
from stacksteward.org.models import Person
from stacksteward.org.permissions import person_of

from .. import services
from ..choices import SelectionStatusChoices
from ..forms import CandidateForm, CriterionForm, ScorecardForm, SelectionDecisionForm
from ..models import Criterion, Score, Selection, SelectionCandidate
from ..policies import SCORES, SELECTIONS
from ..scoring import selection_totals
from .common import add_errors, require

OPEN = SelectionStatusChoices.OPEN


class SelectionListView(ObjectListView):
    """The list of ``resources.SELECTIONS``, with each selection's candidates, criteria and reviewers counted."""

    def get_queryset(self):
        return super().get_queryset().select_related("request", "replaces", "chosen").annotate(
            candidate_count=Count("candidates", distinct=True), criterion_count=Count("criteria", distinct=True),
            reviewer_count=Count("criteria__scores__reviewer", distinct=True))


def selection_queryset(user):
    return Selection.objects.restrict(user, "view").select_related("request", "replaces", "chosen", "decided_by")


def _reviewer(request, selection):
    """Whose scorecard is shown: the user's person; an admin may pick anyone (``?reviewer=<id>``)."""
    me = person_of(request.user)
    if SCORES.allows(request.user, "score_for_anyone"):
        raw = request.POST.get("reviewer") or request.GET.get("reviewer") or ""
        if raw.isdigit():
            chosen = Person.objects.select_related("department").filter(pk=raw).first()
            if chosen is not None:
                return chosen
    return me


def _scorecard(reviewer, criteria, candidates, data=None):
    mine = [c for c in criteria if reviewer is not None and c.department_id == reviewer.department_id]
    existing = {}
    if reviewer is not None and mine:
        existing = {(s.criterion_id, s.candidate_id): s.score for s in Score.objects.filter(
            criterion__in=mine, reviewer=reviewer)}
    return ScorecardForm(data=data, criteria=mine, candidates=candidates, existing=existing)


def selection_page(request, selection, *, status=200, **overrides):
    user = request.user
    candidates = list(SelectionCandidate.objects.filter(selection=selection).select_related("vendor"))
    criteria = list(Criterion.objects.filter(selection=selection).select_related("department"))
    by_department = defaultdict(list)
    for criterion in criteria:
        by_department[criterion.department].append(criterion)
    departments = sorted(by_department, key=lambda d: d.name)
    counts = dict(Score.objects.filter(criterion__selection=selection).values_list("criterion__department")
                  .annotate(n=Count("reviewer", distinct=True)).order_by())
    reviewer = _reviewer(request, selection)
    can_write = SELECTIONS.allows(user, "change", selection)
    for_anyone = SCORES.allows(user, "score_for_anyone")
    is_open = selection.status == OPEN
    context = {
        "object": selection,
        "selection": selection,
        "verbose_name": "tool selection",
        "candidates": candidates,
        "criteria_groups": [{"department": d, "criteria": by_department[d],
                             "weight": sum(c.weight for c in by_department[d]), "reviewers": counts.get(d.pk, 0)}
                            for d in departments],
        "department_names": [d.name for d in departments],
        "total_weight": sum(c.weight for c in criteria),
        "totals": selection_totals(selection),
        "reviewer": reviewer,
        "is_admin": for_anyone,
        "people": list(Person.objects.select_related("department").order_by("name")) if for_anyone else [],
        "scorecard": _scorecard(reviewer, criteria, candidates),
        "is_open": is_open,
        "can_write": can_write,
        "can_change": SELECTIONS.allows(user, "change", selection),
        "can_delete": SELECTIONS.allows(user, "delete", selection),
        "candidate_form": CandidateForm(prefix="candidate"),
        "criterion_form": CriterionForm(prefix="criterion"),
        "decision_form": SelectionDecisionForm(selection=selection, initial={"version": selection.version}),
        "history": object_history(selection),
        "history_url": history_url(selection),
    }
    context.update(overrides)
    return render(request, "finance/selection.html", context, status=status)


class SelectionDetailView(ObjectDetailView):
    """The selection's workspace: candidates, criteria, the scorecard, totals and the decision."""

    def get_queryset(self):
        return selection_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return selection_page(request, self.get_object())


def _open_selection(request, pk):
    selection = get_object_or_404(selection_queryset(request.user), pk=pk)
    require(SELECTIONS, request.user, "change", selection)
    return selection


@require_POST
def candidate_add(request, pk):
    selection = _open_selection(request, pk)
    form = CandidateForm(data=request.POST, prefix="candidate")
    if form.is_valid():
        try:
            services.candidate_create(actor=request.user, data={**form.cleaned_data, "selection": selection})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Added the candidate {form.cleaned_data['name']}.")
            return redirect(f"{selection.get_absolute_url()}#candidates")
    return selection_page(request, selection, candidate_form=form)


@require_POST
def candidate_delete(request, pk, candidate_pk):
    selection = _open_selection(request, pk)
    candidate = get_object_or_404(SelectionCandidate, pk=candidate_pk, selection=selection)
    try:
        services.candidate_delete(candidate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed the candidate {candidate.name} and its scores.")
    return redirect(f"{selection.get_absolute_url()}#candidates")


@require_POST
def criterion_add(request, pk):
    selection = _open_selection(request, pk)
    form = CriterionForm(data=request.POST, prefix="criterion")
    if form.is_valid():
        try:
            services.criterion_create(actor=request.user, data={**form.cleaned_data, "selection": selection})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Added the criterion {form.cleaned_data['name']}.")
            return redirect(f"{selection.get_absolute_url()}#criteria")
    return selection_page(request, selection, criterion_form=form)


@require_POST
def criterion_delete(request, pk, criterion_pk):
    selection = _open_selection(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, selection=selection)
    try:
        services.criterion_delete(criterion, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed the criterion {criterion.name} and its scores.")
    return redirect(f"{selection.get_absolute_url()}#criteria")


@require_POST
def selection_scores(request, pk):
    """A reviewer's scorecard: every filled cell is recorded, or none is (403 outside their department)."""
    selection = get_object_or_404(selection_queryset(request.user), pk=pk)
    reviewer = _reviewer(request, selection)
    if reviewer is None:
        raise PermissionDenied("Your account is not linked to a person, so you cannot score.")
    candidates = list(SelectionCandidate.objects.filter(selection=selection))
    criteria = list(Criterion.objects.filter(selection=selection).select_related("department", "selection"))
    posted = {name for name in request.POST if name.startswith("score_")}
    form = _scorecard(reviewer, criteria, candidates, data=request.POST)
    foreign = posted - set(form.fields)
    if foreign:
        raise PermissionDenied("You score only your own department's criteria of this selection.")
    if not form.is_valid():
        return selection_page(request, selection, scorecard=form)
    entered = form.entered()
    try:
        with transaction.atomic():
            for criterion, candidate, score in entered:
                services.score_record(actor=request.user, criterion=criterion, candidate=candidate, score=score,
                                      reviewer=reviewer)
    except ValidationError as exc:
        add_errors(form, exc)
        return selection_page(request, selection, scorecard=form)
    messages.success(request, f"Saved {len(entered)} score{'s' if len(entered) != 1 else ''} by {reviewer.name}.")
    return redirect(f"{selection.get_absolute_url()}#scorecard")


@require_POST
def selection_decide(request, pk):
    selection = _open_selection(request, pk)
    form = SelectionDecisionForm(data=request.POST, selection=selection)
    if not form.is_valid():
        return selection_page(request, selection, decision_form=form)
    data = form.cleaned_data
    try:
        decided = services.selection_decide(selection, actor=request.user, chosen=data["chosen"],
                                            reasons=data["decision_reasons"], dissent=data["dissent"],
                                            create_component=data["create_component"],
                                            expected_version=data["version"])
    except StaleVersionError as exc:
        fresh = get_object_or_404(selection_queryset(request.user), pk=pk)
        return selection_page(request, fresh, decision_form=form, conflict=exc.message, status=409)
    except ValidationError as exc:
        add_errors(form, exc)
        return selection_page(request, selection, decision_form=form)
    created = " The component (pilot) and a draft contract are created." if data["create_component"] else ""
    messages.success(request, f"Decided: {decided.chosen}.{created}")
    return redirect(decided.get_absolute_url())




