"""Impact and dependencies of one component, as data for the UI and the API."""

from dataclasses import dataclass

from . import graph as g
from .models import Component


@dataclass
class ImpactRow:
    component: Component
    depth: int
    path: list[Component]
    relation_types: list[str]


@dataclass
class Impact:
    component: Component
    downstream: list[ImpactRow]
    upstream: list[ImpactRow]


def component_impact(component: Component, *, max_depth: int | None = None) -> Impact:
    """Downstream (impacted when it changes or fails) and upstream (what it needs), with paths.

    Queries: the graph (cached per process, see ``graph.load_graph``) and one bulk fetch of the
    components named in the result.
    """
    graph = g.load_graph()
    down = g.downstream(graph, component.pk, max_depth)
    up = g.upstream(graph, component.pk, max_depth)
    ids = {n for reach in (*down, *up) for n in reach.path}
    ids.discard(component.pk)
    components = Component.objects.select_related("business_owner", "technical_owner", "category").in_bulk(ids)
    components[component.pk] = component

    def rows(reaches):
        return [
            ImpactRow(components[r.component_id], r.depth, [components[n] for n in r.path], [e.type for e in r.edges])
            for r in reaches
        ]

    return Impact(component, rows(down), rows(up))
