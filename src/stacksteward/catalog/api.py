"""API for the catalog: the declared resources (``resources.py``) plus health and impact."""

import json

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from stacksteward.core.api import visible_audit_entries
from stacksteward.core.api_support import PageParams, errors, fetch_or_404, page_schema, paginate
from stacksteward.core.audit import history_for
from stacksteward.core.permissions import require_perm
from stacksteward.core.resources import add_routes
from stacksteward.core.schemas import AuditEntryOut

from .health import catalog_health, summary
from .impact import component_impact_data
from .models import Component
from .resources import RESOURCES
from .schemas import CatalogHealthOut, ImpactOut

router = Router(tags=["catalog"])
for resource in RESOURCES:
    add_routes(router, resource)

class ImpactParams(Schema):
    max_depth: int | None = Field(None, ge=1, description="Stop this many relations away (default: no limit).")
    limit: int = Field(1000, ge=1, le=20000, description="Rows per direction, nearest first.")
    offset: int = Field(0, ge=0, description="Rows to skip in each direction.")


@router.get("/components/{slug}/impact", response={200: ImpactOut, **errors(401, 404, 422)})
def get_component_impact(request, slug: str, params: Query[ImpactParams]):
    """Downstream (impacted when it changes or fails) and upstream (what it needs), each with its path."""
    component = fetch_or_404(Component.objects.restrict(request.auth, "view"), slug=slug)
    data = component_impact_data(component, max_depth=params.max_depth, limit=params.limit, offset=params.offset)
    # Plain data of the declared ImpactOut shape (tests check it), written straight to JSON: ninja's
    # response wrapper would walk every row of a large answer with its ORM-aware validator.
    return HttpResponse(json.dumps(data, separators=(",", ":")), content_type="application/json")


@router.get("/components/{slug}/history", response={200: page_schema(AuditEntryOut), **errors(401, 404, 422)})
def list_component_history(request, slug: str, page: Query[PageParams]):
    """Audit entries about the component and its relations and RACI, newest first."""
    component = fetch_or_404(Component.objects.restrict(request.auth, "view"), slug=slug)
    return paginate(visible_audit_entries(request.auth, history_for(component)), page)


# Catalog health --------------------------------------------------------------------------------


@router.get("/catalog/health", response={200: CatalogHealthOut, **errors(401)})
def get_catalog_health(request):
    """Findings to act on: missing owners, contested RACI, shadow IT, retired but needed, defunct vendors…"""
    require_perm(request.auth, "view", Component)
    findings = catalog_health()
    return {"count": len(findings), "summary": summary(findings), "findings": findings}
