"""Export → import into an empty catalog → export gives the identical file, for every format."""

import io
import zipfile

import pytest

from stacksteward.core.actors import SystemActor
from stacksteward.stackcode.exporter import export_stack, xlsx_values
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts, wipe

FILES = {"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_export_import_into_empty_catalog_then_export_gives_identical_bytes(stack, editor, fmt):
    first = export_stack(fmt)
    before = row_counts()
    wipe()

    report = import_file(FILES[fmt], first, actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert report.created.counts["components"] == 3
    assert report.created.counts["relations"] == 2
    assert report.created.counts["raci"] == 3
    assert report.created.counts["capabilities"] == 2
    assert report.created.counts["backlog_items"] == 3
    assert report.created.counts["calendar_events"] == 3
    second = export_stack(fmt)
    assert second == first
    if fmt == "xlsx":
        assert xlsx_values(second) == xlsx_values(first)
    counts = row_counts()
    assert {k: v for k, v in counts.items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_round_trip_with_the_money_gives_identical_bytes(finance, admin_user, fmt):
    """Contracts (a term continuing another), objectives with success factors, KPIs, measurements (a negative
    one), budgets and cost entries come back exactly; importing money needs the right to see all of it."""
    first = export_stack(fmt)
    before = row_counts()
    wipe()

    report = import_file(FILES[fmt], first, actor=admin_user, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert {s: report.created.counts[s] for s in ("contracts", "objectives", "kpis", "kpi_measurements", "budgets",
                                                   "cost_entries")} == {
        "contracts": 3, "objectives": 2, "kpis": 2, "kpi_measurements": 3, "budgets": 2, "cost_entries": 3}
    assert export_stack(fmt) == first
    assert {k: v for k, v in row_counts().items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_round_trip_with_selections_decisions_documents_and_value_scores_gives_identical_bytes(finance_records,
                                                                                                 fmt):
    """A decided selection (its scores written while it is open, then its decision with the file's decided_at),
    renewal decisions that create no terms, documents and value scores by named people come back exactly. The
    actor is the CLI's trusted system actor: only it may record value scores in other people's names."""
    first = export_stack(fmt)
    before = row_counts()
    wipe()

    report = import_file(FILES[fmt], first, actor=SystemActor.importer(), dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert {s: report.created.counts[s] for s in (
        "contracts", "selections", "selection_candidates", "selection_criteria", "selection_scores",
        "renewal_decisions", "contract_documents", "value_scores")} == {
        "contracts": 3, "selections": 2, "selection_candidates": 2, "selection_criteria": 2, "selection_scores": 4,
        "renewal_decisions": 2, "contract_documents": 2, "value_scores": 3}
    assert export_stack(fmt) == first
    assert {k: v for k, v in row_counts().items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }
    again = import_file(FILES[fmt], first, actor=SystemActor.importer(), dry_run=False)
    assert again.ok and again.nothing_to_change, again.changed


def test_export_twice_gives_identical_bytes_for_every_format(finance_records):
    for fmt in ("yaml", "csv", "xlsx"):
        assert export_stack(fmt) == export_stack(fmt)


def test_csv_round_trip_keeps_formula_like_text_exactly(stack, editor):
    content = export_stack("csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        vendors = archive.read("vendors.csv").decode("utf-8-sig")
        components = archive.read("components.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in vendors
    assert "'-- starts like a formula" in components
    assert "'@mention and +plus" in components
    wipe()
    assert import_file("stack.zip", content, actor=editor, dry_run=False).ok
    from stacksteward.catalog.models import Component, Vendor

    assert Vendor.objects.get(slug="old-tools").notes == '=HYPERLINK("x")'
    assert Component.objects.get(slug="warehouse").description == "-- starts like a formula"
    assert Component.objects.get(slug="website").description == "@mention and +plus"
