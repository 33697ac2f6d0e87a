"""OpenAPI regression: the document is valid and every operation declares the errors it can give."""

import json
import re

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from stacksteward.api import api

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR_SCHEMAS = {"#/components/schemas/ErrorOut", "#/components/schemas/ConflictOut"}


@pytest.fixture
def schema(viewer_api):
    response = viewer_api.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_openapi_document_is_valid(schema):
    validate(schema)
    assert schema["info"]["title"] == "Stack Steward API"


def test_openapi_document_needs_authentication(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 401
    assert response.json()["errors"] == []
    assert client.get("/api/docs").status_code == 401


def test_security_schemes_are_token_and_session(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_every_operation_but_health_requires_auth_and_declares_401(schema):
    for path, method, operation in operations(schema):
        if path == "/api/health":
            assert "security" not in operation
            continue
        assert operation.get("security"), f"{method.upper()} {path} has no security"
        assert "401" in operation["responses"], f"{method.upper()} {path} does not declare 401"


def test_write_operations_declare_403_404_409_422_as_applicable(schema):
    for path, method, operation in operations(schema):
        if method not in WRITE_METHODS:
            continue
        declared = set(operation["responses"])
        name = f"{method.upper()} {path}"
        assert {"401", "403", "422"} <= declared, f"{name} declares only {sorted(declared)}"
        if "{" in path:
            assert "404" in declared, f"{name} does not declare 404"
        if method in {"put", "patch"}:
            assert "409" in declared, f"{name} does not declare 409"
            body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            assert "version" in schema["components"]["schemas"][body]["required"], f"{name} body lacks version"
        params = {p["name"] for p in operation.get("parameters", [])}
        if method == "delete" and "version" in params:
            assert "409" in declared, f"{name} takes ?version= but does not declare 409"


def test_reads_by_key_declare_404(schema):
    for path, method, operation in operations(schema):
        if method == "get" and "{" in path:
            assert "404" in operation["responses"], f"GET {path} does not declare 404"


def _schema_of(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_error_responses_use_the_error_format(schema):
    """Every 4xx body is ErrorOut or extends it: detail plus errors of {field, message}."""
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if not status.startswith("4"):
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"]
            body = _schema_of(schema, ref)
            name = f"{method.upper()} {path} {status}"
            assert {"detail", "errors"} <= set(body["properties"]), f"{name} answers {ref}"
            item = _schema_of(schema, body["properties"]["errors"]["items"]["$ref"])
            assert {"field", "message"} <= set(item["properties"]), f"{name}: error items lack field/message"
            if status == "409":
                assert ref in ERROR_SCHEMAS, f"{name} answers {ref}"
    conflict = schema["components"]["schemas"]["ConflictOut"]["properties"]
    assert {"detail", "errors", "current_version"} <= set(conflict)


def test_operation_ids_are_unique_and_double_as_url_names(schema):
    seen = set()
    for path, method, operation in operations(schema):
        operation_id = operation["operationId"]
        assert operation_id not in seen, f"duplicate operation id {operation_id}"
        seen.add(operation_id)
        kwargs = {name: ("1" if name == "id" else "x") for name in re.findall(r"{(\w+)}", path)}
        expected = re.sub(r"{(\w+)}", lambda m: kwargs[m.group(1)], path)
        assert reverse(f"api:{operation_id}", kwargs=kwargs) == expected, operation_id


def test_paths_are_plural_kebab_case(schema):
    for path in schema["paths"]:
        for segment in path.strip("/").split("/"):
            assert re.fullmatch(r"[a-z0-9-]+|{\w+}", segment), f"{path}: '{segment}' is not kebab-case"


def test_list_operations_paginate(schema):
    lists = [(p, o) for p, m, o in operations(schema) if o["operationId"].startswith("list_")]
    assert len(lists) >= 12
    for path, operation in lists:
        params = {p["name"] for p in operation.get("parameters", [])}
        assert {"limit", "offset"} <= params, f"{path} is not paginated"
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(schema["components"]["schemas"][ref]["properties"]) == {"count", "items"}


def test_list_operations_document_their_filters(schema):
    components = schema["paths"]["/api/components"]["get"]
    params = {p["name"] for p in components["parameters"]}
    assert {"q", "kind", "lifecycle", "vendor", "category", "owner", "tag", "ordering"} <= params


def test_crud_operation_names(schema):
    ids = {o["operationId"] for _p, _m, o in operations(schema)}
    for model, plural in [("department", "departments"), ("person", "people"), ("vendor", "vendors"),
                          ("category", "categories"), ("component", "components"), ("relation", "relations"),
                          ("raci_assignment", "raci_assignments")]:
        assert {f"list_{plural}", f"get_{model}", f"create_{model}", f"update_{model}", f"patch_{model}",
                f"delete_{model}"} <= ids


def test_schema_generated_in_process_matches_served_document(schema):
    assert set(api.get_openapi_schema()["paths"]) == set(schema["paths"])


def test_docs_page_works_without_internet(viewer_client):
    """The Swagger UI page loads its script, styles and icons from the project's own static files: no CDN,
    no validator badge from swagger.io."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = viewer_client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    external = [u for u in urls if re.match(r"^(?:[a-z]+:)?//", u)]
    assert external == [], f"the docs page loads {external}"
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    prefix = static("")
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert static(name) in urls
        assert finders.find(name), f"{name} is not installed with the project"
    assert all(u.startswith(prefix) for u in urls)
    settings_json = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S)
    swagger = json.loads(settings_json.group(1))
    assert swagger["validatorUrl"] is None
    assert swagger["url"] == reverse("api:openapi-json")
    # and the files are served
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css"):
        served = viewer_client.get(static(name))
        assert served.status_code == 200, name
