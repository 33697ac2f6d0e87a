"""The inventory spreadsheet a marketing team already keeps: one row per tool.

Columns are matched by their header, case-insensitively, ignoring punctuation and a trailing
``(USD)``-style note, against the synonyms in ``COLUMNS``; the report lists which columns were
read and which were ignored. Values are read the way people type them (``$12,000``, ``12k``,
``yes``/``x``, ``31/03/2027``, ``March 31, 2027``…). People are matched by email or name, vendors
and categories by name, tools by name or slug; what is missing is created and reported.
"Integrates with" creates data-flow relations to the named tools (placeholder components for
tools that are nowhere else, reported). An empty cell leaves the current value alone.

A tool name that is not in the catalog but looks like a component that is ("Salesforce" and
"Salesforce Sales Cloud") is a *suggestion* with its match score (rapidfuzz's weighted ratio, at
least ``MATCH_CUTOFF``): the preview shows it, and only when the person confirms it (``matches``)
does the import use that component instead of creating a new one. A row with more filled cells than
the header has columns gets a warning naming the row: those cells are not read.
"""

import re
from collections.abc import Mapping

from django.utils.text import slugify
from rapidfuzz import fuzz, process, utils

from .parsing import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    ValueProblem,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_list,
    to_text,
)
from .readers import Entry, Table
from .registry import MONEY_FIELDS
from .report import Change, Suggestion, quote
from .workspace import Ambiguous, Skip, Workspace

PERSONAL_DATA_CATEGORY = "user.contact"  # set when a row says the tool holds personal data
MATCH_CUTOFF = 85  # the lowest match score (0–100) offered as a suggestion

# field → (how the report names it, header synonyms after normalisation)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("tool", (
        "tool", "tool name", "name", "component", "component name", "application", "application name", "app",
        "app name", "system", "system name", "platform", "product", "software", "solution",
    )),
    "vendor": ("vendor", ("vendor", "vendor name", "supplier", "supplier name", "provider", "company", "manufacturer")),
    "category": ("category", ("category", "tool category", "martech category", "function", "type of tool")),
    "business_owner": ("business owner", (
        "business owner", "marketing owner", "owner", "business contact", "marketing contact", "tool owner",
    )),
    "technical_owner": ("technical owner", (
        "technical owner", "tech owner", "it owner", "it contact", "technical contact", "tech contact",
        "system owner", "administrator", "admin",
    )),
    "annual_cost": ("annual cost", (
        "annual cost", "cost", "price", "annual price", "yearly cost", "cost per year", "annual spend", "spend",
        "license cost", "licence cost", "annual fee", "contract value", "annual contract value",
    )),
    "currency": ("currency", ("currency",)),
    "renewal_date": ("renewal date", (
        "renewal date", "renewal", "renews", "renews on", "contract end", "contract end date", "end date",
        "expiry", "expiry date", "expiration date",
    )),
    "data_categories": ("personal data", (
        "contains personal data", "personal data", "pii", "contains pii", "has pii", "personal information",
        "holds personal data", "gdpr relevant",
    )),
    "integrates_with": ("integrates with", (
        "integrates with", "integrations", "connected to", "connects to", "integrated with", "connections",
        "integration", "data flows to",
    )),
    "description": ("description", (
        "description", "notes", "note", "comments", "comment", "purpose", "what it does", "use case",
    )),
    "url": ("URL", ("url", "website", "web site", "link", "login url", "homepage")),
    "seats_purchased": ("seats", (
        "seats", "licenses", "licences", "seats purchased", "license count", "licence count", "user licenses",
    )),
    "tags": ("tags", ("tags", "labels")),
}
_SYNONYMS = {synonym: name for name, (_label, synonyms) in COLUMNS.items() for synonym in synonyms}


def normalise_header(header: str) -> tuple[str, str | None]:
    """``"Annual cost (USD)"`` → (``"annual cost"``, ``"USD"``); ``"Contains PII?"`` → (``"contains pii"``, None)."""
    raw = header.strip()
    currency = None
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in raw and len(symbol) == 1:
            currency = code
    note = re.search(r"\(([^)]*)\)\s*$", raw)
    if note:
        inside = note.group(1).strip()
        if inside.upper() in CURRENCY_CODES:
            currency = inside.upper()
        raw = raw[: note.start()]
    text = re.sub(r"[^0-9a-z]+", " ", raw.casefold()).strip()
    text = re.sub(r"^(?:number of|no of|nr of|of)\s+", "", text)
    words = text.split()
    if len(words) > 1 and words[-1].upper() in CURRENCY_CODES and " ".join(words[:-1]) in _SYNONYMS:
        currency = words[-1].upper()
        text = " ".join(words[:-1])
    return text, currency


