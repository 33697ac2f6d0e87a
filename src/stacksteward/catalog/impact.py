"""Impact and dependencies of one component, as data for the UI and the API."""

from dataclasses import dataclass

from stacksteward.core.perf import gc_paused

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


def component_impact_data(component: Component, *, max_depth: int | None = None, limit: int | None = None,
                          offset: int = 0) -> dict:
    """The same impact as plain data for the API: rows name components by slug.

    Built for large stacks (a shared warehouse can need thousands of components): rows come
    nearest first and a page of them (``offset``, ``limit``, applied to each direction) is
    returned with the full counts; the components on the page's paths are read with one
    ``values_list`` query; each path is the list of slugs from the component asked about.
    """
    graph = g.load_graph()
    with gc_paused():
        return _impact_data(graph, component, max_depth, limit, offset)


def _impact_data(graph, component: Component, max_depth: int | None, limit: int | None, offset: int) -> dict:
    page = {"max_depth": max_depth, "offset": offset, "limit": limit}
    down_total, down_page = g.reach_page(graph, component.pk, direction="downstream", **page)
    up_total, up_page = g.reach_page(graph, component.pk, direction="upstream", **page)
    ids = {n for r in (*down_page, *up_page) for n in r.path}
    ids.discard(component.pk)
    briefs = {
        pk: {"slug": slug, "name": name, "tier": tier, "lifecycle": lifecycle}
        for pk, slug, name, tier, lifecycle in Component.objects.filter(pk__in=ids).values_list(
            "pk", "slug", "name", "tier", "lifecycle").iterator(chunk_size=5000)
    } if ids else {}
    briefs[component.pk] = {"slug": component.slug, "name": component.name, "tier": component.tier,
                            "lifecycle": component.lifecycle}
    slugs = {pk: brief["slug"] for pk, brief in briefs.items()}

    def rows(reaches):
        return [
            {"component": briefs[r.component_id], "depth": r.depth, "path": [slugs[n] for n in r.path],
             "relation_types": [e.type for e in r.edges]}
            for r in reaches
        ]

    return {"component": briefs[component.pk], "downstream_count": down_total, "upstream_count": up_total,
            "offset": offset, "downstream": rows(down_page), "upstream": rows(up_page)}
