"""The alert cascade over the agencies' links, and the quickest expected routes for planning.

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

from collections.abc import Generator, Iterable
from typing import Any

from standby.simulator import responders
from standby.simulator.compiled import CompiledScenario
from standby.simulator.distributions import draw
from standby.simulator.state import Run


def alert_routes(
    compiled: CompiledScenario, down: Iterable[tuple[str, str]] = ()
) -> dict[str, list[str]]:
    """Quickest expected route (agency ids) from the declaring agency to each agency.

    The weight is a link's mean delay divided by its chance of working; ``down`` lists
    (from, to) links out of use. Agencies with no route are left out.
    """
    import networkx as nx

    graph = compiled.graph
    broken = set(down)
    working = nx.subgraph_view(graph, filter_edge=lambda u, v: (u, v) not in broken)
    source = compiled.agencies[compiled.declared_by]
    routes = nx.single_source_dijkstra_path(working, source, weight="expected_minutes")
    return {agency: routes[agency] for agency in compiled.agencies if agency in routes}


# --- the cascade (SimPy processes) -------------------------------------------------------


def mark_alerted(run: Run, agency: int, link: int | None, how: str) -> None:
    """An agency hears of the incident: log it, start its call-outs, free waiting tasks."""
    compiled = run.compiled
    state = run.agencies[agency]
    state.alerted = run.env.now
    if link is None:
        state.via = how
        state.cause = run.cause(f"{compiled.agencies[agency]} {how}")
    else:
        source = compiled.links[link].source
        channel = compiled.links[link].channel
        message = "M/ETHANE" if how == "M/ETHANE" else "alarm"
        state.via = f"{message} from {compiled.agencies[source]} by {channel}"
        sender = run.agencies[source]
        parent = sender.methane_cause if how == "M/ETHANE" else sender.cause
        state.cause = run.cause(f"{compiled.agencies[agency]} alerted: {state.via}", parent)
    run.log("alerted", agency=agency, detail=state.via)
    state.heard.succeed()
    responders.start_call_outs(run, agency)


def start_cascade(run: Run) -> None:
    """Raise the alarm at minute 0 and schedule the declaration."""
    compiled = run.compiled
    source = compiled.raised_by
    run.log("alarm_raised", agency=source, detail="site alarm raised; 999 calls made")
    mark_alerted(run, source, None, "raised the alarm")
    for link in compiled.out_links[source]:
        run.env.process(hop(run, link, methane=False))
    run.env.process(declare(run))


def declare(run: Run) -> Generator[Any, Any, None]:
    """The declaring agency declares a major incident after its delay and sends M/ETHANE."""
    compiled = run.compiled
    agency = compiled.declared_by
    state = run.agencies[agency]
    yield state.heard
    delay = draw(compiled.declare_after, run.streams[compiled.declare_stream])
    yield run.env.timeout(delay)
    run.log(
        "major_incident_declared", agency=agency, detail="major incident declared; M/ETHANE sent"
    )
    name = compiled.agencies[agency]
    state.methane_cause = run.cause(f"{name} declared a major incident", state.cause)
    receive_methane(run, agency, None)


def receive_methane(run: Run, agency: int, link: int | None) -> None:
    """An agency gets the M/ETHANE message and passes it on along its links."""
    compiled = run.compiled
    state = run.agencies[agency]
    if state.methane:
        return
    state.methane = True
    if link is not None:
        source = compiled.links[link].source
        state.methane_cause = run.cause(
            f"{compiled.agencies[agency]} got M/ETHANE from {compiled.agencies[source]}",
            run.agencies[source].methane_cause,
        )
    if state.alerted is None:
        mark_alerted(run, agency, link, "M/ETHANE")
    elif link is not None:
        sender = compiled.agencies[compiled.links[link].source]
        channel = compiled.links[link].channel
        run.log("m_ethane_received", agency=agency, detail=f"M/ETHANE from {sender} by {channel}")
    for out in compiled.out_links[agency]:
        if not run.agencies[compiled.links[out].target].methane:
            run.env.process(hop(run, out, methane=True))


def hop(run: Run, index: int, *, methane: bool) -> Generator[Any, Any, None]:
    """One message over one link: sample delay and failure, retry when it fails."""
    link = run.compiled.links[index]
    state = run.links[index]
    target = run.agencies[link.target]
    rng = run.streams[run.compiled.link_stream(index)]
    settings = run.assumptions
    env = run.env
    lines = state.lines
    for attempt in range(1, settings.max_attempts + 1):
        if target.methane or (not methane and target.alerted is not None):
            return
        if not state.down:
            request = None
            if lines is not None:
                request = lines.request()
                yield request
            delay = draw(link.delay, rng)
            failed = link.failure_probability > 0.0 and rng.random() < link.failure_probability
            yield env.timeout(delay)
            if lines is not None and request is not None:
                lines.release(request)
            if not failed and not state.down:
                if methane:
                    receive_methane(run, link.target, index)
                elif target.alerted is None:
                    mark_alerted(run, link.target, index, link.channel)
                return
            why = "link down" if state.down else "call failed"
        else:
            why = "link down"
        last = attempt == settings.max_attempts
        run.log(
            "message_failed",
            agency=link.source,
            detail=(
                f"{'M/ETHANE' if methane else 'alarm'} to {run.compiled.agencies[link.target]} "
                f"by {link.channel}: {why} (attempt {attempt} of {settings.max_attempts}"
                + ("; gave up)" if last else f"; retry in {settings.retry_minutes:g} min)")
            ),
        )
        if not last:
            yield env.timeout(settings.retry_minutes)
