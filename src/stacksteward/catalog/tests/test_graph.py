"""Graph algorithms on hand-built graphs (no database), and the loader on a real one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stacksteward.catalog import graph as g
from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory


def build(*edges):
    return g.Graph.from_edges(g.Edge(i, s, t, kind) for i, (s, t, kind) in enumerate(edges, start=1))


def ids(reaches):
    return {r.component_id: r.path for r in reaches}


def test_data_flow_impacts_target_transitively_with_path():
    graph = build((1, 2, "data_flow"), (2, 3, "data_flow"))
    assert ids(g.downstream(graph, 1)) == {2: (1, 2), 3: (1, 2, 3)}
    assert ids(g.upstream(graph, 3)) == {2: (3, 2), 1: (3, 2, 1)}


def test_depends_on_and_hosted_on_impact_the_dependent():
    # 2 depends on 1, 3 is hosted on 2: a change to 1 impacts 2 and then 3.
    graph = build((2, 1, "depends_on"), (3, 2, "hosted_on"))
    down = g.downstream(graph, 1)
    assert ids(down) == {2: (1, 2), 3: (1, 2, 3)}
    assert [e.type for e in down[1].edges] == ["depends_on", "hosted_on"]
    assert ids(g.upstream(graph, 3)) == {2: (3, 2), 1: (3, 2, 1)}


def test_cycle_terminates_and_visits_each_node_once():
    graph = build((1, 2, "data_flow"), (2, 3, "data_flow"), (3, 1, "data_flow"))
    down = g.downstream(graph, 1)
    assert sorted(r.component_id for r in down) == [2, 3]
    assert ids(g.upstream(graph, 1)) == {3: (1, 3), 2: (1, 3, 2)}


def test_shortest_path_is_reported():
    graph = build((1, 2, "data_flow"), (2, 3, "data_flow"), (3, 4, "data_flow"), (1, 4, "data_flow"))
    assert ids(g.downstream(graph, 1))[4] == (1, 4)


def test_max_depth_limits_reach():
    graph = build((1, 2, "data_flow"), (2, 3, "data_flow"))
    assert ids(g.downstream(graph, 1, max_depth=1)) == {2: (1, 2)}


def test_isolated_component_has_no_impact():
    assert g.downstream(build((1, 2, "data_flow")), 9) == []


def test_dependency_order_puts_needs_first():
    # warehouse (3) needs CRM (1) data; BI (4) depends on warehouse; 2 is hosted on 1.
    graph = build((1, 3, "data_flow"), (4, 3, "depends_on"), (2, 1, "hosted_on"))
    order, cycles = g.dependency_order(graph)
    assert cycles == []
    assert order.index(1) < order.index(3) < order.index(4)
    assert order.index(1) < order.index(2)


def test_dependency_order_reports_cycles_as_groups():
    graph = build((1, 2, "data_flow"), (2, 1, "data_flow"), (2, 3, "data_flow"), (0, 1, "data_flow"))
    order, cycles = g.dependency_order(graph)
    assert cycles == [{1, 2}]
    assert order[0] == 0 and order[-1] == 3
    assert sorted(order) == [0, 1, 2, 3]


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from(["data_flow", "depends_on",
                                                                                      "hosted_on"])), max_size=40))
def test_downstream_matches_reachability_and_paths_are_valid(edges):
    graph = build(*[(s, t, k) for s, t, k in edges if s != t])
    for start in range(13):
        reaches = g.downstream(graph, start)
        # brute-force reachability
        seen, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for nxt, _ in graph.downstream.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert {r.component_id for r in reaches} == seen - {start}
        for r in reaches:
            assert r.path[0] == start and r.path[-1] == r.component_id
            assert len(r.path) == len(r.edges) + 1 == r.depth + 1
            for (a, b), _edge in zip(zip(r.path, r.path[1:], strict=False), r.edges, strict=True):
                assert any(n == b for n, _ in graph.downstream[a])
        # every node in a dependency order appears exactly once
    order, _ = g.dependency_order(graph)
    assert sorted(order) == sorted(graph.nodes())


@pytest.mark.django_db
def test_load_graph_uses_one_query_and_reloads_after_change(django_assert_num_queries):
    a, b, c = ComponentFactory(), ComponentFactory(), ComponentFactory()
    RelationFactory(source=a, target=b)
    with django_assert_num_queries(3):  # stamp (2) + edges (1)
        graph = g.load_graph()
    assert ids(g.downstream(graph, a.pk)) == {b.pk: (a.pk, b.pk)}
    with django_assert_num_queries(2):  # unchanged: stamp only
        assert g.load_graph() is graph
    RelationFactory(source=b, target=c)
    assert c.pk in ids(g.downstream(g.load_graph(), a.pk))


def test_reach_page_counts_everything_and_builds_paths_for_the_page_only():
    graph = build((1, 2, "data_flow"), (2, 3, "data_flow"), (3, 4, "data_flow"), (1, 5, "data_flow"))
    total, page = g.reach_page(graph, 1, direction="downstream", offset=1, limit=2)
    assert total == 4
    assert [(r.component_id, r.path) for r in page] == [(5, (1, 5)), (3, (1, 2, 3))]
    total, page = g.reach_page(graph, 4, direction="upstream", limit=10)
    assert total == 3 and page[-1].path == (4, 3, 2, 1)
