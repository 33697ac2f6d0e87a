"""Money in stack as code: contracts, objectives, KPIs, measurements, budgets and cost entries — natural keys,
services (audit, computed notice deadlines), errors that say where, money only for who may see it, and lone
contracts.csv / kpi_measurements.csv files through every import path (UI, API, CLI)."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.finance import services as finance_services
from stacksteward.finance.models import Budget, Contract, CostEntry, Kpi, Measurement, Objective, SuccessFactor
from stacksteward.stackcode.exporter import export_stack
from stacksteward.stackcode.importer import import_file
from stacksteward.stackcode.schema import SECTIONS

from .conftest import row_counts, wipe

HEAD = "apiVersion: stacksteward/v1\nkind: Stack\n"
FILES = {"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}
FINANCE_SECTIONS = ("contracts", "objectives", "kpis", "kpi_measurements", "budgets", "cost_entries")
FINANCE_MODELS = (Contract, Objective, SuccessFactor, Kpi, Measurement, Budget, CostEntry)
CONTRACTS_CSV = (
    "key,vendor,components,reference,start_date,end_date,renewal_type,notice_period_days,annual_value,currency\n"
    "hubspot-2028,hubspot,hubspot-crm,HS-2028,2028-04-01,2029-03-31,auto,90,\"12,500.00\",EUR\n"
)


def failing(name: str, content: bytes | str, actor=SystemActor("test")) -> list[str]:
    """Import, check that nothing at all was written, return the error lines."""
    if isinstance(content, str):
        content = content.encode()
    before = row_counts()
    report = import_file(name, content, actor=actor, dry_run=False)
    assert not report.ok
    assert row_counts() == before, "an import with errors wrote something"
    return [str(e) for e in report.errors]


def workbook(title: str, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Export -----------------------------------------------------------------------------------

def test_yaml_export_names_finance_entries_by_natural_keys_and_leaves_out_the_notice_deadline(finance):
    document = yaml.safe_load(export_stack("yaml"))

    assert [c["key"] for c in document["contracts"]] == ["hubspot-2026", "hubspot-2027", "legacy-mailer"]
    first, second, legacy = document["contracts"]
    assert first == {
        "key": "hubspot-2026", "vendor": "hubspot", "components": ["hubspot-crm"], "allocation_shares": "",
        "reference": "HS-2026-001",
        "start_date": datetime.date(2026, 4, 1), "end_date": datetime.date(2027, 3, 31), "renewal_type": "auto",
        "renewal_term_months": 12, "notice_period_days": 60, "annual_value": "12000.50", "currency": "EUR",
        "billing_frequency": "annually", "seats": 50, "payment_terms": "30 days net", "dpa_signed": True,
        "security_review_done": True, "procurement_owner": "Bob Nomail", "legal_reviewer": "ann@example.com",
        "business_owner": "zoe@example.com", "status": "renewed", "previous": None, "notice_sent_on": None,
        "notes": "=First term\nsigned on paper",
    }
    assert "notice_deadline" not in first  # computed from end_date and notice_period_days on import
    assert second["previous"] == "hubspot-2026" and second["components"] == ["hubspot-crm", "warehouse"]
    assert legacy["components"] == [] and legacy["seats"] is None and legacy["notice_sent_on"] == datetime.date(
        2025, 11, 2)
    assert [o["name"] for o in document["objectives"]] == ["cut tool costs", "Grow pipeline 20 % in 2027"]
    assert document["objectives"][1]["success_factors"] == ["Campaign attribution", "Clean CRM data"]
    assert document["objectives"][0]["success_factors"] == []
    pipeline = document["kpis"][1]
    assert pipeline["slug"] == "pipeline" and pipeline["objective"] == "Grow pipeline 20 % in 2027"
    assert pipeline["components"] == ["hubspot-crm", "warehouse"] and pipeline["target"] == "250000.00"
    assert document["kpis"][0]["currency"] == "" and pipeline["currency"] == "EUR"
    assert document["kpi_measurements"] == [
        {"kpi": "cost-per-lead", "period_start": datetime.date(2027, 1, 1), "value": "-1.25", "note": "=credit note"},
        {"kpi": "pipeline", "period_start": datetime.date(2027, 1, 1), "value": "210000.50", "note": "from the CRM"},
        {"kpi": "pipeline", "period_start": datetime.date(2027, 2, 1), "value": "198000.00", "note": ""},
    ]
    assert [(b["year"], b["component"], b["category"]) for b in document["budgets"]] == [
        (2027, "hubspot-crm", None), (2027, None, "marketing-ops")]
    assert document["cost_entries"][0] == {"component": "hubspot-crm", "year": 2027, "kind": "internal",
                                           "description": "Admin time", "amount": None, "hours": "40.5",
                                           "currency": "EUR"}


def test_csv_and_xlsx_type_numbers_and_keep_negative_values_readable(finance):
    with zipfile.ZipFile(io.BytesIO(export_stack("csv"))) as archive:
        rows = archive.read("kpi_measurements.csv").decode("utf-8-sig").splitlines()
        contracts = archive.read("contracts.csv").decode("utf-8-sig")
    assert rows[0] == "kpi,period_start,value,note"
    assert rows[1] == "cost-per-lead,2027-01-01,-1.25,'=credit note"  # a number, not a neutralised formula
    assert "notice_deadline" not in contracts.splitlines()[0]
    book = load_workbook(io.BytesIO(export_stack("xlsx")))
    header, *values = [[c.value for c in row] for row in book["kpi_measurements"].iter_rows()]
    assert dict(zip(header, values[0], strict=True))["value"] == -1.25
    header, *values = [[c.value for c in row] for row in book["cost_entries"].iter_rows()]
    assert dict(zip(header, values[0], strict=True))["hours"] == 40.5
    assert book["cost_entries"].cell(row=2, column=header.index("hours") + 1).number_format == "0.0"


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_export_for_someone_who_may_not_see_all_money_leaves_out_the_money_columns(finance, plain_editor, fmt):
    editor = plain_editor
    content = export_stack(fmt, for_user=editor)

    if fmt == "yaml":
        document = yaml.safe_load(content)
        contract = document["contracts"][0]
        assert "annual_value" not in contract and "payment_terms" not in contract and contract["seats"] == 50
        assert all("amount" not in e and "hours" not in e for e in document["cost_entries"])
        assert all("amount" not in b for b in document["budgets"])  # a planned amount is money too
        assert all("annual_cost" not in c for c in document["components"])  # so is a component's cost
    elif fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            header = archive.read("contracts.csv").decode("utf-8-sig").splitlines()[0].split(",")
            costs = archive.read("cost_entries.csv").decode("utf-8-sig").splitlines()[0].split(",")
        assert "annual_value" not in header and "payment_terms" not in header and "seats" in header
        assert costs == ["component", "year", "kind", "description", "currency"]
    else:
        book = load_workbook(io.BytesIO(content))
        header = [c.value for c in next(book["contracts"].iter_rows())]
        assert "annual_value" not in header and "payment_terms" not in header
    assert b"11000" not in content and b"30 days net" not in content and b"4000" not in content
    # The file imports back, leaving the money as it is.
    report = import_file(FILES[fmt], content, actor=editor, dry_run=False)
    assert report.ok and report.nothing_to_change, report.summary_lines()
    assert Contract.objects.get(key="hubspot-2026").annual_value == Decimal("12000.50")


def test_web_and_api_exports_follow_the_money_rights(finance, viewer_client, admin_client, viewer_api, admin_api):
    export = reverse("stackcode:export")
    assert b"annual_value" not in viewer_client.get(export, {"format": "yaml"}).content
    assert b"annual_value: '12000.50'" in admin_client.get(export, {"format": "yaml"}).content
    assert b"annual_value" not in viewer_api.get("/api/export", {"format": "yaml"}).content
    assert admin_api.get("/api/export", {"format": "yaml"}).content == export_stack("yaml")
    index = reverse("stackcode:index")
    assert 'data-testid="money-left-out"' in viewer_client.get(index).content.decode()
    assert 'data-testid="money-left-out"' not in admin_client.get(index).content.decode()


def test_cli_export_is_a_system_actor_and_writes_all_money(finance):
    out = io.StringIO()
    call_command("stack_export", stdout=out)
    assert "annual_value: '12000.50'" in out.getvalue() and "hours: '40.5'" in out.getvalue()


def test_export_with_money_runs_a_constant_number_of_queries(finance, django_assert_max_num_queries):
    with django_assert_max_num_queries(32):
        export_stack("yaml")


# Import through the services ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_import_into_empty_catalog_recreates_the_money_and_audits_every_object(finance, admin_user, fmt):
    content = export_stack(fmt)
    wipe()

    report = import_file(FILES[fmt], content, actor=admin_user, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert {s: report.created.counts[s] for s in FINANCE_SECTIONS} == {
        "contracts": 3, "objectives": 2, "kpis": 2, "kpi_measurements": 3, "budgets": 2, "cost_entries": 3}
    second = Contract.objects.get(key="hubspot-2027")
    assert second.previous.key == "hubspot-2026"
    assert second.allocation_shares == {"hubspot-crm": "70.00", "warehouse": "30.00"}  # the stated split, kept
    pipeline = Kpi.objects.get(slug="pipeline")
    assert (pipeline.attribution, pipeline.attribution_shares) == ("shares", {"hubspot-crm": "60.00",
                                                                              "warehouse": "40.00"})
    assert second.notice_deadline == datetime.date(2028, 1, 31)  # computed: 60 days before the end date
    assert Objective.objects.get(name__startswith="Grow").success_factors.count() == 2
    assert set(Measurement.objects.values_list("source", flat=True)) == {"import"}
    for model in FINANCE_MODELS:
        audited = set(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                action="create", source="import", actor=admin_user)
                      .values_list("object_id", flat=True))
        assert audited == {str(pk) for pk in model.objects.values_list("pk", flat=True)}, model


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_reimport_of_an_export_changes_no_money(finance, admin_user, fmt):
    before, audit_count = row_counts(), AuditEntry.objects.count()

    report = import_file(FILES[fmt], export_stack(fmt), actor=admin_user, dry_run=False)

    assert report.ok and report.nothing_to_change, report.summary_lines()
    assert report.unchanged.counts["contracts"] == 3 and report.unchanged.counts["kpi_measurements"] == 3
    assert report.unchanged.counts["cost_entries"] == 3 and report.unchanged.counts["budgets"] == 2
    assert row_counts() == before and AuditEntry.objects.count() == audit_count


def test_dry_run_reports_money_changes_and_the_real_run_does_exactly_that(finance, admin_user):
    document = yaml.safe_load(export_stack("yaml"))
    contracts = {c["key"]: c for c in document["contracts"]}
    contracts["hubspot-2027"]["annual_value"] = "€10.500,00"
    contracts["hubspot-2027"]["notice_period_days"] = 90
    grow = document["objectives"][1]
    grow["success_factors"] = ["Clean CRM data", "Sales accepts the leads"]
    document["kpi_measurements"].append({"kpi": "pipeline", "period_start": "2027-03-01", "value": "231,000"})
    document["kpi_measurements"][1]["value"] = "212000"
    document["cost_entries"].append({"component": "warehouse", "year": 2027, "kind": "Internal effort",
                                     "hours": 12, "description": "Schema work"})
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    before = row_counts()

    dry = import_file("stack.yaml", content, actor=admin_user, dry_run=True)

    assert dry.ok, [str(e) for e in dry.errors]
    assert row_counts() == before
    assert dry.created.counts == {"kpi_measurements": 1, "cost_entries": 1}
    changed = {(c.section, c.key): c.fields for items in dry.changed.values() for c in items}
    assert changed == {
        ("contracts", "hubspot-2027"): {"annual_value": ("11000.00", "10500.00"), "notice_period_days": (60, 90)},
        ("objectives", "Grow pipeline 20 % in 2027"): {"success_factors": (
            ["Campaign attribution", "Clean CRM data"], ["Clean CRM data", "Sales accepts the leads"])},
        ("kpi_measurements", "pipeline · 2027-01-01"): {"value": ("210000.50", "212000.00")},
    }
    real = import_file("stack.yaml", content, actor=admin_user, dry_run=False)
    assert real.outcome() == dry.outcome()
    contract = Contract.objects.get(key="hubspot-2027")
    assert contract.annual_value == Decimal("10500.00") and contract.notice_deadline == datetime.date(2028, 1, 1)
    assert sorted(finance["objective"].success_factors.values_list("name", flat=True)) == [
        "Clean CRM data", "Sales accepts the leads"]
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(SuccessFactor),
                                     action="delete", source="import").count() == 1
    assert CostEntry.objects.get(description="Schema work").kind == "internal"
    changed_measurement = Measurement.objects.get(kpi__slug="pipeline", period_start=datetime.date(2027, 1, 1))
    assert changed_measurement.value == Decimal("212000") and changed_measurement.source == "import"


def test_shares_are_written_one_line_each_and_read_from_a_cell_or_a_mapping(finance, admin_user):
    exported = yaml.safe_load(export_stack("yaml"))
    contract = next(c for c in exported["contracts"] if c["key"] == "hubspot-2027")
    assert contract["allocation_shares"] == "hubspot-crm: 70.00; warehouse: 30.00"
    kpi = next(k for k in exported["kpis"] if k["slug"] == "pipeline")
    assert (kpi["attribution"], kpi["attribution_shares"]) == ("shares", "hubspot-crm: 60.00; warehouse: 40.00")
    contract["allocation_shares"] = {"hubspot-crm": 55, "warehouse": "45 %"}  # a YAML mapping reads too
    kpi["attribution_shares"] = "hubspot-crm: 25; warehouse: 75"

    report = import_file("stack.yaml", yaml.safe_dump(exported, allow_unicode=True).encode(), actor=admin_user,
                         dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert Contract.objects.get(key="hubspot-2027").allocation_shares == {"hubspot-crm": "55.00",
                                                                           "warehouse": "45.00"}
    assert Kpi.objects.get(slug="pipeline").attribution_shares == {"hubspot-crm": "25.00", "warehouse": "75.00"}


@pytest.mark.parametrize(("shares", "message"), [
    ("hubspot-crm: 70; warehouse: 20", "100"),
    ("hubspot-crm 70; warehouse: 30", "not “component: percent”"),
    ("hubspot-crm: 70; nowhere: 30", "nowhere"),
])
def test_bad_shares_name_the_entry_and_field_and_write_nothing(finance, admin_user, shares, message):
    exported = yaml.safe_load(export_stack("yaml"))
    next(c for c in exported["contracts"] if c["key"] == "hubspot-2027")["allocation_shares"] = shares

    errors = failing("stack.yaml", yaml.safe_dump(exported, allow_unicode=True), actor=admin_user)

    assert any("allocation_shares" in e and message in e for e in errors), errors


def test_contracts_may_name_a_previous_term_further_down_the_file(stack, admin_user):
    text = (HEAD + "contracts:\n"
            "  - {key: crm-2028, vendor: hubspot, reference: R-1, start_date: 2028-01-01, end_date: 2028-12-31, "
            "annual_value: 10, previous: crm-2027}\n"
            "  - {key: crm-2027, vendor: hubspot, reference: R-1, start_date: 2027-01-01, end_date: 2027-12-31, "
            "annual_value: 10, status: renewed}\n")

    report = import_file("stack.yaml", text.encode(), actor=admin_user, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert Contract.objects.get(key="crm-2028").previous.key == "crm-2027"


def test_renewing_an_imported_contract_gives_the_next_term_a_key_of_its_own(finance, admin_user):
    contract = finance["contract"]
    finance_services.contract_decide(contract, actor=admin_user, decision="renew", reasons="Still the best fit.")

    follower = Contract.objects.get(previous=contract)
    assert follower.key == "hubspot-hs-2026-001"
    assert import_file("stack.yaml", export_stack("yaml"), actor=admin_user, dry_run=False).nothing_to_change


# Lone files: contracts.csv, kpi_measurements.csv, a workbook with one sheet ------------------------

def test_lone_contracts_csv_creates_the_contract_with_its_computed_deadline(stack, admin_user):
    text = CONTRACTS_CSV.replace("key,vendor,components,reference,start_date,end_date",
                                 "Key,Vendor,Components,Reference,Start date,End date")

    report = import_file("contracts.csv", text.encode(), actor=admin_user, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert report.format == "stack as code, CSV" and report.created.counts == {"contracts": 1}
    contract = Contract.objects.get(key="hubspot-2028")
    assert contract.annual_value == Decimal("12500.00") and contract.notice_deadline == datetime.date(2028, 12, 31)
    assert list(contract.components.values_list("slug", flat=True)) == ["hubspot-crm"]


def test_bad_contract_rows_name_row_column_and_value_and_write_nothing(stack):
    header = "key,vendor,reference,start_date,end_date,annual_value,previous,notes\n"
    rows = [
        "ok,hubspot,R-1,2027-01-01,2027-12-31,100,,fine",
        "ghost,acme-nowhere,R-2,2027-01-01,2027-12-31,100,,",
        "bad-date,hubspot,R-3,2027-02-30,2027-12-31,100,,",
        "negative,hubspot,R-4,2027-01-01,2027-12-31,-500,,",
        "backwards,hubspot,R-5,2027-06-01,2027-01-31,100,,",
        "itself,hubspot,R-6,2027-01-01,2027-12-31,100,itself,",
        "ok,hubspot,R-7,2027-01-01,2027-12-31,100,,twice",
        "orphan,hubspot,R-8,2027-01-01,2027-12-31,100,nope,",
    ]
    errors = failing("contracts.csv", header + "\n".join(rows) + "\n")
    assert errors == [
        'contracts.csv row 4, column "start_date": "2027-02-30" is not a date.',
        'contracts.csv row 5, column "annual_value": "-500" is negative; an amount must be zero or more.',
        'contracts.csv row 7, column "previous": "itself" is this contract itself; “previous” names the term this '
        'one continues.',
        'contracts.csv row 8, column "key": "ok" appears twice in contracts (first at row 2).',
        'contracts.csv row 3, column "vendor": "acme-nowhere" is not a vendor in the file or the catalog.',
        'contracts.csv row 9, column "previous": "nope" is not a contract in the file or the catalog.',
        'contracts.csv row 6, column "end_date": "2027-01-31" is refused: The term cannot end before it starts.',
    ]


def test_lone_contracts_csv_with_a_foreign_column_is_not_misread_as_an_inventory(stack):
    text = CONTRACTS_CSV.replace("currency\n", "currency,Comments\n").replace(",EUR\n", ",EUR,call Lee\n")
    assert failing("contracts.csv", text) == [
        'contracts.csv row 1, column "Comments": "Comments" is not a column of contracts (columns: '
        + ", ".join(SECTIONS["contracts"].field_names) + ').']


def test_bad_measurement_rows_name_row_column_and_value_and_write_nothing(finance):
    text = ("KPI,Period start,Value,Note\n"
            "pipeline,2027-03-01,\"231,000\",\n"
            "visits,2027-03-01,5,\n"
            "pipeline,March 31 2027,lots,\n"
            "pipeline,01/03/2027,12,same period written another way\n"
            "cost-per-lead,2027-03-01,€4,\n")
    errors = failing("kpi_measurements.csv", text)
    assert errors == [
        'kpi_measurements.csv row 4, column "Value": "lots" is not a number.',
        'kpi_measurements.csv row 6, column "Value": "€4" names a currency; give the number alone (the KPI\'s '
        'currency applies).',
        'kpi_measurements.csv row 5, column "Period start": "pipeline · 2027-03-01" appears twice in '
        'kpi_measurements (first at row 2).',
        'kpi_measurements.csv row 3, column "KPI": "visits" is not a KPI in the file or the catalog.',
    ]


def test_lone_measurements_csv_records_and_replaces_values_as_imported(finance, editor):
    text = "kpi,period_start,value\npipeline,2027-01-01,215000\ncost-per-lead,2027-02-01,-0.5\n"

    report = import_file("kpi_measurements.csv", text.encode(), actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert report.created.counts == {"kpi_measurements": 1} and report.changed.counts == {"kpi_measurements": 1}
    replaced = Measurement.objects.get(kpi__slug="pipeline", period_start=datetime.date(2027, 1, 1))
    assert replaced.value == Decimal("215000") and replaced.source == "import"
    assert AuditEntry.objects.filter(object_id=str(replaced.pk), action="update", source="import",
                                     actor=editor).exists()


def test_workbook_with_one_measurements_sheet_imports_and_reports_sheet_rows(finance, editor):
    good = workbook("KPI measurements", ["kpi", "period_start", "value"],
                    ["pipeline", datetime.datetime(2027, 3, 1), 231000])
    report = import_file("measurements.xlsx", good, actor=editor, dry_run=False)
    assert report.ok, [str(e) for e in report.errors]
    assert Measurement.objects.filter(kpi__slug="pipeline").count() == 3

    bad = workbook("kpi_measurements", ["kpi", "period_start", "value"], ["pipeline", "2027-04-01", 1],
                   ["nope", "2027-04-01", 2], ["pipeline", "2027-04-01", 3])
    assert failing("measurements.xlsx", bad) == [
        'measurements.xlsx sheet "kpi_measurements" row 4, column "period_start": "pipeline · 2027-04-01" appears '
        'twice in kpi_measurements (first at sheet "kpi_measurements" row 2).',
        'measurements.xlsx sheet "kpi_measurements" row 3, column "kpi": "nope" is not a KPI in the file or the '
        'catalog.',
    ]


def test_workbook_with_one_contracts_sheet_reports_a_bad_row(stack, admin_user):
    content = workbook("contracts", ["key", "vendor", "reference", "start_date", "end_date", "annual_value"],
                       ["crm", "hubspot", "R-1", datetime.datetime(2027, 1, 1), "someday", 100])
    errors = failing("contracts.xlsx", content, actor=admin_user)
    assert errors == ['contracts.xlsx sheet "contracts" row 2, column "end_date": "someday" is not a date.']


def test_ui_upload_of_a_lone_contracts_csv_previews_and_confirms(stack, admin_client):
    response = admin_client.post(reverse("stackcode:import"),
                                 {"file": SimpleUploadedFile("contracts.csv", CONTRACTS_CSV.encode())})
    assert response.status_code == 200 and not Contract.objects.exists()
    assert "contracts" in response.content.decode()
    upload = admin_client.session["stackcode_upload"]
    admin_client.post(reverse("stackcode:import_confirm"), {"upload_id": upload["id"], "sha256": upload["sha256"]})
    assert Contract.objects.get(key="hubspot-2028").annual_value == Decimal("12500.00")


def test_ui_upload_of_a_bad_measurements_csv_lists_the_row_and_offers_no_confirm(finance, editor_client):
    text = "kpi,period_start,value\nvisits,2027-03-01,5\n"
    response = editor_client.post(reverse("stackcode:import"),
                                  {"file": SimpleUploadedFile("kpi_measurements.csv", text.encode())})
    html = response.content.decode()
    assert "kpi_measurements.csv row 2, column &quot;kpi&quot;: &quot;visits&quot; is not a KPI" in html
    assert reverse("stackcode:import_confirm") not in html


def test_api_import_of_lone_files(finance, admin_api, editor_api):
    response = admin_api.post("/api/import", {"file": SimpleUploadedFile("contracts.csv", CONTRACTS_CSV.encode())})
    assert response.status_code == 200, response.json()
    assert response.json()["created"]["contracts"] == [{"key": "hubspot-2028", "fields": None, "note": None}]
    bad = "kpi,period_start,value\npipeline,2027-13-01,5\n"
    response = editor_api.post("/api/import", {"file": SimpleUploadedFile("kpi_measurements.csv", bad.encode())})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "period_start", "2027-13-01")
    assert error["message"] == 'kpi_measurements.csv row 2, column "period_start": "2027-13-01" is not a date.'


def test_cli_import_of_lone_files(finance, tmp_path):
    good = tmp_path / "contracts.csv"
    good.write_text(CONTRACTS_CSV)
    out = io.StringIO()
    call_command("stack_import", str(good), stdout=out)
    assert "Created: 1 contract." in out.getvalue()
    bad = tmp_path / "kpi_measurements.csv"
    bad.write_text("kpi,period_start,value\npipeline,2027-05-01,5\npipeline,2027-05-01,6\n")
    before = row_counts()
    with pytest.raises(CommandError) as failure:
        call_command("stack_import", str(bad), stdout=io.StringIO())
    assert 'kpi_measurements.csv row 3, column "period_start": "pipeline · 2027-05-01" appears twice' in str(
        failure.value)
    assert row_counts() == before


# Money rights, budgets and costs ------------------------------------------------------------------

def test_editor_who_may_not_see_all_money_cannot_import_it(finance, plain_editor):
    editor = plain_editor
    errors = failing("contracts.csv", CONTRACTS_CSV, actor=editor)
    assert errors == [
        'contracts.csv row 2, column "annual_value": importing contracts with “annual_value” needs the right to see '
        'all money (admins, finance, procurement and legal); leave the column out to import the rest.']
    text = HEAD + "cost_entries:\n  - {component: warehouse, year: 2027, kind: internal, hours: 3}\n"
    assert failing("stack.yaml", text, actor=editor) == [
        'stack.yaml line 4, field "hours": importing cost_entries with “hours” needs the right to see all money '
        '(admins, finance, procurement and legal); leave the field out to import the rest.']
    text = HEAD + "components:\n  - {slug: warehouse, name: Warehouse, annual_cost: 5}\n"
    assert failing("stack.yaml", text, actor=editor) == [  # a component's cost per year is money too
        'stack.yaml line 4, field "annual_cost": importing components with “annual_cost” needs the right to see '
        'all money (admins, finance, procurement and legal); leave the field out to import the rest.']


def test_budget_needs_one_subject_and_a_known_one(stack):
    text = (HEAD + "budgets:\n"
            "  - {year: 2027, amount: 10}\n"
            "  - {year: 2027, component: hubspot-crm, category: crm, amount: 10}\n"
            "  - {year: 2027, category: nowhere, amount: 10}\n"
            "  - {year: 1999, component: website, amount: 10}\n")
    assert failing("stack.yaml", text) == [
        "stack.yaml line 4: needs a component or a category.",
        "stack.yaml line 5: has both a component and a category; give only one.",
        'stack.yaml line 6, field "category": "nowhere" is not a category in the file or the catalog.',
        'stack.yaml line 7, field "year": "1999" is refused: Ensure this value is greater than or equal to 2000.',
    ]


def test_cost_entries_that_the_catalog_cannot_tell_apart_are_refused(finance):
    CostEntry.objects.create(component=finance["crm"], year=2027, kind="services", amount=Decimal("1"),
                             currency="EUR", description="Agency set-up")
    text = HEAD + "cost_entries:\n  - {component: hubspot-crm, year: 2027, description: Agency set-up, amount: 5}\n"
    assert failing("stack.yaml", text) == [
        'stack.yaml line 4, field "description": "Agency set-up" names 2 services cost entries of hubspot-crm in '
        '2027; give them different descriptions in the UI first.']


def test_a_cycle_of_terms_is_refused(stack):
    text = (HEAD + "contracts:\n"
            "  - {key: a, vendor: hubspot, reference: A, start_date: 2027-01-01, end_date: 2027-12-31, "
            "annual_value: 1, previous: b}\n"
            "  - {key: b, vendor: hubspot, reference: B, start_date: 2027-01-01, end_date: 2027-12-31, "
            "annual_value: 1, previous: a}\n")
    assert failing("stack.yaml", text) == [
        'stack.yaml line 4, field "previous": "b" would make a cycle of terms; a contract cannot (even indirectly) '
        'continue itself.',
        'stack.yaml line 5, field "previous": "a" would make a cycle of terms; a contract cannot (even indirectly) '
        'continue itself.',
    ]


def test_viewer_cannot_import_measurements(finance, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_file("kpi_measurements.csv", b"kpi,period_start,value\npipeline,2027-09-01,1\n", actor=viewer,
                    dry_run=False)
    assert not Measurement.objects.filter(period_start=datetime.date(2027, 9, 1)).exists()


def test_finance_sections_come_last_in_dependency_order():
    assert tuple(SECTIONS)[-13:-7] == FINANCE_SECTIONS  # then selections and the records around contracts
