"""Inventory spreadsheets: extra cells are a warning naming the row; a name that looks like a tool in the
catalog is a suggestion with its score, used only when confirmed; limits on text and dates name row and field."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from stacksteward.catalog.models import Component, Relation
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("test")


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tools"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


# Extra cells ----------------------------------------------------------------------------------


def test_inventory_xlsx_row_with_more_cells_than_the_header_warns_naming_the_row():
    content = xlsx([["Tool", "Vendor"], ["Canva", "Canva Pty"], ["Miro", "Miro Inc.", "oops", None, "stray"]])

    report = import_file("tools.xlsx", content, actor=ACTOR, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    [warning] = report.warnings
    assert (warning.sheet, warning.row) == ("Tools", 3)
    assert warning.message == ('2 filled cells to the right of the header\'s 2 columns ("oops", "stray") were '
                               'not read.')
    assert 'Warning: tools.xlsx sheet "Tools" row 3: 2 filled cells' in "\n".join(report.summary_lines())
    assert Component.objects.filter(name__in=["Canva", "Miro"]).count() == 2  # a warning stops nothing


def test_inventory_csv_without_extra_cells_has_no_warning():
    report = import_file("tools.csv", csv(["Tool,Vendor", "Canva,Canva Pty", "Miro,Miro Inc.,,"]), actor=ACTOR,
                         dry_run=True)
    assert report.ok and report.warnings == []


# Suggestions ----------------------------------------------------------------------------------


@pytest.fixture
def sales_cloud():
    return ComponentFactory(name="Salesforce Sales Cloud", slug="salesforce-sales-cloud")


INTEGRATES = ["Tool,Integrates with", "Outreach,Salesforce"]


def test_inventory_suggests_a_similar_component_with_its_score_and_creates_the_placeholder_only_unconfirmed(
        sales_cloud):
    report = import_file("tools.csv", csv(INTEGRATES), actor=ACTOR, dry_run=False)

    assert report.ok
    [suggestion] = report.suggestions
    assert (suggestion.name, suggestion.match, suggestion.match_key) == ("Salesforce", "Salesforce Sales Cloud",
                                                                         "salesforce-sales-cloud")
    assert suggestion.score == 90  # rapidfuzz WRatio: a full partial match, weighted 0.9
    assert (suggestion.where.row, suggestion.where.column, suggestion.accepted) == (2, "Integrates with", False)
    assert ('Suggestion: tools.csv row 2, column "Integrates with": "Salesforce" may be the component '
            '“Salesforce Sales Cloud” (match score 90).') in report.summary_lines()
    assert Component.objects.filter(name="Salesforce").exists()  # not confirmed: the placeholder, reported


def test_inventory_confirmed_match_links_the_existing_component_and_creates_no_placeholder(sales_cloud):
    report = import_file("tools.csv", csv(INTEGRATES), actor=ACTOR, dry_run=False,
                         matches={"Salesforce": "salesforce-sales-cloud"})

    assert report.ok
    assert [s.accepted for s in report.suggestions] == [True]
    assert not Component.objects.filter(name="Salesforce").exists()
    outreach = Component.objects.get(name="Outreach")
    assert Relation.objects.filter(source=outreach, target=sales_cloud, type="data_flow").exists()


def test_inventory_confirmed_match_for_a_row_updates_the_existing_tool(sales_cloud):
    report = import_file("tools.csv", csv(["Tool,Seats", "salesforce,40"]), actor=ACTOR, dry_run=False,
                         matches={"Salesforce": "salesforce-sales-cloud"})

    assert report.ok
    sales_cloud.refresh_from_db()
    assert sales_cloud.seats_purchased == 40 and sales_cloud.name == "Salesforce Sales Cloud"
    assert not Component.objects.filter(name__iexact="salesforce").exists()


def test_inventory_no_suggestion_for_unlike_names(sales_cloud):
    report = import_file("tools.csv", csv(["Tool,Integrates with", "Outreach,Marketo"]), actor=ACTOR, dry_run=True)
    assert report.ok and report.suggestions == []


def test_import_preview_shows_the_warning_naming_the_row(editor_client):
    upload = io.BytesIO(csv(["Tool,Vendor", "Miro,Miro Inc.,stray"]))
    upload.name = "tools.csv"
    html = editor_client.post(reverse("stackcode:import"), {"file": upload}).content.decode()
    assert re.search(r'data-testid="import-warnings".*Row 2:</strong> 1 filled cell to the right of the header&#x27;s '
                     r'2 columns \(&quot;stray&quot;\) was not read\.', html, re.DOTALL)
    assert 'data-testid="confirm-form"' in html  # a warning does not stop the import


def test_import_preview_shows_the_suggestion_and_imports_what_the_confirmed_preview_showed(
        editor_client, sales_cloud):
    upload = io.BytesIO(csv(INTEGRATES))
    upload.name = "tools.csv"
    preview = editor_client.post(reverse("stackcode:import"), {"file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Salesforce Sales Cloud" in html and "90&thinsp;/&thinsp;100" in html
    assert 'name="match" value="0"' in html and "checked" not in html.split('name="match" value="0"')[1][:40]
    ids = dict(re.findall(r'name="(upload_id|sha256)" value="([^"]+)"', html))

    # ticking the match and pressing Import first shows the preview with the match, writes nothing
    again = editor_client.post(reverse("stackcode:import_confirm"), {**ids, "match": "0", "action": "import"})
    assert again.status_code == 200 and "The preview now uses the matches you ticked" in again.content.decode()
    assert not Component.objects.filter(name="Outreach").exists()
    assert 'value="0" id="match-0" aria-label="Use Salesforce Sales Cloud for Salesforce" checked' in \
        again.content.decode()

    done = editor_client.post(reverse("stackcode:import_confirm"), {**ids, "match": "0", "action": "import"})
    assert done.status_code == 200
    assert not Component.objects.filter(name="Salesforce").exists()
    assert Relation.objects.filter(source__name="Outreach", target=sales_cloud).exists()


def test_import_api_takes_matches_and_reports_suggestions(editor_api, sales_cloud):
    def post(**data):
        return editor_api.post("/api/import", {"file": SimpleUploadedFile("tools.csv", csv(INTEGRATES)), **data})

    preview = post(dry_run="true")
    assert preview.status_code == 200
    [suggestion] = preview.json()["suggestions"]
    assert (suggestion["match_key"], suggestion["score"], suggestion["accepted"]) == ("salesforce-sales-cloud", 90,
                                                                                       False)
    done = post(matches='{"Salesforce": "salesforce-sales-cloud"}')
    assert done.status_code == 200 and done.json()["suggestions"][0]["accepted"] is True
    assert not Component.objects.filter(name="Salesforce").exists()
    bad = post(matches="[1, 2]")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "matches"


# Limits ---------------------------------------------------------------------------------------


def test_inventory_too_long_name_and_far_dates_name_row_and_column_nothing_written():
    before = row_counts()
    content = xlsx([["Tool", "Renewal date", "Notes"],
                    ["T" * 151, "2027-03-31", "fine"],
                    ["Canva", "9999-12-31", "x" * 20_001],
                    ["Miro", "0001-01-01", ""]])

    report = import_file("tools.xlsx", content, actor=ACTOR, dry_run=False)

    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(2, "Tool")].endswith("Name is too long: at most 150 characters (it has 151).")
    assert found[(3, "Renewal date")].endswith("Renewal date must be between 1 January 2000 and 31 December 2100; "
                                               "31 December 9999 is outside that range.")
    assert found[(3, "Notes")].endswith("Description is too long: at most 20,000 characters (it has 20,001).")
    assert found[(4, "Renewal date")].endswith("1 January 1 is outside that range.")
    assert row_counts() == before
    assert not AuditEntry.objects.exists()


def test_inventory_control_characters_name_row_and_column_nothing_written_tabs_in_notes_kept():
    before = row_counts()
    content = csv(["Tool,Notes", "Can\x00va,fine", 'Miro,"Ring\x07"', 'Figma,"first\tline\nsecond"'])

    report = import_file("tools.csv", content, actor=ACTOR, dry_run=False)

    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(2, "Tool")].endswith("Name contains a control character (U+0000); remove it."), found
    assert found[(3, "Notes")].endswith("Description contains a control character (U+0007); remove it."), found
    assert not any(row == 4 for row, _column in found), found
    assert row_counts() == before
    assert not AuditEntry.objects.exists()
