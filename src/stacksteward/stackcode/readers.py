"""Read an uploaded file into entries that remember where each value came from.

YAML keeps the line of every entry and field (from the parser's node marks); CSV and XLSX keep
the row (the header is row 1) and the column header as written. The reader also decides what
the file is: the full stack-as-code format (``apiVersion: stacksteward/v1``, or sheets/files
named after the sections with the format's columns) or a marketing team's inventory
spreadsheet (one row per tool).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

from .parsing import is_blank, to_text, unneutralise
from .report import ImportIssue, Location, quote
from .schema import (
    API_VERSION,
    KIND,
    META_SHEET,
    SECTION_ORDER,
    SECTIONS,
    field_name,
    looks_like_full_format,
    section_for_file,
)

EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".zip": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
# Limits on what one file may hold, checked before (or while) it is read, so a hostile or runaway
# file is refused cheaply instead of exhausting memory. Each can be changed in the settings.
MAX_UNZIPPED_BYTES = getattr(settings, "STEWARD_IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
"""A zip of CSV files or an XLSX workbook: the members' sizes once unpacked, added up."""
MAX_ROWS = getattr(settings, "STEWARD_IMPORT_MAX_ROWS", 100_000)
"""Rows in one CSV file or one worksheet (the header included)."""
MAX_COLUMNS = getattr(settings, "STEWARD_IMPORT_MAX_COLUMNS", 1_000)
"""Columns in one worksheet."""
MAX_FIELD_CHARS = getattr(settings, "STEWARD_IMPORT_MAX_FIELD_CHARS", 32_767)
"""Characters in one CSV field (the most an Excel cell holds)."""
MAX_YAML_ALIAS_VALUES = getattr(settings, "STEWARD_IMPORT_MAX_YAML_ALIAS_VALUES", 100_000)
"""Values a YAML file's aliases (``*name``, merges included) may bring in, in total."""
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Entry:
    """One object in the file: its raw values by field, where it is, and where each value is.

    Positions are kept cheaply — the YAML line of each key, or the shared header of each column —
    and turned into a ``Location`` only when an error needs one.
    """

    __slots__ = ("section", "where", "values", "lines", "headers")

    def __init__(self, section: str, where: Location, values: dict | None = None, *,
                 lines: dict | None = None, headers: dict | None = None):
        self.section = section
        self.where = where
        self.values = {} if values is None else values
        self.lines = lines  # YAML: field → line
        self.headers = headers  # CSV/XLSX: field → column header as written

    def place(self, name: str) -> Location:
        """Where the field's value is (the entry itself for errors not tied to one field)."""
        where = self.where
        if not name:
            return where
        if self.lines is not None:
            return Location(where.file, line=self.lines.get(name, where.line), field=name)
        if self.headers is not None and name in self.headers:
            return Location(where.file, sheet=where.sheet, row=where.row, column=self.headers[name])
        return where.at(column=name) if where.row is not None else where.at(field=name)

    def raw(self, name: str):
        return self.values.get(name) if name else None


@dataclass
class Table:
    """A CSV file or a worksheet: headers as written and (row number, cells) for each non-empty row."""

    file: str
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, list]]
    header_row: int = 1

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, sheet=self.sheet, row=row, column=column)


@dataclass
class Document:
    file: str
    format: str  # yaml | csv | xlsx
    kind: str = "full"  # full | inventory
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    inventory: Table | None = None
    errors: list[ImportIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: bool = False  # the file cannot be read as a whole (type, encoding, syntax, version)

    @property
    def label(self) -> str:
        what = "stack as code" if self.kind == "full" else "inventory spreadsheet"
        return f"{what}, {self.format.upper()}"

    def error(self, where: Location, message: str, value=None, *, fatal: bool = False) -> None:
        self.errors.append(ImportIssue.at(where, message, value))
        self.fatal = self.fatal or fatal


# Entry point ------------------------------------------------------------------------------

def read(name: str, content: bytes) -> Document:
    """Read ``content`` (the bytes of a file called ``name``) into a Document, never raising for bad input."""
    name = Path(str(name)).name or "upload"
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    document = Document(file=name, format=fmt or "unknown")
    if fmt is None:
        document.error(Location(name), f"is not a file type Stack Steward reads; use one of: "
                                       f"{', '.join(sorted(EXTENSIONS))}.", fatal=True)
        return document
    if not content or not content.strip():
        document.error(Location(name), "is empty.", fatal=True)
        return document
    suffix = Path(name).suffix.lower()
    if fmt == "yaml":
        _read_yaml(document, content)
    elif suffix == ".zip":
        _read_zip(document, content)
    elif fmt == "csv":
        table = _csv_table(document, name, content)
        if table is not None:
            _single_table(document, Path(name).stem, table)
    else:
        _read_xlsx(document, content)
    return document


def read_directory(path) -> Document:
    """A folder of CSV files written by ``stack_export --format csv -o DIR/``."""
    path = Path(path)
    files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() == ".csv"}
    document = Document(file=path.name or str(path), format="csv")
    if not files:
        document.error(Location(document.file), "holds no CSV files.", fatal=True)
        return document
    _read_csv_members(document, files, prefix=document.file)
    return document


