"""Hostile and runaway files are refused cheaply: a one-line error naming the file (and row), nothing
written, and the import's peak memory stays far below what the file would expand to."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from stacksteward.core.actors import SystemActor
from stacksteward.stackcode import readers
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts

PEAK_BOUND = 50 * 1024 * 1024  # bytes: every hostile file below is refused within this
MB = 1024 * 1024


def billion_laughs() -> bytes:
    """Under 1 KB; each level holds ten of the previous one: 10⁹ strings once expanded."""
    lines = ["apiVersion: stacksteward/v1", "kind: Stack", 'a0: &a0 ["lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines.append("components: [*a9]")
    return ("\n".join(lines) + "\n").encode()


def zip_with_huge_member(member: str, size: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip whose ``member`` unpacks to ``size`` bytes of the same character (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        with archive.open(member, "w", force_zip64=True) as out:
            chunk = b" " * MB
            for _ in range(size // MB):
                out.write(chunk)
    return buffer.getvalue()


def workbook_declaring(dimension: str) -> bytes:
    """A real two-cell workbook whose sheet declares the size ``dimension`` (read-only reading pads every
    row to the declared width and adds the declared rows)."""
    workbook = Workbook()
    workbook.active.append(["Tool", "Vendor"])
    workbook.active.append(["Slack", "Salesforce"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                content = (text[:start] + f'<dimension ref="{dimension}"/>' + text[end:]).encode()
            archive.writestr(info.filename, content)
    return out.getvalue()


def measured(call):
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.fixture
def refused(db):
    """Import the file; check it is refused, nothing is written and the peak memory; return the errors."""

    def run(name: str, content: bytes) -> list[str]:
        before = row_counts()
        report, peak = measured(lambda: import_file(name, content, actor=SystemActor("test"), dry_run=False))
        assert not report.ok
        assert row_counts() == before, "a refused file wrote something"
        assert peak < PEAK_BOUND, f"peak memory {peak / MB:.1f} MB"
        errors = [str(e) for e in report.errors]
        assert len(errors) == 1 and "\n" not in errors[0], errors
        return errors

    return run


def test_yaml_alias_bomb_is_refused(refused):
    content = billion_laughs()
    assert len(content) < 1024
    [error] = refused("bomb.yaml", content)
    assert error.startswith("bomb.yaml")
    assert f"its aliases (*name) expand to more than {readers.MAX_YAML_ALIAS_VALUES:,} values" in error


def test_yaml_merge_bomb_is_refused(refused):
    lines = ["apiVersion: stacksteward/v1", "kind: Stack", "a0: &a0 {k0: lol, k1: lol, k2: lol}"]
    for level in range(1, 12):
        keys = ", ".join(f"x{i}: *a{level - 1}" for i in range(10))
        lines.append(f"a{level}: &a{level} {{{keys}}}")
    [error] = refused("merge.yaml", ("\n".join(lines) + "\n").encode())
    assert "expand to more than" in error and "line " in error


def test_yaml_with_a_few_aliases_still_imports(db):
    text = ("apiVersion: stacksteward/v1\nkind: Stack\ndepartments:\n"
            "  - &marketing {name: Marketing, slug: marketing}\n"
            "  - {<<: *marketing, slug: sales, name: Sales}\n")
    report = import_file("ok.yaml", text.encode(), actor=SystemActor("test"), dry_run=True)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created.total == 2


def test_xlsx_whose_sheet_inflates_hugely_is_refused(refused):
    content = zip_with_huge_member("xl/worksheets/sheet1.xml", readers.MAX_UNZIPPED_BYTES + MB,
                                   {"xl/workbook.xml": b"<workbook/>"})
    assert len(content) < 1 * MB
    [error] = refused("bomb.xlsx", content)
    assert error.startswith("bomb.xlsx")
    assert f"unpacks to more than {readers.MAX_UNZIPPED_BYTES // MB} MB" in error


def test_zip_of_csvs_that_inflates_hugely_is_refused(refused):
    content = zip_with_huge_member("components.csv", readers.MAX_UNZIPPED_BYTES + MB)
    [error] = refused("stack.zip", content)
    assert error.startswith("stack.zip") and "unpacks to more than" in error


@pytest.mark.parametrize(("dimension", "message"), [
    ("A1:B1048576", f"declares 1,048,576 rows, more than {readers.MAX_ROWS:,}"),
    ("A1:XFD2", f"declares 16,384 columns, more than {readers.MAX_COLUMNS:,}"),
])
def test_xlsx_declaring_too_many_rows_or_columns_is_refused(refused, dimension, message):
    [error] = refused("inventory.xlsx", workbook_declaring(dimension))
    assert error.startswith("inventory.xlsx") and message in error


def test_csv_with_too_many_rows_is_refused_at_the_first_row_past_the_limit(refused):
    content = ("Tool\n" + "x\n" * readers.MAX_ROWS).encode()
    [error] = refused("inventory.csv", content)
    assert error.startswith(f"inventory.csv row {readers.MAX_ROWS + 1}")
    assert f"more than {readers.MAX_ROWS:,} rows" in error


def test_csv_field_over_the_size_limit_is_refused_with_its_row(refused):
    content = f"Tool,Notes\nSlack,ok\nZoom,{'z' * (readers.MAX_FIELD_CHARS + 1)}\n".encode()
    [error] = refused("inventory.csv", content)
    assert error.startswith('inventory.csv row 3, column "Notes"')
    assert f"more than {readers.MAX_FIELD_CHARS:,}" in error


def test_csv_field_beyond_the_csv_module_limit_is_refused_with_its_row(refused):
    content = f'Tool,Notes\nSlack,ok\nZoom,"{"z" * 200_000}"\n'.encode()
    [error] = refused("inventory.csv", content)
    assert error.startswith("inventory.csv row 3") and "is not a readable CSV file" in error


def test_web_upload_of_an_alias_bomb_answers_the_error_in_the_report(editor_client):
    editor_client.get(reverse("stackcode:import"))  # the first request loads the pages: not the file's cost
    before = row_counts()
    response, peak = measured(lambda: editor_client.post(
        reverse("stackcode:import"), {"file": SimpleUploadedFile("bomb.yaml", billion_laughs())}))
    assert response.status_code == 200
    assert "expand to more than" in response.content.decode()
    assert row_counts() == before
    assert peak < PEAK_BOUND, f"peak memory {peak / MB:.1f} MB"


def test_web_upload_of_a_zip_bomb_workbook_answers_the_error_in_the_report(editor_client):
    content = zip_with_huge_member("xl/worksheets/sheet1.xml", readers.MAX_UNZIPPED_BYTES + MB,
                                   {"xl/workbook.xml": b"<workbook/>"})
    editor_client.get(reverse("stackcode:import"))  # the first request loads the pages: not the file's cost
    before = row_counts()
    response, peak = measured(lambda: editor_client.post(
        reverse("stackcode:import"), {"file": SimpleUploadedFile("bomb.xlsx", content)}))
    assert response.status_code == 200
    assert "unpacks to more than" in response.content.decode()
    assert row_counts() == before
    assert peak < PEAK_BOUND, f"peak memory {peak / MB:.1f} MB"
