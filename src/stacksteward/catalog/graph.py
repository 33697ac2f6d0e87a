"""Graph work on the component relation graph: impact, dependencies, dependency order.

Everything here takes plain adjacency data loaded by ONE bulk query (``load_graph``) and
returns plain results; nothing walks the ORM object by object.

Direction of impact (see docs/architecture.md):
- ``data_flow`` A→B: data moves from A to B, so B is impacted when A changes.
- ``depends_on`` B→A and ``hosted_on`` B→A: B needs A, so B is impacted when A changes.

So an *impact edge* runs source→target for data_flow and target→source for the others.
"Downstream" of X = everything reachable along impact edges (impacted when X changes or
fails); "upstream" of X = everything X is reachable from (what X needs).
"""

from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Max

IMPACT_FORWARD = {"data_flow"}
IMPACT_BACKWARD = {"depends_on", "hosted_on"}


class Edge(NamedTuple):
    """A relation as a tuple of plain values: the garbage collector stops tracking such tuples, so
    a loaded graph of 50,000 edges does not slow down every collection in the process."""

    relation_id: int
    source: int  # the relation's from-component
    target: int  # the relation's to-component
    type: str


@dataclass
class Graph:
    """Impact adjacency: ``downstream[a]`` = [(b, edge)] means b is impacted when a changes."""

    downstream: dict[int, tuple[tuple[int, Edge], ...]] = field(default_factory=dict)
    upstream: dict[int, tuple[tuple[int, Edge], ...]] = field(default_factory=dict)

    @classmethod
    def from_edges(cls, edges) -> "Graph":
        graph = cls()
        for edge in edges:
            if not isinstance(edge, Edge):
                edge = Edge(*edge)
            if edge.type in IMPACT_FORWARD:
                cause, effect = edge.source, edge.target
            elif edge.type in IMPACT_BACKWARD:
                cause, effect = edge.target, edge.source
            else:
                continue
            graph.downstream.setdefault(cause, []).append((effect, edge))
            graph.upstream.setdefault(effect, []).append((cause, edge))
        # Tuples of plain values are not tracked by the garbage collector, so a cached graph of
        # 50,000 edges adds nothing to the cost of each collection (lists would add tens of ms).
        graph.downstream = {node: tuple(pairs) for node, pairs in graph.downstream.items()}
        graph.upstream = {node: tuple(pairs) for node, pairs in graph.upstream.items()}
        return graph

    def nodes(self) -> set[int]:
        return set(self.downstream) | set(self.upstream)


@dataclass(frozen=True)
class Reach:
    """One component reached from the start, by the shortest path."""

    component_id: int
    depth: int
    path: tuple[int, ...]  # component ids from the start to this component, both included
    edges: tuple[Edge, ...]  # the relations along the path


def _search(adjacency, start: int, max_depth: int | None):
    """Breadth-first: each reachable node once (nearest first), with its parent on a shortest path."""
    parents: dict[int, tuple[int, Edge] | None] = {start: None}
    depth = {start: 0}
    order: list[int] = []
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if max_depth is not None and depth[node] >= max_depth:
            continue
        for neighbour, edge in adjacency.get(node, ()):
            if neighbour in parents:
                continue
            parents[neighbour] = (node, edge)
            depth[neighbour] = depth[node] + 1
            order.append(neighbour)
            queue.append(neighbour)
    return order, parents, depth


def _reaches(nodes, parents, depth) -> list[Reach]:
    result = []
    for node in nodes:
        path, edges = [node], []
        cursor = node
        while parents[cursor] is not None:
            previous, edge = parents[cursor]
            edges.append(edge)
            path.append(previous)
            cursor = previous
        result.append(Reach(node, depth[node], tuple(reversed(path)), tuple(reversed(edges))))
    return result


def _bfs(adjacency, start: int, max_depth: int | None = None) -> list[Reach]:
    order, parents, depth = _search(adjacency, start, max_depth)
    return _reaches(order, parents, depth)


def downstream(graph: Graph, start: int, max_depth: int | None = None) -> list[Reach]:
    """Everything impacted (transitively) when ``start`` changes or fails."""
    return _bfs(graph.downstream, start, max_depth)


def upstream(graph: Graph, start: int, max_depth: int | None = None) -> list[Reach]:
    """Everything ``start`` needs (transitively); paths run from ``start`` back to each need."""
    return _bfs(graph.upstream, start, max_depth)


def reach_page(graph: Graph, start: int, *, direction: str, max_depth: int | None = None, offset: int = 0,
               limit: int | None = None) -> tuple[int, list[Reach]]:
    """(total reached, the reaches from ``offset``, nearest first): paths are built for the page only."""
    adjacency = graph.downstream if direction == "downstream" else graph.upstream
    order, parents, depth = _search(adjacency, start, max_depth)
    end = None if limit is None else offset + limit
    return len(order), _reaches(order[offset:end], parents, depth)


def dependency_order(graph: Graph, nodes: set[int] | None = None) -> tuple[list[int], list[set[int]]]:
    """Nodes ordered so that what a node needs comes before it (recovery order).

    Returns (order, cycles): nodes in a cycle cannot be ordered among themselves; they are
    placed together where the cycle becomes ready and reported as one group each.
    """
    nodes = set(graph.nodes()) if nodes is None else set(nodes)
    # Tarjan-free approach: Kahn's algorithm, then condense what is left by strongly connected parts.
    indegree = {n: 0 for n in nodes}
    for n in nodes:
        for effect, _edge in graph.downstream.get(n, ()):
            if effect in nodes:
                indegree[effect] += 1
    ready = deque(sorted(n for n, d in indegree.items() if d == 0))
    order: list[int] = []
    while ready:
        n = ready.popleft()
        order.append(n)
        for effect, _edge in graph.downstream.get(n, ()):
            if effect in indegree:
                indegree[effect] -= 1
                if indegree[effect] == 0:
                    ready.append(effect)
    left = {n for n in nodes if n not in set(order)}
    cycles = strongly_connected(graph, left) if left else []
    for group in cycles:
        order.extend(sorted(group))
    return order, [c for c in cycles if len(c) > 1]


def strongly_connected(graph: Graph, nodes: set[int]) -> list[set[int]]:
    """Strongly connected parts among ``nodes`` (iterative Tarjan), in dependency order."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    groups: list[set[int]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter([e for e, _ in graph.downstream.get(root, ()) if e in nodes]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([e for e, _ in graph.downstream.get(child, ()) if e in nodes])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    groups.reverse()
    return groups


# Loading ----------------------------------------------------------------------------------

_cache: dict[str, tuple[tuple, Graph]] = {}


def _stamp() -> tuple:
    from .models import Relation

    agg = Relation.objects.aggregate(n=Max("id"), changed=Max("updated_at"))
    return (Relation.objects.count(), agg["n"], agg["changed"])


def load_graph(*, use_cache: bool = True) -> Graph:
    """The whole relation graph from one bulk query.

    The loaded graph is kept per process and reused while the relations table is unchanged
    (count, highest id and latest update time: two cheap aggregate queries), so repeated
    impact look-ups on a large stack do not reload 50,000 edges each time.
    """
    from .models import Relation

    stamp = _stamp() if use_cache else None
    if use_cache:
        cached = _cache.get("graph")
        if cached and cached[0] == stamp:
            return cached[1]
    rows = Relation.objects.order_by("id").values_list("id", "source_id", "target_id", "type")
    graph = Graph.from_edges(Edge(*row) for row in rows)
    if use_cache:
        _cache["graph"] = (stamp, graph)
    return graph


def clear_cache() -> None:
    _cache.clear()
