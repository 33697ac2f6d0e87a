"""Web UI: export downloads for every role, upload → preview → confirm for editors."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stacksteward.catalog.models import Component
from stacksteward.core.models import AuditEntry
from stacksteward.stackcode.exporter import export_stack
from stacksteward.stackcode.views import SESSION_KEY

from .conftest import row_counts
from .test_import_rules import EXAMPLE

INDEX = reverse("stackcode:index")
EXPORT = reverse("stackcode:export")
IMPORT = reverse("stackcode:import")
CONFIRM = reverse("stackcode:import_confirm")


def upload(client, name, content):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_anonymous_is_sent_to_login(client):
    for url in (INDEX, EXPORT, IMPORT):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_viewer_sees_export_links_but_no_import(viewer_client):
    response = viewer_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{EXPORT}?format=xlsx" in html
    assert "Importing needs the editor role" in html


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("yaml", "application/yaml"), ("csv", "application/zip"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_viewer_downloads_every_format(viewer_client, viewer, stack, fmt, content_type):
    response = viewer_client.get(EXPORT, {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="stack-')
    assert response.content == export_stack(fmt, for_user=viewer)


def test_export_with_unknown_format_says_so(viewer_client):
    response = viewer_client.get(EXPORT, {"format": "pdf"}, follow=True)
    assert "“pdf” is not an export format" in response.content.decode()


def test_viewer_may_not_import(viewer_client):
    assert viewer_client.get(IMPORT).status_code == 403
    assert upload(viewer_client, "stack.yaml", EXAMPLE).status_code == 403
    assert viewer_client.post(CONFIRM, {"upload_id": "x", "sha256": "0" * 64}).status_code == 403
    assert Component.objects.count() == 0


def test_editor_upload_shows_preview_and_writes_nothing(editor_client):
    before = row_counts()

    response = upload(editor_client, "stack.yaml", EXAMPLE)

    assert response.status_code == 200
    assert row_counts() == before
    html = response.content.decode()
    assert 'data-testid="import-preview"' in html
    assert "Would create: 2 departments, 3 people, 1 vendor, 1 category, 2 components" in html
    assert 'data-testid="confirm-form"' in html
    stored = editor_client.session[SESSION_KEY]
    assert stored["sha256"] == hashlib.sha256(EXAMPLE).hexdigest()
    assert f'value="{stored["id"]}"' in html


def test_editor_confirm_imports_the_previewed_file(editor_client, editor):
    upload(editor_client, "stack.yaml", EXAMPLE)
    stored = editor_client.session[SESSION_KEY]

    response = editor_client.post(CONFIRM, {"upload_id": stored["id"], "sha256": stored["sha256"]})

    assert response.status_code == 200
    assert "Created: 2 departments" in response.content.decode()
    assert Component.objects.count() == 2
    assert set(AuditEntry.objects.values_list("source", "actor")) == {("import", editor.pk)}
    assert SESSION_KEY not in editor_client.session


def test_confirm_refuses_a_different_file_hash(editor_client):
    upload(editor_client, "stack.yaml", EXAMPLE)
    stored = editor_client.session[SESSION_KEY]

    response = editor_client.post(CONFIRM, {"upload_id": stored["id"], "sha256": "f" * 64}, follow=True)

    assert "The file is not the one you previewed" in response.content.decode()
    assert Component.objects.count() == 0


def test_confirm_without_a_pending_upload_asks_to_upload_again(editor_client):
    response = editor_client.post(CONFIRM, {"upload_id": "nope", "sha256": "0" * 64}, follow=True)
    assert "Upload the file again" in response.content.decode()
    assert Component.objects.count() == 0


def test_preview_of_a_file_with_errors_lists_them_and_offers_no_confirm(editor_client):
    content = b"Tool,Annual cost,Renewal date\nCRM,twelve,2027-02-31\n"

    response = upload(editor_client, "inventory.csv", content)

    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "2 errors" in html
    assert "row 2" in html and "Annual cost" in html and "&quot;twelve&quot; is not an amount." in html
    assert "&quot;2027-02-31&quot; is not a date." in html
    assert 'data-testid="confirm-form"' not in html
    assert Component.objects.count() == 0


def test_preview_of_an_inventory_lists_matched_and_ignored_columns(editor_client):
    response = upload(editor_client, "inventory.csv", b"Tool,Supplier,Colour\nCRM,Acme,red\n")
    html = response.content.decode()
    assert 'data-testid="import-columns"' in html
    assert "Supplier</td><td>Vendor" in html
    assert "Colour</td><td class=\"muted\">ignored" in html


def test_preview_of_an_already_imported_file_says_nothing_to_change(editor_client, stack):
    response = upload(editor_client, "stack.yaml", export_stack("yaml"))
    html = response.content.decode()
    assert "Nothing to change" in html
    assert 'data-testid="confirm-form"' not in html


@pytest.mark.parametrize(("name", "content", "message"), [
    ("stack.pdf", b"%PDF-1.4", "is not a file type Stack Steward reads"),
    ("stack.yaml", b"", "The submitted file is empty."),
    ("stack.yaml", b"   \n", "is empty."),
    ("inventory.csv", "Tool\nCaf\xe9\n".encode("latin-1"), "is not UTF-8 text"),
    ("inventory.xlsx", b"this is no workbook", "is not a readable Excel workbook"),
    ("stack.zip", b"PK\x03\x04broken", "is not a readable zip file"),
])
def test_upload_of_an_unreadable_file_answers_a_clear_message(editor_client, name, content, message):
    response = upload(editor_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SESSION_KEY not in editor_client.session


def test_preview_names_fields_and_amounts_as_people_read_them(editor_client, stack):
    text = export_stack("yaml").decode()
    assert "annual_cost: '12000.50'" in text
    response = upload(editor_client, "stack.yaml", text.replace("annual_cost: '12000.50'", "annual_cost: '48000.00'")
                      .encode())
    html = response.content.decode()
    changes = html[html.index('data-testid="import-changes"'):]
    changes = changes[:changes.index("</table>")]
    assert "Annual cost" in changes and "annual_cost" not in changes
    assert "12,000.50" in changes and "48,000.00" in changes


def test_preview_of_an_inventory_names_the_fields_its_columns_are_read_as(editor_client):
    html = upload(editor_client, "inventory.csv", b"Tool,Supplier,Renewal date\nCRM,Acme,2027-01-31\n").content.decode()
    assert "Supplier</td><td>Vendor" in html and "Renewal date</td><td>Renewal date" in html
