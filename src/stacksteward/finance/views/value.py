"""Objectives, KPIs and measurements; the budget (planned vs actual) and the investments (cost, value, ROI)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stacksteward.catalog.models import Component
from stacksteward.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    history_url,
    object_history,
)
from stacksteward.org.permissions import person_of

from .. import services
from ..choices import KpiDirectionChoices, KpiValueKindChoices
from ..filtersets import BudgetFilterSet
from ..forms import (
    BudgetForm,
    CostEntryForm,
    MeasurementForm,
    SuccessFactorForm,
    ValueScoreForm,
)
from ..models import Budget, CostEntry, Kpi, Measurement, Objective, SuccessFactor
from ..money import Money, percent
from ..policies import (
    BUDGETS,
    COSTS,
    KPIS,
    MEASUREMENTS,
    OBJECTIVES,
    SUCCESS_FACTORS,
    VALUE_SCORES,
    money_component_ids,
)
from ..roi import attribution, budget_actuals, investments, portfolio
from .common import HIDDEN_VALUE_NOTE, add_errors, chart, require, today, year_from


def kpi_status(kpi, value) -> tuple[str, str]:
    """(state, words) of a period's value against the KPI's target."""
    met = kpi.on_target(value)
    if met is None:
        return "none", "No measurement yet" if value is None else "No target set"
    if met:
        return "on", "On target"
    return "off", "Below target" if kpi.direction == KpiDirectionChoices.HIGHER else "Above target"


# Objectives -------------------------------------------------------------------------------------

class ObjectiveListView(ObjectListView):
    """The list of ``resources.OBJECTIVES``, with each objective's KPIs counted."""

    def get_queryset(self):
        return super().get_queryset().select_related("owner").prefetch_related("success_factors").annotate(
            kpi_count=Count("kpis", distinct=True))


def objective_page(request, objective, **overrides):
    context = {
        "object": objective, "verbose_name": "objective",
        "factors": list(objective.success_factors.all()),
        "kpis": kpi_rows(Kpi.objects.filter(objective=objective)),
        "can_write": SUCCESS_FACTORS.allows(request.user, "add"),
        "can_change": OBJECTIVES.allows(request.user, "change", objective),
        "can_delete": OBJECTIVES.allows(request.user, "delete", objective),
        "factor_form": SuccessFactorForm(),
        "history": object_history(objective), "history_url": history_url(objective),
    }
    context.update(overrides)
    return render(request, "finance/objective.html", context)


def _objective_queryset(user):
    return Objective.objects.restrict(user, "view").select_related("owner")


class ObjectiveDetailView(ObjectDetailView):
    """The objective's page: its success factors and KPIs."""

    def get_queryset(self):
        return _objective_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return objective_page(request, self.get_object())


@require_POST
def success_factor_add(request, pk):
    objective = get_object_or_404(_objective_queryset(request.user), pk=pk)
    require(SUCCESS_FACTORS, request.user, "add")
    form = SuccessFactorForm(data=request.POST)
    if form.is_valid():
        try:
            services.success_factor_create(actor=request.user, data={"objective": objective,
                                                                     "name": form.cleaned_data["name"]})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Added the success factor “{form.cleaned_data['name']}”.")
            return redirect(f"{objective.get_absolute_url()}#factors")
    return objective_page(request, objective, factor_form=form)


@require_POST
def success_factor_delete(request, pk, factor_pk):
    objective = get_object_or_404(_objective_queryset(request.user), pk=pk)
    require(SUCCESS_FACTORS, request.user, "delete")
    factor = get_object_or_404(SuccessFactor, pk=factor_pk, objective=objective)
    services.success_factor_delete(factor, actor=request.user)
    messages.success(request, f"Removed the success factor “{factor.name}”.")
    return redirect(f"{objective.get_absolute_url()}#factors")


# KPIs -------------------------------------------------------------------------------------------

def kpi_rows(queryset):
    """KPIs with their latest measurement (two subqueries, no query per row) and its status."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-period_start")
    rows = list(queryset.select_related("objective").annotate(
        latest_value=Subquery(latest.values("value")[:1]), latest_period=Subquery(latest.values("period_start")[:1])))
    for kpi in rows:
        kpi.status, kpi.status_label = kpi_status(kpi, kpi.latest_value)
    return rows


class KpiListView(ObjectListView):
    """The list of ``resources.KPIS``, with each KPI's latest period against its target."""

    def get_queryset(self):
        latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-period_start")
        return super().get_queryset().select_related("objective").prefetch_related("components").annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period_start")[:1]))

    def get_context_data(self, **kwargs):
        page = kwargs["page"]
        page.object_list = list(page.object_list)
        for kpi in page.object_list:
            kpi.status, kpi.status_label = kpi_status(kpi, kpi.latest_value)
        kwargs["objects"] = page.object_list
        return kwargs