# Text -------------------------------------------------------------------------------------

def _decode(document: Document, where: Location, content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        document.error(where, f"is not UTF-8 text (byte {exc.start + 1} cannot be read); save it with the "
                              f"UTF-8 encoding, e.g. “CSV UTF-8” in your spreadsheet program.", fatal=True)
        return None


# YAML -------------------------------------------------------------------------------------

class LineDict(dict):
    """A mapping that knows its line and the line of each key."""

    __slots__ = ("line", "lines", "duplicates")

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.lines: dict = {}
        self.duplicates: list[tuple[object, int]] | None = None


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "str", "timestamp")}
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MERGE_KEY = object()


def load_yaml(text: str):
    """Safe YAML with line numbers: mappings come back as ``LineDict``.

    Built straight from the parser's events (libyaml when available) rather than from a composed
    node tree, so a 60,000-entry file loads in seconds and in little memory. Only plain data is
    accepted — mappings, lists, strings, numbers, booleans, null and dates; any other tag is refused.
    """
    loader = _Loader(text)
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        value = _build(loader, {}, _Budget())
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            raise yaml.composer.ComposerError(None, None, "the file holds more than one document",
                                              event.start_mark)
        return value
    finally:
        loader.dispose()


class AliasBombError(yaml.MarkedYAMLError):
    """The file's aliases would expand to more values than ``MAX_YAML_ALIAS_VALUES``."""


class _Budget:
    """Counts the values built so far and those aliases bring in again, to refuse an alias bomb."""

    __slots__ = ("built", "aliased", "sizes")

    def __init__(self):
        self.built = 0  # values read from the file
        self.aliased = 0  # values brought in again by aliases
        self.sizes: dict = {}  # anchor → values it stands for, aliases inside it included

    def alias(self, event) -> None:
        size = self.sizes.get(event.anchor, 1)
        self.aliased += size
        self.built += size  # an anchor holding this alias stands for these values too
        if self.aliased > MAX_YAML_ALIAS_VALUES:
            raise AliasBombError(None, None, f"its aliases (*name) expand to more than {MAX_YAML_ALIAS_VALUES:,} "
                                             f"values; write the values out instead", event.start_mark)


def _build(loader, anchors: dict, budget: _Budget):
    event = loader.get_event()
    if isinstance(event, yaml.AliasEvent):
        if event.anchor not in anchors:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor}", event.start_mark)
        budget.alias(event)
        return anchors[event.anchor]
    start = budget.built
    budget.built += 1
    if isinstance(event, yaml.ScalarEvent):
        value = _scalar(loader, event)
    elif isinstance(event, yaml.SequenceStartEvent):
        _check_collection_tag(event)
        value = []
        if event.anchor:
            anchors[event.anchor] = value
        while not loader.check_event(yaml.SequenceEndEvent):
            value.append(_build(loader, anchors, budget))
        loader.get_event()
        if event.anchor:
            budget.sizes[event.anchor] = budget.built - start
        return value
    else:  # mapping
        _check_collection_tag(event)
        value = LineDict(event.start_mark.line + 1)
        if event.anchor:
            anchors[event.anchor] = value
        merged: set = set()  # keys that came from a merge (<<): the mapping's own keys override them
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            line = key_event.start_mark.line + 1
            key = _build(loader, anchors, budget)
            item = _build(loader, anchors, budget)
            if key is _MERGE_KEY:
                for source in item if isinstance(item, list) else [item]:
                    if not isinstance(source, dict):
                        raise yaml.constructor.ConstructorError(None, None, "a merge (<<) needs a mapping",
                                                                key_event.start_mark)
                    for k, v in source.items():
                        if k not in value:
                            value[k] = v
                            value.lines[k] = line
                            merged.add(k)
                continue
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value",
                                                        key_event.start_mark)
            if key in merged:
                merged.discard(key)
            elif key in value:
                if value.duplicates is None:
                    value.duplicates = []
                value.duplicates.append((key, line))
            value[key] = item
            value.lines[key] = line
        loader.get_event()
        if event.anchor:
            budget.sizes[event.anchor] = budget.built - start
        return value
    if event.anchor:
        anchors[event.anchor] = value
    return value


