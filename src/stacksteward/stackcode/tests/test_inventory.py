"""The inventory spreadsheet a marketing team already keeps: synonyms, typed values, creating what is missing."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook

from stacksteward.catalog.models import Category, Component, Relation, Vendor
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.org.models import Person
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts

INVENTORY_CSV = "\n".join([
    "Application,Supplier,Category,Marketing owner,IT contact,Price (USD),Renewal,PII?,Connected to,Notes,Website,"
    "Licenses,Internal code",
    'HubSpot,HubSpot Inc.,CRM,Jane Doe <jane@example.com>,it.team@example.com,"$12,000",2027-03-31,Yes,'
    '"Mailchimp; Looker, Snowflake",Main CRM,hubspot.com,50,X1',
    "Mailchimp,Intuit,Email Marketing,jane doe,,12000 USD,31/03/2027,Y,,,,,X2",
    'Looker,Google,Business Intelligence & Data Science,Marco Rossi,,"€1.200,50","March 31, 2027",no,,,,,',
    "Canva,Canva,Design,,,12k,31 Mar 2027,x,Mailchimp,,,,",
]) + "\n"


def import_inventory(name, content, actor=SystemActor("test"), dry_run=False):
    if isinstance(content, str):
        content = content.encode()
    return import_file(name, content, actor=actor, dry_run=dry_run)


def test_inventory_csv_matches_synonyms_and_reports_matched_and_ignored_columns(db):
    report = import_inventory("inventory.csv", INVENTORY_CSV)

    assert report.ok, [str(e) for e in report.errors]
    assert report.format == "inventory spreadsheet, CSV"
    assert report.columns_matched == {
        "Application": "tool", "Supplier": "vendor", "Category": "category", "Marketing owner": "business owner",
        "IT contact": "technical owner", "Price (USD)": "annual cost", "Renewal": "renewal date",
        "PII?": "personal data", "Connected to": "integrates with", "Notes": "description", "Website": "URL",
        "Licenses": "seats",
    }
    assert report.columns_ignored == ["Internal code"]
    assert any(line.startswith("Columns ignored: Internal code") for line in report.summary_lines())


def test_inventory_csv_reads_values_the_way_people_type_them(db):
    import_inventory("inventory.csv", INVENTORY_CSV)

    hubspot = Component.objects.get(name="HubSpot")
    assert (hubspot.annual_cost, hubspot.currency) == (Decimal("12000.00"), "USD")
    assert hubspot.renewal_date == datetime.date(2027, 3, 31)
    assert [dc.key for dc in hubspot.data_categories.all()] == ["user.contact"]
    assert hubspot.url == "https://hubspot.com"
    assert hubspot.seats_purchased == 50
    assert hubspot.description == "Main CRM"
    mailchimp = Component.objects.get(name="Mailchimp")
    assert (mailchimp.annual_cost, mailchimp.currency) == (Decimal("12000.00"), "USD")
    assert mailchimp.renewal_date == datetime.date(2027, 3, 31)
    looker = Component.objects.get(name="Looker")
    assert (looker.annual_cost, looker.currency) == (Decimal("1200.50"), "EUR")
    assert looker.renewal_date == datetime.date(2027, 3, 31)
    assert not looker.data_categories.exists()
    canva = Component.objects.get(name="Canva")
    assert canva.annual_cost == Decimal("12000.00")
    assert canva.renewal_date == datetime.date(2027, 3, 31)
    assert canva.data_categories.filter(is_personal=True).exists()


def test_inventory_creates_missing_vendors_people_categories_and_reports_them(db):
    report = import_inventory("inventory.csv", INVENTORY_CSV)

    assert sorted(c.key for c in report.created["vendors"]) == ["Canva", "Google", "HubSpot Inc.", "Intuit"]
    assert sorted(c.key for c in report.created["people"]) == ["Marco Rossi", "it.team@example.com",
                                                               "jane@example.com"]
    assert [c.key for c in report.created["categories"]] == ["Design"]
    hubspot = Component.objects.get(name="HubSpot")
    assert hubspot.vendor.name == "HubSpot Inc."
    assert (hubspot.business_owner.name, hubspot.business_owner.email) == ("Jane Doe", "jane@example.com")
    assert (hubspot.technical_owner.name, hubspot.technical_owner.email) == ("It Team", "it.team@example.com")
    # "jane doe" on the Mailchimp row is the Jane Doe created on the HubSpot row (names match case-insensitively)
    assert Component.objects.get(name="Mailchimp").business_owner == hubspot.business_owner
    assert Person.objects.filter(name__iexact="jane doe").count() == 1
    # an existing category is found by name; a new one is created
    assert Component.objects.get(name="Looker").category.slug == "business-intelligence-data-science"
    assert Category.objects.get(name="Design").parent is None


def test_inventory_integrations_create_data_flows_and_placeholders(db):
    report = import_inventory("inventory.csv", INVENTORY_CSV)

    flows = set(Relation.objects.values_list("source__name", "target__name", "type"))
    assert flows == {("HubSpot", "Mailchimp", "data_flow"), ("HubSpot", "Looker", "data_flow"),
                     ("HubSpot", "Snowflake", "data_flow"), ("Canva", "Mailchimp", "data_flow")}
    snowflake = Component.objects.get(name="Snowflake")
    assert "HubSpot integrates with it" in snowflake.description
    placeholder = next(c for c in report.created["components"] if c.key == "Snowflake")
    assert placeholder.note.startswith("placeholder")
    assert any("placeholder component “Snowflake”" in note for note in report.notes)


def test_inventory_reimport_changes_nothing(db):
    import_inventory("inventory.csv", INVENTORY_CSV)
    audit = AuditEntry.objects.count()

    report = import_inventory("inventory.csv", INVENTORY_CSV)

    assert report.ok and report.nothing_to_change
    assert report.unchanged.counts == {"components": 4, "relations": 4}
    assert AuditEntry.objects.count() == audit


def test_inventory_dry_run_writes_nothing_and_matches_the_real_import(db):
    before = row_counts()
    dry = import_inventory("inventory.csv", INVENTORY_CSV, dry_run=True)
    assert row_counts() == before
    real = import_inventory("inventory.csv", INVENTORY_CSV)
    assert dry.outcome() == real.outcome()


def test_inventory_matches_existing_people_by_email_and_vendors_by_name(db, editor):
    jane = Person.objects.create(name="Jane D.", email="jane@example.com")
    Vendor.objects.create(name="HubSpot Inc.", slug="hubspot")
    Component.objects.create(name="HubSpot", slug="hubspot", annual_cost=Decimal("9000"), currency="USD",
                             description="Keep me")
    content = "Tool,Vendor,Owner,Cost,Notes\nhubspot,hubspot inc.,JANE@example.com,\"$12,000\",\n"

    report = import_inventory("inventory.csv", content, actor=editor)

    assert report.ok
    assert "people" not in report.created and "vendors" not in report.created
    hubspot = Component.objects.get(slug="hubspot")
    assert hubspot.business_owner == jane and hubspot.vendor.slug == "hubspot"
    assert hubspot.description == "Keep me"  # an empty cell leaves the value alone
    change = report.changed["components"][0]
    assert change.key == "hubspot"
    assert change.fields == {"annual_cost": ("9000.00", "12000.00"), "business_owner": (None, "jane@example.com"),
                             "vendor": (None, "hubspot")}
    assert hubspot.name == "HubSpot"  # matched case-insensitively, not renamed
    assert AuditEntry.objects.filter(source="import", actor=editor, action="update").count() == 1


def test_inventory_personal_data_no_drops_personal_categories(stack):
    content = "Tool,Personal data\nHubSpot CRM,no\n"
    report = import_inventory("inventory.csv", content)
    assert report.ok
    assert not stack["crm"].data_categories.filter(is_personal=True).exists()
    assert report.changed["components"][0].fields["data_categories"] == (["user.contact", "user.name"], [])


def _workbook(rows, title="Tools") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Notes").append(["Kept by marketing ops"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_inventory_xlsx_with_typed_cells_and_other_synonyms(db):
    content = _workbook([
        ["Tool name", "Vendor", "Business Owner", "Technical Owner", "Annual Cost", "Currency", "Renewal date",
         "Contains personal data", "Integrates with", "URL", "Seats"],
        ["Salesforce", "Salesforce", "Ann Marketing", "bob@example.com", 48000, "usd",
         datetime.datetime(2027, 1, 15), True, "Marketo", "https://salesforce.com", 120],
        ["Marketo", "Adobe", "ann marketing", "Bob@Example.com", "€30.000", None, "15.01.2027", "N", None, None,
         None],
        [None, None, None, None, None, None, None, None, None, None, None],
        ["Sheets", "Google", None, None, 0, None, None, False, "Salesforce", None, 10.0],
    ])

    report = import_inventory("inventory.xlsx", content)

    assert report.ok, [str(e) for e in report.errors]
    assert report.format == "inventory spreadsheet, XLSX"
    assert report.notes[0] == "Read the sheet “Tools”; other sheets were ignored: “Notes”."
    salesforce = Component.objects.get(name="Salesforce")
    assert (salesforce.annual_cost, salesforce.currency) == (Decimal("48000.00"), "USD")
    assert salesforce.renewal_date == datetime.date(2027, 1, 15)
    assert salesforce.seats_purchased == 120
    assert salesforce.data_categories.filter(key="user.contact").exists()
    marketo = Component.objects.get(name="Marketo")
    assert (marketo.annual_cost, marketo.currency) == (Decimal("30000.00"), "EUR")
    assert marketo.renewal_date == datetime.date(2027, 1, 15)
    assert marketo.business_owner == salesforce.business_owner
    assert marketo.technical_owner.email == "bob@example.com"
    assert Component.objects.get(name="Sheets").seats_purchased == 10
    assert set(Relation.objects.values_list("source__name", "target__name")) == {
        ("Salesforce", "Marketo"), ("Sheets", "Salesforce")
    }
    again = import_inventory("inventory.xlsx", content)
    assert again.nothing_to_change
