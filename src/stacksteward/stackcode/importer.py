"""Import a stack-as-code file (YAML, CSV zip or folder, XLSX) or an inventory spreadsheet.

Rules (the same from the CLI, the web UI and the API):

- **All or nothing.** Everything runs in one ``transaction.atomic``; when any error is found the
  transaction is rolled back and nothing is written.
- **Every error says where.** File, row (CSV/XLSX, header = row 1) or line (YAML), column or
  field, and the bad value. Errors are collected, not just the first.
- **Idempotent.** Only differences are written; importing the same file again changes nothing
  and the report says so.
- **Dry run = the real run, rolled back.** A dry run performs the import inside the transaction and
  rolls it back, so its report (created, changed with field diffs, unchanged) is exactly what the
  real import reports.
- **Audited like the UI.** Writes go through ``org.services``, ``catalog.services``,
  ``intake.services``, ``changes.services`` and ``finance.services`` with the given actor and
  ``source="import"``. Creates are queued per section and written with the services' ``*_bulk_create``
  (same validation, one audit entry per object), sections in dependency order: departments, people
  (managers first), vendors, categories (groups first), components, relations, RACI, capabilities,
  backlog items, calendar events (freeze periods and marketing events), contracts (a term before the
  term continuing it), objectives (one by one, then their success factors), KPIs, KPI measurements,
  budgets, cost entries, selections (then their candidates, criteria and scores, then their decision), renewal
  decisions (records only: never ``contract_decide``, which would create a term the file already holds),
  contract documents, value scores. Changes are written one object at a time;
  backlog items are created one at a time too (``backlog_item_create`` computes their priority score),
  the items they depend on first, and their dependencies are linked once every item exists. A file whose
  dependencies make a cycle is refused at the row that closes it.
- **Money only for who may see it.** Components' cost per year, contracts' values and payment terms,
  budgets' planned amounts and costs' amounts and hours (``schema.MONEY_FIELDS``) are refused for actors
  without ``finance.permissions.sees_all_values``.
- **Never deletes.** Objects missing from the file are left alone (an objective's success factors are
  part of it: the file's list replaces them); a field missing from an entry
  (a YAML key or a CSV/XLSX column that is not there) is left as it is, while a field that is there
  but empty is cleared.
"""

from collections.abc import Callable, Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from stacksteward.core.choices import AuditSourceChoices

from . import readers
from .parsing import ValueProblem, to_text
from .report import Change, ImportReport, quote
from .schema import MONEY_FIELDS, SECTION_ORDER, SECTIONS
from .values import read_value
from .workspace import Skip, Workspace, failed_key, service

# Entry points -----------------------------------------------------------------------------

def import_file(path_or_name, content: bytes, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                progress: Callable[[int, int], None] | None = None,
                matches: Mapping[str, str] | None = None) -> ImportReport:
    """Import ``content``, the bytes of the file named ``path_or_name`` (its extension decides how it is
    read). ``progress(done, total)`` is called now and then on long imports. ``matches`` (inventory
    spreadsheets): names in the file → the slug of the existing component a person confirmed they mean."""
    document = readers.read(Path(str(path_or_name)).name, content)
    return import_document(document, actor=actor, dry_run=dry_run, source=source, progress=progress,
                           matches=matches)