def _check_collection_tag(event) -> None:
    if event.tag not in _COLLECTION_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {event.tag} is not supported", event.start_mark)


def _scalar(loader, event):
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return event.value  # quoted: always text
        tag = loader.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag == _STR:
        return event.value
    if tag == _MERGE:
        return _MERGE_KEY
    if tag not in _SCALAR_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {tag} is not supported", event.start_mark)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return yaml.SafeLoader.yaml_constructors[tag](loader, node)


def _read_yaml(document: Document, content: bytes) -> None:
    text = _decode(document, Location(document.file), content)
    if text is None:
        return
    try:
        data = load_yaml(text)
    except AliasBombError as exc:
        document.error(Location(document.file, line=exc.problem_mark.line + 1), f"is refused: {exc.problem}.",
                       fatal=True)
        return
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "cannot be read"
        document.error(Location(document.file, line=line), f"is not valid YAML: {problem}.", fatal=True)
        return
    except yaml.YAMLError as exc:
        document.error(Location(document.file), f"is not valid YAML: {exc}.", fatal=True)
        return
    if not isinstance(data, LineDict):
        document.error(Location(document.file, line=1),
                       "must be a mapping that starts with “apiVersion: stacksteward/v1” and “kind: Stack”.",
                       fatal=True)
        return
    _check_duplicates(document, data, "")
    where = Location(document.file, line=1)
    if "apiVersion" not in data:
        document.error(where.at(field="apiVersion"),
                       f"the field “apiVersion” is missing; a stack file starts with “apiVersion: {API_VERSION}”.",
                       fatal=True)
    elif data["apiVersion"] != API_VERSION:
        document.error(Location(document.file, line=data.lines["apiVersion"], field="apiVersion"),
                       f"{_q(data['apiVersion'])} is not a supported apiVersion (expected {API_VERSION}).",
                       data["apiVersion"], fatal=True)
    if "kind" in data and data["kind"] != KIND:
        document.error(Location(document.file, line=data.lines["kind"], field="kind"),
                       f"{_q(data['kind'])} is not a supported kind (expected {KIND}).", data["kind"], fatal=True)
    for key in data:
        if key in ("apiVersion", "kind"):
            continue
        line = data.lines[key]
        if key not in SECTIONS:
            document.error(Location(document.file, line=line, field=str(key)),
                           f"{_q(key)} is not a section of the format (sections: {', '.join(SECTION_ORDER)}).", key)
            continue
        items = data[key]
        if items is None:
            continue
        if not isinstance(items, list):
            document.error(Location(document.file, line=line, field=key), f"the section “{key}” must be a list.")
            continue
        document.entries[key] = _yaml_entries(document, key, items, line)


def _yaml_entries(document: Document, section: str, items: list, section_line: int) -> list[Entry]:
    spec = SECTIONS[section]
    entries = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, LineDict):
            document.error(Location(document.file, line=section_line, field=section),
                           f"item {position} of “{section}” must be a mapping of fields, not {_q(item)}.", item)
            continue
        _check_duplicates(document, item, section)
        for key in list(item):
            if key not in spec.field_names:
                document.error(Location(document.file, line=item.lines[key], field=str(key)),
                               f"{_q(key)} is not a field of {section} (fields: {', '.join(spec.field_names)}).",
                               key)
                del item[key]
        entry = Entry(section, Location(document.file, line=item.line), item, lines=item.lines)
        entries.append(entry)
    return entries


def _check_duplicates(document: Document, mapping: LineDict, section: str) -> None:
    for key, line in mapping.duplicates or ():
        document.error(Location(document.file, line=line, field=str(key)),
                       f"the field {_q(key)} appears twice in the same {'entry' if section else 'file'}.", key)


def _q(value) -> str:
    return quote(value)


# CSV --------------------------------------------------------------------------------------

def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _cell(value):
    """A cell as read: text without a formula-neutralising quote, empty text as None."""
    if isinstance(value, str):
        if not value.strip():
            return None
        return unneutralise(value)
    return value


