"""Export the whole stack as YAML, CSV (a zip of one file per section, or a folder) or XLSX.

The output is deterministic: every section is sorted by its natural key and every field is
written in the format's order, so exporting twice gives identical bytes, and exporting,
importing into an empty catalog and exporting again gives identical bytes too (the zip
timestamps of CSV and XLSX files are fixed).

Money: an export for a user who may not see all money (``finance.policies.sees_all_money``) leaves out
the columns of ``schema.MONEY_FIELDS`` — what the policies declare as money: components' cost per year,
contracts' value and payment terms, budgets' planned amounts, cost entries' amounts and hours; importing
that file back leaves those values as they are. The CLI, a system actor, exports everything.
"""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .parsing import neutralise, to_text
from .schema import (
    API_VERSION,
    KIND,
    LIST_KINDS,
    LIST_SEPARATOR,
    META_SHEET,
    MONEY_FIELDS,
    SECTIONS,
    SELECTION_PART_KINDS,
    plain_value,
)

REF_KINDS = ("ref", *SELECTION_PART_KINDS)  # written as the key of what they name

FORMATS = ("yaml", "csv", "xlsx")
CONTENT_TYPES = {
    "yaml": "application/yaml",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_NAMES = {"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _values(model, section: str) -> list[dict]:
    """The section's fields straight from the table (``<ref>_id`` for references), no model instances."""
    columns = ["id"]
    for spec in SECTIONS[section].fields:
        if spec.kind in REF_KINDS:
            columns.append(spec.model_attr + "_id")
        elif spec.kind not in LIST_KINDS:
            columns.append(spec.model_attr)
    return list(model.objects.order_by().values(*columns))


def _plain_rows(section: str, rows: list[dict], keys: dict[str, dict], lists: dict[str, dict]) -> list[dict]:
    """Rows as the format writes them: references as keys (``keys[section][id]``), lists from ``lists``."""
    specs = SECTIONS[section].fields
    entries = []
    for row in rows:
        entry = {}
        for spec in specs:
            if spec.kind in REF_KINDS:
                entry[spec.name] = keys[spec.ref].get(row[spec.model_attr + "_id"])
            elif spec.kind in LIST_KINDS:
                entry[spec.name] = plain_value(spec, lists[spec.name].get(row["id"], ()))
            else:
                entry[spec.name] = plain_value(spec, row[spec.model_attr])
        entries.append(entry)
    return entries


def _grouped(pairs) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for owner_id, value in pairs:
        grouped.setdefault(owner_id, []).append(value)
    return grouped


def sees_all_money(user) -> bool:
    """Whether an export for ``user`` carries all money; ``None`` is a system caller (the CLI)."""
    from stacksteward.finance.policies import sees_all_money as sees_all

    return user is None or sees_all(user)


def export_fields(section: str, *, money: bool = True) -> list[str]:
    """The columns of ``section`` in an export, without the money columns when ``money`` is false."""
    names = SECTIONS[section].field_names
    return names if money else [n for n in names if n not in MONEY_FIELDS.get(section, ())]


class StackData(dict):
    """``{section: [plain entry, …]}`` as ``collect`` returns it; ``money`` says whether the money columns are in."""

    money: bool = True


def _specs(data: dict, section: str) -> list:
    """The fields of ``section`` to write for ``data`` (a plain dict carries every field)."""
    names = set(export_fields(section, money=getattr(data, "money", True)))
    return [spec for spec in SECTIONS[section].fields if spec.name in names]


def collect(*, money: bool = True) -> StackData:
    """Every section as sorted lists of plain entries: one query per table and per list field, reading
    plain values (no model instances), so a stack of 10,000 components exports in seconds. Without
    ``money`` the fields of ``MONEY_FIELDS`` are left out of the entries."""
    rows = {section.name: _values(section.model, section.name) for section in SECTIONS.values()}
    keys: dict[str, dict] = {}  # section → {id: how a file names the entry}, for the references
    for section in SECTIONS.values():
        if section.row_key is not None or (len(section.key) == 1 and section.get(section.key[0]).kind not in REF_KINDS):
            keys[section.name] = {row["id"]: section.ref_of_row(row, keys) for row in rows[section.name]}
    data = StackData()
    for section in SECTIONS.values():
        lists = {name: _grouped(pairs()) for name, pairs in section.lists.items()}
        data[section.name] = _plain_rows(section.name, rows[section.name], keys, lists)
        data[section.name].sort(key=section.sort_key)
    data.money = money
    if not money:
        for section, names in MONEY_FIELDS.items():
            for entry in data[section]:
                for name in names:
                    del entry[name]
    return data


# YAML -------------------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()
_TAG = "tag:yaml.org,2002:"


def _scalar(value) -> yaml.ScalarEvent:
    """One scalar as PyYAML's safe serializer would write it (quoted only when it must be)."""
    style = None
    if value is None:
        tag, text = _TAG + "null", "null"
    elif isinstance(value, bool):
        tag, text = _TAG + "bool", "true" if value else "false"
    elif isinstance(value, int):
        tag, text = _TAG + "int", str(value)
    elif isinstance(value, datetime.date):  # a date, or a date-time with its UTC offset
        tag, text = _TAG + "timestamp", value.isoformat()
    else:
        tag, text = _TAG + "str", str(value)
        style = "|" if "\n" in text else None  # multi-line text as a literal block
    implicit = (
        tag == _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)),
        tag == _RESOLVER.resolve(yaml.ScalarNode, text, (False, True)),
    )
    return yaml.ScalarEvent(None, tag, implicit, text, style=style)


