"""No module of Standby imports another that imports it back, directly or round a circle.

The import graph is grimp's (the one import-linter checks the layer contracts on, `make lint`),
read from the source: imports inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import grimp
import networkx as nx


def _import_graph() -> nx.DiGraph:
    graph = grimp.build_graph("standby", cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return edges


def _circles(edges: nx.DiGraph) -> list[str]:
    """For each knot of modules that reach each other: one circle, and every module in it."""
    found = []
    for knot in nx.strongly_connected_components(edges):
        if len(knot) > 1:
            circle = nx.find_cycle(edges.subgraph(knot))
            text = " -> ".join([*(a for a, _ in circle), circle[0][0]])
            found.append(f"{text} (all of {', '.join(sorted(knot))})")
    return sorted(found)


def test_the_graph_holds_every_package() -> None:
    modules = set(_import_graph())
    for name in ("standby.cli", "standby.rota.io", "standby.scenarios.model"):
        assert name in modules
    assert "standby.simulator.model" in modules and "standby.reports.charts" in modules


def test_a_circle_of_imports_is_found() -> None:
    edges = nx.DiGraph([("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w")])
    assert _circles(edges) == ["a.x -> a.y -> a.z -> a.x (all of a.x, a.y, a.z)"]


def test_no_module_imports_itself_round_a_circle() -> None:
    assert _circles(_import_graph()) == []