def import_path(path, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a file, or a folder of CSV files as written by ``stack_export --format csv -o DIR/``."""
    path = Path(path)
    document = readers.read_directory(path) if path.is_dir() else readers.read(path.name, path.read_bytes())
    return import_document(document, actor=actor, dry_run=dry_run, source=source, progress=progress)


def import_document(document: readers.Document, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                    progress=None, matches: Mapping[str, str] | None = None) -> ImportReport:
    report = ImportReport(file=document.file, format=document.label, dry_run=dry_run)
    report.errors.extend(document.errors)
    report.notes.extend(document.notes)
    if _unreadable(document):
        return report
    with transaction.atomic():
        workspace = Workspace(report, actor=actor, source=source, progress=progress,
                              bulk=document.kind != "inventory")
        if document.kind == "inventory":
            from .inventory import InventoryImport

            InventoryImport(document.inventory, workspace, matches=matches).run()
        else:
            FullImport(document, workspace).run()
        if report.errors or dry_run:
            transaction.set_rollback(True)
    if report.errors:
        report.clear_outcome()
    return report


def _unreadable(document: readers.Document) -> bool:
    """Errors that leave nothing to check: the file could not be read, or is another format or version."""
    return document.fatal or (document.kind == "full" and not document.entries and bool(document.errors))


# The full format --------------------------------------------------------------------------

def _short(where) -> str:
    if where.line is not None:
        return f"line {where.line}"
    prefix = f'sheet "{where.sheet}" ' if where.sheet else ""
    return f"{prefix}row {where.row}"


class FullImport:
    """Apply a Document in the full format: convert and check every value, then write section by section in
    the registry's dependency order. A section is written by its ``apply`` (declared by its app, when the
    section needs more than a write per entry: people's managers, category groups, terms continuing terms,
    backlog items' dependencies, a selection with its parts) or else by ``apply_entries``."""

    def __init__(self, document: readers.Document, workspace: Workspace):
        self.document = document
        self.ws = workspace
        self.report = workspace.report
        self.state: dict = {}  # what a section's ``apply`` loads once for the whole import

    # Converting ---------------------------------------------------------------------------

    def run(self) -> None:
        converted: dict[str, list[tuple[readers.Entry, dict | None]]] = {}
        for section in SECTION_ORDER:
            converted[section] = [(e, self.convert(e)) for e in self.document.entries.get(section, [])]
        self.check_duplicates(converted)
        if not self.check_money():
            return  # nothing is written; the rest would be checked against money it may not touch
        self.ws.total = sum(len(items) for items in converted.values())
        for spec in SECTIONS.values():
            if spec.applied_by:  # written with the section it belongs to (a selection's candidates)
                continue
            if spec.apply is not None:
                spec.apply(self, converted[spec.name], converted)
            else:
                self.apply_entries(spec.name, converted[spec.name])

    def convert(self, entry: readers.Entry) -> dict | None:
        """The entry's values, typed; None (after reporting) when any value is bad."""
        spec = SECTIONS[entry.section]
        values: dict = {}
        ok = True
        for name, raw in entry.values.items():
            field_spec = spec.get(name)
            try:
                value = read_value(field_spec, raw)
            except ValueProblem as problem:
                self.report.error(entry.place(name), f"{quote(raw)} {problem}.", raw)
                ok = False
                continue
            if field_spec.required and value in (None, ""):
                self.report.error(entry.place(name), "this required value is empty.", raw)
                ok = False
                continue
            values[name] = value
        for name in spec.required:
            if name not in entry.values:
                ok = False
                if entry.where.line is not None:  # YAML; a table reports its missing column once
                    self.report.error(entry.where.at(field=name), "this required field is missing.")
        if spec.one_of and ok:
            given = [n for n in spec.one_of if values.get(n)]
            if len(given) != 1:
                names = " or a ".join(spec.one_of)
                message = (f"needs a {names}." if not given
                           else f"has both a {' and a '.join(given)}; give only one.")
                self.report.error(entry.where, message)
                ok = False
        for check in spec.checks if ok else ():
            problem = check(entry, values)
            if problem is not None:
                name, message, value = problem
                self.report.error(entry.place(name), message, value)
                ok = False
                break
        if not ok:
            self.ws.failed[entry.section].add(failed_key(self.raw_key(entry)))
            return None
        return values

    @staticmethod
    def raw_key(entry: readers.Entry) -> str:
        """The entry's key as the file wrote it, to remember that it failed."""
        spec = SECTIONS[entry.section]
        if spec.raw_key is not None:
            return spec.raw_key(entry.values)
        return "|".join(to_text(entry.values.get(n)).strip() for n in spec.key)

    @staticmethod
    def file_key(section: str, values: dict) -> tuple[str, str, str]:
        """(identity, how to show it, the field to point at) of a converted entry, to find duplicates: a slug or
        key as it is; a name, or the fields naming a part of another entry, ignoring case (URLs exactly)."""
        spec = SECTIONS[section]
        if spec.file_key is not None:
            return spec.file_key(values)
        if len(spec.key) == 1 and spec.get(spec.key[0]).kind == "slug":
            key = values[spec.key[0]]
            return key, key, spec.key[0]
        parts = [str(values[n]) for n in spec.key]
        folded = [p if n == "url" else p.casefold() for n, p in zip(spec.key, parts, strict=True)]
        return "|".join(folded), " · ".join(parts), spec.key[-1]

    def check_duplicates(self, converted) -> None:
        for section, items in converted.items():
            first: dict[str, readers.Entry] = {}
            for i, (entry, values) in enumerate(items):
                if values is None:
                    continue
                key, shown, name = self.file_key(section, values)
                if key in first:
                    self.report.error(
                        entry.place(name),
                        f"{quote(shown)} appears twice in {section} (first at {_short(first[key].where)}).",
                        shown,
                    )
                    items[i] = (entry, None)
                else:
                    first[key] = entry

    def check_money(self) -> bool:
        """Money (``MONEY_FIELDS``: components' cost per year, contracts' values and payment terms, budgets'
        planned amounts, costs' amounts and hours) is imported only by people who see all money
        (``finance.permissions.sees_all_values``; the CLI and other system actors do): anyone else would learn
        the current values from the report. Reported once per field, where it first appears; False when refused
        (nothing of the file is written then)."""
        from stacksteward.finance.permissions import sees_all_values

        if sees_all_values(self.ws.actor):
            return True
        refused = False
        for section, names in MONEY_FIELDS.items():
            for name in names:
                entry = next((e for e in self.document.entries.get(section, []) if name in e.values), None)
                if entry is None:
                    continue
                what = "field" if entry.where.line is not None else "column"
                raw = entry.raw(name)
                self.report.error(entry.place(name),
                                  f"importing {section} with “{name}” needs the right to see all money (admins, "
                                  f"finance, procurement and legal); leave the {what} out to import the rest.",
                                  raw)
                refused = True
        return not refused

    # Helpers ------------------------------------------------------------------------------

    def resolve_refs(self, entry: readers.Entry, values: dict, names: list[str]) -> dict:
        """Replace reference strings by objects (raises Skip after reporting an unknown one)."""
        spec = SECTIONS[entry.section]
        resolved = dict(values)
        for name in names:
            if name not in values:
                continue
            field_spec = spec.get(name)
            if field_spec.kind == "refs":
                objs = []
                for key in values[name]:
                    objs.append(self.ws.resolve(field_spec.ref, key, entry.place(name)))
                resolved[name] = objs
            elif values[name] is None:
                resolved[name] = None
            else:
                resolved[name] = self.ws.resolve(field_spec.ref, values[name], entry.place(name))
        return resolved

    def write(self, section: str, key: str, obj, desired: dict, entry: readers.Entry):
        return self.ws.write(section, key, obj, desired, place=entry.place, raw=entry.raw)

    def apply_entries(self, section: str, items) -> None:
        """A section whose entries are named by one key: each entry's references resolved, then created or
        changed (queued and written in bulk when the section has a bulk create)."""
        spec = SECTIONS[section]
        name = spec.key[0]
        refs = [f.name for f in spec.fields if f.kind in ("ref", "refs")]
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            key = values[name]
            try:
                desired = self.resolve_refs(entry, values, refs)
            except Skip:
                self.ws.failed[section].add(failed_key(key))
                continue
            self.write(section, key, self.ws.entries[section].get(key), desired, entry)
        if spec.bulk_create is not None:
            self.ws.flush(section)

    def late_update(self, section: str, key: str, obj, desired: dict, entry) -> None:
        """A second write to an entry of this import (a manager or parent defined later in the file):
        merged into the entry's created/changed item instead of a new one."""
        changes = self.ws.diff(section, self.ws.current(section, obj), desired)
        if not changes:
            return
        if self.update_quietly(section, obj, desired, entry) is not None:
            self.report_late_change(section, key, changes)

    def update_quietly(self, section: str, obj, desired: dict, entry):
        """Write ``desired`` to ``obj`` without reporting it; the new object, or None after reporting errors."""
        data = {SECTIONS[section].get(name).model_attr: value for name, value in desired.items()}
        try:
            new = service(section, "update")(obj, actor=self.ws.actor, data=data, expected_version=None,
                                             source=self.ws.source)
        except ValidationError as exc:
            self.ws.service_errors(section, exc, entry.place, entry.raw)
            self.ws.failed[section].add(failed_key(self.raw_key(entry)))
            return None
        self.ws._after_write(section, obj, new, desired)
        return new

    def report_late_change(self, section: str, key: str, changes: dict) -> None:
        """Merge a late change into the entry's created/changed item, or turn its "unchanged" into a change."""
        if any(c.key == key for c in self.report.created.get(section, [])):
            return
        for change in self.report.changed.get(section, []):
            if change.key == key:
                for name, (before, after) in changes.items():
                    change.fields[name] = (change.fields[name][0] if name in change.fields else before, after)
                return
        unchanged = self.report.unchanged.get(section, [])
        self.report.unchanged[section] = [c for c in unchanged if c.key != key]
        if not self.report.unchanged[section]:
            del self.report.unchanged[section]
        self.report.changed.add(Change(section, key, changes))


