"""Permissions across the whole API, walked from the OpenAPI document.

Anonymous callers get 401 on every operation but /api/health; a viewer reads everything and
is refused (403) every delete; nothing answers 5xx.
"""

import re

import pytest
from django.test import Client

from stacksteward.api import api
from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory, RelationFactory
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
    return {
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
DELETES = [(p, m) for p, m in OPERATIONS if m == "delete" and p != "/api/tokens/{id}"]  # own tokens are revocable


@pytest.mark.parametrize(("path", "method"), READS, ids=[p for p, _m in READS])
def test_viewer_reads_every_operation(path, method, viewer_api, one_of_everything):
    response = viewer_api.get(fill(path, one_of_everything))
    expected = {200} if "{" not in path or path in one_of_everything else {200, 404}
    assert response.status_code in expected, f"GET {path} → {response.status_code}"


@pytest.mark.parametrize(("path", "method"), DELETES, ids=[p for p, _m in DELETES])
def test_viewer_delete_answers_403(path, method, viewer_api, one_of_everything):
    if path not in one_of_everything:
        pytest.skip(f"no fixture object for {path}")
    response = viewer_api.delete(fill(path, one_of_everything))
    assert response.status_code == 403, f"DELETE {path} → {response.status_code}"
