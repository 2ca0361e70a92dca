"""Where responders are and how long they take to get somewhere: points, distances, drive times.

Points are ``(lat, lon)`` in degrees (:data:`LatLon`). A drive is either the great-circle
distance times a road factor at an average speed, or the shortest path on a road graph
(networkx, nodes with ``lat``/``lon``, edges with ``length_km``) when the planner gives one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

LatLon = tuple[float, float]
"""A point as ``(latitude, longitude)`` in degrees."""

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two (lat, lon) points, km (mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2.0) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2.0) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_minutes(a: LatLon, b: LatLon, road_factor: float, speed_kmh: float) -> float:
    """Drive time estimated from the straight line times a road factor at an average speed."""
    return distance_km(a, b) * road_factor / speed_kmh * 60.0


def travel_time_on_graph(
    graph: Any, a: Hashable, b: Hashable, speed_kmh: float, weight: str = "length_km"
) -> float:
    """Minutes along the shortest road path from node ``a`` to ``b`` of a networkx graph.

    Edge lengths are read from the ``weight`` attribute, in km; the speed is in km/h.
    """
    import networkx as nx

    km = nx.shortest_path_length(graph, a, b, weight=weight)
    return float(km) / speed_kmh * 60.0


def nearest_node(graph: Any, point: LatLon) -> Hashable:
    """The road-graph node (with ``lat``/``lon`` attributes) nearest to ``point``."""
    best, best_km = None, math.inf
    for node, data in graph.nodes(data=True):
        km = distance_km(point, (data["lat"], data["lon"]))
        if km < best_km:
            best, best_km = node, km
    return best