def match_columns(headers: list[str]) -> tuple[dict[int, str], dict[str, str | None], list[str]]:
    """({column index: field}, {field: currency noted in its header}, [ignored headers])."""
    columns: dict[int, str] = {}
    hints: dict[str, str | None] = {}
    ignored = []
    for i, header in enumerate(headers):
        if not header:
            continue
        text, currency = normalise_header(header)
        name = _SYNONYMS.get(text)
        if name is None or name in columns.values():
            ignored.append(header)
            continue
        columns[i] = name
        hints[name] = currency
    return columns, hints, ignored


_NAME_EMAIL = re.compile(r"^\s*(.*?)\s*<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def split_person(text: str) -> tuple[str, str]:
    """``"Jane Doe <jane@example.com>"`` → (name, email); an email alone gives a name from its local part."""
    text = text.strip()
    match = _NAME_EMAIL.match(text)
    if match:
        email = match.group(2).lower()
        return match.group(1).strip(" \"'") or _name_from_email(email), email
    if _EMAIL.match(text):
        return _name_from_email(text.lower()), text.lower()
    return text, ""


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    return " ".join(part.capitalize() for part in re.split(r"[._\-+]+", local) if part) or email


def read_url(raw) -> str:
    text = to_text(raw).strip()
    if text and "://" not in text and " " not in text and "." in text:
        text = "https://" + text
    return text


def best_match(name: str, names: Mapping[str, str]) -> tuple[str, int] | None:
    """(key, score) of the entry of ``names`` (key → name) most like ``name``, if it scores ``MATCH_CUTOFF`` or more."""
    found = process.extractOne(name, names, scorer=fuzz.WRatio, processor=utils.default_process,
                               score_cutoff=MATCH_CUTOFF)
    return (found[2], round(found[1])) if found else None


class InventoryImport:
    def __init__(self, table: Table, workspace: Workspace, *, matches: Mapping[str, str] | None = None):
        self.table = table
        self.ws = workspace
        self.report = workspace.report
        self.pairs: set[frozenset] = set()
        self.failed_tools: set[str] = set()
        self.matches = {name.strip().casefold(): slug for name, slug in (matches or {}).items()}
        self.suggested: dict[str, Suggestion] = {}

    def run(self) -> None:
        self.find_header_row()
        columns, hints, ignored = match_columns(self.table.headers)
        for i, name in columns.items():
            self.report.columns_matched[self.table.headers[i]] = COLUMNS[name][0]
        self.report.columns_ignored = ignored
        if "name" not in columns.values():
            expected = ", ".join(f"“{s.title()}”" for s in COLUMNS["name"][1][:6])
            self.report.error(self.table.location(self.table.header_row),
                              f"no column names the tool; give one of these headers: {expected}.")
            return
        if not self.check_money(columns):
            return
        rows = self.read_rows(columns, hints)
        self.ws.total = len(rows) + sum(len(values.get("integrates_with", [])) for _e, values in rows if values)
        components = {}
        for entry, values in rows:
            self.ws.tick()
            if values is not None:
                components[entry.where.row] = self.apply_row(entry, values)
            if components.get(entry.where.row) is None:
                # a row that failed: integrations naming its tool are skipped, not given a placeholder
                self.failed_tools.add(to_text(entry.values.get("name")).strip().casefold())
        for entry, values in rows:
            if values is not None and values.get("integrates_with"):
                self.apply_integrations(entry, values, components.get(entry.where.row))

    def check_money(self, columns: dict[int, str]) -> bool:
        """A cost column is money (``schema.MONEY_FIELDS``): read only for people who see all money, as in the
        stack-as-code import (anyone else would learn the current costs from the report)."""
        from stacksteward.finance.permissions import sees_all_values

        money = [i for i, name in columns.items() if name in MONEY_FIELDS.get("components", ())]
        if not money or sees_all_values(self.ws.actor):
            return True
        header = self.table.headers[money[0]]
        self.report.error(self.table.location(self.table.header_row),
                          f"importing the column “{header}” needs the right to see all money (admins, finance, "
                          f"procurement and legal); leave the column out to import the rest.", header)
        return False

    # Reading ------------------------------------------------------------------------------

    def find_header_row(self, look_ahead: int = 10) -> None:
        """Skip title rows: when the first row names no tool column, the header is the first of the next
        rows that does (row numbers stay the file's own)."""
        if "name" in match_columns(self.table.headers)[0].values():
            return
        for i, (number, cells) in enumerate(self.table.rows[:look_ahead]):
            headers = [to_text(c).strip() for c in cells]
            if "name" in match_columns(headers)[0].values():
                while headers and not headers[-1]:
                    headers.pop()
                self.table.headers, self.table.header_row = headers, number
                self.table.rows = self.table.rows[i + 1:]
                return

    def read_rows(self, columns: dict[int, str], hints: dict) -> list[tuple[Entry, dict | None]]:
        rows = []
        first_row: dict[str, int] = {}
        field_headers = {name: self.table.headers[i] for i, name in columns.items()}
        width = len(self.table.headers)
        for number, cells in self.table.rows:
            values = {name: (cells[i] if i < len(cells) else None) for i, name in columns.items()}
            entry = Entry("components", self.table.location(number), values, headers=field_headers)
            if all(is_blank(v) for v in entry.values.values()):
                continue
            extra = [c for c in cells[width:] if not is_blank(c)]
            if extra:
                shown = ", ".join(quote(c) for c in extra[:3]) + (" …" if len(extra) > 3 else "")
                cells_word = "cell" if len(extra) == 1 else "cells"
                self.report.warn(self.table.location(number),
                                 f"{len(extra)} filled {cells_word} to the right of the header's {width} columns "
                                 f"({shown}) {'was' if len(extra) == 1 else 'were'} not read.", extra)
            values = self.read_row(entry, hints)
            if values is not None:
                key = values["name"].casefold()
                if key in first_row:
                    self.report.error(entry.place("name"), f"{quote(values['name'])} appears twice "
                                                           f"(first on row {first_row[key]}).", values["name"])
                    values = None
                else:
                    first_row[key] = number
            rows.append((entry, values))
        return rows

    def read_row(self, entry: Entry, hints: dict) -> dict | None:
        values: dict = {}
        ok = True
        readers = {
            "annual_cost": parse_amount, "renewal_date": parse_date, "data_categories": parse_bool,
            "seats_purchased": parse_int, "url": read_url,
            "integrates_with": lambda raw: split_list(raw, ",;"), "tags": lambda raw: split_list(raw, ",;"),
            "description": to_text,
        }
        for name, raw in entry.values.items():
            if is_blank(raw):
                continue
            try:
                value = readers.get(name, lambda r: to_text(r).strip())(raw)
                if name == "annual_cost" and value.amount < 0:
                    raise ValueProblem("is negative; an amount must be zero or more")
                if name == "seats_purchased" and value < 0:
                    raise ValueProblem("is negative; use zero or more")
                if name == "currency" and not re.fullmatch(r"[A-Z]{3}", value.upper()):
                    raise ValueProblem("is not a three-letter currency code such as USD or EUR")
            except ValueProblem as problem:
                self.report.error(entry.place(name), f"{quote(raw)} {problem}.", raw)
                ok = False
                continue
            values[name] = value
        if not values.get("name"):
            self.report.error(entry.place("name"), "the tool name is empty.")
            return None
        if "annual_cost" in values:
            money = values.pop("annual_cost")
            values["annual_cost"] = money.amount
            currency = money.currency or (values.get("currency") or "").upper() or hints.get("annual_cost")
            if money.currency and values.get("currency") and money.currency != values["currency"].upper():
                self.report.error(entry.place("annual_cost"), f"{quote(entry.values['annual_cost'])} is in "
                                  f"{money.currency} but the currency column says {values['currency']}.",
                                  entry.values["annual_cost"])
                ok = False
            if currency:
                values["currency"] = currency
        if "currency" in values:
            values["currency"] = values["currency"].upper()
        return values if ok else None

    # Writing ------------------------------------------------------------------------------

    def find_or_create(self, section: str, entry: Entry, column: str, text: str):
        """An existing vendor/category/person named ``text``, or a new one (reported as created)."""
        try:
            if section == "people":
                name, email = split_person(text)
                found = self.ws.find("people", email) if email else self.ws.find("people", name)
                if found is None and email:
                    same = [p for p in self.ws.named["people"].get(name.casefold(), []) if not p.email]
                    found = same[0] if len(same) == 1 else None
                data, key = {"name": name, "email": email}, email or name
            else:
                found = self.ws.find(section, text)
                data, key = {"name": text}, text
        except Ambiguous as exc:
            self.report.error(entry.place(column), str(exc), text)
            raise Skip
        if found is not None:
            return found
        created = self.ws.write(section, key, None, data, place=lambda _n: entry.place(column),
                                raw=lambda _n: text, note=f"named on row {entry.where.row}")
        if created is None:
            raise Skip
        return created

    def apply_row(self, entry: Entry, values: dict):
        name = values["name"]
        desired: dict = {}
        try:
            for column, section in (("vendor", "vendors"), ("category", "categories"),
                                    ("business_owner", "people"), ("technical_owner", "people")):
                if values.get(column):
                    desired[column] = self.find_or_create(section, entry, column, values[column])
            component = (self.ws.find("components", name) or self.ws.entries["components"].get(slugify(name))
                         or self.similar(name, entry.place("name")))
        except Ambiguous as exc:
            self.report.error(entry.place("name"), str(exc), name)
            return None
        except Skip:
            return None
        if component is None:
            desired["name"] = name  # an existing tool keeps its name (the sheet may spell it differently)
        for column in ("annual_cost", "currency", "renewal_date", "description", "url", "seats_purchased"):
            if column in values:
                desired[column] = values[column]
        current_tags = self.ws.lists["components"]["tags"].get(component.pk, []) if component else []
        if values.get("tags"):
            known = {t.casefold() for t in current_tags}
            desired["tags"] = current_tags + [t for t in values["tags"] if t.casefold() not in known]
        if "data_categories" in values:
            desired["data_categories"] = self.data_categories(component, values["data_categories"])
        return self.ws.write("components", name, component, desired, place=entry.place, raw=entry.raw)

    def similar(self, name: str, where):
        """The component a person confirmed ``name`` means (``matches``), or None — after noting the existing
        component that looks most like it as a suggestion for the preview (once per name)."""
        key = name.strip().casefold()
        components = {slug: obj.name for slug, obj in self.ws.entries["components"].items()
                      if obj.name.casefold() != key}
        confirmed = self.ws.entries["components"].get(self.matches.get(key, ""))
        found = (confirmed.slug, round(fuzz.WRatio(name, confirmed.name, processor=utils.default_process))) \
            if confirmed is not None else best_match(name, components)
        if found is None:
            return None
        slug, score = found
        if key not in self.suggested:
            match = self.ws.entries["components"][slug]
            self.suggested[key] = Suggestion(name=name.strip(), match=match.name, match_key=slug, score=score,
                                             where=where, accepted=confirmed is not None)
            self.report.suggestions.append(self.suggested[key])
        return confirmed

    def data_categories(self, component, personal: bool | None) -> list:
        """Yes: keep the tool's categories, adding ``user.contact`` unless it already holds personal data.
        No: drop its personal-data categories. Unknown (n/a, ?): leave them."""
        keys = self.ws.lists["components"]["data_categories"].get(component.pk, []) if component else []
        current = [self.ws.entries["data_categories"][k] for k in keys]
        if personal is None:
            return current
        if personal:
            if any(dc.is_personal for dc in current):
                return current
            default = self.ws.entries["data_categories"].get(PERSONAL_DATA_CATEGORY) or next(
                (dc for dc in self.ws.entries["data_categories"].values() if dc.is_personal), None
            )
            return current + ([default] if default else [])
        return [dc for dc in current if not dc.is_personal]

    def apply_integrations(self, entry: Entry, values: dict, source) -> None:
        for target_name in values["integrates_with"]:
            self.ws.tick()
            if source is None:
                continue
            try:
                target = (self.ws.find("components", target_name)
                          or self.ws.entries["components"].get(slugify(target_name)))
            except Ambiguous as exc:
                self.report.error(entry.place("integrates_with"), str(exc), target_name)
                continue
            if target is None and target_name.casefold() in self.failed_tools:
                continue
            if target is None:
                target = self.similar(target_name, entry.place("integrates_with"))
            if target is not None and target.pk == source.pk:
                self.report.error(entry.place("integrates_with"), f"{quote(target_name)} is the tool itself; a "
                                  f"tool cannot integrate with itself.", target_name)
                continue
            if target is None:
                note = f"placeholder: named in “integrates with” on row {entry.where.row}; complete its details"
                target = self.ws.write(
                    "components", target_name, None,
                    {"name": target_name, "description": f"Created by the import of {self.table.file}: "
                                                         f"{source.name} integrates with it."},
                    place=lambda _n: entry.place("integrates_with"), raw=lambda _n, t=target_name: t, note=note,
                )
                if target is None:
                    continue
                self.report.notes.append(f"Created the placeholder component “{target_name}” (named in "
                                         f"“integrates with” on row {entry.where.row}); complete its details.")
            pair = frozenset((source.pk, target.pk))
            if pair in self.pairs:
                continue  # both rows name each other: one relation
            self.pairs.add(pair)
            key = f"{source.name} → {target.name} (data_flow)"
            if (target.pk, source.pk, "data_flow") in self.ws.relations:
                self.report.unchanged.add(Change("relations", f"{target.name} → {source.name} (data_flow)"))
                continue
            self.ws.write_relation(key, {"from": source, "to": target, "type": "data_flow"},
                                   place=lambda _n: entry.place("integrates_with"),
                                   raw=lambda _n, t=target_name: t)
