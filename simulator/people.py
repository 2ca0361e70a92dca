"""People at risk in one replication: warnings, the protective action and rest centres.

Each run turns the receptors' zones and plume arrivals, computed once per scenario
(:mod:`standby.simulator.people_setup`), into demand on the plan:

* **door-knocks**: every vulnerable premises inside AEGL-2 (or AEGL-3) is warned in person
  during each in-person ``kind: warning`` task, at the task's start plus a uniform share of
  its duration (one draw per premises and task); the first such warning counts;
* **broadcast**: everyone else in a zone is warned when the first broadcast warning task ends;
* **protective action**: the first ``kind: shelter`` or ``kind: evacuation`` task to end is
  the decision; an evacuation sends an assumed share of the people inside AEGL-2 to rest
  centres as Poisson arrivals over an assumed window;
* **extra demand** injects send their people to rest centres, spread uniformly over an
  assumed window (a Poisson stream conditioned on its count);
* **rest centres** open when a ``kind: rest_centre`` task holding their ``staffing_role`` ends
  (so only once the manager from the rota has arrived); an arrival goes to the first open
  centre with a free place, overflows to the next, is turned away when every open centre is
  full, and waits when none is open yet; registration is a queue with ``registration_staff``
  officers (:func:`standby.simulator.rest_centre.register`).

The state these change is :class:`standby.simulator.state.PublicState`. Defaults and sources
are in :class:`standby.simulator.compiled.Assumptions` and docs/model.md.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from standby.simulator.rest_centre import (
    exponential_service,
    new_desk,
    poisson_arrival_times,
    register,
)
from standby.simulator.state import Run


def task_started(run: Run, index: int, duration: float) -> None:
    """A plan task has started and will take ``duration``: warning tasks knock on doors."""
    compiled = run.compiled
    if index not in compiled.door_knock_tasks or not compiled.people.warn_targets:
        return
    rng = run.streams[compiled.door_knock_stream(index)]
    start = run.env.now
    knocks = sorted(
        (start + duration * float(rng.random()), target) for target in compiled.people.warn_targets
    )
    run.env.process(_door_knocks(run, index, knocks))


def _door_knocks(
    run: Run, index: int, knocks: list[tuple[float, int]]
) -> Generator[Any, Any, None]:
    states = run.public.receptors
    receptors = run.compiled.people.receptors
    for minute, target in knocks:
        if minute > run.env.now:
            yield run.env.timeout(minute - run.env.now)
        state = states[target]
        if state.warned is not None:
            continue
        state.warned = run.env.now
        state.warned_by = index
        receptor = receptors[target]
        arrival = receptor.arrival_minute
        plume = "" if arrival is None else f", plume arrives +{arrival:.0f} min"
        run.log(
            "warned",
            agency=run.compiled.tasks[index].agency,
            task=index,
            detail=f"{receptor.name} ({receptor.zone}{plume}) warned in person",
        )


def task_done(run: Run, index: int) -> None:
    """A plan task has ended: broadcast, protective action or rest centres open."""
    kind = run.compiled.tasks[index].kind
    if index in run.compiled.broadcast_tasks:
        _broadcast(run, index)
    elif kind in ("shelter", "evacuation"):
        _protective_action(run, index, kind)
    elif kind == "rest_centre":
        opened = False
        for centre in run.compiled.people.rest_centres:
            if index in centre.opened_by and run.public.centres[centre.index].opened is None:
                _open(run, centre.index, index)
                opened = True
        if opened:
            _admit_waiting(run)


def _people_in(run: Run, zones: Sequence[str]) -> int:
    return sum(r.population for r in run.compiled.people.receptors if r.zone in zones)


def _broadcast(run: Run, index: int) -> None:
    state = run.public
    if state.public_warned is not None:
        return
    state.public_warned = run.env.now
    people = _people_in(run, ("AEGL-3", "AEGL-2", "AEGL-1"))
    run.log(
        "public_warned",
        agency=run.compiled.tasks[index].agency,
        task=index,
        detail=f"broadcast and emergency alert reach {people} people in AEGL zones",
    )


def _protective_action(run: Run, index: int, kind: str) -> None:
    state = run.public
    assumptions = run.assumptions
    zones = assumptions.protective_zones
    people = _people_in(run, zones)
    agency = run.compiled.tasks[index].agency
    if state.action is None:
        state.action, state.action_minute = kind, run.env.now
    if kind == "shelter":
        run.log(
            "protective_action",
            agency=agency,
            task=index,
            detail=f"shelter in place: {people} people in {'/'.join(zones)} told to "
            "Go in, Stay in, Tune in",
        )
        return
    if state.evacuating:
        return
    state.evacuating = True
    expected = people * assumptions.rest_centre_fraction
    window = assumptions.evacuation_arrival_minutes
    run.log(
        "protective_action",
        agency=agency,
        task=index,
        detail=f"evacuate {people} people in {'/'.join(zones)}; "
        f"{assumptions.rest_centre_fraction:.0%} (assumed) need a rest centre: about "
        f"{expected:.0f} arriving over {window:g} min",
    )
    if expected > 0:
        rng = run.streams[run.compiled.evacuation_stream]
        now = run.env.now
        times = poisson_arrival_times(expected / window, now + window, rng, start=now)
        run.env.process(_arrivals(run, times))


def extra_demand(run: Run, people: int) -> None:
    """An inject's ``people`` arrive at rest centres, spread over the assumed window."""
    rng = run.streams[run.compiled.extra_demand_stream]
    now, window = run.env.now, run.assumptions.extra_demand_arrival_minutes
    times = sorted(now + window * float(u) for u in rng.random(people))
    run.env.process(_arrivals(run, times))


