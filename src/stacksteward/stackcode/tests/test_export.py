"""Export: one versioned format, natural keys, sorted, formulas neutralised, constant queries."""

import csv
import io
import zipfile

import yaml
from openpyxl import load_workbook

from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory
from stacksteward.changes.tests.factories import CalendarEventFactory
from stacksteward.intake.tests.factories import BacklogItemFactory, CapabilityFactory
from stacksteward.stackcode.exporter import export_stack, xlsx_values
from stacksteward.stackcode.schema import SECTIONS

# Selections, renewal decisions, contract documents and value scores come after the money sections.
RECORDS = ["selections", "selection_candidates", "selection_criteria", "selection_scores", "renewal_decisions",
           "contract_documents", "value_scores"]


def test_yaml_export_is_versioned_and_uses_natural_keys(stack):
    document = yaml.safe_load(export_stack("yaml"))

    assert (document["apiVersion"], document["kind"]) == ("stacksteward/v1", "Stack")
    assert list(document)[2:] == ["departments", "people", "vendors", "categories", "components", "relations", "raci",
                                  "capabilities", "backlog_items", "calendar_events", "contracts", "objectives",
                                  "kpis", "kpi_measurements", "budgets", "cost_entries", *RECORDS]
    crm = next(c for c in document["components"] if c["slug"] == "hubspot-crm")
    assert crm["vendor"] == "hubspot" and crm["category"] == "crm"
    assert crm["business_owner"] == "zoe@example.com" and crm["technical_owner"] == "ann@example.com"
    assert crm["tags"] == ["core", "Sales, Marketing"]
    assert crm["data_categories"] == ["user.contact", "user.name"]
    assert crm["annual_cost"] == "12000.50" and crm["currency"] == "EUR"
    warehouse = next(c for c in document["components"] if c["slug"] == "warehouse")
    assert warehouse["business_owner"] == "Bob Nomail"  # no email: the name
    assert document["relations"][0] == {
        "from": "hubspot-crm", "to": "warehouse", "type": "data_flow", "data_categories": ["user.contact"],
        "mechanism": "api", "frequency": "daily", "description": "nightly sync",
    }
    assert document["raci"][0] == {"component": "hubspot-crm", "activity": "selection", "role": "A",
                                   "department": "marketing"}
    text = export_stack("yaml").decode()
    assert "id:" not in text and "pk" not in text


def test_yaml_export_writes_multi_line_text_as_a_block(stack):
    assert "  description: |-\n    Line one\n    line two" in export_stack("yaml").decode()


def test_sections_are_sorted_by_natural_key(stack):
    document = yaml.safe_load(export_stack("yaml"))
    assert [c["slug"] for c in document["components"]] == ["hubspot-crm", "warehouse", "website"]
    assert [d["slug"] for d in document["departments"]] == ["it", "marketing"]
    assert [p["email"] or p["name"] for p in document["people"]] == ["ann@example.com", "Bob Nomail",
                                                                     "zoe@example.com"]
    groups = [c["slug"] for c in document["categories"] if c["parent"] is None]
    assert groups == sorted(groups)


def test_csv_export_is_a_zip_of_one_file_per_section_with_the_format_headers(stack):
    archive = zipfile.ZipFile(io.BytesIO(export_stack("csv")))
    assert archive.namelist() == ["stack.csv", "departments.csv", "people.csv", "vendors.csv", "categories.csv",
                                  "components.csv", "relations.csv", "raci.csv", "capabilities.csv",
                                  "backlog_items.csv", "calendar_events.csv", "contracts.csv", "objectives.csv",
                                  "kpis.csv", "kpi_measurements.csv", "budgets.csv", "cost_entries.csv",
                                  *(f"{name}.csv" for name in RECORDS)]
    assert archive.read("stack.csv").decode("utf-8-sig") == "apiVersion,kind\r\nstacksteward/v1,Stack\r\n"
    components = list(csv.reader(io.StringIO(archive.read("components.csv").decode("utf-8-sig"), newline="")))
    assert components[0] == SECTIONS["components"].field_names
    crm = dict(zip(components[0], components[1], strict=True))
    assert crm["slug"] == "hubspot-crm" and crm["tier"] == "1" and crm["business_owner"] == "zoe@example.com"
    assert crm["tags"] == "core; Sales, Marketing"
    assert crm["description"] == "Line one\nline two, with “quotes” and ümlauts"
    assert crm["renewal_date"] == "2027-03-31" and crm["annual_cost"] == "12000.50"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())


def test_xlsx_export_has_one_sheet_per_section_with_typed_cells_and_neutralised_formulas(stack):
    content = export_stack("xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["stack", "departments", "people", "vendors", "categories", "components",
                                   "relations", "raci", "capabilities", "backlog_items", "calendar_events",
                                   "contracts", "objectives", "kpis", "kpi_measurements", "budgets", "cost_entries",
                                   *RECORDS]
    values = xlsx_values(content)
    assert values["stack"] == [("apiVersion", "stacksteward/v1"), ("kind", "Stack")]
    header, *rows = values["components"]
    crm = dict(zip(header, rows[0], strict=True))
    assert crm["tier"] == 1 and crm["seats_purchased"] == 50
    assert crm["annual_cost"] == 12000.5
    assert crm["renewal_date"].date().isoformat() == "2027-03-31"
    warehouse = dict(zip(header, rows[1], strict=True))
    assert warehouse["description"] == "'-- starts like a formula"
    vendors = dict(zip(values["vendors"][0], values["vendors"][2], strict=True))
    assert vendors["notes"] == "'=HYPERLINK(\"x\")"
    # no cell is stored as a formula
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_export_runs_a_constant_number_of_queries(db, django_assert_max_num_queries):
    for _ in range(3):
        RelationFactory()
    with django_assert_max_num_queries(32):
        small = export_stack("yaml")
    for _ in range(20):
        RelationFactory(source=ComponentFactory(), target=ComponentFactory())
        item = BacklogItemFactory()
        item.components.set([ComponentFactory()])
        item.depends_on.set([BacklogItemFactory()])
        CapabilityFactory()
        CalendarEventFactory().components.set([ComponentFactory()])
    with django_assert_max_num_queries(32):
        large = export_stack("yaml")
    assert len(large) > len(small)
