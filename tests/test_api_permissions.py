"""Permissions across the whole API, walked from the OpenAPI document.

Anonymous callers get 401 on every operation but /api/health; a viewer reads everything and
is refused (403) every delete; nothing answers 5xx.
"""

import re

import pytest
from django.test import Client

from stacksteward.api import api
from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory, RelationFactory
from stacksteward.changes.models import MeetingSeries
from stacksteward.changes.tests.factories import CalendarEventFactory, ChangeRequestFactory, at
from stacksteward.finance.models import (
    Budget,
    ContractDocument,
    CostEntry,
    Criterion,
    Kpi,
    Objective,
    Selection,
    SelectionCandidate,
    SuccessFactor,
)
from stacksteward.finance.tests.factories import ContractFactory
from stacksteward.intake.tests.factories import (
    BacklogItemFactory,
    CapabilityFactory,
    IterationFactory,
    MilestoneFactory,
    RequestFactory,
)
from stacksteward.org.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(path, method) for path, methods in SCHEMA["paths"].items() for method in methods]


def fill(path: str, values: dict | None = None) -> str:
    values = values or {}
    return re.sub(r"{(\w+)}", lambda m: str(values.get(path, {}).get(m.group(1), "1" if m.group(1) == "id" else "x")),
                  path)


def call(client, method: str, url: str):
    if method in {"get", "delete"}:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data={}, content_type="application/json")


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_anonymous_call_answers_401(path, method):
    response = call(Client(enforce_csrf_checks=True), method, fill(path))
    if path == "/api/health":
        assert response.status_code == 200
    else:
        assert response.status_code == 401, f"{method.upper()} {path} → {response.status_code}"
        assert set(response.json()) == {"detail", "errors"}


GUARDED = [(p, m) for p, m in OPERATIONS if p != "/api/health"]


@pytest.mark.parametrize(("path", "method"), GUARDED, ids=[f"{m.upper()} {p}" for p, m in GUARDED])
def test_invalid_token_answers_401(path, method):
    client = Client(headers={"Authorization": "Bearer sst_forged"})
    assert call(client, method, fill(path)).status_code == 401


@pytest.fixture
def one_of_everything(viewer):
    component = ComponentFactory(slug="x")
    relation = RelationFactory(source=component)
    raci = RaciAssignmentFactory(component=component)
    department = DepartmentFactory(slug="x")
    capability = CapabilityFactory()
    request = RequestFactory(capability=capability)
    iteration = IterationFactory()
    milestone = MilestoneFactory(roadmap=iteration.roadmap)
    item = BacklogItemFactory(request=request, iteration=iteration)
    change = ChangeRequestFactory(components=[component], status="draft")
    event = CalendarEventFactory()
    series = MeetingSeries.objects.create(name="CAB", weekday=1, time="10:00", timezone="UTC",
                                          starts_on=at(0).date())
    meeting = series.meetings.create(title="CAB", starts_at=at(1, 10), ends_at=at(1, 11))
    contract = ContractFactory(vendor=component.vendor, components=[component], status="draft")
    document = ContractDocument.objects.create(contract=contract, title="Order form", url="https://example.com/o")
    selection = Selection.objects.create(title="Webinar platform")
    candidate = SelectionCandidate.objects.create(selection=selection, name="Alpha")
    criterion = Criterion.objects.create(selection=selection, department=department, name="Fit", weight=1)
    objective = Objective.objects.create(name="Grow pipeline", period_start=at(0).date(), period_end=at(300).date())
    factor = SuccessFactor.objects.create(objective=objective, name="Lead quality")
    kpi = Kpi.objects.create(name="Leads", slug="leads", definition="MQLs", unit="leads")
    cost = CostEntry.objects.create(component=component, year=2027, kind="services", amount=100, currency="USD")
    budget = Budget.objects.create(year=2027, component=component, amount=1000, currency="USD")
    return {
        "/api/contracts/{id}": {"id": contract.pk},
        "/api/contracts/{id}/documents": {"id": contract.pk},
        "/api/contract-documents/{id}": {"id": document.pk},
        "/api/selections/{id}": {"id": selection.pk},
        "/api/selections/{id}/candidates": {"id": selection.pk},
        "/api/selections/{id}/criteria": {"id": selection.pk},
        "/api/selections/{id}/scores": {"id": selection.pk},
        "/api/selections/{id}/scorecard": {"id": selection.pk},
        "/api/selection-candidates/{id}": {"id": candidate.pk},
        "/api/selection-criteria/{id}": {"id": criterion.pk},
        "/api/objectives/{id}": {"id": objective.pk},
        "/api/objectives/{id}/success-factors": {"id": objective.pk},
        "/api/success-factors/{id}": {"id": factor.pk},
        "/api/kpis/{slug}": {"slug": kpi.slug},
        "/api/kpis/{slug}/measurements": {"slug": kpi.slug},
        "/api/cost-entries/{id}": {"id": cost.pk},
        "/api/budgets/{id}": {"id": budget.pk},
        "/api/capabilities/{slug}": {"slug": capability.slug},
        "/api/requests/{id}": {"id": request.pk},
        "/api/backlog-items/{id}": {"id": item.pk},
        "/api/roadmaps/{slug}": {"slug": iteration.roadmap.slug},
        "/api/iterations/{id}": {"id": iteration.pk},
        "/api/milestones/{id}": {"id": milestone.pk},
        "/api/change-requests/{id}": {"id": change.pk},
        "/api/calendar-events/{id}": {"id": event.pk},
        "/api/meeting-series/{id}": {"id": series.pk},
        "/api/meetings/{id}": {"id": meeting.pk},
        "/api/departments/{slug}": {"slug": department.slug},
        "/api/people/{id}": {"id": component.business_owner_id},
        "/api/vendors/{slug}": {"slug": component.vendor.slug},
        "/api/components/{slug}": {"slug": component.slug},
        "/api/components/{slug}/impact": {"slug": component.slug},
        "/api/components/{slug}/history": {"slug": component.slug},
        "/api/relations/{id}": {"id": relation.pk},
        "/api/raci-assignments/{id}": {"id": raci.pk},
        "/api/categories/{slug}": {"slug": "data"},
    }


READS = [(p, m) for p, m in OPERATIONS if m == "get"]
# Anyone may revoke their own tokens and stop watching a request: those deletes are not the viewer's to be refused.
OWN_THINGS = {"/api/tokens/{id}", "/api/requests/{id}/watch"}
DELETES = [(p, m) for p, m in OPERATIONS if m == "delete" and p not in OWN_THINGS]


@pytest.mark.parametrize(("path", "method"), READS, ids=[p for p, _m in READS])
def test_viewer_reads_every_operation(path, method, viewer_api, one_of_everything):
    response = viewer_api.get(fill(path, one_of_everything))
    expected = {200} if "{" not in path or path in one_of_everything else {200, 404}
    assert response.status_code in expected, f"GET {path} → {response.status_code}"


@pytest.mark.parametrize(("path", "method"), DELETES, ids=[p for p, _m in DELETES])
def test_viewer_delete_answers_403(path, method, viewer_api, one_of_everything):
    assert path in one_of_everything, f"add an object for {path} to one_of_everything"
    response = viewer_api.delete(fill(path, one_of_everything))
    assert response.status_code == 403, f"DELETE {path} → {response.status_code}"
