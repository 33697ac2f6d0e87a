"""The CLI: stack_export and stack_import (``steward export`` / ``steward import``) through call_command."""

import io

import pytest
from django.core.management import CommandError, call_command

from stacksteward.catalog.models import Component
from stacksteward.core.models import AuditEntry
from stacksteward.stackcode.exporter import export_stack, xlsx_values

from .conftest import row_counts, wipe
from .test_import_rules import EXAMPLE


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_yaml_goes_to_stdout(stack):
    assert run("stack_export") == export_stack("yaml").decode()


@pytest.mark.parametrize(("fmt", "name"), [("yaml", "stack.yaml"), ("csv", "stack.zip"), ("xlsx", "stack.xlsx")])
def test_export_writes_the_file_given_with_o(stack, tmp_path, fmt, name):
    target = tmp_path / name
    output = run("stack_export", "--format", fmt, "-o", str(target))
    assert f"to {target}" in output
    if fmt == "xlsx":
        assert xlsx_values(target.read_bytes()) == xlsx_values(export_stack("xlsx"))
    else:
        assert target.read_bytes() == export_stack(fmt)


def test_export_csv_into_a_folder_writes_one_file_per_section_and_imports_back(stack, tmp_path, editor):
    folder = tmp_path / "stack"
    run("stack_export", "--format", "csv", "-o", f"{folder}/")
    assert sorted(p.name for p in folder.iterdir()) == [
        "backlog_items.csv", "budgets.csv", "calendar_events.csv", "capabilities.csv", "categories.csv",
        "components.csv", "contract_documents.csv", "contracts.csv", "cost_entries.csv", "departments.csv",
        "kpi_measurements.csv", "kpis.csv", "objectives.csv", "people.csv", "raci.csv", "relations.csv",
        "renewal_decisions.csv", "selection_candidates.csv", "selection_criteria.csv", "selection_scores.csv",
        "selections.csv", "stack.csv", "value_scores.csv", "vendors.csv",
    ]
    first = export_stack("yaml")
    wipe()
    output = run("stack_import", str(folder), "--actor", "editor")
    assert "Created" in output
    assert export_stack("yaml") == first


def test_export_binary_format_without_o_is_refused(db):
    with pytest.raises(CommandError, match="give -o PATH"):
        run("stack_export", "--format", "xlsx")


def test_import_dry_run_prints_the_report_and_writes_nothing(db, tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_bytes(EXAMPLE)
    before = row_counts()

    output = run("stack_import", str(path), "--dry-run")

    assert row_counts() == before
    assert "dry run, nothing was written" in output
    assert "To create" in output and "components" in output
    assert "Would create: 2 departments, 3 people" in output


def test_import_writes_with_the_actor_and_says_nothing_to_change_the_second_time(db, tmp_path, editor):
    path = tmp_path / "stack.yaml"
    path.write_bytes(EXAMPLE)

    run("stack_import", str(path), "--actor", "editor")

    assert Component.objects.count() == 2
    assert set(AuditEntry.objects.values_list("source", "actor")) == {("import", editor.pk)}
    assert "Nothing to change" in run("stack_import", str(path))


def test_import_without_actor_records_cli(db, tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_bytes(EXAMPLE)
    run("stack_import", str(path))
    assert set(AuditEntry.objects.values_list("actor_name", "source")) == {("cli", "import")}


def test_import_with_errors_fails_listing_each_error_and_writes_nothing(db, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_text("Tool,Annual cost,Renewal date\nCRM,twelve,someday\nMailer,$5,2027-01-01\n")
    before = row_counts()

    with pytest.raises(CommandError) as failure:
        run("stack_import", str(path))

    message = str(failure.value)
    assert message.startswith("2 errors in inventory.csv; nothing was imported:")
    assert 'inventory.csv row 2, column "Annual cost": "twelve" is not an amount.' in message
    assert 'inventory.csv row 2, column "Renewal date": "someday" is not a date.' in message
    assert row_counts() == before


def test_import_of_a_missing_file_fails_clearly(db):
    with pytest.raises(CommandError, match="no such file or folder"):
        run("stack_import", "/nowhere/stack.yaml")


def test_import_actor_must_exist_and_be_an_editor(db, tmp_path, viewer):
    path = tmp_path / "stack.yaml"
    path.write_bytes(EXAMPLE)
    with pytest.raises(CommandError, match="no such user"):
        run("stack_import", str(path), "--actor", "ghost")
    with pytest.raises(CommandError, match="needs the editor role"):
        run("stack_import", str(path), "--actor", "viewer")
    assert Component.objects.count() == 0


def test_import_of_an_inventory_prints_the_columns(db, tmp_path):
    path = tmp_path / "tools.csv"
    path.write_text("Tool,Supplier,Shoe size\nCRM,Acme,42\n")
    output = run("stack_import", str(path))
    assert "Columns" in output and "Supplier" in output and "(ignored)" in output
