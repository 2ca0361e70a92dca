"""The alert cascade over the agencies' links, and the quickest expected routes for planning.

The cascade has two messages. At minute 0 the site operator (``alert.raised_by``) raises the
alarm: one 999-style call along each of its own links; an agency in ``alert.detected_by``
finds out by itself after its delay (a pipeline's pressure alarm) and calls along its links
too. An emergency service (``emergency_service: true``) that hears the alarm passes it at
once to the other emergency services it has links to (JESIP: share information early). The
agency that declares a major incident (``alert.declared_by``) does so when its
``declaration_task`` ends (or ``declare_after`` minutes after it hears the alarm) and sends an
M/ETHANE message along its links; every agency that receives M/ETHANE passes it on along its
own links. Each hop samples its link's delay and fails with the link's failure
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
from standby.simulator.distributions import Spec, draw
from standby.simulator.state import Cause, Run

M_ETHANE = "M/ETHANE"
"""The first report's name, written with its slash so that nobody reads "methane"."""


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


def mark_alerted(
    run: Run, agency: int, link: int | None, how: str, *, failed: int = 0, key: str = ""
) -> None:
    """An agency hears of the incident: log it, start its call-outs, free waiting tasks, and
    (an emergency service told of the alarm) pass the alarm on at once (JESIP)."""
    compiled = run.compiled
    state = run.agencies[agency]
    state.alerted = run.env.now
    name = compiled.agencies[agency]
    if link is None:
        state.via = how
        state.cause = run.cause(f"{name} {how}", key=key or f"{name} {how}")
    else:
        source = compiled.links[link].source
        channel = compiled.links[link].channel
        message = M_ETHANE if how == M_ETHANE else "alarm"
        state.via = f"{message} from {compiled.agencies[source]} by {channel}"
        sender = run.agencies[source]
        parent = sender.m_ethane_cause if how == M_ETHANE else sender.cause
        retried = f" after {failed} failed call{'s' if failed > 1 else ''}" if failed else ""
        state.cause = run.cause(
            f"{name} alerted: {state.via}{retried}",
            parent,
            key=f"alert to {name} by {channel}" + (" (calls failed)" if failed else ""),
        )
    run.log("alerted", agency=agency, detail=state.via)
    state.heard.succeed()
    responders.start_call_outs(run, agency)
    if how != M_ETHANE and compiled.emergency_services[agency]:
        _pass_alarm(run, agency)


def _pass_alarm(run: Run, agency: int) -> None:
    """JESIP, share early: the alarm goes on to every emergency service this one links to."""
    compiled = run.compiled
    for out in compiled.out_links[agency]:
        target = compiled.links[out].target
        if compiled.emergency_services[target] and run.agencies[target].alerted is None:
            run.env.process(hop(run, out, m_ethane=False))


def _raise_alarm(run: Run, agency: int) -> None:
    """An agency that raised the alarm or found out itself calls along every link it has."""
    for link in run.compiled.out_links[agency]:
        run.env.process(hop(run, link, m_ethane=False))


def start_cascade(run: Run) -> None:
    """Raise the alarm at minute 0, start self-detections, and schedule the declaration."""
    compiled = run.compiled
    source = compiled.raised_by
    run.log("alarm_raised", agency=source, detail="site alarm raised; 999 calls made")
    mark_alerted(run, source, None, "raised the alarm", key="alarm")
    _raise_alarm(run, source)
    for number, detection in enumerate(compiled.detections):
        run.env.process(_detect(run, number, detection.agency, detection.after, detection.how))
    if compiled.declaration_task is None:
        run.env.process(declare(run))


def _detect(run: Run, number: int, agency: int, after: Spec, how: str) -> Generator[Any, Any, None]:
    """An agency finds out by itself (a pressure alarm) unless a call reached it first."""
    delay = draw(after, run.streams[run.compiled.detection_stream(number)])
    yield run.env.timeout(delay)
    if run.agencies[agency].alerted is None:
        mark_alerted(run, agency, None, how)
        _raise_alarm(run, agency)


def declare(run: Run) -> Generator[Any, Any, None]:
    """The declaring agency declares a major incident after its delay and sends M/ETHANE."""
    compiled = run.compiled
    state = run.agencies[compiled.declared_by]
    yield state.heard
    delay = draw(compiled.declare_after, run.streams[compiled.declare_stream])
    yield run.env.timeout(delay)
    declare_now(run, state.cause)


def declare_now(run: Run, cause: Cause | None) -> None:
    """The major-incident declaration: M/ETHANE goes out from the declaring agency now.

    Called after ``declare_after`` or, when the scenario names a ``declaration_task``, when
    that task ends: one event, which the declaration target measures."""
    compiled = run.compiled
    agency = compiled.declared_by
    run.log(
        "major_incident_declared", agency=agency, detail=f"major incident declared; {M_ETHANE} sent"
    )
    name = compiled.agencies[agency]
    run.agencies[agency].m_ethane_cause = run.cause(
        f"{name} declared a major incident", cause, key=f"declaration by {name}"
    )
    receive_m_ethane(run, agency, None)


def receive_m_ethane(run: Run, agency: int, link: int | None, *, failed: int = 0) -> None:
    """An agency gets the M/ETHANE message and passes it on along its links."""
    compiled = run.compiled
    state = run.agencies[agency]
    if state.m_ethane:
        return
    state.m_ethane = True
    if link is not None:
        source = compiled.links[link].source
        state.m_ethane_cause = run.cause(
            f"{compiled.agencies[agency]} got {M_ETHANE} from {compiled.agencies[source]}",
            run.agencies[source].m_ethane_cause,
            key=f"{M_ETHANE} to {compiled.agencies[agency]}",
        )
    if state.alerted is None:
        mark_alerted(run, agency, link, M_ETHANE, failed=failed)
    elif link is not None:
        sender = compiled.agencies[compiled.links[link].source]
        channel = compiled.links[link].channel
        run.log("m_ethane_received", agency=agency, detail=f"{M_ETHANE} from {sender} by {channel}")
    for out in compiled.out_links[agency]:
        if not run.agencies[compiled.links[out].target].m_ethane:
            run.env.process(hop(run, out, m_ethane=True))


def hop(run: Run, index: int, *, m_ethane: bool) -> Generator[Any, Any, None]:
    """One message over one link: sample delay and failure, retry when it fails."""
    link = run.compiled.links[index]
    state = run.links[index]
    target = run.agencies[link.target]
    rng = run.streams[run.compiled.link_stream(index)]
    settings = run.assumptions
    env = run.env
    lines = state.lines
    for attempt in range(1, settings.max_attempts + 1):
        if target.m_ethane or (not m_ethane and target.alerted is not None):
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
                if m_ethane:
                    receive_m_ethane(run, link.target, index, failed=attempt - 1)
                elif target.alerted is None:
                    mark_alerted(run, link.target, index, link.channel, failed=attempt - 1)
                return
            why = "link down" if state.down else "call failed"
        else:
            why = "link down"
        last = attempt == settings.max_attempts
        run.log(
            "message_failed",
            agency=link.source,
            detail=(
                f"{M_ETHANE if m_ethane else 'alarm'} to {run.compiled.agencies[link.target]} "
                f"by {link.channel}: {why} (attempt {attempt} of {settings.max_attempts}"
                + ("; gave up)" if last else f"; retry in {settings.retry_minutes:g} min)")
            ),
        )
        if not last:
            yield env.timeout(settings.retry_minutes)
