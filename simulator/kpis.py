"""The people-side figures (KPIs) of a finished run, read from its state and event times.

Split from :mod:`standby.simulator.people`, which runs the warnings, protective action and
rest centres; this module only reads what they left behind (and asks
:func:`standby.simulator.plan.explain` why a task they waited for was not done). The plume's
arrival and zone at each receptor come through :func:`~standby.simulator.people.receptor_arrival`
and :func:`~standby.simulator.people.receptor_zone`, as in the run itself. Every KPI
definition lives here.
"""

from __future__ import annotations

from standby.simulator.exposure import outcome, release_end
from standby.simulator.people import (
    covered,
    desk_staff,
    occupants,
    receptor_arrival,
    receptor_zone,
)
from standby.simulator.people_setup import CompiledRestCentre
from standby.simulator.plan import explain
from standby.simulator.results import (
    Kpis,
    ReceptorWarning,
    RestCentreFigures,
    RunHazard,
    ZonePeople,
)
from standby.simulator.state import Run


def hazard_outcome(run: Run) -> RunHazard | None:
    """The run's hazard once it is over: its release lasted until the isolation task ended
    (or the planned duration), and evacuees would have left when it decided its action.
    None with no toxic release."""
    model = run.compiled.hazard
    if model is None or run.weather is None:
        return None
    isolation = model.isolation_task
    isolated = None if isolation is None else run.tasks[isolation].end
    minutes, reason = release_end(model, isolated)
    return outcome(
        model,
        run.weather,
        minutes,
        reason,
        run.occupants,
        run.public.action_minute,
        run.assumptions.evacuation_route_minutes,
    )


def kpis(run: Run) -> Kpis:
    """The people KPIs of a finished run."""
    compiled = run.compiled
    setup = compiled.people
    state = run.public
    zones = tuple(
        ZonePeople(
            level,
            sum(
                occupants(run, r.index)
                for r in setup.receptors
                if receptor_zone(run, r.index) == level
            ),
            tuple(r.id for r in setup.receptors if receptor_zone(run, r.index) == level),
        )
        for level in setup.zones
    )
    warnings = _warnings(run)
    reached = [w for w in warnings if w.plume_arrival_minute is not None]
    in_person = _in_person_targets(run)
    all_warned, warned_by, warned_reason = _all_warned(run, in_person)
    centres = tuple(_centre_figures(run, c) for c in setup.rest_centres)
    opened = [c.opened for c in state.centres if c.opened is not None]
    first_reason = ""
    if not opened:
        reasons = list(dict.fromkeys(c.reason for c in centres))
        first_reason = "; ".join(reasons) if reasons else "the scenario has no rest centres"
    waits, queueing = _registration_waits(run)
    broadcast_by = _first_broadcast(run)
    a = run.assumptions
    share = (
        a.rest_centre_fraction if compiled.rest_centre_share is None else compiled.rest_centre_share
    )
    window = compiled.arrival_window or a.evacuation_arrival_minutes
    return Kpis(
        people_in_zones=zones,
        vulnerable_premises_in_aegl2=len(in_person),
        all_vulnerable_warned_minute=all_warned,
        all_vulnerable_warned_by=warned_by,
        vulnerable_warned_reason=warned_reason,
        warnings=warnings,
        people_warned_before_plume=sum(w.people for w in reached if w.before_plume),
        people_warned_after_plume=sum(
            w.people for w in reached if not w.before_plume and w.warned_minute is not None
        ),
        people_not_warned=sum(w.people for w in reached if w.warned_minute is None),
        public_warned_minute=state.public_warned,
        public_warned_by=broadcast_by,
        protective_action=state.action,
        protective_action_minute=state.action_minute,
        protective_action_people=state.action_people,
        people_evacuated=state.evacuated,
        people_needing_rest_centre=state.arrived,
        first_rest_centre_open_minute=min(opened) if opened else None,
        first_rest_centre_reason=first_reason,
        rest_centres=centres,
        turned_away=state.turned_away,
        waiting_at_end=sum(size for _since, size in state.waiting),
        waited_for_opening=state.waited_for_opening,
        still_queueing_at_end=queueing,
        registration_wait_mean_minutes=sum(waits) / len(waits) if waits else None,
        registration_wait_max_minutes=max(waits) if waits else None,
        assumptions=(
            f"evacuation covers the area its task names, else {'/'.join(a.protective_zones)} "
            f"(assumed); {share:.0%} of evacuees need a rest centre, arriving as households "
            f"(mean {compiled.household_size:g} people) over {window:g} min",
            f"extra-demand people arrive over {a.extra_demand_arrival_minutes:g} min (assumed) "
            "unless the inject sends coaches",
            f"registration takes exponential mean {a.registration_minutes:g} min per household "
            "(assumed); nobody leaves a rest centre during the scenario (assumed)",
            f"evacuees are outdoors on their way out for {a.evacuation_route_minutes:g} min "
            "(assumed)",
        ),
    )


