"""Calendar events (freeze periods and marketing events) in stack as code: slugs as natural keys, date-times with
their UTC offset, the changes services (audit), errors that say where, dry runs and re-imports that write nothing."""

import datetime
import io
import zipfile

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from openpyxl import Workbook, load_workbook

from stacksteward.changes.models import CalendarEvent
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.stackcode.exporter import export_stack, to_xlsx
from stacksteward.stackcode.importer import import_file

from .conftest import BERLIN, row_counts, wipe

HEAD = "apiVersion: stacksteward/v1\nkind: Stack\n"
FILES = {"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}


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

def test_yaml_export_writes_events_by_slug_with_offsets_in_the_configured_zone(stack, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    text = export_stack("yaml").decode()
    document = yaml.safe_load(text)

    assert [e["slug"] for e in document["calendar_events"]] == ["q1-freeze", "spring-launch", "webinar-sensors"]
    freeze, launch, webinar = document["calendar_events"]
    assert freeze == {
        "slug": "q1-freeze", "name": "Q1 close freeze", "kind": "freeze",
        "start": datetime.datetime(2027, 3, 25, 18, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "end": datetime.datetime(2027, 4, 2, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        "all_components": True, "components": [], "description": "No changes while Finance closes the quarter.",
    }
    assert launch["components"] == ["hubspot-crm", "website"] and launch["all_components"] is False
    assert "start: 2027-03-25T18:00:00+01:00\n" in text  # a plain YAML timestamp, not a quoted string
    assert "start: 2027-04-12T09:30:00+02:00\n" in text  # stored in UTC, written in the configured zone
    assert "start: 2027-05-04T00:00:00+02:00\n" in text  # midnight keeps its time and offset
    assert webinar["start"] == datetime.datetime(2027, 5, 4, 0, 0, tzinfo=BERLIN)


def test_csv_and_xlsx_write_date_times_as_iso_text_with_the_offset(stack):
    with zipfile.ZipFile(io.BytesIO(export_stack("csv"))) as archive:
        rows = archive.read("calendar_events.csv").decode("utf-8-sig").splitlines()
    assert rows[0] == "slug,name,kind,start,end,all_components,components,description"
    assert rows[-1] == "webinar-sensors,Webinar: sensors 101,webinar,2027-05-03T22:00:00+00:00," \
                       "2027-05-03T23:00:00+00:00,false,website,"
    workbook = load_workbook(io.BytesIO(export_stack("xlsx")))
    header, *values = [[c.value for c in row] for row in workbook["calendar_events"].iter_rows()]
    launch = dict(zip(header, values[1], strict=True))
    assert launch["start"] == "2027-04-12T07:30:00+00:00"  # text: spreadsheets have no time zones
    assert launch["components"] == "hubspot-crm; website"
    assert launch["description"] == "'=Launch day\nall hands"


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_round_trip_in_another_time_zone_gives_identical_bytes(stack, editor, settings, fmt):
    settings.TIME_ZONE = "America/New_York"
    first = export_stack(fmt)
    wipe()

    report = import_file(FILES[fmt], first, actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert export_stack(fmt) == first
    assert CalendarEvent.objects.get(slug="spring-launch").start == datetime.datetime(2027, 4, 12, 7, 30,
                                                                                      tzinfo=datetime.UTC)


# Import through the services ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_import_into_empty_catalog_creates_events_with_components_and_audits_each(stack, editor, fmt):
    content = export_stack(fmt)
    wipe()

    report = import_file(FILES[fmt], content, actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert report.created.counts["calendar_events"] == 3
    launch = CalendarEvent.objects.get(slug="spring-launch")
    assert sorted(launch.components.values_list("slug", flat=True)) == ["hubspot-crm", "website"]
    assert launch.description == "=Launch day\nall hands"
    freeze = CalendarEvent.objects.get(slug="q1-freeze")
    assert freeze.is_freeze and freeze.all_components
    assert freeze.start == datetime.datetime(2027, 3, 25, 18, 0, tzinfo=BERLIN)
    audited = set(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(CalendarEvent),
                                            action="create", source="import", actor=editor)
                  .values_list("object_id", flat=True))
    assert audited == {str(pk) for pk in CalendarEvent.objects.values_list("pk", flat=True)}


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_reimport_of_an_export_leaves_every_event_unchanged(stack, editor, fmt):
    before, audit_count = row_counts(), AuditEntry.objects.count()

    report = import_file(FILES[fmt], export_stack(fmt), actor=editor, dry_run=False)

    assert report.ok and report.nothing_to_change, report.summary_lines()
    assert report.unchanged.counts["calendar_events"] == 3
    assert row_counts() == before and AuditEntry.objects.count() == audit_count


def test_same_instant_in_another_offset_is_unchanged(stack, editor):
    text = (HEAD + "calendar_events:\n"
            "  - slug: spring-launch\n    name: Spring campaign launch\n    kind: campaign_launch\n"
            "    start: 2027-04-12T09:30:00+02:00\n    end: '2027-04-19T17:00:00Z'\n")

    report = import_file("stack.yaml", text.encode(), actor=editor, dry_run=False)

    assert report.ok and report.nothing_to_change, report.summary_lines()


def test_dry_run_reports_created_and_changed_events_and_writes_nothing(stack, editor):
    document = yaml.safe_load(export_stack("yaml"))
    launch = document["calendar_events"][1]
    launch["end"] = datetime.datetime(2027, 4, 20, 17, 0, tzinfo=datetime.UTC)
    launch["components"] = ["website"]
    document["calendar_events"].append({
        "slug": "trade-show", "name": "Sensor Expo", "kind": "Trade show", "start": "2027-06-01T09:00:00+02:00",
        "end": "2027-06-03T18:00:00+02:00", "components": ["website", "warehouse"]})
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    before = row_counts()

    dry = import_file("stack.yaml", content, actor=editor, dry_run=True)

    assert dry.ok, [str(e) for e in dry.errors]
    assert row_counts() == before
    assert dry.created.counts == {"calendar_events": 1}
    [change] = dry.changed["calendar_events"]
    assert change.key == "spring-launch"
    assert set(change.fields) == {"end", "components"}
    assert change.fields["components"] == (["hubspot-crm", "website"], ["website"])
    real = import_file("stack.yaml", content, actor=editor, dry_run=False)
    assert real.outcome() == dry.outcome()
    show = CalendarEvent.objects.get(slug="trade-show")
    assert show.kind == "trade_show" and show.start == datetime.datetime(2027, 6, 1, 7, 0, tzinfo=datetime.UTC)
    assert AuditEntry.objects.filter(object_id=str(stack["launch"].pk), action="update", source="import",
                                     content_type=ContentType.objects.get_for_model(CalendarEvent)).exists()


def test_an_imported_freeze_is_a_conflict_for_changes(stack, editor):
    from stacksteward.changes.conflicts import find_conflicts

    text = (HEAD + "calendar_events:\n  - {slug: summer-freeze, name: Summer freeze, kind: freeze, "
            "start: '2027-08-01T00:00:00+02:00', end: '2027-08-15T00:00:00+02:00', all_components: yes}\n")
    assert import_file("stack.yaml", text.encode(), actor=editor, dry_run=False).ok

    conflicts = find_conflicts(component_ids=[stack["warehouse"].pk], impacted_ids=[],
                               start=datetime.datetime(2027, 8, 3, 10, tzinfo=BERLIN),
                               end=datetime.datetime(2027, 8, 3, 12, tzinfo=BERLIN))
    assert [(c.kind, c.other_name) for c in conflicts] == [("freeze", "Summer freeze")]


# Errors ---------------------------------------------------------------------------------------

def test_date_times_without_offset_are_refused_at_their_line_and_field(stack):
    text = (HEAD + "calendar_events:\n"
            "  - slug: launch\n    name: Launch\n    start: 2027-04-12T08:00:00\n    end: 2027-04-13T08:00:00Z\n"
            "  - slug: show\n    name: Show\n    start: 2027-06-01\n    end: '1 June 2027 18:00'\n"
            "  - slug: webinar\n    name: Webinar\n    start: 2027-06-01T09:00:00+02:00\n")
    errors = failing("stack.yaml", text)
    assert errors == [
        'stack.yaml line 6, field "start": "2027-04-12T08:00:00" has no UTC offset; write it like '
        '2027-03-29T18:00:00+02:00 (Z for UTC).',
        'stack.yaml line 10, field "start": "2027-06-01" is a date without a time and UTC offset; write it like '
        '2027-03-29T18:00:00+02:00.',
        'stack.yaml line 11, field "end": "1 June 2027 18:00" is not a date and time; write it like '
        '2027-03-29T18:00:00+02:00.',
        'stack.yaml line 12, field "end": this required field is missing.',
    ]


def test_bad_event_rows_name_file_row_column_and_value(stack):
    header = "slug,name,kind,start,end,all_components,components\n"
    rows = [
        "ok,Fine,webinar,2027-06-01T09:00:00+02:00,2027-06-01T10:00:00+02:00,no,website",
        "naive,Naive,webinar,2027-06-01 09:00,2027-06-01T10:00:00+02:00,no,",
        "backwards,Backwards,webinar,2027-06-01T10:00:00+02:00,2027-06-01T09:00:00+02:00,no,",
        "bad-kind,Kind,party,2027-06-01T09:00:00+02:00,2027-06-01T10:00:00+02:00,no,",
        "nowhere,Nowhere,webinar,2027-06-01T09:00:00+02:00,2027-06-01T10:00:00+02:00,no,crm-x",
        "q1-freeze,Taken slug is an update,freeze,2027-06-01T09:00:00+02:00,2027-06-01T08:00:00+02:00,yes,",
        "ok,Twice,webinar,2027-06-01T09:00:00+02:00,2027-06-01T10:00:00+02:00,no,",
        "add,Reserved,webinar,2027-06-01T09:00:00+02:00,2027-06-01T10:00:00+02:00,no,",
    ]
    errors = failing("stack.zip", csv_zip(calendar_events=header + "\n".join(rows) + "\n"))
    file = "stack.zip/calendar_events.csv"
    assert errors == [
        f'{file} row 3, column "start": "2027-06-01 09:00" has no UTC offset; write it like '
        f'2027-03-29T18:00:00+02:00 (Z for UTC).',
        f'{file} row 5, column "kind": "party" is not one of: freeze, campaign_launch, trade_show, webinar, '
        f'product_launch, quarter_end, other.',
        f'{file} row 8, column "slug": "ok" appears twice in calendar_events (first at row 2).',
        f'{file} row 6, column "components": "crm-x" is not a component in the file or the catalog.',
        f'{file} row 7, column "end": "2027-06-01T08:00:00+02:00" is refused: The event must end after it starts.',
        f'{file} row 4, column "end": "2027-06-01T09:00:00+02:00" is refused: The event must end after it starts.',
        f'{file} row 9, column "slug": "add" is refused: “add” is reserved for the page that adds new entries; '
        f'choose another short name.',
    ]


def test_spreadsheet_date_time_cell_without_offset_is_refused_with_sheet_row_and_column(stack):
    workbook = Workbook()
    meta = workbook.active
    meta.title = "stack"
    meta.append(["apiVersion", "stacksteward/v1"])
    meta.append(["kind", "Stack"])
    sheet = workbook.create_sheet("calendar_events")
    sheet.append(["slug", "name", "start", "end"])
    sheet.append(["launch", "Launch", datetime.datetime(2027, 4, 12, 8, 0), "2027-04-13T08:00:00+02:00"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    errors = failing("stack.xlsx", buffer.getvalue())

    assert errors == ['stack.xlsx sheet "calendar_events" row 2, column "start": "2027-04-12T08:00:00" has no UTC '
                      'offset; write it like 2027-03-29T18:00:00+02:00 (Z for UTC).']


def test_bad_row_in_exported_xlsx_names_sheet_row_and_column(stack):
    data = {"calendar_events": [{
        "slug": "launch", "name": "Launch", "kind": "campaign_launch",
        "start": datetime.datetime(2027, 4, 12, 8, tzinfo=BERLIN), "end": datetime.datetime(2027, 4, 13, 8,
                                                                                            tzinfo=BERLIN),
        "all_components": False, "components": ["nope"], "description": "",
    }]}
    errors = failing("stack.xlsx", to_xlsx(data))
    assert errors == ['stack.xlsx sheet "calendar_events" row 2, column "components": "nope" is not a component in '
                      'the file or the catalog.']


def test_viewer_cannot_import_calendar_events(stack, viewer):
    from django.core.exceptions import PermissionDenied

    text = (HEAD + "calendar_events:\n  - {slug: x, name: X, start: '2027-08-01T00:00:00Z', "
            "end: '2027-08-02T00:00:00Z'}\n")
    with pytest.raises(PermissionDenied):
        import_file("stack.yaml", text.encode(), actor=viewer, dry_run=False)
    assert not CalendarEvent.objects.filter(slug="x").exists()