def _csv_table(document: Document, file: str, content: bytes) -> Table | None:
    text = _decode(document, Location(file), content)
    if text is None:
        return None
    if not text.strip():
        document.error(Location(file), "is empty.", fatal=True)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table(file, None, _checked_records(reader))
    except TooLarge as exc:
        document.error(Location(file, row=exc.row, column=exc.column), f"is refused: {exc.problem}.", fatal=True)
    except csv.Error as exc:
        document.error(Location(file, row=reader.line_num or None), f"is not a readable CSV file: {exc}.",
                       fatal=True)
    return None


class TooLarge(Exception):
    """A file, sheet, row or field beyond the import's limits."""

    def __init__(self, problem: str, row: int | None = None, column: str | None = None):
        super().__init__(problem)
        self.problem, self.row, self.column = problem, row, column


def _checked_records(reader):
    """CSV records, refusing a field longer than ``MAX_FIELD_CHARS`` (the csv module's own limit,
    131,072 characters, stops longer ones as a ``csv.Error``)."""
    header: list = []
    for number, record in enumerate(reader, start=1):
        for position, value in enumerate(record, start=1):
            if len(value) > MAX_FIELD_CHARS:
                column = header[position - 1].strip() if position <= len(header) else ""
                raise TooLarge(f"a field holds {len(value):,} characters, more than {MAX_FIELD_CHARS:,}",
                               row=number, column=column or _column_letter(position))
        if not header:
            header = record
        yield record


