"""Capabilities and backlog items in stack as code: natural keys, services (scores, audit), errors that say
where, dependency cycles refused, dry runs and re-imports that write nothing."""

import io
import zipfile
from decimal import Decimal

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.intake.models import BacklogItem, Capability
from stacksteward.stackcode.exporter import export_stack, to_xlsx
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts, wipe

HEAD = "apiVersion: stacksteward/v1\nkind: Stack\n"
FILES = {"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}


def deps(key: str) -> list[str]:
    return sorted(BacklogItem.objects.get(key=key).depends_on.values_list("key", flat=True))


def csv_zip(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stack.csv", "apiVersion,kind\nstacksteward/v1,Stack\n")
        for name, text in files.items():
            archive.writestr(f"{name}.csv", text)
    return buffer.getvalue()


def failing(name: str, content: bytes | str, actor=SystemActor("test")) -> list[str]:
    """Import, check that nothing at all was written, return the error lines."""
    if isinstance(content, str):
        content = content.encode()
    before = row_counts()
    report = import_file(name, content, actor=actor, dry_run=False)
    assert not report.ok
    assert row_counts() == before, "an import with errors wrote something"
    return [str(e) for e in report.errors]


# Export -----------------------------------------------------------------------------------

def test_yaml_export_names_capabilities_and_backlog_items_by_natural_keys(stack):
    document = yaml.safe_load(export_stack("yaml"))

    assert [c["slug"] for c in document["capabilities"]] == ["data-export", "new-landing-page"]
    landing = document["capabilities"][1]
    assert landing == {
        "slug": "new-landing-page", "name": "New landing page", "department": "it", "lead_time_days": 10,
        "offering": "full", "description": "A page on the website\nfrom the approved templates.",
        "can_do": "Templates, forms, tracking.", "cannot_do": "No custom JavaScript.", "active": True,
    }
    assert [i["key"] for i in document["backlog_items"]] == ["Later-Item", "campaign-dashboard", "fix-utm"]
    dashboard = document["backlog_items"][1]
    assert dashboard["components"] == ["warehouse"]
    assert dashboard["depends_on"] == ["Later-Item", "fix-utm"]
    assert dashboard["assignee"] == "Bob Nomail"  # no email: the name
    assert dashboard["effort_days"] == "5.0" and dashboard["priority_override"] == "42.50"
    fix = document["backlog_items"][2]
    assert fix["assignee"] == "ann@example.com" and fix["components"] == ["hubspot-crm", "website"]
    assert "score" not in fix and "computed_score" not in fix  # derived, recomputed on import


def test_xlsx_export_types_days_and_neutralises_formula_like_text(stack):
    workbook = load_workbook(io.BytesIO(export_stack("xlsx")))
    header, *rows = [[c.value for c in row] for row in workbook["backlog_items"].iter_rows()]
    later, dashboard, fix = (dict(zip(header, row, strict=True)) for row in rows)
    assert fix["effort_days"] == 2.5
    assert workbook["backlog_items"].cell(row=4, column=header.index("effort_days") + 1).number_format == "0.0"
    assert later["description"] == "'=SUM(A1) said a customer"
    assert dashboard["depends_on"] == "Later-Item; fix-utm"


# Import through the services ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_import_into_empty_catalog_computes_scores_and_audits_every_item(stack, editor, fmt):
    content = export_stack(fmt)
    wipe()

    report = import_file(FILES[fmt], content, actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    fix = BacklogItem.objects.get(key="fix-utm")
    assert fix.effort_days == Decimal("2.5") and fix.computed_score is not None and fix.score == fix.computed_score
    dashboard = BacklogItem.objects.get(key="campaign-dashboard")
    assert dashboard.score == Decimal("42.50") and dashboard.computed_score is not None
    assert deps("campaign-dashboard") == ["Later-Item", "fix-utm"]
    assert Capability.objects.get(slug="data-export").active is False
    for model in (Capability, BacklogItem):
        audited = set(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                action="create", source="import", actor=editor)
                      .values_list("object_id", flat=True))
        assert audited == {str(pk) for pk in model.objects.values_list("pk", flat=True)}


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_reimport_of_an_export_changes_nothing(stack, editor, fmt):
    before, audit_count = row_counts(), AuditEntry.objects.count()

    report = import_file(FILES[fmt], export_stack(fmt), actor=editor, dry_run=False)

    assert report.ok and report.nothing_to_change, report.summary_lines()
    assert report.unchanged.counts["capabilities"] == 2 and report.unchanged.counts["backlog_items"] == 3
    assert row_counts() == before and AuditEntry.objects.count() == audit_count


def test_dry_run_reports_what_the_import_would_do_and_writes_nothing(stack, editor):
    document = yaml.safe_load(export_stack("yaml"))
    document["capabilities"].append({"slug": "new-report", "name": "New report", "department": "it",
                                     "lead_time_days": 15})
    document["backlog_items"][2]["value"] = 9
    document["backlog_items"][2]["depends_on"] = ["Later-Item"]
    document["backlog_items"].append({"key": "new-item", "title": "A new item", "depends_on": ["fix-utm"]})
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    before = row_counts()

    dry = import_file("stack.yaml", content, actor=editor, dry_run=True)

    assert dry.ok, [str(e) for e in dry.errors]
    assert row_counts() == before
    assert dry.created.counts == {"capabilities": 1, "backlog_items": 1}
    [change] = dry.changed["backlog_items"]
    assert change.key == "fix-utm"
    assert change.fields == {"value": (8, 9), "depends_on": ([], ["Later-Item"])}
    real = import_file("stack.yaml", content, actor=editor, dry_run=False)
    assert real.outcome() == dry.outcome()
    assert deps("fix-utm") == ["Later-Item"] and deps("new-item") == ["fix-utm"]
    assert BacklogItem.objects.get(key="fix-utm").value == 9


def test_dependencies_can_be_reversed_in_one_file(stack, editor):
    """campaign-dashboard → fix-utm becomes fix-utm → campaign-dashboard: the old link goes first."""
    document = yaml.safe_load(export_stack("yaml"))
    items = {i["key"]: i for i in document["backlog_items"]}
    items["campaign-dashboard"]["depends_on"] = ["Later-Item"]
    items["fix-utm"]["depends_on"] = ["campaign-dashboard"]
    items["fix-utm"]["status"] = "new"  # an item in progress cannot wait on one that is not done

    report = import_file("stack.yaml", yaml.safe_dump(document).encode(), actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert deps("fix-utm") == ["campaign-dashboard"] and deps("campaign-dashboard") == ["Later-Item"]


def test_items_are_created_after_the_items_they_depend_on_are_done(db, editor):
    """A file may list an item in progress before the item it waits for, which it marks done."""
    from stacksteward.org.models import Department

    Department.objects.create(name="IT", slug="it")
    text = (HEAD + "backlog_items:\n"
            "  - {key: b, title: B, status: in_progress, depends_on: [a]}\n"
            "  - {key: a, title: A, status: done}\n")
    assert import_file("stack.yaml", text.encode(), actor=editor, dry_run=False).ok
    BacklogItem.objects.filter(key="a").update(status="new")
    text = text.replace("status: done", "status: done, value: 2")
    report = import_file("stack.yaml", text.encode(), actor=editor, dry_run=False)
    assert report.ok, [str(e) for e in report.errors]


# Errors ---------------------------------------------------------------------------------------

def test_dependency_cycle_in_a_file_is_refused_at_the_row_that_closes_it(db):
    text = (HEAD + "backlog_items:\n"
            "  - key: a\n    title: A\n    depends_on: [b]\n"
            "  - key: b\n    title: B\n    depends_on: [c]\n"
            "  - key: c\n    title: C\n    depends_on: [a]\n")
    errors = failing("stack.yaml", text)
    assert errors == ['stack.yaml line 12, field "depends_on": "a" would make a dependency cycle: a → b → c → a; '
                      'an item cannot (even indirectly) depend on itself.']


def test_dependency_cycle_with_the_catalog_is_refused_in_csv(stack):
    header = "key,title,depends_on\n"
    errors = failing("stack.zip", csv_zip(backlog_items=header + "fix-utm,Fix UTM tracking,campaign-dashboard\n"))
    assert errors == ['stack.zip/backlog_items.csv row 2, column "depends_on": "campaign-dashboard" would make a '
                      'dependency cycle: fix-utm → campaign-dashboard → fix-utm; an item cannot (even indirectly) '
                      'depend on itself.']


def test_item_depending_on_itself_is_refused(db):
    errors = failing("stack.yaml", HEAD + "backlog_items:\n  - {key: a, title: A, depends_on: [a]}\n")
    assert errors == ['stack.yaml line 4, field "depends_on": "a" would make a dependency cycle: a → a; an item '
                      'cannot (even indirectly) depend on itself.']


def test_bad_backlog_rows_name_file_row_column_and_value(stack):
    header = "key,title,kind,components,effort_days,value,assignee,depends_on,priority_override,override_reason\n"
    rows = [
        "ok-item,Fine,bug,website,1,5,,,,",
        "bad-effort,Effort,bug,,lots,5,,,,",
        "bad-kind,Kind,chore,,1,5,,,,",
        "bad-component,Component,bug,nowhere,1,5,,,,",
        "bad-person,Person,bug,,1,5,ghost@example.com,,,",
        "bad-dep,Dependency,bug,,1,5,,missing-item,,",
        "bad-override,Override,bug,,1,5,,,12,",
        "bad-value,Value,bug,,1,11,,,,",
        "bad-decimals,Decimals,bug,,1.25,5,,,,",
        "ok-item,Twice,bug,,1,5,,,,",
    ]
    errors = failing("stack.zip", csv_zip(backlog_items=header + "\n".join(rows) + "\n"))
    file = "stack.zip/backlog_items.csv"
    assert errors == [
        f'{file} row 3, column "effort_days": "lots" is not a number of days.',
        f'{file} row 4, column "kind": "chore" is not one of: bug, issue, enhancement, feature_idea, '
        f'customer_feedback.',
        f'{file} row 10, column "effort_days": "1.25" has more than one decimal; give days like 2 or 2.5.',
        f'{file} row 11, column "key": "ok-item" appears twice in backlog_items (first at row 2).',
        f'{file} row 5, column "components": "nowhere" is not a component in the file or the catalog.',
        f'{file} row 6, column "assignee": "ghost@example.com" is not a person in the file or the catalog.',
        f'{file} row 8, column "override_reason": (empty) is refused: Say why the priority is set by hand.',
        f'{file} row 9, column "value": "11" is refused: Ensure this value is less than or equal to 10.',
        f'{file} row 7, column "depends_on": "missing-item" is not a backlog item in the file or the catalog.',
    ]


def test_bad_capability_rows_name_file_line_field_and_value(db):
    from stacksteward.org.models import Department

    Department.objects.create(name="IT", slug="it")
    text = (HEAD + "capabilities:\n"
            "  - slug: landing\n    name: Landing page\n    department: nowhere\n    lead_time_days: 5\n"
            "  - slug: report\n    name: Report\n    department: it\n    lead_time_days: 0\n"
            "  - slug: export\n    name: Export\n    department: it\n    lead_time_days: 3\n    offering: maybe\n"
            "  - slug: audit\n    name: Audit\n    department: it\n")
    errors = failing("stack.yaml", text)
    assert errors == [
        'stack.yaml line 16, field "offering": "maybe" is not one of: full, partial, none.',
        'stack.yaml line 17, field "lead_time_days": this required field is missing.',
        'stack.yaml line 6, field "department": "nowhere" is not a department in the file or the catalog.',
        'stack.yaml line 11, field "lead_time_days": "0" is refused: Ensure this value is greater than or equal '
        'to 1.',
    ]


def test_bad_row_in_xlsx_names_sheet_row_and_column(stack):
    data = {"backlog_items": [{
        "key": "k", "title": "T", "kind": "bug", "description": "", "components": [], "effort_days": None,
        "value": 5, "needed_by": None, "status": "new", "assignee": None, "depends_on": ["nope"],
        "priority_override": None, "override_reason": "",
    }]}
    errors = failing("stack.xlsx", to_xlsx(data))
    assert errors == ['stack.xlsx sheet "backlog_items" row 2, column "depends_on": "nope" is not a backlog item in '
                      'the file or the catalog.']


def test_capability_name_taken_by_another_slug_is_refused(stack):
    text = HEAD + "capabilities:\n  - {slug: landing, name: New landing page, department: it, lead_time_days: 3}\n"
    assert failing("stack.yaml", text) == [
        'stack.yaml line 4, field "name": "New landing page" is refused: Capability with this name already exists.']