def _yaml_events(data: dict[str, list[dict]]):
    """The document as a stream of YAML events: written as it is produced, never held as a node tree."""
    yield yaml.StreamStartEvent()
    yield yaml.DocumentStartEvent(explicit=False)
    yield yaml.MappingStartEvent(None, None, True, flow_style=False)
    for key, value in (("apiVersion", API_VERSION), ("kind", KIND)):
        yield _scalar(key)
        yield _scalar(value)
    for section, entries in data.items():
        yield _scalar(section)
        yield yaml.SequenceStartEvent(None, None, True, flow_style=False)
        for entry in entries:
            yield yaml.MappingStartEvent(None, None, True, flow_style=False)
            for name, value in entry.items():
                if not value and name in SECTIONS[section].omit_empty:
                    continue  # a RACI holder is a department or a person: write only the one that is set
                yield _scalar(name)
                if isinstance(value, list):
                    yield yaml.SequenceStartEvent(None, None, True, flow_style=not value)
                    for item in value:
                        yield _scalar(item)
                    yield yaml.SequenceEndEvent()
                else:
                    yield _scalar(value)
            yield yaml.MappingEndEvent()
        yield yaml.SequenceEndEvent()
    yield yaml.MappingEndEvent()
    yield yaml.DocumentEndEvent(explicit=False)
    yield yaml.StreamEndEvent()


def to_yaml(data: dict[str, list[dict]]) -> bytes:
    text = yaml.emit(_yaml_events(data), Dumper=_Dumper, allow_unicode=True, width=100, indent=2)
    return text.encode("utf-8")


# CSV --------------------------------------------------------------------------------------

def cell_text(value, spec=None) -> str:
    """A plain value in a CSV cell: lists joined with ``; ``, booleans as true/false, formulas neutralised
    (but not a negative number, which a spreadsheet reads as a number, not as a formula)."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    if spec is not None and spec.kind == "number" and value is not None:
        return to_text(value)
    return neutralise(to_text(value))


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def csv_files(data: dict[str, list[dict]]) -> dict[str, bytes]:
    """``{"stack.csv": …, "departments.csv": …, …}`` in the format's order."""
    files = {f"{META_SHEET}.csv": _csv_bytes(["apiVersion", "kind"], [[API_VERSION, KIND]])}
    for section, entries in data.items():
        specs = _specs(data, section)
        header = [spec.name for spec in specs]
        rows = [[cell_text(e[spec.name], spec) for spec in specs] for e in entries]
        files[f"{section}.csv"] = _csv_bytes(header, rows)
    return files


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def to_csv_zip(data: dict[str, list[dict]]) -> bytes:
    return _zip(csv_files(data))