def _task_id(run: Run, index: int | None) -> str | None:
    return None if index is None else run.compiled.tasks[index].id


def _in_person_targets(run: Run) -> tuple[int, ...]:
    """Receptors any in-person warning task covers, in file order."""
    compiled = run.compiled
    targets = {r for t in compiled.door_knock_tasks for r in covered(run, t, in_person=True)}
    return tuple(sorted(targets))


def _warnings(run: Run) -> tuple[ReceptorWarning, ...]:
    """One record per receptor the plume reaches or a warning or protective task covers."""
    compiled = run.compiled
    protective = [t.index for t in compiled.tasks if t.kind in ("shelter", "evacuation")]
    listed = {r for t in compiled.door_knock_tasks for r in covered(run, t, in_person=True)}
    listed |= {r for t in (*compiled.broadcast_tasks, *protective) for r in covered(run, t)}
    records = []
    for receptor in compiled.people.receptors:
        arrival = receptor_arrival(run, receptor.index)
        zone = receptor_zone(run, receptor.index)
        if receptor.index not in listed and (zone is None or arrival is None):
            continue
        state = run.public.receptors[receptor.index]
        times = [t for t in (state.in_person, state.broadcast) if t is not None]
        warned = min(times) if times else None
        records.append(
            ReceptorWarning(
                receptor=receptor.id,
                zone=zone,
                people=occupants(run, receptor.index),
                plume_arrival_minute=arrival,
                in_person_minute=state.in_person,
                in_person_by=_task_id(run, state.in_person_by),
                broadcast_minute=state.broadcast,
                broadcast_by=_task_id(run, state.broadcast_by),
                warned_minute=warned,
                before_plume=warned is not None and (arrival is None or warned <= arrival),
                protective_action=state.action,
            )
        )
    return tuple(records)


def _first_broadcast(run: Run) -> str | None:
    """The broadcast warning task that ended first (the one ``public_warned_minute`` is)."""
    ends = [
        (run.tasks[t].end, t) for t in run.compiled.broadcast_tasks if run.tasks[t].end is not None
    ]
    return _task_id(run, min(ends)[1]) if ends else None


def _reasons(run: Run, tasks: tuple[int, ...]) -> str:
    """``task: why it was not done`` for each task, joined."""
    return "; ".join(f"{run.compiled.tasks[t].id}: {explain(run, t).reason}" for t in tasks)


def _all_warned(run: Run, targets: tuple[int, ...]) -> tuple[float | None, str | None, str]:
    """When the last premises to warn in person was, by which task, or why not."""
    compiled = run.compiled
    if not targets:
        return None, None, "no premises for an in-person warning (none vulnerable inside AEGL-2)"
    states = [run.public.receptors[t] for t in targets]
    if all(s.in_person is not None for s in states):
        last = max(states, key=lambda s: s.in_person or 0.0)
        return last.in_person, _task_id(run, last.in_person_by), ""
    tasks = compiled.door_knock_tasks
    if not tasks:
        return None, None, "the plan has no kind: warning task"
    if any(run.tasks[t].start is not None for t in tasks):
        return None, None, "still warning when the scenario ended"
    return None, None, f"no warning task started ({_reasons(run, tasks)})"


def _registration_waits(run: Run) -> tuple[list[float], int]:
    """Every household's registration wait (those still waiting, outside or in a queue, with
    their wait so far), and the people still queueing inside a centre at the end."""
    now = run.env.now
    waits = [now - since for since, _size in run.public.waiting]
    queueing = 0
    for centre in run.public.centres:
        if centre.desk is None:
            continue
        people, so_far = centre.desk.log.still_queueing(now)
        waits += centre.desk.log.waits + so_far
        queueing += people
    return waits, queueing


def _centre_figures(run: Run, centre: CompiledRestCentre) -> RestCentreFigures:
    state = run.public.centres[centre.index]
    desk = state.desk
    waits: list[float] = []
    queueing = 0
    if desk is not None:
        queueing, so_far = desk.log.still_queueing(run.env.now)
        waits = desk.log.waits + so_far
    reason = ""
    if state.opened is None:
        if not centre.opened_by:
            reason = f"no kind: rest_centre task holds its staffing role {centre.staffing_role}"
        elif state.not_opened:
            reason = state.not_opened
        else:
            reason = _reasons(run, centre.opened_by)
    return RestCentreFigures(
        centre=centre.id,
        capacity=centre.capacity,
        registration_staff=desk_staff(run, centre.index),
        opened_minute=state.opened,
        reason=reason,
        arrivals=desk.log.arrivals if desk is not None else 0,
        households=desk.log.households if desk is not None else 0,
        peak_occupancy=state.occupancy,
        registered=desk.log.registered if desk is not None else 0,
        still_queueing=queueing,
        mean_wait_minutes=sum(waits) / len(waits) if waits else None,
        max_wait_minutes=max(waits) if waits else None,
    )
