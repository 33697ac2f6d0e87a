"""The catalog as an import sees it: bulk-loaded once, looked up by natural key, written through services.

Both importers (the full format and the inventory spreadsheet) use one ``Workspace``. It loads
every department, person, vendor, category, data category, component, capability, backlog
item, calendar event, contract, objective, KPI, measurement, budget and cost entry (about thirty queries
whatever the size of the catalog; relations are loaded as plain values), answers look-ups by slug, email,
key or name without further queries, compares what the file wants with what is there, and writes only the
differences through ``org.services``, ``catalog.services``, ``intake.services``, ``changes.services`` and
``finance.services`` — so every write is validated and audited exactly as from the web UI, with
``source="import"``, and backlog items get their priority scores.

With ``bulk=True`` (the full format) creates are queued (``enqueue``) after the uniqueness checks
that ``validate_unique`` would query for, and ``flush(section)`` writes them with the services'
``*_bulk_create``: a few queries per section instead of several per object. Backlog items are
always created one by one through ``intake.services.backlog_item_create``, which computes their
priority score.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from stacksteward.core import limits
from stacksteward.core.exceptions import ConflictError

from .report import Change, ImportReport, Location, quote
from .schema import (
    LIST_KINDS,
    REF_TARGETS,
    SECTIONS,
    SELECTION_PART_KINDS,
    Field,
    comparable,
    person_key,
    plain_value,
    ref_key,
)


def _noun(section: str) -> str:
    """How an error names one entry of ``section`` ("is not a component in the file or the catalog")."""
    target = SECTIONS.get(section) or REF_TARGETS[section]
    return target.singular


def unique_name(section: str, message: str):
    """A ``Section.unique`` for names that must be unique (exactly, like the model's constraint)."""

    def unique(ws, data: dict, taken: set):
        name = (data.get("name") or "").strip()
        if not name:
            return None, []
        if ws.name_taken(section, name, taken):
            return {"name": message}, []
        return None, [("name", name)]

    return unique


def service(section: str, job: str):
    """A section's ``create`` or ``update`` service; a refusal of the person it names (a reviewer or scorer the
    actor may not name: PermissionDenied) becomes a ValidationError at that field (``Section.refused_at``), so
    that it is reported at its row like any refused value."""
    spec = SECTIONS[section]
    function = getattr(spec, job)
    if not spec.refused_at:
        return function

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except PermissionDenied as exc:
            raise ValidationError({spec.refused_at: str(exc) or "You may not record this."})

    return run


class Skip(Exception):
    """The entry depends on an entry that already failed; its error was reported there."""


class Ambiguous(Exception):
    pass


@dataclass(slots=True)
class Queued:
    """A create waiting for its section's bulk write: the model data and where the entry sits in the file."""

    key: str
    data: dict
    desired: dict
    place: Callable
    raw: Callable
    note: str = ""
    attr_to_field: dict | None = None


class Workspace:
    def __init__(self, report: ImportReport, *, actor, source: str, progress: Callable | None = None,
                 bulk: bool = False):
        self.report = report
        self.actor = actor
        self.source = source
        self.progress = progress
        self.total = 0
        self.done = 0
        self.failed: dict[str, set[str]] = defaultdict(set)
        # bulk=True: creates are queued per section and written by ``flush`` (a few queries per section
        # instead of several per object); the importer flushes each section before the next one needs it.
        self.bulk = bulk
        self.queue: dict[str, list[Queued]] = defaultdict(list)
        self._queued_keys: dict[str, set] = defaultdict(set)
        self._load()

    # Loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        """Every registered section's entries by key (and by name where a file may name them so), by id, and the
        current values of their list fields; relations as plain rows, RACI assignments as plain tuples."""
        self.by_id: dict[str, dict[int, object]] = defaultdict(dict)
        self.entries: dict[str, dict] = {name: {} for name in (*REF_TARGETS, *SECTIONS)}
        self.named: dict[str, dict[str, list]] = {name: defaultdict(list) for name in SECTIONS}
        for target in REF_TARGETS.values():
            for obj in target.model.objects.all():
                self.entries[target.name][getattr(obj, target.key)] = obj
                self.by_id[target.name][obj.pk] = obj
        for spec in SECTIONS.values():
            if spec.index_key is not None:
                for obj in (spec.load() if spec.load is not None else spec.model.objects.all()):
                    self._index(spec, obj, loading=True)
        self.lists: dict[str, dict[str, dict[int, list]]] = {}
        for spec in SECTIONS.values():
            self.lists[spec.name] = {}
            for name, pairs in spec.lists.items():
                grouped = self.lists[spec.name][name] = defaultdict(list)
                for owner_id, value in pairs():
                    grouped[owner_id].append(value)
        relations = SECTIONS["relations"].model
        relation_data = self.lists["relations"].pop("data_categories")
        self.relations: dict[tuple, dict] = {}
        for row in relations.objects.values("id", "source_id", "target_id", "type", "mechanism", "frequency",
                                            "description"):
            row["data_categories"] = relation_data.get(row["id"], [])
            self.relations[(row["source_id"], row["target_id"], row["type"])] = row
        self.raci: set[tuple] = set(SECTIONS["raci"].model.objects.values_list(
            "component_id", "activity", "role", "department_id", "person_id"))

    def _index(self, spec, obj, *, loading: bool = False) -> None:
        key = spec.index_key(obj)
        if key is not None:
            if spec.many:  # several entries may share the identity (cost entries); a write names one
                if loading:
                    self.entries[spec.name].setdefault(key, []).append(obj)
                else:
                    self.entries[spec.name][key] = [obj]
            else:
                self.entries[spec.name][key] = obj
        if spec.by_name:
            self.named[spec.name][obj.name.casefold()].append(obj)
        self.by_id[spec.name][obj.pk] = obj

    def register(self, section: str, old, new) -> None:
        """Keep the look-ups right after a write (names, slugs and emails may have changed)."""
        spec = SECTIONS[section]
        if spec.index_key is None:
            return
        if old is not None:
            key = spec.index_key(old)
            if key is not None:
                self.entries[section].pop(key, None)
            if spec.by_name:
                _remove(self.named[section][old.name.casefold()], old)
        self._index(spec, new)

    # Progress -----------------------------------------------------------------------------

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 50 == 0 or self.done >= self.total):
            self.progress(self.done, self.total)

    # Look-ups -----------------------------------------------------------------------------

    @staticmethod
    def unique(candidates: list, ref: str, noun_plural: str):
        if len(candidates) > 1:
            raise Ambiguous(f"{quote(ref)} matches several {noun_plural}; name it by its "
                            f"{'email' if noun_plural == 'people' else 'slug'}.")
        return candidates[0] if candidates else None

    def find(self, section: str, ref: str):
        """The entry of ``section`` a file's reference names: by key; where the section says so (``find``,
        ``by_name``), by name (case-insensitive) when that names only one."""
        if section in REF_TARGETS:
            return self.entries[section].get(ref.strip().lower())
        spec = SECTIONS[section]
        if spec.find is not None:
            return spec.find(self, ref)
        if not spec.by_name:
            return self.entries[section].get(ref.strip())
        return self.entries[section].get(ref) or self.unique(self.named[section].get(ref.strip().casefold(), []),
                                                             ref, spec.plural)

    def find_selection_part(self, section: str, selection, ref: str):
        """A candidate of ``selection`` by name, or a criterion by ``department/name`` (names exactly, else
        ignoring case when that names only one)."""
        parts = self.entries[section]
        if section == "selection_candidates":
            identity = (selection.pk, ref.strip())
        else:
            department_ref, _, name = ref.partition("/")
            department = self.entries["departments"].get(department_ref.strip())
            if department is None:
                return None
            identity = (selection.pk, department.pk, name.strip())
        if identity in parts:
            return parts[identity]
        folded = [obj for key, obj in parts.items()
                  if key[:-1] == identity[:-1] and key[-1].casefold() == identity[-1].casefold()]
        return folded[0] if len(folded) == 1 else None

    def resolve(self, section: str, ref: str, where: Location):
        """The object a reference names, or an error (unknown, ambiguous) and ``Skip``."""
        try:
            found = self.find(section, ref)
        except Ambiguous as exc:
            self.report.error(where, str(exc), ref)
            raise Skip
        if found is not None:
            return found
        if failed_key(ref) in self.failed[section]:
            raise Skip
        self.report.error(where, f"{quote(ref)} is not a {_noun(section)} in the file or the catalog.", ref)
        raise Skip

    # Current values -----------------------------------------------------------------------

    def current(self, section: str, obj) -> dict:
        """The object's fields as the format writes them, from the loaded maps (no queries)."""
        plain = {}
        for spec in SECTIONS[section].fields:
            plain[spec.name] = plain_value(spec, self._model_value(section, obj, spec))
        return plain

    def _model_value(self, section: str, obj, spec: Field):
        if spec.kind in LIST_KINDS:
            return self.lists[section][spec.name].get(obj.pk, [])
        if spec.kind == "ref" and "__" in spec.model_attr:  # through another reference (a score's selection)
            head, tail = spec.model_attr.split("__", 1)
            part = self._referenced(obj, SECTIONS[section].get(head).ref, head)
            return self._referenced(part, spec.ref, tail)
        if spec.kind == "ref" or spec.kind in SELECTION_PART_KINDS:
            return self._referenced(obj, spec.ref, spec.model_attr)
        return getattr(obj, spec.model_attr)

    def _referenced(self, obj, section: str, attr: str):
        """The object ``obj.<attr>`` of ``section``, from the loaded maps when it is there."""
        pk = getattr(obj, attr + "_id")
        return None if pk is None else self.by_id[section].get(pk) or getattr(obj, attr)

    def diff(self, section: str, current: dict, desired: dict) -> dict[str, tuple]:
        """{field: (before, after)} for the desired fields that differ from the current ones."""
        changes = {}
        for name, value in desired.items():
            spec = SECTIONS[section].get(name)
            new = plain_value(spec, value)
            if comparable(spec, current[name]) != comparable(spec, new):
                changes[name] = (current[name], new)
        return changes

    # Writes -------------------------------------------------------------------------------

    def write(self, section: str, key: str, obj, desired: dict, *, place: Callable[[str], Location],
              raw: Callable[[str], object], note: str = "", attr_to_field: dict | None = None):
        """Create ``obj`` (None) or update it with the fields of ``desired`` that differ; report it.

        ``desired`` maps the format's field names to model values (objects for references). Returns
        the object, or None after reporting the service's validation errors at their fields.
        """
        specs = SECTIONS[section]
        try:
            if obj is None and self.bulk and specs.bulk_create is not None:
                data = {specs.get(name).model_attr: value for name, value in desired.items()}
                self.enqueue(section, Queued(key, data, desired, place, raw, note, attr_to_field))
                return None
            if obj is None:
                data = {specs.get(name).model_attr: value for name, value in desired.items()}
                new = service(section, "create")(actor=self.actor, data=data, source=self.source)
                self._after_write(section, None, new, desired)
                self.report.created.add(Change(section, key, note=note))
                return new
            changes = self.diff(section, self.current(section, obj), desired)
            if not changes:
                self.report.unchanged.add(Change(section, key))
                return obj
            data = {specs.get(name).model_attr: desired[name] for name in changes}
            new = service(section, "update")(obj, actor=self.actor, data=data, expected_version=None,
                                             source=self.source)
            self._after_write(section, obj, new, desired)
            self.report.changed.add(Change(section, key, changes, note=note))
            return new
        except ValidationError as exc:
            self.service_errors(section, exc, place, raw, attr_to_field)
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
        self.failed[section].add(failed_key(key))
        return None

    # Bulk creates ---------------------------------------------------------------------------

    def enqueue(self, section: str, item: Queued) -> None:
        """Queue a create for ``flush``, after the uniqueness checks that ``validate_unique`` would have
        queried for one by one (against the loaded catalog and the creates already queued)."""
        for name, value in item.data.items():  # a reference named twice is one link, as with ``.set()``
            if isinstance(value, list) and value and hasattr(value[0], "pk"):
                item.data[name] = list({obj.pk: obj for obj in value}.values())
        problem, identities = self._uniqueness(section, item.data)
        if problem:
            self.service_errors(section, ValidationError(problem), item.place, item.raw, item.attr_to_field)
            self.failed[section].add(failed_key(item.key))
            return
        self._queued_keys[section].update(identities)
        self.queue[section].append(item)

    def _uniqueness(self, section: str, data: dict) -> tuple[dict | None, list]:
        """({field: message} when ``data`` clashes with the catalog or a queued create, identities to hold): the
        slug here, the rest by the section's ``unique`` (names, emails, identities of links and records)."""
        spec = SECTIONS[section]
        taken = self._queued_keys[section]
        slug = data.get("slug") or ""
        identities = []
        if spec.key == ("slug",) and slug:
            if slug in self.entries[section] or ("slug", slug) in taken:
                noun = _noun(section)
                return {"slug": f"{noun[:1].upper() + noun[1:]} with this slug already exists."}, []
            identities.append(("slug", slug))
        if spec.unique is not None:
            problem, more = spec.unique(self, data, taken)
            if problem:
                return problem, []
            identities.extend(more)
        return None, identities

    def name_taken(self, section: str, name: str, taken: set) -> bool:
        """Whether an entry of ``section`` (loaded or queued) has exactly this name."""
        return any(obj.name == name for obj in self.named[section].get(name.casefold(), [])) or \
            ("name", name) in taken

    def flush(self, section: str) -> list:
        """Write the queued creates of ``section`` in bulk, then report and index them like single creates.

        A row the model refuses is reported at its place in the file; the other rows are still written
        (the import is rolled back anyway), so that the entries naming them are checked too.
        """
        items = self.queue.pop(section, [])
        self._queued_keys.pop(section, None)
        if not items:
            return []
        try:
            items, objs = self._bulk(section, items)
        except ValidationError as exc:  # not tied to one row (both passes checked every row)
            self.service_errors(section, exc, items[0].place, items[0].raw)
            objs = None
        except (IntegrityError, ConflictError) as exc:
            self.report.error(items[0].place(""), f"could not be saved (with the other new {section}): {exc}")
            objs = None
        if objs is None:
            for item in items:
                self.failed[section].add(failed_key(item.key))
            return []
        for item, new in zip(items, objs, strict=True):
            if section == "relations":
                self._index_relation(new, item.desired)
            elif section == "raci":
                self.raci.add((new.component_id, new.activity, new.role, new.department_id, new.person_id))
            else:
                self._after_write(section, None, new, item.desired)
            self.report.created.add(Change(section, item.key, note=item.note))
        return objs

    def _bulk(self, section: str, items: list[Queued]) -> tuple[list[Queued], list]:
        """The bulk create → (items written, their objects); when a row is refused, every refused row is
        reported and the others are written."""
        create = SECTIONS[section].bulk_create
        rows = [item.data for item in items]
        try:
            return items, create(actor=self.actor, rows=rows, source=self.source)
        except ValidationError as exc:
            index = getattr(exc, "row_index", None)
            if index is None:
                raise
            bad = {index: exc}
        model = SECTIONS[section].model
        for i in range(index + 1, len(rows)):
            problem = _row_problem(model, rows[i])
            if problem is not None:
                bad[i] = problem
        for i, problem in sorted(bad.items()):
            item = items[i]
            self.service_errors(section, problem, item.place, item.raw, item.attr_to_field)
            self.failed[section].add(failed_key(item.key))
        kept = [i for i in range(len(rows)) if i not in bad]
        return [items[i] for i in kept], create(actor=self.actor, rows=[rows[i] for i in kept], source=self.source)

    def _index_relation(self, new, desired: dict) -> None:
        self.relations[(new.source_id, new.target_id, new.type)] = {
            "id": new.pk, "source_id": new.source_id, "target_id": new.target_id, "type": new.type,
            "mechanism": new.mechanism, "frequency": new.frequency, "description": new.description,
            "data_categories": [dc.key for dc in desired.get("data_categories", [])],
        }

    def _after_write(self, section: str, old, new, desired: dict) -> None:
        self.register(section, old, new)
        for name, grouped in self.lists[section].items():
            if name in desired:
                spec = SECTIONS[section].get(name)
                grouped[new.pk] = [getattr(v, "name", v) if spec.kind in ("tags", "names") else ref_key(spec.ref, v)
                                   for v in desired[name]]

    def service_errors(self, section: str, exc: ValidationError, place, raw, attr_to_field=None) -> None:
        """A service's ValidationError as errors at the fields they name, quoting the file's values."""
        names = {f.model_attr: f.name for f in SECTIONS[section].fields}
        names.update(attr_to_field or {})
        items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
        for attr, messages in items:
            name = names.get(attr, "" if attr == "__all__" else attr)
            value = raw(name) if name else None
            for message in messages:
                text = f"{quote(value)} is refused: {message}" if name else message
                self.report.error(place(name), text, value)

    # Relations and RACI -------------------------------------------------------------------

    def relation_current(self, row: dict) -> dict:
        source = self.by_id["components"][row["source_id"]]
        target = self.by_id["components"][row["target_id"]]
        return {
            "from": source.slug, "to": target.slug, "type": row["type"],
            "data_categories": sorted(row["data_categories"]), "mechanism": row["mechanism"],
            "frequency": row["frequency"], "description": row["description"],
        }

    def write_relation(self, key: str, desired: dict, *, place, raw, note: str = "") -> bool:
        """Create or update the relation (source, target, type) named in ``desired``."""
        source, target, rtype = desired["from"], desired["to"], desired["type"]
        row = self.relations.get((source.pk, target.pk, rtype))
        try:
            if row is None:
                data = {SECTIONS["relations"].get(n).model_attr: v for n, v in desired.items()}
                if self.bulk:
                    self.enqueue("relations", Queued(key, data, desired, place, raw, note))
                    return True
                new = service("relations", "create")(actor=self.actor, data=data, source=self.source)
                self._index_relation(new, desired)
                self.report.created.add(Change("relations", key, note=note))
                return True
            changes = self.diff("relations", self.relation_current(row), desired)
            if not changes:
                self.report.unchanged.add(Change("relations", key))
                return True
            relation = SECTIONS["relations"].model.objects.get(pk=row["id"])
            data = {SECTIONS["relations"].get(n).model_attr: desired[n] for n in changes}
            new = service("relations", "update")(relation, actor=self.actor, data=data, expected_version=None,
                                      source=self.source)
            row.update(mechanism=new.mechanism, frequency=new.frequency, description=new.description)
            if "data_categories" in desired:
                row["data_categories"] = [dc.key for dc in desired["data_categories"]]
            self.report.changed.add(Change("relations", key, changes, note=note))
            return True
        except ValidationError as exc:
            self.service_errors("relations", exc, place, raw)
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
        return False

    def write_raci(self, key: str, component, activity: str, role: str, holder, *, place, raw) -> bool:
        is_department = isinstance(holder, SECTIONS["departments"].model)
        lookup = (component.pk, activity, role, holder.pk if is_department else None,
                  None if is_department else holder.pk)
        if lookup in self.raci:
            self.report.unchanged.add(Change("raci", key))
            return True
        data = {"component": component, "activity": activity, "role": role,
                ("department" if is_department else "person"): holder}
        if self.bulk:
            self.enqueue("raci", Queued(key, data, data, place, raw))
            return True
        try:
            service("raci", "create")(actor=self.actor, data=data, source=self.source)
        except ValidationError as exc:
            self.service_errors("raci", exc, place, raw)
            return False
        except (IntegrityError, ConflictError) as exc:
            self.report.error(place(""), f"could not be saved: {exc}")
            return False
        self.raci.add(lookup)
        self.report.created.add(Change("raci", key))
        return True


def _row_problem(model, row: dict) -> ValidationError | None:
    """The checks ``objects_bulk_create`` runs on a row (fields without foreign keys, then ``clean``)."""
    m2m = {f.name for f in model._meta.many_to_many}
    fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj = model(**{k: v for k, v in row.items() if k not in m2m})
    try:
        limits.check(obj)
        obj.clean_fields(exclude=fk_names)
        obj.clean()
    except ValidationError as exc:
        return exc
    return None


def _remove(items: list, obj) -> None:
    for i, item in enumerate(items):
        if item.pk == obj.pk:
            del items[i]
            return


def cost_entry_identity(entry) -> tuple:
    """What names a cost entry: its component, year, kind and description (there is no other key)."""
    return (entry.component_id, entry.year, entry.kind, entry.description)


def failed_key(ref: str) -> str:
    """How an entry that failed is remembered, so that entries naming it are skipped quietly."""
    return ref.strip().casefold()


def holder_key(holder) -> str:
    return person_key(holder) if isinstance(holder, SECTIONS["people"].model) else holder.slug
