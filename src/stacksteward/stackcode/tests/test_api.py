"""API: GET /api/export (file download), POST /api/import (the report as JSON, 422 with errors)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stacksteward.catalog.models import Component
from stacksteward.stackcode.exporter import export_stack

from .conftest import row_counts
from .test_import_rules import EXAMPLE


def post_file(client, name, content, **data):
    return client.post("/api/import", {"file": SimpleUploadedFile(name, content), **data})


def test_anonymous_gets_401_on_both_operations(client):
    assert client.get("/api/export").status_code == 401
    assert post_file(client, "stack.yaml", EXAMPLE).status_code == 401


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("yaml", "application/yaml"), ("csv", "application/zip"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_viewer_exports_every_format(viewer_api, viewer, stack, fmt, content_type):
    response = viewer_api.get("/api/export", {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content == export_stack(fmt, for_user=viewer)  # without the money columns


def test_export_defaults_to_yaml_and_refuses_unknown_formats(viewer_api):
    assert viewer_api.get("/api/export").content.startswith(b"apiVersion: stacksteward/v1\n")
    response = viewer_api.get("/api/export", {"format": "pdf"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


def test_viewer_may_not_import(viewer_api):
    response = post_file(viewer_api, "stack.yaml", EXAMPLE)
    assert response.status_code == 403
    assert response.json()["detail"] == "Importing needs the editor role."
    assert Component.objects.count() == 0


def test_editor_dry_run_returns_the_report_and_writes_nothing(editor_api):
    before = row_counts()
    response = post_file(editor_api, "stack.yaml", EXAMPLE, dry_run="true")

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["ok"] is True
    assert body["counts"]["created"]["components"] == 2
    assert [item["key"] for item in body["created"]["components"]] == ["crm", "mailer"]
    assert row_counts() == before


def test_editor_import_writes_and_reports_changes(editor_api, editor, stack):
    text = export_stack("yaml").decode().replace("  tier: 1\n", "  tier: 4\n", 1)

    response = post_file(editor_api, "stack.yaml", text.encode())

    assert response.status_code == 200
    body = response.json()
    assert body["changed"]["components"] == [
        {"key": "hubspot-crm", "fields": {"tier": {"before": 1, "after": 4}}, "note": None}
    ]
    assert body["nothing_to_change"] is False
    assert Component.objects.get(slug="hubspot-crm").tier == 4
    again = post_file(editor_api, "stack.yaml", text.encode()).json()
    assert again["nothing_to_change"] is True


def test_import_with_errors_answers_422_listing_every_error(editor_api):
    content = b"Tool,Annual cost,Contains PII\nCRM,twelve,maybe\n"

    response = post_file(editor_api, "inventory.csv", content)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "inventory.csv has 2 errors; nothing was imported."
    first = body["errors"][0]
    assert first["field"] == "Annual cost" and first["row"] == 2 and first["value"] == "twelve"
    assert first["message"] == 'inventory.csv row 2, column "Annual cost": "twelve" is not an amount.'
    assert first["problem"] == '"twelve" is not an amount.'
    assert body["errors"][1]["column"] == "Contains PII"
    assert Component.objects.count() == 0


def test_import_of_an_unreadable_file_answers_422(editor_api):
    response = post_file(editor_api, "stack.docx", b"hello")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_import_without_a_file_answers_422(editor_api):
    response = editor_api.post("/api/import", {})
    assert response.status_code == 422


def test_openapi_declares_the_error_responses(admin_api):
    schema = admin_api.get("/api/openapi.json").json()
    export_op = schema["paths"]["/api/export"]["get"]
    import_op = schema["paths"]["/api/import"]["post"]
    assert {"200", "401", "422"} <= set(export_op["responses"])
    assert "application/zip" in export_op["responses"]["200"]["content"]
    assert {"200", "401", "403", "422"} <= set(import_op["responses"])
    assert export_op["operationId"] == "export_stack" and import_op["operationId"] == "import_stack"