def _arrivals(run: Run, times: Sequence[float]) -> Generator[Any, Any, None]:
    for minute in times:
        if minute > run.env.now:
            yield run.env.timeout(minute - run.env.now)
        run.public.arrived += 1
        _place(run)


def _place(run: Run) -> None:
    """Send one person to the first open centre with a place; wait if none is open yet."""
    state = run.public
    if not any(c.opened is not None for c in state.centres):
        state.waiting.append(run.env.now)
        return
    for centre, centre_state in zip(run.compiled.people.rest_centres, state.centres, strict=True):
        if centre_state.opened is not None and centre_state.occupancy < centre.capacity:
            _admit(run, centre.index)
            return
    state.turned_away += 1
    if state.turned_away == 1:
        run.log("turned_away", detail="every open rest centre is full: arrivals are turned away")


def _admit(run: Run, centre: int) -> None:
    state = run.public.centres[centre]
    desk = state.desk
    assert desk is not None, "a centre admits people only once open"
    state.occupancy += 1
    service = exponential_service(run.assumptions.registration_minutes)
    rng = run.streams[run.compiled.registration_stream(centre)]
    run.env.process(register(run.env, desk, service, rng))
    info = run.compiled.people.rest_centres[centre]
    if state.occupancy == info.capacity:
        run.log("rest_centre_full", detail=f"{info.name} full ({info.capacity} places)")


def _open(run: Run, centre: int, task: int) -> None:
    state = run.public.centres[centre]
    info = run.compiled.people.rest_centres[centre]
    state.opened = run.env.now
    state.desk = new_desk(run.env, info.registration_staff)
    run.log(
        "rest_centre_opened",
        agency=run.compiled.tasks[task].agency,
        task=task,
        detail=f"{info.name}: {info.capacity} places, {info.registration_staff} registration staff",
    )


def _admit_waiting(run: Run) -> None:
    """People who arrived before any centre was open go in now, in arrival order."""
    state = run.public
    queue, state.waiting = state.waiting, []
    if queue:
        run.log("rest_centre_queue", detail=f"{len(queue)} people waiting outside go in")
    state.waited_for_opening += len(queue)
    for _ in queue:
        _place(run)