def _column_letter(position: int) -> str:
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _table(file: str, sheet: str | None, records: list) -> Table | None:
    """The first non-empty record is the header; row numbers count every record (header = its row).

    ``records`` is read one at a time and refused past ``MAX_ROWS``."""
    header_row, headers, rows = None, [], []
    for number, record in enumerate(records, start=1):
        if number > MAX_ROWS:
            raise TooLarge(f"it holds more than {MAX_ROWS:,} rows; split it", row=number)
        cells = [_cell(v) for v in record]
        if all(is_blank(c) for c in cells):
            continue
        if header_row is None:
            header_row = number
            headers = [to_text(c).strip() for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            continue
        rows.append((number, cells))
    if header_row is None:
        return None
    return Table(file, sheet, headers, rows, header_row)


def _single_table(document: Document, stem: str, table: Table) -> None:
    """A lone CSV file or sheet: one section of the full format, or an inventory."""
    if looks_like_full_format(stem, table.headers):
        section = section_for_file(stem)
        document.entries[section.name] = _table_entries(document, section.name, table)
    else:
        document.kind = "inventory"
        document.inventory = table


def _read_zip(document: Document, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if _unzipped_too_large(document, infos):
            return
        files = {}
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1]
            if info.filename.startswith("__MACOSX/") or name.startswith("."):
                continue
            files[name] = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        document.error(Location(document.file), f"is not a readable zip file ({exc}).", fatal=True)
        return
    _read_csv_members(document, files, prefix=document.file)


def _unzipped_too_large(document: Document, infos: list) -> bool:
    """Refuse an archive whose members unpack to more than ``MAX_UNZIPPED_BYTES``, from the sizes its
    directory declares; reading stops at the declared size, so a member cannot unpack to more."""
    if sum(i.file_size for i in infos) <= MAX_UNZIPPED_BYTES:
        return False
    document.error(Location(document.file), f"is refused: it unpacks to more than "
                                            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB; split it.", fatal=True)
    return True


def _read_csv_members(document: Document, files: dict[str, bytes], *, prefix: str) -> None:
    """A zip or folder of ``stack.csv`` and ``<section>.csv`` files."""
    for name in sorted(files):
        file = f"{prefix}/{name}"
        stem, suffix = Path(name).stem, Path(name).suffix.lower()
        if suffix != ".csv" or (stem != META_SHEET and section_for_file(stem) is None):
            document.error(Location(file), f"is not part of the format; expected {META_SHEET}.csv and "
                                           f"{', '.join(s + '.csv' for s in SECTION_ORDER)}.")
            continue
        table = _csv_table(document, file, files[name])
        if table is None:
            continue
        if stem == META_SHEET:
            _check_meta(document, table)
        else:
            section = section_for_file(stem).name
            document.entries[section] = _table_entries(document, section, table)


def _check_meta(document: Document, table: Table) -> None:
    """``stack.csv``: header ``apiVersion,kind`` and one row; the XLSX ``stack`` sheet: key/value rows."""
    pairs: dict[str, tuple[object, Location]] = {}
    lowered = [h.lower() for h in table.headers]
    if lowered[:2] == ["apiversion", "kind"] and table.rows:
        number, cells = table.rows[0]
        for i, header in enumerate(table.headers):
            pairs[header.lower()] = (cells[i] if i < len(cells) else None, table.location(number, header))
    else:
        first = (table.headers + ["", ""])[:2]
        pairs[first[0].lower()] = (first[1], table.location(table.header_row, "B"))
        for number, cells in table.rows:
            key = to_text(cells[0]).strip().lower() if cells else ""
            pairs[key] = (cells[1] if len(cells) > 1 else None, table.location(number, "B"))
    version, where = pairs.get("apiversion", (None, table.location(table.header_row)))
    if version != API_VERSION:
        document.error(where, f"{_q(version)} is not a supported apiVersion (expected {API_VERSION}).", version,
                       fatal=True)
    kind, where = pairs.get("kind", (KIND, None))
    if kind != KIND:
        document.error(where, f"{_q(kind)} is not a supported kind (expected {KIND}).", kind, fatal=True)


def _table_entries(document: Document, section: str, table: Table) -> list[Entry]:
    spec = SECTIONS[section]
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, header in enumerate(table.headers):
        if not header:
            continue
        name = field_name(header)  # "Start date" is start_date
        where = table.location(table.header_row, header)
        if name not in spec.field_names:
            document.error(where, f"{_q(header)} is not a column of {section} "
                                  f"(columns: {', '.join(spec.field_names)}).", header)
        elif name in seen:
            document.error(where, f"the column {_q(header)} appears twice.", header)
        else:
            columns[i] = name
            seen[name] = header
    for name in spec.required:
        if name not in seen:
            document.error(table.location(table.header_row, name), "this required column is missing.")
    headers = {name: seen[name] for name in columns.values()}
    entries = []
    for number, cells in table.rows:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in columns.items()}
        entries.append(Entry(section, table.location(number), values, headers=headers))
    return entries


# XLSX -------------------------------------------------------------------------------------

def _sheet_records(sheet):
    """A worksheet's rows, refusing one whose declared or actual size is beyond ``MAX_ROWS`` and
    ``MAX_COLUMNS`` (the declared size pads every row, so it is checked before any row is read)."""
    if (sheet.max_row or 0) > MAX_ROWS:
        raise TooLarge(f"it declares {sheet.max_row:,} rows, more than {MAX_ROWS:,}; split it")
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise TooLarge(f"it declares {sheet.max_column:,} columns, more than {MAX_COLUMNS:,}")
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(row) > MAX_COLUMNS:
            raise TooLarge(f"it holds more than {MAX_COLUMNS:,} columns", row=number)
        yield row


def _read_xlsx(document: Document, content: bytes) -> None:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if _unzipped_too_large(document, archive.infolist()):
                return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        document.error(Location(document.file), f"is not a readable XLSX workbook ({type(exc).__name__}); "
                                                f"save it again as an Excel workbook (.xlsx).", fatal=True)
        return
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        document.error(Location(document.file), f"is not a readable XLSX workbook ({type(exc).__name__}); "
                                                f"save it again as an Excel workbook (.xlsx).", fatal=True)
        return
    try:
        tables = []
        for sheet in workbook.worksheets:
            table = _table(document.file, sheet.title, _sheet_records(sheet))
            if table is not None:
                tables.append(table)
    except TooLarge as exc:
        document.error(Location(document.file, sheet=sheet.title, row=exc.row), f"is refused: {exc.problem}.",
                       fatal=True)
        return
    except Exception as exc:
        document.error(Location(document.file), f"is not a readable XLSX workbook ({type(exc).__name__}).",
                       fatal=True)
        return
    finally:
        workbook.close()
    if not tables:
        document.error(Location(document.file), "has no data in any sheet.", fatal=True)
        return
    names = {t.sheet.strip().lower(): t for t in tables}
    full = META_SHEET in names or (len(tables) > 1 and all(section_for_file(t.sheet) for t in tables))
    if len(tables) == 1 and not full:
        _single_table(document, tables[0].sheet, tables[0])
        return
    if not full:
        document.kind = "inventory"
        document.inventory = tables[0]
        others = ", ".join(f"“{t.sheet}”" for t in tables[1:])
        document.notes.append(f"Read the sheet “{tables[0].sheet}”; other sheets were ignored: {others}.")
        return
    for table in tables:
        stem = table.sheet.strip().lower()
        if stem == META_SHEET:
            _check_meta(document, table)
        elif section_for_file(stem) is None:
            document.notes.append(f"The sheet “{table.sheet}” is not a section of the format and was ignored.")
        else:
            section = section_for_file(stem).name
            document.entries[section] = _table_entries(document, section, table)
