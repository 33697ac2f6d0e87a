"""Value beyond the CRUD of objectives, KPIs, costs and budgets: KPI measurements (read and pushed), a tool's
value score, and the investments (cost, value, ROI)."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from stacksteward.catalog.models import Component
from stacksteward.core.api_support import (
    CREATE_ERRORS,
    LIST_ERRORS,
    PageParams,
    Refs,
    errors,
    fetch_or_404,
    page_schema,
    paginate,
)
from stacksteward.core.permissions import require_perm
from stacksteward.core.resources import add_routes

from .. import services
from ..models import Kpi, Measurement, ValueScore
from ..policies import money_component_ids
from ..resources import BUDGETS, COST_ENTRIES, KPIS, OBJECTIVES, SUCCESS_FACTORS, VALUE_SCORES
from ..roi import investments
from ..schemas import (
    InvestmentOut,
    MeasurementOut,
    MeasurementPushIn,
    MeasurementPushOut,
    ValueScoreIn,
    ValueScoreOut,
    money_rows,
)
from ..views.common import HIDDEN_VALUE_NOTE
from .common import API

router = Router()
for resource in (OBJECTIVES, SUCCESS_FACTORS, KPIS):
    add_routes(router, resource)


# KPI measurements ------------------------------------------------------------------------------


class MeasurementRange(Schema):
    since: datetime.date | None = Field(None, description="Periods starting on or after this day.")
    until: datetime.date | None = Field(None, description="Periods starting on or before this day.")


@router.get("/kpis/{slug}/measurements", response={200: page_schema(MeasurementOut), **errors(401, 404, 422)})
def list_kpi_measurements(request, slug: str, period: Query[MeasurementRange], page: Query[PageParams]):
    """The KPI's measurements, oldest period first."""
    kpi = fetch_or_404(Kpi.objects.restrict(request.auth, "view"), slug=slug)
    queryset = Measurement.objects.restrict(request.auth, "view").filter(kpi=kpi).order_by("period_start")
    if period.since:
        queryset = queryset.filter(period_start__gte=period.since)
    if period.until:
        queryset = queryset.filter(period_start__lte=period.until)
    return paginate(queryset, page)


@router.post("/kpis/{slug}/measurements", response={200: MeasurementPushOut, **errors(401, 403, 404, 422)})
def push_kpi_measurements(request, slug: str, payload: MeasurementPushIn):
    """Push one or many measurements (``source: api``); a period already measured is replaced. All or
    nothing: if any item is refused, none is written and each error names its item (``items.3.value``)."""
    kpi = fetch_or_404(Kpi.objects.restrict(request.auth, "view"), slug=slug)
    require_perm(request.auth, "add", Measurement)
    recorded, replaced = services.measurements_record(
        actor=request.auth, kpi=kpi, source=API,
        items=[{"period_start": i.period_start, "value": i.value, "note": i.note} for i in payload.items])
    return {"created": len(recorded) - replaced, "replaced": replaced, "items": recorded}


for resource in (COST_ENTRIES, BUDGETS, VALUE_SCORES):
    add_routes(router, resource)


# Value scores ----------------------------------------------------------------------------------


@router.post("/value-scores", response={200: ValueScoreOut, **errors(*CREATE_ERRORS)})
def record_value_score(request, payload: ValueScoreIn):
    """Score a tool's value for a year, as its business owner (or an admin); scoring the same year again
    replaces your score."""
    require_perm(request.auth, "add", ValueScore)
    refs = Refs()
    component = refs.one(Component.objects.restrict(request.auth, "view"), "component", payload.component)
    refs.check()
    score = services.value_score_record(actor=request.auth, component=component, year=payload.year,
                                        score=payload.score, reasons=payload.reasons, source=API)
    return VALUE_SCORES.rows(request.auth).get(pk=score.pk)


# Investments -----------------------------------------------------------------------------------


class InvestmentParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.")
    component: str | None = Field(None, description="Component slug.")
    category: str | None = Field(None, description="Category slug (includes its sub-categories).")


SHARE = Decimal("0.000001")


def _investment_row(investment, shown: bool) -> dict:
    roi, explanation = investment.roi
    hidden = not shown
    return {
        "component": investment.component,
        "year": investment.year,
        "values_hidden": hidden,
        "licence": None if hidden else money_rows(investment.licence),
        "services": None if hidden else money_rows(investment.services),
        "internal": None if hidden else money_rows(investment.internal),
        "total": None if hidden else money_rows(investment.cost),
        "value": money_rows(investment.value),
        "value_parts": [{"kpi": p.kpi.slug, "amount": p.amount, "unit": p.unit, "year_total": p.year_total,
                         "share": p.share.quantize(SHARE), "basis": p.basis}
                        for p in investment.value_parts + investment.unit_parts],
        "licence_parts": None if hidden else [
            {"contract": p.contract.reference, "contract_id": p.contract.pk, "amount": p.amount,
             "currency": p.currency, "year_total": p.year_total, "share": p.share.quantize(SHARE), "basis": p.basis}
            for p in investment.licence_parts],
        "roi": None if hidden else roi,
        "roi_formula": None if hidden or roi is None else explanation,
        "roi_reason": HIDDEN_VALUE_NOTE if hidden else (explanation if roi is None else None),
        "cost_per_unit": None if hidden else [
            {"unit": unit, "value": value, "formula": formula}
            for unit, (value, formula) in investment.cost_per_unit.items()],
        "value_score": investment.value_score,
        "value_scores": len(investment.value_scores),
        "seat_utilisation": investment.seat_utilisation,
    }


@router.get("/investments", response={200: page_schema(InvestmentOut), **errors(*LIST_ERRORS)})
def list_investments(request, params: Query[InvestmentParams], page: Query[PageParams]):
    """Per component and year: licence, services, internal and total cost per currency; value from money
    KPIs; ROI = (value − cost) ÷ cost with its formula, or the reason there is none; cost per unit of
    counted KPIs; the owners' value score; seat utilisation. Costs, ROI and cost per unit are null, with
    ``values_hidden: true``, for components whose money you may not see. Constant queries."""
    year = params.year or services.today().year
    queryset = Component.objects.restrict(request.auth, "view").order_by("name", "pk")
    if params.component:
        queryset = queryset.filter(slug=params.component)
    if params.category:
        queryset = queryset.filter(category__slug=params.category) | queryset.filter(
            category__parent__slug=params.category)
    count = queryset.count()
    keys = list(queryset.values_list("pk", flat=True)[page.offset: page.offset + page.limit])
    found = investments(year, component_ids=keys) if keys else {}
    visible = money_component_ids(request.auth)
    items = [_investment_row(found[pk], visible is None or pk in visible) for pk in keys if pk in found]
    return {"count": count, "items": items}
