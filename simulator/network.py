"""The agencies and their links as a graph, the alert cascade over it, and travel times.

The cascade has two messages. At minute 0 the site operator (``alert.raised_by``) raises the
alarm: one 999-style call along each of its own links. The agency that declares a major
incident (``alert.declared_by``) does so ``declare_after`` minutes after it hears the alarm and
sends an M/ETHANE message along its links; every agency that receives M/ETHANE passes it on
along its own links. Each hop samples its link's delay and fails with the link's failure
probability; a failed hop (or a link taken down by an inject) is retried after
``retry_minutes``, up to ``max_attempts`` tries. Because every agency passes the message on,
an agency is reached by the first message to arrive over any chain of working links: the
shortest path, with this run's sampled delays, over the links that work at that time. A
failed or broken link is thereby routed round whenever another path exists.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Hashable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from standby.simulator.distributions import EXPONENTIAL, FIXED, TRIANGULAR, UNIFORM, Spec, draw

if TYPE_CHECKING:
    from standby.simulator.compiled import CompiledScenario, LatLon
    from standby.simulator.model import Run

EARTH_RADIUS_KM = 6371.0088


def mean_minutes(spec: Spec) -> float:
    """Mean of a distribution spec, in minutes."""
    code, a, b, c = spec
    if code in (FIXED, EXPONENTIAL):
        return a
    if code == UNIFORM:
        return (a + b) / 2.0
    if code == TRIANGULAR:
        return (a + b + c) / 3.0
    return math.exp(a + b * b / 2.0)


def build_agency_graph(compiled: CompiledScenario) -> nx.DiGraph:
    """A DiGraph of agency ids; each edge keeps its links (channel, delay, failure, capacity).

    Where two channels join the same pair, the edge keeps both in ``links`` and its
    ``expected_minutes`` is the quicker one's mean delay.
    """
    graph = nx.DiGraph()
    for agency, name in zip(compiled.agencies, compiled.agency_names, strict=True):
        graph.add_node(agency, name=name)
    for link in compiled.links:
        u, v = compiled.agencies[link.source], compiled.agencies[link.target]
        item = {
            "index": link.index,
            "channel": link.channel,
            "delay": link.delay,
            "failure_probability": link.failure_probability,
            "capacity": link.capacity,
        }
        expected = mean_minutes(link.delay) / max(1e-9, 1.0 - link.failure_probability)
        if graph.has_edge(u, v):
            graph[u][v]["links"].append(item)
            graph[u][v]["expected_minutes"] = min(graph[u][v]["expected_minutes"], expected)
        else:
            graph.add_edge(u, v, links=[item], expected_minutes=expected)
    return graph


def alert_routes(
    compiled: CompiledScenario, down: Iterable[tuple[str, str]] = ()
) -> dict[str, list[str]]:
    """Quickest expected route (agency ids) from the declaring agency to each agency.

    The weight is a link's mean delay divided by its chance of working; ``down`` lists
    (from, to) links out of use. Agencies with no route are left out.
    """
    graph = compiled.graph
    broken = set(down)
    working = nx.subgraph_view(graph, filter_edge=lambda u, v: (u, v) not in broken)
    source = compiled.agencies[compiled.declared_by]
    routes = nx.single_source_dijkstra_path(working, source, weight="expected_minutes")
    return {agency: routes[agency] for agency in compiled.agencies if agency in routes}


def unreachable_agencies(compiled: CompiledScenario) -> list[str]:
    """Agencies the plan needs that no chain of links can reach from the alarm or declaration."""
    graph = compiled.graph
    reach = {compiled.agencies[compiled.raised_by]}
    reach |= set(graph.successors(compiled.agencies[compiled.raised_by]))
    reach |= nx.descendants(graph, compiled.agencies[compiled.declared_by])
    reach.add(compiled.agencies[compiled.declared_by])
    needed = {compiled.agencies[t.agency] for t in compiled.tasks}
    needed |= {compiled.agencies[compiled.roles[r].agency] for t in compiled.tasks for r in t.roles}
    return sorted(needed - reach)


# --- travel ------------------------------------------------------------------------------


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
    graph: nx.Graph, a: Hashable, b: Hashable, speed_kmh: float, weight: str = "length_km"
) -> float:
    """Minutes along the shortest road path from node ``a`` to ``b`` at ``speed_kmh``.

    Edge lengths are read from the ``weight`` attribute, in km.
    """
    km = nx.shortest_path_length(graph, a, b, weight=weight)
    return float(km) / speed_kmh * 60.0


def nearest_node(graph: nx.Graph, point: LatLon) -> Hashable:
    """The road-graph node (with ``lat``/``lon`` attributes) nearest to ``point``."""
    best, best_km = None, math.inf
    for node, data in graph.nodes(data=True):
        km = distance_km(point, (data["lat"], data["lon"]))
        if km < best_km:
            best, best_km = node, km
    return best


# --- the cascade (SimPy processes) -------------------------------------------------------


def start_cascade(run: Run) -> None:
    """Raise the alarm at minute 0 and schedule the declaration."""
    compiled = run.compiled
    source = compiled.raised_by
    run.log("alarm_raised", agency=source, detail="site alarm raised; 999 calls made")
    run.mark_alerted(source, None, "raised the alarm")
    for link in compiled.out_links[source]:
        run.env.process(hop(run, link, methane=False))
    run.env.process(declare(run))


def declare(run: Run) -> Generator[Any, Any, None]:
    """The declaring agency declares a major incident after its delay and sends M/ETHANE."""
    compiled = run.compiled
    agency = compiled.declared_by
    yield run.alert_events[agency]
    delay = draw(compiled.declare_after, run.streams[compiled.declare_stream])
    yield run.env.timeout(delay)
    run.log(
        "major_incident_declared", agency=agency, detail="major incident declared; M/ETHANE sent"
    )
    name = compiled.agencies[agency]
    run.methane_cause[agency] = run.cause(
        f"{name} declared a major incident", run.agency_cause[agency]
    )
    receive_methane(run, agency, None)


def receive_methane(run: Run, agency: int, link: int | None) -> None:
    """An agency gets the M/ETHANE message and passes it on along its links."""
    if run.methane[agency]:
        return
    run.methane[agency] = True
    if link is not None:
        source = run.compiled.links[link].source
        run.methane_cause[agency] = run.cause(
            f"{run.compiled.agencies[agency]} got M/ETHANE from {run.compiled.agencies[source]}",
            run.methane_cause[source],
        )
    if run.alerted[agency] is None:
        run.mark_alerted(agency, link, "M/ETHANE")
    elif link is not None:
        sender = run.compiled.agencies[run.compiled.links[link].source]
        channel = run.compiled.links[link].channel
        run.log("methane_received", agency=agency, detail=f"M/ETHANE from {sender} by {channel}")
    for out in run.compiled.out_links[agency]:
        if not run.methane[run.compiled.links[out].target]:
            run.env.process(hop(run, out, methane=True))


def hop(run: Run, index: int, *, methane: bool) -> Generator[Any, Any, None]:
    """One message over one link: sample delay and failure, retry when it fails."""
    link = run.compiled.links[index]
    rng = run.streams[run.compiled.link_stream(index)]
    settings = run.assumptions
    env = run.env
    target = link.target
    resource = run.link_lines[index]
    for attempt in range(1, settings.max_attempts + 1):
        if run.methane[target] or (not methane and run.alerted[target] is not None):
            return
        if not run.link_down[index]:
            request = None
            if resource is not None:
                request = resource.request()
                yield request
            delay = draw(link.delay, rng)
            failed = link.failure_probability > 0.0 and rng.random() < link.failure_probability
            yield env.timeout(delay)
            if resource is not None and request is not None:
                resource.release(request)
            if not failed and not run.link_down[index]:
                if methane:
                    receive_methane(run, target, index)
                elif run.alerted[target] is None:
                    run.mark_alerted(target, index, link.channel)
                return
            why = "link down" if run.link_down[index] else "call failed"
        else:
            why = "link down"
        last = attempt == settings.max_attempts
        run.log(
            "message_failed",
            agency=link.source,
            detail=(
                f"{'M/ETHANE' if methane else 'alarm'} to {run.compiled.agencies[target]} "
                f"by {link.channel}: {why} (attempt {attempt} of {settings.max_attempts}"
                + ("; gave up)" if last else f"; retry in {settings.retry_minutes:g} min)")
            ),
        )
        if not last:
            yield env.timeout(settings.retry_minutes)
