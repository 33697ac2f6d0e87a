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
- **Money only for who may see it.** Contracts' values and payment terms and costs' amounts and hours
  (``schema.MONEY_FIELDS``) are refused for actors without ``finance.permissions.sees_all_values``.
- **Never deletes.** Objects missing from the file are left alone (an objective's success factors are
  part of it: the file's list replaces them); a field missing from an entry
  (a YAML key or a CSV/XLSX column that is not there) is left as it is, while a field that is there
  but empty is cleared.
"""

import functools
import graphlib
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from stacksteward.core.choices import AuditSourceChoices

from . import readers
from .parsing import (
    ValueProblem,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
    split_list,
    to_text,
)
from .report import Change, ImportReport, quote
from .schema import (
    LIST_KINDS,
    MONEY_FIELDS,
    SECTION_ORDER,
    SECTIONS,
    SELECTION_PART_KINDS,
    Field,
    plain_value,
)
from .workspace import Ambiguous, Skip, Workspace, failed_key, holder_key, service

# Sections named by several fields (each part of another entry): their keys compare case-insensitively (URLs exactly).
PART_SECTIONS = ("selection_candidates", "selection_criteria", "selection_scores", "renewal_decisions",
                 "contract_documents", "value_scores")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


# Entry points -----------------------------------------------------------------------------

def import_file(path_or_name, content: bytes, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import ``content``, the bytes of the file named ``path_or_name`` (its extension decides how it is
    read). ``progress(done, total)`` is called now and then on long imports."""
    document = readers.read(Path(str(path_or_name)).name, content)
    return import_document(document, actor=actor, dry_run=dry_run, source=source, progress=progress)


def import_path(path, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a file, or a folder of CSV files as written by ``stack_export --format csv -o DIR/``."""
    path = Path(path)
    document = readers.read_directory(path) if path.is_dir() else readers.read(path.name, path.read_bytes())
    return import_document(document, actor=actor, dry_run=dry_run, source=source, progress=progress)


def import_document(document: readers.Document, *, actor, dry_run: bool, source: str = AuditSourceChoices.IMPORT,
                    progress=None) -> ImportReport:
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

            InventoryImport(document.inventory, workspace).run()
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


# Reading values ---------------------------------------------------------------------------

def read_value(spec: Field, raw):
    """A raw cell or YAML value for ``spec``, typed; raises ValueProblem."""
    kind = spec.kind
    if isinstance(raw, dict) or (isinstance(raw, list | tuple) and kind not in LIST_KINDS):
        raise ValueProblem("is a list or a mapping where one value is expected")
    if kind == "slug":
        text = to_text(raw).strip()
        if text and not SLUG_RE.match(text):
            raise ValueProblem("is not a valid slug (use letters, digits, hyphens and underscores)")
        return text or None
    if kind == "str":
        return to_text(raw).strip()
    if kind == "email":
        return to_text(raw).strip().lower()
    if kind == "text":
        return to_text(raw)
    if kind == "enum":
        return read_choice(spec, raw)
    if kind == "tier":
        return read_tier(raw, spec.default)
    if kind == "int":
        number = parse_int(raw)
        if number is not None and number < 0:
            raise ValueProblem("is negative; use zero or more")
        return spec.default if number is None else number
    if kind == "bool":
        value = parse_bool(raw)
        return spec.default if value is None else value
    if kind == "decimal":
        money = parse_amount(raw)
        if money is None:
            return None
        if money.amount < 0:
            raise ValueProblem("is negative; an amount must be zero or more")
        return money.amount
    if kind == "number":
        return read_number(raw)
    if kind == "days":
        return read_days(raw)
    if kind == "hours":
        return read_days(raw, unit="hours")
    if kind == "currency":
        return read_currency(raw, spec.default)
    if kind == "date":
        return parse_date(raw)
    if kind == "datetime":
        return parse_datetime(raw)
    if kind in ("tags", "names"):
        return split_list(raw, ";")
    if kind == "refs":
        keys = split_list(raw, ";")
        return [key.lower() for key in keys] if spec.ref == "data_categories" else keys
    if kind == "ref" or kind in SELECTION_PART_KINDS:
        return to_text(raw).strip() or None
    raise AssertionError(f"unknown field kind {kind}")


def read_choice(spec: Field, raw):
    text = to_text(raw).strip()
    if not text:
        return spec.default
    folded = text.casefold()
    spellings = _choice_spellings(spec.choices)
    found = spellings.get(folded)
    if found is None:
        found = spellings.get(re.sub(r"[\s\-]+", "_", folded))
    if found is not None:
        return found
    raise ValueProblem(f"is not one of: {', '.join(spec.choice_values())}")


@functools.cache
def _choice_spellings(choices) -> dict[str, str]:
    """{accepted spelling, case-folded: value}: the value, the label and the label before " (…)"."""
    spellings: dict[str, str] = {}
    for value, label in reversed(choices.choices):  # the first choice wins a shared spelling
        value, label = str(value), str(label)
        for spelling in (value.casefold(), label.casefold(), label.split(" (")[0].casefold()):
            spellings[spelling] = value
    for value, _label in choices.choices:  # an underscored spelling matches the value exactly
        spellings.setdefault(str(value), str(value))
    return spellings


def read_days(raw, unit: str = "days") -> Decimal | None:
    """A number of days (or hours) with at most one decimal (``2``, ``2.5``)."""
    try:
        money = parse_amount(raw)
    except ValueProblem:
        raise ValueProblem(f"is not a number of {unit}")
    if money is None:
        return None
    if money.currency is not None:
        raise ValueProblem(f"is not a number of {unit}")
    if money.amount < 0:
        raise ValueProblem(f"is negative; give the {unit} as a number above zero")
    days = money.amount.quantize(Decimal("0.1"))
    if days != money.amount:
        raise ValueProblem(f"has more than one decimal; give {unit} like 2 or 2.5")
    return days


def read_number(raw) -> Decimal | None:
    """A KPI's value or target: a number, negative allowed, ``%`` allowed, no currency (the KPI's applies);
    rounded to two decimals like an amount (``1,200.5``, ``-3``, ``12.5 %``)."""
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%").strip()
    try:
        money = parse_amount(raw)
    except ValueProblem as problem:
        raise ValueProblem("is not a number" if str(problem) == "is not an amount" else str(problem))
    if money is None:
        return None
    if money.currency is not None:
        raise ValueProblem("names a currency; give the number alone (the KPI's currency applies)")
    return money.amount


def read_tier(raw, default):
    if is_blank(raw):
        return default
    text = to_text(raw).strip().lower()
    match = re.fullmatch(r"(?:tier\s*)?(\d+)(?:\s*[-–].*)?", text)
    if match and 1 <= int(match[1]) <= 4:
        return int(match[1])
    raise ValueProblem("is not a criticality tier (1, 2, 3 or 4)")


def read_currency(raw, default=None) -> str:
    """An ISO code; empty means ``default``, or the installation's currency when there is none."""
    text = to_text(raw).strip().upper()
    if not text:
        return settings.STEWARD_CURRENCY if default is None else default
    if not CURRENCY_RE.match(text):
        raise ValueProblem("is not a three-letter currency code such as USD or EUR")
    return text


# The full format --------------------------------------------------------------------------

def _short(where) -> str:
    if where.line is not None:
        return f"line {where.line}"
    prefix = f'sheet "{where.sheet}" ' if where.sheet else ""
    return f"{prefix}row {where.row}"


class FullImport:
    """Apply a Document in the full format: convert and check every value, then write section by
    section (departments, people, vendors, categories, components, relations, RACI)."""

    def __init__(self, document: readers.Document, workspace: Workspace):
        self.document = document
        self.ws = workspace
        self.report = workspace.report
        self._factors: dict | None = None

    # Converting ---------------------------------------------------------------------------

    def run(self) -> None:
        converted: dict[str, list[tuple[readers.Entry, dict | None]]] = {}
        for section in SECTION_ORDER:
            converted[section] = [(e, self.convert(e)) for e in self.document.entries.get(section, [])]
        self.check_duplicates(converted)
        self.check_money()
        self.ws.total = sum(len(items) for items in converted.values())
        self.apply_departments(converted["departments"])
        self.apply_people(converted["people"])
        self.apply_simple("vendors", converted["vendors"])
        self.ws.flush("vendors")
        self.apply_categories(converted["categories"])
        self.apply_components(converted["components"])
        self.apply_relations(converted["relations"])
        self.apply_raci(converted["raci"])
        self.apply_capabilities(converted["capabilities"])
        self.apply_backlog_items(converted["backlog_items"])
        self.apply_calendar_events(converted["calendar_events"])
        self.apply_contracts(converted["contracts"])
        self.apply_objectives(converted["objectives"])
        self.apply_kpis(converted["kpis"])
        self.apply_kpi_measurements(converted["kpi_measurements"])
        self.apply_budgets(converted["budgets"])
        self.apply_cost_entries(converted["cost_entries"])
        self.apply_selections(converted["selections"], converted["selection_candidates"],
                              converted["selection_criteria"], converted["selection_scores"])
        self.apply_renewal_decisions(converted["renewal_decisions"])
        self.apply_contract_documents(converted["contract_documents"])
        self.apply_value_scores(converted["value_scores"])

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
        values = entry.values
        if entry.section == "people":
            return to_text(values.get("email")).strip() or to_text(values.get("name")).strip()
        if entry.section in ("relations", "raci"):
            return "|".join(to_text(values.get(n)).strip() for n in SECTIONS[entry.section].key)
        if entry.section in ("backlog_items", "contracts"):
            return to_text(values.get("key")).strip()
        if entry.section == "objectives":
            return to_text(values.get("name")).strip()
        if entry.section in ("kpi_measurements", "budgets", "cost_entries", *PART_SECTIONS):
            return "|".join(to_text(values.get(n)).strip() for n in SECTIONS[entry.section].key)
        if entry.section == "selections":
            return to_text(values.get("key")).strip()
        return to_text(values.get("slug")).strip()

    @staticmethod
    def file_key(section: str, values: dict) -> tuple[str, str, str]:
        """(identity, how to show it, the field to point at) of a converted entry, to find duplicates."""
        if section == "people":
            if values.get("email"):
                return values["email"], values["email"], "email"
            return "name:" + values["name"].casefold(), values["name"], "name"
        if section in ("relations", "raci"):
            parts = [str(values.get(n) or "") for n in SECTIONS[section].key]
            if section == "relations" and not parts[2]:
                parts[2] = SECTIONS[section].get("type").default
            shown = " · ".join(p for p in parts if p)
            return "|".join(p.casefold() for p in parts), shown, SECTIONS[section].key[0]
        if section in ("backlog_items", "contracts"):
            return values["key"], values["key"], "key"
        if section == "objectives":
            return "name:" + values["name"].casefold(), values["name"], "name"
        if section == "kpi_measurements":
            shown = f"{values['kpi']} · {values['period_start'].isoformat()}"
            return shown.casefold(), shown, "period_start"
        if section == "budgets":
            subject = values.get("component") or values.get("category") or ""
            shown = f"{values['year']} · {subject}"
            return f"{values['year']}|{values.get('component') or ''}|{values.get('category') or ''}".casefold(), \
                shown, "year"
        if section == "selections":
            return values["key"], values["key"], "key"
        if section in PART_SECTIONS:
            parts = [str(values[n]) for n in SECTIONS[section].key]
            folded = [p if n == "url" else p.casefold() for n, p in zip(SECTIONS[section].key, parts, strict=True)]
            return "|".join(folded), " · ".join(parts), SECTIONS[section].key[-1]
        if section == "cost_entries":
            kind = values.get("kind") or SECTIONS[section].get("kind").default
            parts = [values["component"], str(values["year"]), kind, values.get("description") or ""]
            return "|".join(p.casefold() for p in parts), " · ".join(p for p in parts if p), "component"
        return values["slug"], values["slug"], "slug"

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

    def check_money(self) -> None:
        """Contracts' values and payment terms, and costs' amounts and hours, are imported only by people who
        see all money (``finance.permissions.sees_all_values``; the CLI and other system actors do): anyone else
        would learn the current values from the report. Reported once per field, where it first appears."""
        from stacksteward.finance.permissions import sees_all_values

        if sees_all_values(self.ws.actor):
            return
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

    # Sections -----------------------------------------------------------------------------

    def apply_departments(self, items) -> None:
        self.apply_simple("departments", items)
        self.ws.flush("departments")

    def apply_simple(self, section: str, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            slug = values["slug"]
            obj = self.ws.entries[section].get(slug)
            if obj is None and section == "vendors" and values.get("name"):
                try:
                    obj = self.ws.find("vendors", values["name"])
                except Ambiguous:
                    obj = None
            self.write(section, slug, obj, values, entry)

    def _match_person(self, entry, values):
        email, name = values.get("email") or "", values.get("name") or ""
        if email:
            found = self.ws.entries["people"].get(email)
            if found is not None:
                return found
            same_name = [p for p in self.ws.named["people"].get(name.casefold(), []) if not p.email]
            return same_name[0] if len(same_name) == 1 else None
        # No email in the file: the person of that name without an email, else the only one of that name
        # (whose email is then left alone).
        candidates = self.ws.named["people"].get(name.casefold(), [])
        without_email = [p for p in candidates if not p.email]
        if len(without_email) == 1:
            return without_email[0]
        if len(candidates) == 1 and not without_email:
            values.pop("email", None)
            return candidates[0]
        if candidates:
            self.report.error(entry.place("name"), f"{quote(name)} matches several people in the catalog; add "
                                                   f"the person's email to tell them apart.", name)
            raise Skip
        return None

    def apply_people(self, items) -> None:
        in_file = set()
        for _entry, values in items:
            if values is not None:
                in_file.add((values.get("email") or "").lower())
                in_file.add((values.get("name") or "").casefold())
        deferred = []
        waiting = []  # new people whose manager is a new person of the file: created once the manager is
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            key = values.get("email") or values["name"]
            try:
                obj = self._match_person(entry, values)
                desired = self.resolve_refs(entry, values, ["department"])
                manager_ref = values.get("manager")
                if manager_ref:
                    found = self._find_person_quietly(manager_ref)
                    if found is None and manager_ref.strip().casefold() in in_file:
                        if obj is None:
                            waiting.append((entry, key, desired, manager_ref))
                            continue
                        desired.pop("manager")
                        deferred.append((entry, key, manager_ref))
                    else:
                        desired["manager"] = self.ws.resolve("people", manager_ref, entry.place("manager"))
            except Skip:
                self.ws.failed["people"].add(failed_key(key))
                continue
            self.write("people", key, obj, desired, entry)
        self.ws.flush("people")
        # Managers before the people reporting to them, one bulk write per level of the hierarchy.
        while waiting:
            ready, still = [], []
            for item in waiting:
                (ready if self._find_person_quietly(item[3]) is not None else still).append(item)
            if not ready:  # a cycle, or managers that failed: create without, then link as before
                for entry, key, desired, manager_ref in still:
                    desired.pop("manager")
                    self.write("people", key, None, desired, entry)
                    deferred.append((entry, key, manager_ref))
                self.ws.flush("people")
                break
            for entry, key, desired, manager_ref in ready:
                desired["manager"] = self.ws.resolve("people", manager_ref, entry.place("manager"))
                self.write("people", key, None, desired, entry)
            self.ws.flush("people")
            waiting = still
        for entry, key, manager_ref in deferred:
            person = self.ws.find("people", key)
            if person is None:
                continue
            try:
                manager = self.ws.resolve("people", manager_ref, entry.place("manager"))
            except Skip:
                continue
            self.late_update("people", key, person, {"manager": manager}, entry)

    def _find_person_quietly(self, ref: str):
        try:
            return self.ws.find("people", ref)
        except Ambiguous:
            return None

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

    def apply_categories(self, items) -> None:
        # Groups first, so that sub-categories can name a group defined further down the file.
        ordered = sorted(items, key=lambda item: bool(item[1] and item[1].get("parent")))
        groups_flushed = False
        for entry, values in ordered:
            self.ws.tick()
            if values is None:
                continue
            if values.get("parent") and not groups_flushed:
                self.ws.flush("categories")
                groups_flushed = True
            slug = values["slug"]
            try:
                desired = self.resolve_refs(entry, values, ["parent"])
            except Skip:
                self.ws.failed["categories"].add(failed_key(slug))
                continue
            self.write("categories", slug, self.ws.entries["categories"].get(slug), desired, entry)
        self.ws.flush("categories")

    def apply_components(self, items) -> None:
        refs = ["category", "vendor", "business_owner", "technical_owner", "data_categories"]
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            slug = values["slug"]
            try:
                desired = self.resolve_refs(entry, values, refs)
            except Skip:
                self.ws.failed["components"].add(failed_key(slug))
                continue
            self.write("components", slug, self.ws.entries["components"].get(slug), desired, entry)
        self.ws.flush("components")

    def apply_relations(self, items) -> None:
        default_type = SECTIONS["relations"].get("type").default
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["from", "to", "data_categories"])
            except Skip:
                continue
            desired.setdefault("type", default_type)
            key = f"{desired['from'].slug} → {desired['to'].slug} ({desired['type']})"
            self.ws.write_relation(key, desired, place=entry.place, raw=entry.raw)
        self.ws.flush("relations")

    def apply_raci(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                resolved = self.resolve_refs(entry, values, ["component", "department", "person"])
            except Skip:
                continue
            holder = resolved.get("department") or resolved.get("person")
            component = resolved["component"]
            key = f"{component.slug} · {values['activity']} · {values['role']} · {holder_key(holder)}"
            self.ws.write_raci(key, component, values["activity"], values["role"], holder,
                               place=entry.place, raw=entry.raw)
        self.ws.flush("raci")


    def apply_capabilities(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            slug = values["slug"]
            try:
                desired = self.resolve_refs(entry, values, ["department"])
            except Skip:
                self.ws.failed["capabilities"].add(failed_key(slug))
                continue
            self.write("capabilities", slug, self.ws.entries["capabilities"].get(slug), desired, entry)
        self.ws.flush("capabilities")

    def apply_calendar_events(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            slug = values["slug"]
            try:
                desired = self.resolve_refs(entry, values, ["components"])
            except Skip:
                self.ws.failed["calendar_events"].add(failed_key(slug))
                continue
            self.write("calendar_events", slug, self.ws.entries["calendar_events"].get(slug), desired, entry)
        self.ws.flush("calendar_events")

    # Finance ------------------------------------------------------------------------------

    def apply_contracts(self, items) -> None:
        """Contracts, each term before the term continuing it (``previous``): one bulk write per generation."""
        refs = ["vendor", "components", "procurement_owner", "legal_reviewer", "business_owner"]
        pending = []
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                pending.append((entry, values["key"], self.resolve_refs(entry, values, refs)))
            except Skip:
                self.ws.failed["contracts"].add(failed_key(values["key"]))
        while pending:
            waiting_keys = {key for _entry, key, _desired in pending}
            ready, waiting = [], []
            for item in pending:
                previous = item[2].get("previous")
                blocked = previous and previous not in self.ws.entries["contracts"] and previous in waiting_keys
                (waiting if blocked else ready).append(item)
            if not ready:  # every one waits on another: a cycle of terms
                for entry, _key, desired in waiting:
                    self.report.error(entry.place("previous"),
                                      f"{quote(desired['previous'])} would make a cycle of terms; a contract "
                                      f"cannot (even indirectly) continue itself.", desired["previous"])
                break
            for entry, key, desired in ready:
                if desired.get("previous"):
                    try:
                        desired["previous"] = self.ws.resolve("contracts", desired["previous"],
                                                              entry.place("previous"))
                    except Skip:
                        self.ws.failed["contracts"].add(failed_key(key))
                        continue
                self.write("contracts", key, self.ws.entries["contracts"].get(key), desired, entry)
            self.ws.flush("contracts")
            pending = waiting

    def apply_objectives(self, items) -> None:
        """Objectives one by one, then each one's success factors: the file's list is the objective's list
        (factors not in it are deleted, through the services like every write)."""
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            name = values["name"]
            try:
                desired = self.resolve_refs(entry, values, ["owner"])
                obj = self.ws.find("objectives", name)
            except Ambiguous as exc:
                self.report.error(entry.place("name"), str(exc), name)
                self.ws.failed["objectives"].add(failed_key(name))
                continue
            except Skip:
                self.ws.failed["objectives"].add(failed_key(name))
                continue
            factors = desired.pop("success_factors", None)
            new = self.write("objectives", name, obj, desired, entry)
            if new is not None and factors is not None:
                self.sync_success_factors(name, new, factors, entry)

    def success_factors(self) -> dict:
        """Each objective's success factors (objects), loaded on first use: one query."""
        if self._factors is None:
            from stacksteward.finance.models import SuccessFactor

            self._factors = {}
            for factor in SuccessFactor.objects.order_by("id"):
                self._factors.setdefault(factor.objective_id, []).append(factor)
        return self._factors

    def sync_success_factors(self, key: str, objective, names: list[str], entry) -> None:
        from stacksteward.finance import services as finance_services

        spec = SECTIONS["objectives"].get("success_factors")
        current = self.success_factors().get(objective.pk, [])
        before = self.ws.current("objectives", objective)["success_factors"]
        gone = [factor for factor in current if factor.name not in names]
        have = {factor.name for factor in current}
        kept = [factor for factor in current if factor.name in names]
        try:
            for factor in gone:
                finance_services.success_factor_delete(factor, actor=self.ws.actor, source=self.ws.source)
            for name in names:
                if name not in have:
                    kept.append(finance_services.success_factor_create(
                        actor=self.ws.actor, source=self.ws.source, data={"objective": objective, "name": name}))
        except ValidationError as exc:
            self.ws.service_errors("objectives", exc, entry.place, entry.raw, {"name": "success_factors"})
            self.ws.failed["objectives"].add(failed_key(key))
            return
        self.success_factors()[objective.pk] = kept
        self.ws.lists["objectives"]["success_factors"][objective.pk] = [factor.name for factor in kept]
        after = plain_value(spec, [factor.name for factor in kept])
        if after != before:
            self.report_late_change("objectives", key, {"success_factors": (before, after)})

    def apply_kpis(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            slug = values["slug"]
            try:
                desired = self.resolve_refs(entry, values, ["objective", "components"])
            except Skip:
                self.ws.failed["kpis"].add(failed_key(slug))
                continue
            self.write("kpis", slug, self.ws.entries["kpis"].get(slug), desired, entry)
        self.ws.flush("kpis")

    def apply_kpi_measurements(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["kpi"])
            except Skip:
                continue
            kpi, period = desired["kpi"], values["period_start"]
            self.write("kpi_measurements", f"{kpi.slug} · {period.isoformat()}",
                       self.ws.entries["kpi_measurements"].get((kpi.pk, period)), desired, entry)
        self.ws.flush("kpi_measurements")

    def apply_budgets(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["component", "category"])
            except Skip:
                continue
            component, category = desired.get("component"), desired.get("category")
            key = f"{values['year']} · {component.slug}" if component else \
                f"{values['year']} · {category.slug} (category)"
            identity = (values["year"], component.pk if component else None, category.pk if category else None)
            self.write("budgets", key, self.ws.entries["budgets"].get(identity), desired, entry)
        self.ws.flush("budgets")

    def apply_cost_entries(self, items) -> None:
        """Cost entries have no key of their own: component, year, kind and description name one."""
        default_kind = SECTIONS["cost_entries"].get("kind").default
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["component"])
            except Skip:
                continue
            component, year = desired["component"], values["year"]
            kind, description = values.get("kind") or default_kind, values.get("description") or ""
            matches = self.ws.entries["cost_entries"].get((component.pk, year, kind, description), [])
            if len(matches) > 1:
                self.report.error(entry.place("description"),
                                  f"{quote(description)} names {len(matches)} {kind} cost entries of "
                                  f"{component.slug} in {year}; give them different descriptions in the UI first.",
                                  description)
                continue
            key = " · ".join(str(p) for p in (component.slug, year, kind, description) if p)
            self.write("cost_entries", key, matches[0] if matches else None, desired, entry)
        self.ws.flush("cost_entries")

    # Selections, renewal decisions, documents, value scores ---------------------------------

    def apply_selections(self, selections, candidates, criteria, scores) -> None:
        """A selection's own fields, then its candidates, criteria and scores, then its decision (status, chosen
        candidate, reasons, dissent, decided_at) — so that a decided selection's scores are written while it is
        still open, as in the UI. The decision is written through ``selection_update`` (audited) rather than
        ``selection_decide``, which would stamp the import's time and user over the file's ``decided_at``."""
        decision_fields = ("status", "decision_reasons", "dissent", "decided_at")
        open_status = SECTIONS["selections"].get("status").default
        later = []
        for entry, values in selections:
            self.ws.tick()
            if values is None:
                continue
            key = values["key"]
            try:
                desired = self.resolve_refs(entry, values, ["replaces"])
            except Skip:
                self.ws.failed["selections"].add(failed_key(key))
                continue
            decision = {"chosen": desired.pop("chosen")} if "chosen" in desired else {}
            if desired.get("status", open_status) != open_status:
                decision.update({name: desired.pop(name) for name in decision_fields if name in desired})
            written = self.write("selections", key, self.ws.entries["selections"].get(key), desired, entry)
            if written is not None and decision:
                later.append((entry, key, decision))
        self.apply_selection_parts("selection_candidates", candidates, ["selection", "vendor"])
        self.apply_selection_parts("selection_criteria", criteria, ["selection", "department"])
        self.apply_selection_scores(scores)
        for entry, key, decision in later:
            selection = self.ws.entries["selections"][key]
            if decision.get("chosen"):
                try:
                    decision["chosen"] = self.selection_part(entry, selection, "chosen", "selection_candidates",
                                                             decision["chosen"])
                except Skip:
                    self.ws.failed["selections"].add(failed_key(key))
                    continue
            changes = self.ws.diff("selections", self.ws.current("selections", selection), decision)
            if changes and self.update_quietly("selections", selection, decision, entry) is not None:
                self.report_late_change("selections", key, changes)

    def apply_selection_parts(self, section: str, items, refs: list[str]) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, refs)
            except Skip:
                self.ws.failed[section].add(failed_key(self.raw_key(entry)))
                continue
            selection = desired["selection"]
            if section == "selection_candidates":
                identity, key = (selection.pk, values["name"]), f"{selection.key} · {values['name']}"
            else:
                department = desired["department"]
                identity = (selection.pk, department.pk, values["name"])
                key = f"{selection.key} · {department.slug}/{values['name']}"
            self.write(section, key, self.ws.entries[section].get(identity), desired, entry)

    def selection_part(self, entry, selection, name: str, section: str, ref: str):
        """The candidate (by name) or criterion (``department/name``) of ``selection`` that ``ref`` names."""
        found = self.ws.find_selection_part(section, selection, ref)
        if found is not None:
            return found
        raw = ref.replace("/", "|", 1) if section == "selection_criteria" else ref
        if {failed_key(f"{selection.key}|{raw}"), failed_key(f"{selection.key} · {ref}")} & self.ws.failed[section]:
            raise Skip
        noun = "candidate" if section == "selection_candidates" else "criterion"
        self.report.error(entry.place(name), f"{quote(ref)} is not a {noun} of the selection {quote(selection.key)} "
                                             f"in the file or the catalog.", ref)
        raise Skip

    def apply_selection_scores(self, items) -> None:
        """Scores through ``finance.services.score_record`` with the reviewer named (the import is a trusted actor
        for a system caller; a user importing may record only what the UI would let them)."""
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["selection", "reviewer"])
                selection = desired.pop("selection")
                desired["criterion"] = self.selection_part(entry, selection, "criterion", "selection_criteria",
                                                           values["criterion"])
                desired["candidate"] = self.selection_part(entry, selection, "candidate", "selection_candidates",
                                                           values["candidate"])
            except Skip:
                continue
            criterion, candidate, reviewer = desired["criterion"], desired["candidate"], desired["reviewer"]
            key = f"{selection.key} · {values['criterion']} · {candidate.name} · {values['reviewer']}"
            existing = self.ws.entries["selection_scores"].get((criterion.pk, candidate.pk, reviewer.pk))
            self.write("selection_scores", key, existing, desired, entry)

    def apply_renewal_decisions(self, items) -> None:
        """One decision per contract term. Written as records (``core.services.object_create``, audited), never
        through ``contract_decide``: the contract's status and its next term are entries of the file themselves,
        so recording a decision must not create another term."""
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["contract"])
            except Skip:
                continue
            contract = desired["contract"]
            existing = self.ws.entries["renewal_decisions"].get(contract.pk)
            if not desired.get("decided_by"):
                desired.pop("decided_by", None)  # the importing actor's name for a new one; kept for an old one
            self.write("renewal_decisions", contract.key, existing, desired, entry)

    def apply_contract_documents(self, items) -> None:
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["contract"])
            except Skip:
                continue
            contract = desired["contract"]
            self.write("contract_documents", f"{contract.key} · {values['url']}",
                       self.ws.entries["contract_documents"].get((contract.pk, values["url"])), desired, entry)

    def apply_value_scores(self, items) -> None:
        """Through ``finance.services.value_score_record`` with the scorer named."""
        for entry, values in items:
            self.ws.tick()
            if values is None:
                continue
            try:
                desired = self.resolve_refs(entry, values, ["component", "scorer"])
            except Skip:
                continue
            component, scorer, year = desired["component"], desired["scorer"], values["year"]
            self.write("value_scores", f"{component.slug} · {year} · {values['scorer']}",
                       self.ws.entries["value_scores"].get((component.pk, year, scorer.pk)), desired, entry)

    # Backlog items --------------------------------------------------------------------------

    def apply_backlog_items(self, items) -> None:
        """Items first (those they depend on before them), then their dependencies, once every item exists."""
        items = [(entry, values) for entry, values in items if values is not None]
        self.ws.tick(len(self.document.entries.get("backlog_items", [])) - len(items))
        cyclic = self.refuse_cycles(items)
        linked = []
        for entry, values in (items if cyclic else self.dependency_order(items)):
            self.ws.tick()
            key = values["key"]
            try:
                desired = self.resolve_refs(entry, values, ["components", "assignee"])
            except Skip:
                self.ws.failed["backlog_items"].add(failed_key(key))
                continue
            desired.pop("depends_on", None)
            written = self.write("backlog_items", key, self.ws.entries["backlog_items"].get(key), desired, entry)
            if written is not None and "depends_on" in values:
                linked.append((entry, key))
        if not cyclic:
            self.link_dependencies(linked, {values["key"]: values for _entry, values in items})

    def file_graph(self, items) -> tuple[dict[str, list[str]], dict[str, readers.Entry]]:
        """Every item's dependencies by key: the file's where it gives them, else the catalog's."""
        deps = self.ws.lists["backlog_items"]["depends_on"]
        graph = {item.key: list(deps.get(item.pk, [])) for item in self.ws.entries["backlog_items"].values()}
        entries = {}
        for entry, values in items:
            entries[values["key"]] = entry
            if "depends_on" in values:
                graph[values["key"]] = list(values["depends_on"])
            else:
                graph.setdefault(values["key"], [])
        return graph, entries

    def refuse_cycles(self, items) -> bool:
        """Report every dependency cycle at the row (or line) of the file that closes it."""
        graph, entries = self.file_graph(items)
        order = list(entries)  # file order
        cycles, seen = [], set()
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in order:
            if start in state:
                continue
            path, stack = [], [(start, iter(graph.get(start, ())))]
            state[start] = 1
            path.append(start)
            while stack:
                node, successors = stack[-1]
                nxt = next(successors, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(nxt) == 1:
                    cycle = path[path.index(nxt):] + [nxt]
                    if frozenset(cycle) not in seen:
                        seen.add(frozenset(cycle))
                        cycles.append(cycle)
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(graph.get(nxt, ()))))
        for cycle in cycles:
            # The edge of the file that comes last closes the cycle.
            edges = [(a, b) for a, b in zip(cycle, cycle[1:], strict=False) if a in entries]
            if not edges:
                continue
            a, b = max(edges, key=lambda edge: order.index(edge[0]))
            self.report.error(entries[a].place("depends_on"),
                              f"{quote(b)} would make a dependency cycle: {' → '.join(cycle)}; an item cannot "
                              f"(even indirectly) depend on itself.", b)
            self.ws.failed["backlog_items"].add(failed_key(a))
        return bool(cycles)

    @staticmethod
    def dependency_order(items) -> list:
        """The file's items, those they depend on first (so a dependency is done before its item starts)."""
        by_key = {values["key"]: (entry, values) for entry, values in items}
        sorter = graphlib.TopologicalSorter()
        for key, (_entry, values) in by_key.items():
            sorter.add(key, *[dep for dep in values.get("depends_on") or () if dep in by_key])
        return [by_key[key] for key in sorter.static_order()]

    def link_dependencies(self, linked: list, values_by_key: dict) -> None:
        """Set each item's dependencies: first drop the links that go away, then add the new ones, so that no
        intermediate state has a cycle the final one does not have."""
        wanted = []
        for entry, key in linked:
            try:
                deps = [self.ws.resolve("backlog_items", ref, entry.place("depends_on"))
                        for ref in values_by_key[key]["depends_on"]]
            except Skip:
                continue
            item = self.ws.entries["backlog_items"][key]
            before = self.ws.current("backlog_items", item)["depends_on"]
            wanted.append((entry, key, list({d.pk: d for d in deps}.values()), before))
        for entry, key, deps, before in wanted:
            keep = [d for d in deps if d.key in before]
            if len(keep) < len(before):
                self.update_quietly("backlog_items", self.ws.entries["backlog_items"][key], {"depends_on": keep}, entry)
        for entry, key, deps, before in wanted:
            desired = {"depends_on": deps}
            item = self.ws.entries["backlog_items"][key]
            changed = self.ws.diff("backlog_items", self.ws.current("backlog_items", item), desired)
            if changed and self.update_quietly("backlog_items", item, desired, entry) is None:
                continue
            after = self.ws.current("backlog_items", self.ws.entries["backlog_items"][key])["depends_on"]
            if after != before:
                self.report_late_change("backlog_items", key, {"depends_on": (before, after)})

