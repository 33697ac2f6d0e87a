"""One test per kind of bad input: each error names the file, the row or line, the column or field and
the value, and nothing at all is written."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from stacksteward.core.actors import SystemActor
from stacksteward.stackcode.exporter import export_stack
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts

HEAD = "apiVersion: stacksteward/v1\nkind: Stack\n"


@pytest.fixture
def run(db):
    """Import, check nothing was written, return the error lines."""

    def run_import(name: str, content: bytes | str, *, dry_run=False) -> list[str]:
        if isinstance(content, str):
            content = content.encode()
        before = row_counts()
        report = import_file(name, content, actor=SystemActor("test"), dry_run=dry_run)
        assert not report.ok
        assert row_counts() == before, "an import with errors wrote something"
        assert report.created.total == report.changed.total == 0
        return [str(e) for e in report.errors]

    return run_import


def inventory_csv(*rows: str) -> str:
    return "Tool,Vendor,Annual cost,Renewal date,Contains personal data\n" + "\n".join(rows) + "\n"


def test_bad_amount_names_file_row_column_and_value(run):
    errors = run("inventory.csv", inventory_csv("CRM,Acme,$12000,2027-03-31,yes", "Mailer,Acme,twelve,,no"))
    assert errors == ['inventory.csv row 3, column "Annual cost": "twelve" is not an amount.']


def test_bad_amount_in_full_format_names_line_and_field(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    annual_cost: lots\n")
    assert errors == ['stack.yaml line 6, field "annual_cost": "lots" is not an amount.']


def test_negative_amount_is_refused(run):
    errors = run("inventory.csv", inventory_csv("CRM,Acme,-500,,"))
    assert errors == ['inventory.csv row 2, column "Annual cost": "-500" is negative; an amount must be zero or more.']


def test_bad_date_names_file_row_column_and_value(run):
    errors = run("inventory.csv", inventory_csv("CRM,Acme,100,31/02/2027,yes"))
    assert errors == ['inventory.csv row 2, column "Renewal date": "31/02/2027" is not a date.']


def test_bad_date_in_yaml(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    renewal_date: next spring\n")
    assert errors == ['stack.yaml line 6, field "renewal_date": "next spring" is not a date.']


def test_bad_boolean_names_file_row_column_and_value(run):
    errors = run("inventory.csv", inventory_csv("CRM,Acme,100,,perhaps"))
    assert errors == ['inventory.csv row 2, column "Contains personal data": "perhaps" is not yes or no.']


def test_bad_boolean_in_full_format(run):
    errors = run("stack.yaml", HEAD + "people:\n  - name: Ann\n    available: sometimes\n")
    assert errors == ['stack.yaml line 5, field "available": "sometimes" is not yes or no.']


def test_unknown_enum_value_lists_the_allowed_ones(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    kind: gadget\n")
    assert errors == ['stack.yaml line 6, field "kind": "gadget" is not one of: application, database, website, '
                      'social_account, document_store, integration_platform, other.']


def test_bad_tier(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    tier: 9\n")
    assert errors == ['stack.yaml line 6, field "tier": "9" is not a criticality tier (1, 2, 3 or 4).']


def test_unknown_person_in_full_format(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n"
                                      "    business_owner: ghost@example.com\n")
    assert errors == ['stack.yaml line 6, field "business_owner": "ghost@example.com" is not a person in the file '
                      'or the catalog.']


def test_unknown_category_reference_in_full_format(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    category: astrology\n")
    assert errors == ['stack.yaml line 6, field "category": "astrology" is not a category in the file or the '
                      'catalog.']


def test_unknown_vendor_reference_in_full_format_csv(run):
    content = "slug,name,vendor\ncrm,CRM,acme\n"
    errors = run("components.csv", content)
    assert errors == ['components.csv row 2, column "vendor": "acme" is not a vendor in the file or the catalog.']


def test_unknown_data_category(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    data_categories: [user.dna]\n")
    assert errors == ['stack.yaml line 6, field "data_categories": "user.dna" is not a data category in the file '
                      'or the catalog.']


def test_duplicate_slug_in_the_file(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n"
                                      "  - slug: crm\n    name: Another CRM\n")
    assert errors == ['stack.yaml line 6, field "slug": "crm" appears twice in components (first at line 4).']


def test_duplicate_tool_in_inventory(run):
    errors = run("inventory.csv", inventory_csv("CRM,Acme,,,", "crm,Other,,,"))
    assert errors == ['inventory.csv row 3, column "Tool": "crm" appears twice (first on row 2).']


def test_relation_self_loop(run, stack):
    errors = run("relations.csv", "from,to,type\nhubspot-crm,hubspot-crm,data_flow\n")
    assert errors == ['relations.csv row 2, column "to": "hubspot-crm" is the same component as “from”; a relation '
                      'must connect two different components.']


def test_inventory_tool_integrating_with_itself(run):
    content = "Tool,Integrates with\nCRM,\"Mailer, CRM\"\n"
    errors = run("inventory.csv", content)
    assert errors == ['inventory.csv row 2, column "Integrates with": "CRM" is the tool itself; a tool cannot '
                      'integrate with itself.']


def test_bad_yaml_syntax_names_the_line(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: [CRM\n  - slug: x\n")
    assert len(errors) == 1
    assert errors[0].startswith("stack.yaml line 6: is not valid YAML: did not find expected ',' or ']'")


def test_missing_required_column(run):
    errors = run("components.csv", "slug,kind\ncrm,application\n")
    assert errors == ['components.csv row 1, column "name": this required column is missing.']


def test_missing_tool_column_in_inventory(run):
    errors = run("inventory.csv", "Vendor,Cost\nAcme,100\n")
    assert errors[0].startswith("inventory.csv row 1: no column names the tool; give one of these headers: “Tool”")


def test_missing_required_field_in_yaml(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    kind: database\n")
    assert errors == ['stack.yaml line 4, field "name": this required field is missing.']


def test_empty_required_value_in_csv(run):
    errors = run("departments.csv", "slug,name\nsales,\n")
    assert errors == ['departments.csv row 2, column "name": this required value is empty.']


def test_wrong_api_version(run):
    errors = run("stack.yaml", "apiVersion: stacksteward/v9\nkind: Stack\ncomponents: []\n")
    assert errors == ['stack.yaml line 1, field "apiVersion": "stacksteward/v9" is not a supported apiVersion '
                      '(expected stacksteward/v1).']


def test_missing_api_version(run):
    errors = run("stack.yaml", "kind: Stack\ncomponents: []\n")
    assert errors[0].startswith('stack.yaml line 1, field "apiVersion": the field “apiVersion” is missing')


def test_wrong_api_version_in_csv_zip(run, stack):
    content = export_stack("csv")
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "stack.csv":
                data = b"apiVersion,kind\r\nstacksteward/v2,Stack\r\n"
            target.writestr(name, data)
    errors = run("stack.zip", buffer.getvalue())
    assert errors == ['stack.zip/stack.csv row 2, column "apiVersion": "stacksteward/v2" is not a supported '
                      'apiVersion (expected stacksteward/v1).']


def test_unknown_field_in_yaml(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    colour: blue\n")
    assert errors == ['stack.yaml line 6, field "colour": "colour" is not a field of components (fields: slug, '
                      'name, kind, category, vendor, hosting, lifecycle, tier, business_owner, technical_owner, '
                      'description, url, tags, seats_purchased, seats_used, annual_cost, currency, renewal_date, '
                      'data_categories).']


def test_bad_value_in_xlsx_names_sheet_row_and_column(run):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tools"
    sheet.append(["Tool", "Annual cost"])
    sheet.append(["CRM", "12,000"])
    sheet.append(["Mailer", "a lot"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors = run("inventory.xlsx", buffer.getvalue())
    assert errors == ['inventory.xlsx sheet "Tools" row 3, column "Annual cost": "a lot" is not an amount.']


def test_file_problems_are_clear(run):
    assert run("stack.txt", "hello") == ["stack.txt: is not a file type Stack Steward reads; use one of: .csv, "
                                         ".xlsm, .xlsx, .yaml, .yml, .zip."]
    assert run("stack.yaml", b"") == ["stack.yaml: is empty."]
    assert run("inventory.csv", "Tool\nCaf\xe9\n".encode("latin-1"))[0].startswith(
        "inventory.csv: is not UTF-8 text")
    assert run("inventory.xlsx", b"PK\x03\x04 not really a workbook")[0].startswith(
        "inventory.xlsx: is not a readable XLSX workbook")


def test_dry_run_with_errors_reports_the_same_errors(run):
    content = inventory_csv("CRM,Acme,twelve,,")
    assert run("inventory.csv", content, dry_run=True) == run("inventory.csv", content)


def test_unsupported_yaml_tag_is_refused_with_its_line(run):
    errors = run("stack.yaml", HEAD + "components:\n  - !!python/object:os.system\n    slug: crm\n")
    assert len(errors) == 1
    assert errors[0].startswith("stack.yaml line 4: is not valid YAML: the tag tag:yaml.org,2002:python/object")


def test_duplicate_key_in_a_yaml_entry(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    name: Other\n")
    assert errors == ['stack.yaml line 6, field "name": the field "name" appears twice in the same entry.']


def test_row_numbers_count_title_rows_above_the_header_in_xlsx(run):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tools"
    sheet.append(["Marketing tools 2027"])
    sheet.append([])
    sheet.append(["Tool", "Renewal"])
    sheet.append(["CRM", "never"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors = run("tools.xlsx", buffer.getvalue())
    assert errors == ['tools.xlsx sheet "Tools" row 4, column "Renewal": "never" is not a date.']


def test_an_unknown_field_and_a_bad_value_are_both_reported(run):
    errors = run("stack.yaml", HEAD + "components:\n  - slug: crm\n    name: CRM\n    colour: blue\n"
                                      "    kind: gadget\n")
    assert [e.split(":")[0] for e in errors] == ['stack.yaml line 6, field "colour"', 'stack.yaml line 7, field "kind"']


def test_a_failed_inventory_row_is_not_turned_into_a_placeholder(db):
    content = "Tool,Cost,Integrates with\nCRM,100,Mailer\nMailer,lots,\n"
    report = import_file("inventory.csv", content.encode(), actor=SystemActor("test"), dry_run=False)
    assert [str(e) for e in report.errors] == ['inventory.csv row 3, column "Cost": "lots" is not an amount.']
    assert not any("placeholder" in note for note in report.notes)