def attribution_rows(kpi, components, measurements, year: int) -> list[dict]:
    """Each component's share of the KPI by its rule, and of the year's value when it is money or a count."""
    rule = attribution(kpi)
    measured = [m.value for m in measurements if m.period_start.year == year]
    counts = kpi.value_kind in (KpiValueKindChoices.MONEY, KpiValueKindChoices.COUNT) and bool(measured)
    parts = rule.parts(sum(measured, Decimal(0))) if counts else {}
    return [{"component": c, "share": percent(rule.share(c.pk) * 100), "amount": parts.get(c.pk)}
            for c in components]


def kpi_page(request, kpi, *, status=200, **overrides):
    measurements = list(kpi.measurements.order_by("-period_start"))
    latest = measurements[0] if measurements else None
    components = list(kpi.components.all())
    year = today().year
    state, label = kpi_status(kpi, latest.value if latest else None)
    context = {
        "object": kpi, "kpi": kpi, "verbose_name": "KPI",
        "measurements": measurements, "latest": latest, "status": state, "status_label": label,
        "components": components, "year": year, "attribution": attribution(kpi) if components else None,
        "attribution_rows": attribution_rows(kpi, components, measurements, year) if components else [],
        "chart": chart("kpi_trend", kpi),
        "can_write": MEASUREMENTS.allows(request.user, "add"),
        "can_change": KPIS.allows(request.user, "change", kpi),
        "can_delete": KPIS.allows(request.user, "delete", kpi),
        "measurement_form": MeasurementForm(),
        "history": object_history(kpi), "history_url": history_url(kpi),
    }
    context.update(overrides)
    return render(request, "finance/kpi.html", context, status=status)


def _kpi_queryset(user):
    return Kpi.objects.restrict(user, "view").select_related("objective", "request")


class KpiDetailView(ObjectDetailView):
    """The KPI's page: its measurements, trend and the form to record one."""

    def get_queryset(self):
        return _kpi_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return kpi_page(request, self.get_object())


@require_POST
def measurement_add(request, slug):
    kpi = get_object_or_404(_kpi_queryset(request.user), slug=slug)
    require(MEASUREMENTS, request.user, "add")
    form = MeasurementForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.measurement_record(actor=request.user, kpi=kpi, period_start=data["period_start"],
                                        value=data["value"], note=data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Recorded {data['value']} {kpi.unit} for the period starting "
                                      f"{data['period_start']:%d %b %Y}.")
            return redirect(f"{kpi.get_absolute_url()}#measurements")
    return kpi_page(request, kpi, measurement_form=form)




# Budget -----------------------------------------------------------------------------------------

def _compare(planned_amount, planned_currency, actual: Money, shown: bool) -> dict:
    """Planned vs actual, compared only in one currency (never summed across currencies)."""
    row = {"planned": planned_amount, "currency": planned_currency, "actual": actual, "shown": shown,
           "difference": None, "used": None, "note": ""}
    if not shown:
        return row
    currencies = set(actual.amounts) - {c for c, a in actual.amounts.items() if a == 0}
    if not currencies or currencies == {planned_currency}:
        spent = actual.amounts.get(planned_currency, Decimal(0))
        row["difference"] = planned_amount - spent
        row["used"] = (spent / planned_amount) if planned_amount else None
    else:
        row["note"] = "Spent in another currency: not compared."
    return row


def budget_page(request):
    user = request.user
    year = year_from(request)
    filterset = BudgetFilterSet(request.GET, queryset=Budget.objects.restrict(user, "view").filter(year=year)
                                .select_related("component", "category", "category__parent"), request=request)
    budgets = list(filterset.qs.order_by("id"))
    result = investments(year)
    actuals = budget_actuals(year, budgets, found=result)
    visible = money_component_ids(user)
    component_rows, category_rows = [], []
    planned_totals = Money()
    for budget in budgets:
        planned_shown = BUDGETS.shows(user, "money", budget)  # the planned amount is money too
        if planned_shown:
            planned_totals += Money.of([(budget.amount, budget.currency)])
        actual, counted = actuals[budget.pk]
        shown = planned_shown and (visible is None or counted <= visible)
        rows = component_rows if budget.component_id else category_rows
        shared = ([p for p in result[budget.component_id].licence_parts if p.short != "all of it"]
                  if budget.component_id and budget.component_id in result else [])
        rows.append({"budget": budget, "shared": shared, "planned_shown": planned_shown,
                     **_compare(budget.amount, budget.currency, actual, shown)})
    component_rows.sort(key=lambda r: r["budget"].component.name)
    category_rows.sort(key=lambda r: r["budget"].category.name)
    all_values = visible is None
    actual_totals = sum((i.cost for i in result.values()), Money()) if all_values else None
    context = {
        "title": f"Budget {year}", "year": year, "years": _years(year),
        "filter_form": filterset.form, "component_rows": component_rows, "category_rows": category_rows,
        "planned_totals": planned_totals, "actual_totals": actual_totals, "all_values": all_values,
        "hidden_value_note": HIDDEN_VALUE_NOTE, "can_write": BUDGETS.allows(user, "add"),
        "spend_chart": chart("spend_by_category", year) if all_values else None,
        "budget_chart": chart("budget_vs_actual", year) if all_values else None,
    }
    return render(request, "finance/budget.html", context)


