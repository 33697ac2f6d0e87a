"""What an import did (or would do): created, changed and unchanged entries per section, and errors.

Every error says where it is — file, sheet, row (CSV/XLSX, the header is row 1) or line (YAML),
column or field — and quotes the bad value, so that ``str(error)`` is one line a person can act on::

    inventory.csv row 7, column "Annual cost": "twelve" is not an amount
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .parsing import to_text
from .registry import SECTION_NOUNS  # noqa: F401  (re-exported: rendering, views)
from .schema import SECTION_ORDER


def quote(value) -> str:
    """A value as it appears in a message: ``"twelve"``, ``"9"``, ``(empty)``."""
    if value is None or value == "":
        return "(empty)"
    text = to_text(value) if not isinstance(value, list | tuple) else ", ".join(to_text(v) for v in value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > 80:
        text = text[:77] + "…"
    return f'"{text}"'


def count_phrase(section: str, n: int) -> str:
    one, many = SECTION_NOUNS.get(section, (section, section))
    return f"{n} {one if n == 1 else many}"


@dataclass(slots=True)
class Location:
    """Where a value sits in the imported file."""

    file: str
    sheet: str | None = None
    row: int | None = None  # CSV/XLSX, 1-based, the header row is row 1
    line: int | None = None  # YAML, 1-based
    column: str | None = None  # CSV/XLSX header as written
    field: str | None = None  # YAML key

    def at(self, *, column: str | None = None, field: str | None = None) -> "Location":
        return Location(self.file, self.sheet, self.row, self.line, column or self.column, field or self.field)

    def __str__(self) -> str:
        text = self.file
        if self.sheet:
            text += f' sheet "{self.sheet}"'
        if self.row is not None:
            text += f" row {self.row}"
        if self.line is not None:
            text += f" line {self.line}"
        if self.column:
            text += f', column "{self.column}"'
        elif self.field:
            text += f', field "{self.field}"'
        return text


@dataclass(slots=True)
class ImportIssue:
    """One error. ``message`` is a full sentence that quotes the value when there is one."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    line: int | None = None
    column: str | None = None
    field: str | None = None
    value: object = None

    @classmethod
    def at(cls, where: Location, message: str, value=None) -> "ImportIssue":
        return cls(file=where.file, sheet=where.sheet, row=where.row, line=where.line, column=where.column,
                   field=where.field, message=message, value=value)

    @property
    def location(self) -> Location:
        return Location(self.file, self.sheet, self.row, self.line, self.column, self.field)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "value": jsonable(self.value),
            "message": self.message,
            "text": str(self),
        }


@dataclass(slots=True)
class Change:
    """One entry of the file: its section, its key, and for a change the fields before → after."""

    section: str
    key: str
    fields: dict[str, tuple] = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict:
        data: dict = {"key": self.key}
        if self.fields:
            data["fields"] = {
                name: {"before": jsonable(before), "after": jsonable(after)}
                for name, (before, after) in self.fields.items()
            }
        if self.note:
            data["note"] = self.note
        return data


class SectionItems(dict):
    """``{section: [Change, …]}`` in the format's section order, with ``counts`` and ``total``."""

    def add(self, change: Change) -> Change:
        self.setdefault(change.section, []).append(change)
        return change

    def ordered(self) -> list[tuple[str, list[Change]]]:
        return [(s, self[s]) for s in SECTION_ORDER if self.get(s)]

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(items) for s, items in self.ordered()}

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.values())

    def phrase(self) -> str:
        return ", ".join(count_phrase(s, n) for s, n in self.counts.items())


@dataclass(slots=True)
class Suggestion:
    """A name in the file that is not in the catalog but looks like a component that is: ``"Salesforce"`` →
    ``"Salesforce Sales Cloud"`` (score 0–100, rapidfuzz's weighted ratio). Unless the person confirms it in
    the preview (``matches`` of the import), the import creates a new component under the name as written."""

    name: str  # as written in the file
    match: str  # the existing component's name
    match_key: str  # its slug
    score: int
    where: Location
    accepted: bool = False  # the import used the match (it was confirmed)

    @property
    def text(self) -> str:
        verb = "is read as" if self.accepted else "may be"
        return f"{self.where}: {quote(self.name)} {verb} the component “{self.match}” (match score {self.score})."

    def as_dict(self) -> dict:
        return {"name": self.name, "match": self.match, "match_key": self.match_key, "score": self.score,
                "row": self.where.row, "column": self.where.column, "accepted": self.accepted, "text": self.text}


