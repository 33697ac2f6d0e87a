"""Intake's sections of the stack-as-code format (``stackcode.registry``): capabilities and backlog items.

Backlog items have no bulk create: ``backlog_item_create`` computes each one's priority score."""

import graphlib

from stacksteward.core.services import objects_bulk_create
from stacksteward.stackcode import readers
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.report import quote
from stacksteward.stackcode.schema import Field, Section
from stacksteward.stackcode.workspace import Skip, failed_key, unique_name

from . import services
from .choices import BacklogItemKindChoices, BacklogItemStatusChoices, CapabilityOfferingChoices
from .models import BacklogItem, Capability


def capability_bulk_create(*, actor, rows: list[dict], source: str) -> list[Capability]:
    """Authorized by the capability's policy in ``objects_bulk_create``."""
    return objects_bulk_create(Capability, actor=actor, rows=rows, source=source)


# The import of backlog items (``Section.apply``) ------------------------------------------------------------

def apply_backlog_items(imp, items, converted=None) -> None:
    """Items first (those they depend on before them), then their dependencies, once every item exists."""
    items = [(entry, values) for entry, values in items if values is not None]
    imp.ws.tick(len(imp.document.entries.get("backlog_items", [])) - len(items))
    cyclic = refuse_cycles(imp, items)
    linked = []
    for entry, values in (items if cyclic else dependency_order(items)):
        imp.ws.tick()
        key = values["key"]
        try:
            desired = imp.resolve_refs(entry, values, ["components", "assignee"])
        except Skip:
            imp.ws.failed["backlog_items"].add(failed_key(key))
            continue
        desired.pop("depends_on", None)
        written = imp.write("backlog_items", key, imp.ws.entries["backlog_items"].get(key), desired, entry)
        if written is not None and "depends_on" in values:
            linked.append((entry, key))
    if not cyclic:
        link_dependencies(imp, linked, {values["key"]: values for _entry, values in items})


def file_graph(imp, items) -> tuple[dict[str, list[str]], dict[str, readers.Entry]]:
    """Every item's dependencies by key: the file's where it gives them, else the catalog's."""
    deps = imp.ws.lists["backlog_items"]["depends_on"]
    graph = {item.key: list(deps.get(item.pk, [])) for item in imp.ws.entries["backlog_items"].values()}
    entries = {}
    for entry, values in items:
        entries[values["key"]] = entry
        if "depends_on" in values:
            graph[values["key"]] = list(values["depends_on"])
        else:
            graph.setdefault(values["key"], [])
    return graph, entries


def refuse_cycles(imp, items) -> bool:
    """Report every dependency cycle at the row (or line) of the file that closes it."""
    graph, entries = file_graph(imp, items)
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
        imp.report.error(entries[a].place("depends_on"),
                          f"{quote(b)} would make a dependency cycle: {' → '.join(cycle)}; an item cannot "
                          f"(even indirectly) depend on itself.", b)
        imp.ws.failed["backlog_items"].add(failed_key(a))
    return bool(cycles)


def dependency_order(items) -> list:
    """The file's items, those they depend on first (so a dependency is done before its item starts)."""
    by_key = {values["key"]: (entry, values) for entry, values in items}
    sorter = graphlib.TopologicalSorter()
    for key, (_entry, values) in by_key.items():
        sorter.add(key, *[dep for dep in values.get("depends_on") or () if dep in by_key])
    return [by_key[key] for key in sorter.static_order()]


def link_dependencies(imp, linked: list, values_by_key: dict) -> None:
    """Set each item's dependencies: first drop the links that go away, then add the new ones, so that no
    intermediate state has a cycle the final one does not have."""
    wanted = []
    for entry, key in linked:
        try:
            deps = [imp.ws.resolve("backlog_items", ref, entry.place("depends_on"))
                    for ref in values_by_key[key]["depends_on"]]
        except Skip:
            continue
        item = imp.ws.entries["backlog_items"][key]
        before = imp.ws.current("backlog_items", item)["depends_on"]
        wanted.append((entry, key, list({d.pk: d for d in deps}.values()), before))
    for entry, key, deps, before in wanted:
        keep = [d for d in deps if d.key in before]
        if len(keep) < len(before):
            imp.update_quietly("backlog_items", imp.ws.entries["backlog_items"][key], {"depends_on": keep}, entry)
    for entry, key, deps, before in wanted:
        desired = {"depends_on": deps}
        item = imp.ws.entries["backlog_items"][key]
        changed = imp.ws.diff("backlog_items", imp.ws.current("backlog_items", item), desired)
        if changed and imp.update_quietly("backlog_items", item, desired, entry) is None:
            continue
        after = imp.ws.current("backlog_items", imp.ws.entries["backlog_items"][key])["depends_on"]
        if after != before:
            imp.report_late_change("backlog_items", key, {"depends_on": (before, after)})



CAPABILITY_SECTION = Section(
    "capabilities",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("department", "ref", required=True, ref="departments"),
        Field("lead_time_days", "int", required=True),
        Field("offering", "enum", choices=CapabilityOfferingChoices,
              default=CapabilityOfferingChoices.FULL.value),
        Field("description", "text"),
        Field("can_do", "text"),
        Field("cannot_do", "text"),
        Field("active", "bool", default=True),
    ),
    key=("slug",),
    singular="capability",
    model=Capability,
    create=services.capability_create,
    update=services.capability_update,
    bulk_create=capability_bulk_create,
    sort_key=lambda e: e["slug"],
    by_name=True,  # names must be unique
    find=lambda workspace, ref: workspace.entries["capabilities"].get(ref.strip()),
    unique=unique_name("capabilities", "Capability with this name already exists."),
)

BACKLOG_ITEM_SECTION = Section(
    "backlog_items",
    (
        Field("key", "slug", required=True),
        Field("title", "str", required=True),
        Field("kind", "enum", choices=BacklogItemKindChoices,
              default=BacklogItemKindChoices.ENHANCEMENT.value),
        Field("description", "text"),
        Field("components", "refs", ref="components"),
        Field("effort_days", "days"),
        Field("value", "int", default=5),
        Field("needed_by", "date"),
        Field("status", "enum", choices=BacklogItemStatusChoices, default=BacklogItemStatusChoices.NEW.value),
        Field("assignee", "ref", ref="people"),
        Field("depends_on", "refs", ref="backlog_items"),
        Field("priority_override", "decimal"),
        Field("override_reason", "text"),
    ),
    key=("key",),
    singular="backlog item",
    model=BacklogItem,
    create=services.backlog_item_create,
    update=services.backlog_item_update,
    lists={
        "components": lambda: BacklogItem.components.through.objects.values_list("backlogitem_id",
                                                                                 "component__slug"),
        "depends_on": lambda: BacklogItem.depends_on.through.objects.values_list("from_backlogitem_id",
                                                                                 "to_backlogitem__key"),
    },
    sort_key=lambda e: e["key"],
    apply=apply_backlog_items,
)

register_section(CAPABILITY_SECTION, BACKLOG_ITEM_SECTION)