def _years(year: int) -> list[int]:
    return [year - 2, year - 1, year, year + 1]


class _YearPageMixin:
    """Budgets and costs have no page of their own: they live on the year's budget or investments page."""

    page_url_name = ""

    def _link(self, obj):
        obj.get_absolute_url = lambda: f"{reverse(self.page_url_name)}?year={obj.year}"
        return obj

    def get_object(self):
        return self._link(super().get_object())

    def save(self, form, obj):
        return self._link(super().save(form, obj))


class BudgetFormView(_YearPageMixin, ObjectFormView):
    model = Budget
    form_class = BudgetForm
    lookup = "pk"
    create_service = staticmethod(services.budget_create)
    update_service = staticmethod(services.budget_update)
    list_url_name = page_url_name = "finance:budget"
    help_text = "A planned amount for a year: for one component or for a category (not both)."


class BudgetDeleteView(_YearPageMixin, ObjectDeleteView):
    model = Budget
    lookup = "pk"
    delete_service = staticmethod(services.budget_delete)
    list_url_name = page_url_name = "finance:budget"


class CostEntryFormView(_YearPageMixin, ObjectFormView):
    model = CostEntry
    form_class = CostEntryForm
    lookup = "pk"
    create_service = staticmethod(services.cost_entry_create)
    update_service = staticmethod(services.cost_entry_update)
    list_url_name = page_url_name = "finance:investments"
    help_text = ("A cost beyond the licence (which comes from the contracts): services such as agencies or "
                 "consultants, or internal effort in hours (priced at the configured rate).")

    def get_initial(self):
        slug = self.request.GET.get("component")
        component = Component.objects.filter(slug=slug).first() if slug else None
        return {"component": component} if component else {}


# Investments ------------------------------------------------------------------------------------

def investments_page(request, *, status=200, score_forms=None):
    user = request.user
    year = year_from(request)
    result = investments(year)
    visible = money_component_ids(user)
    person = person_of(user)
    admin = VALUE_SCORES.allows(user, "score_for_anyone")
    score_forms = score_forms or {}
    rows, quiet = [], 0
    for investment in sorted(result.values(), key=lambda i: i.component.name.lower()):
        component = investment.component
        can_score = admin or (person is not None and person.pk == component.business_owner_id)
        if (not investment.cost.amounts and not investment.value.amounts and not investment.units
                and not investment.value_scores and component.seats_purchased is None
                and component.pk not in score_forms):
            quiet += 1
            if not can_score:
                continue
        roi, formula = investment.roi
        rows.append({
            "investment": investment, "component": component,
            "shown": visible is None or component.pk in visible,
            "roi": roi, "formula": formula, "cost_per_unit": investment.cost_per_unit,
            "can_score": can_score,
            "score_form": score_forms.get(component.pk) or ValueScoreForm(prefix=f"c{component.pk}"),
        })
    total = portfolio(result.values())
    total_roi, total_formula = total.roi
    context = {
        "title": f"Investments {year}", "year": year, "years": _years(year), "rows": rows,
        "total": total, "total_roi": total_roi, "total_formula": total_formula,
        "all_values": visible is None, "hidden_value_note": HIDDEN_VALUE_NOTE, "can_write": COSTS.allows(user, "add"),
        "utilisation_chart": chart("utilisation", [r["component"] for r in rows]),
        "today": today(),
    }
    return render(request, "finance/investments.html", context, status=status)


def investments_view(request):
    return investments_page(request)


@require_POST
def value_score(request, slug):
    component = get_object_or_404(Component.objects.restrict(request.user, "view"), slug=slug)
    year = year_from(request)
    form = ValueScoreForm(data=request.POST, prefix=f"c{component.pk}")
    if form.is_valid():
        try:
            services.value_score_record(actor=request.user, component=component, year=year,
                                        score=form.cleaned_data["score"], reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Value score of {component.name} for {year} saved.")
            return redirect(f"{reverse('finance:investments')}?year={year}#value-{component.slug}")
    return investments_page(request, score_forms={component.pk: form})
