"""An import report as rich tables, for the command line."""

import io

from rich.console import Console
from rich.table import Table

from .report import SECTION_NOUNS, ImportReport

MAX_ROWS = 200  # per table, unless verbose


def render_report(report: ImportReport, *, verbose: bool = False, color: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False)
    lines = report.summary_lines()
    console.print(f"[bold]{lines[0]}[/bold]" if color else lines[0], markup=color)

    if report.columns_matched or report.columns_ignored:
        table = Table(title="Columns", title_justify="left")
        table.add_column("Column in the file")
        table.add_column("Read as")
        for header, name in report.columns_matched.items():
            table.add_row(header, name)
        for header in report.columns_ignored:
            table.add_row(header, "(ignored)")
        console.print(table)

    if report.errors:
        n = len(report.errors)
        table = Table(title=f"{n} error{'s' if n != 1 else ''} — nothing was imported", title_justify="left")
        table.add_column("Where")
        table.add_column("Column / field")
        table.add_column("Problem")
        for e in report.errors[: None if verbose else MAX_ROWS]:
            where = e.file + (f" sheet {e.sheet}" if e.sheet else "")
            where += f" row {e.row}" if e.row is not None else f" line {e.line}" if e.line is not None else ""
            table.add_row(where, e.column or e.field or "", e.message)
        console.print(table)
        return buffer.getvalue()

    rows = []
    for section, (_one, many) in SECTION_NOUNS.items():
        counts = [len(getattr(report, name).get(section, [])) for name in ("created", "changed", "unchanged")]
        if any(counts):
            rows.append((many, *counts))
    if rows:
        verbs = ("To create", "To change") if report.dry_run else ("Created", "Changed")
        table = Table(title="Dry run: nothing was written" if report.dry_run else "Import", title_justify="left")
        table.add_column("Section")
        table.add_column(verbs[0], justify="right")
        table.add_column(verbs[1], justify="right")
        table.add_column("Unchanged", justify="right")
        for name, created, changed, unchanged in rows:
            table.add_row(name, str(created), str(changed), str(unchanged))
        console.print(table)

    changes = [
        (SECTION_NOUNS[section][0], change.key, name, before, after)
        for section, items in report.changed.ordered()
        for change in items
        for name, (before, after) in change.fields.items()
    ]
    if changes:
        table = Table(title="Changes", title_justify="left")
        for heading in ("Entry", "Field", "Now", "From the file"):
            table.add_column(heading)
        for section, key, name, before, after in changes[: None if verbose else MAX_ROWS]:
            table.add_row(f"{section} {key}", name, _text(before), _text(after))
        console.print(table)
        if len(changes) > MAX_ROWS and not verbose:
            console.print(f"… and {len(changes) - MAX_ROWS} more changes (use -v 2 to see them all)")

    if verbose and report.created.total:
        table = Table(title="Created" if not report.dry_run else "To create", title_justify="left")
        table.add_column("Section")
        table.add_column("Entry")
        for section, items in report.created.ordered():
            for change in items:
                table.add_row(SECTION_NOUNS[section][0], change.key + (f" ({change.note})" if change.note else ""))
        console.print(table)

    for line in lines[1:]:
        if not line.startswith(("Columns read", "Columns ignored")):
            console.print(line, markup=False)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)