@dataclass
class ImportReport:
    file: str
    format: str = ""
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    created: SectionItems = field(default_factory=SectionItems)
    changed: SectionItems = field(default_factory=SectionItems)
    unchanged: SectionItems = field(default_factory=SectionItems)
    notes: list[str] = field(default_factory=list)
    columns_matched: dict[str, str] = field(default_factory=dict)  # inventory: header → field
    columns_ignored: list[str] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)  # read and imported, but worth a look
    suggestions: list[Suggestion] = field(default_factory=list)  # inventory: names that look like components

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def nothing_to_change(self) -> bool:
        return self.ok and not self.created.total and not self.changed.total

    def error(self, where: Location, message: str, value=None) -> ImportIssue:
        issue = ImportIssue.at(where, message, value)
        self.errors.append(issue)
        return issue

    def warn(self, where: Location, message: str, value=None) -> ImportIssue:
        issue = ImportIssue.at(where, message, value)
        self.warnings.append(issue)
        return issue

    def clear_outcome(self) -> None:
        """After an error nothing is written, so created/changed/unchanged would only mislead."""
        self.created, self.changed, self.unchanged = SectionItems(), SectionItems(), SectionItems()

    def outcome(self) -> dict:
        """Created, changed and unchanged entries: equal for a dry run and the real import of a file."""
        return {
            name: {section: [c.as_dict() for c in items] for section, items in getattr(self, name).ordered()}
            for name in ("created", "changed", "unchanged")
        }

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "nothing_to_change": self.nothing_to_change,
            "counts": {
                "created": self.created.counts,
                "changed": self.changed.counts,
                "unchanged": self.unchanged.counts,
            },
            **self.outcome(),
            "errors": [e.as_dict() for e in self.errors],
            "notes": list(self.notes),
            "warnings": [w.as_dict() for w in self.warnings],
            "suggestions": [s.as_dict() for s in self.suggestions],
            "columns_matched": dict(self.columns_matched),
            "columns_ignored": list(self.columns_ignored),
        }

    def summary_lines(self, *, details: bool = True) -> list[str]:
        """The report as lines of text (the CLI prints them); ``details=False`` leaves out the warnings and
        suggestions, for a page that shows them in their own tables."""
        head = f"{self.file} ({self.format})" if self.format else self.file
        lines = [head + (" — dry run, nothing was written" if self.dry_run else "")]
        if self.columns_matched:
            lines.append("Columns read: " + ", ".join(f"{h} → {f}" for h, f in self.columns_matched.items()))
        if self.columns_ignored:
            lines.append("Columns ignored: " + ", ".join(self.columns_ignored))
        if details:
            lines.extend(f"Warning: {w}" for w in self.warnings)
            lines.extend(("Matched: " if s.accepted else "Suggestion: ") + s.text for s in self.suggestions)
        if self.errors:
            n = len(self.errors)
            lines.append(f"{n} error{'s' if n != 1 else ''}; nothing was imported:")
            lines.extend(f"  {e}" for e in self.errors)
            return lines
        if self.nothing_to_change:
            lines.append("Nothing to change: everything in the file is already in the catalog"
                         + (f" ({self.unchanged.phrase()})." if self.unchanged.total else "."))
        else:
            verbs = ("Would create", "Would change") if self.dry_run else ("Created", "Changed")
            if self.created.total:
                lines.append(f"{verbs[0]}: {self.created.phrase()}.")
            if self.changed.total:
                lines.append(f"{verbs[1]}: {self.changed.phrase()}.")
            if self.unchanged.total:
                lines.append(f"Unchanged: {self.unchanged.phrase()}.")
        lines.extend(self.notes)
        return lines


def jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