# XLSX -------------------------------------------------------------------------------------

def xlsx_cell(value):
    """A plain value in a spreadsheet cell: numbers, dates and booleans typed, text neutralised."""
    if isinstance(value, list):
        return neutralise(LIST_SEPARATOR.join(value)) or None
    if isinstance(value, datetime.datetime):  # spreadsheets have no time zones: ISO 8601 text with the offset
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value) or None
    return value


NUMBER_FORMATS = {"decimal": "#,##0.00", "number": "#,##0.00", "days": "0.0", "hours": "0.0", "date": "yyyy-mm-dd"}


def to_xlsx(data: dict[str, list[dict]]) -> bytes:
    """One sheet per section (after a ``stack`` sheet with apiVersion and kind), written in streaming mode."""
    workbook = Workbook(write_only=True)
    meta = workbook.create_sheet(META_SHEET)
    meta.append(["apiVersion", API_VERSION])
    meta.append(["kind", KIND])
    bold = Font(bold=True)
    for section, entries in data.items():
        sheet = workbook.create_sheet(section)
        specs = _specs(data, section)
        widths = [len(spec.name) for spec in specs]
        for entry in entries:
            for i, spec in enumerate(specs):
                widths[i] = max(widths[i], min(len(to_text(entry[spec.name])), 60))
        for i, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = width + 2
        sheet.freeze_panes = "A2"
        header = []
        for spec in specs:
            cell = WriteOnlyCell(sheet, spec.name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = {i: NUMBER_FORMATS[spec.kind] for i, spec in enumerate(specs) if spec.kind in NUMBER_FORMATS}
        for entry in entries:
            row = []
            for i, spec in enumerate(specs):
                value = entry[spec.name]
                if i in formats and value is not None:
                    typed = Decimal(value) if spec.kind in ("decimal", "number", "days", "hours") else value
                    cell = WriteOnlyCell(sheet, typed)
                    cell.number_format = formats[i]
                    row.append(cell)
                else:
                    row.append(xlsx_cell(value))
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def _fixed_zip_times(content: bytes) -> bytes:
    """Rewrite the workbook with fixed zip and document timestamps, so equal stacks give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    files = {}
    for info in source.infolist():
        data = source.read(info.filename)
        if info.filename == "docProps/core.xml":
            data = _MODIFIED.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            data = _CREATED.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
        files[info.filename] = data
    return _zip(files)


def xlsx_values(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values (used to compare workbooks regardless of their zip metadata)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()
    for title, rows in sheets.items():  # empty trailing cells are not stored: pad every row to the widest
        width = max((len(r) for r in rows), default=0)
        sheets[title] = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    return sheets


# Entry points -----------------------------------------------------------------------------

def export_stack(fmt: str, *, for_user=None) -> bytes:
    """The whole stack in ``fmt`` (yaml, csv or xlsx); csv is a zip of one CSV file per section.

    ``for_user``: the user the file is for; without the right to see all money the money columns are left out
    (``MONEY_FIELDS``). ``None`` is a trusted system caller (the CLI): everything is exported.
    """
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}.")
    data = collect(money=sees_all_money(for_user))
    if fmt == "yaml":
        return to_yaml(data)
    if fmt == "csv":
        return to_csv_zip(data)
    return to_xlsx(data)


def write_export(fmt: str, path) -> Path:
    """Write the export to ``path``. For csv, a directory (existing, or a path ending in ``/``) gets
    one CSV file per section; any other path gets the zip."""
    fmt = (fmt or "").lower()
    as_folder = str(path).endswith(("/", "\\"))
    path = Path(path)
    if fmt == "csv" and (path.is_dir() or as_folder):
        path.mkdir(parents=True, exist_ok=True)
        for name, content in csv_files(collect()).items():
            (path / name).write_bytes(content)
        return path
    content = export_stack(fmt)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
