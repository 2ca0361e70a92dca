"""People at risk in one replication: warnings, the protective action and rest centres.

Each run turns the receptors' zones and plume arrivals, forecast from the run's own weather
and the planned release (read through :func:`receptor_zone` and :func:`receptor_arrival`, the
one place the hazard is asked), and the people there at the run's start (:func:`occupants`,
occupancy by period), into demand on the plan:

* **the area a task covers**: the receptors and AEGL zones its ``covers`` names; without it,
  vulnerable premises inside AEGL-2 (or AEGL-3) for an in-person warning, everyone in a zone
  for a broadcast, the assumed protective zones for a shelter or evacuation;
* **in-person warnings**: the premises a ``warns: in_person`` task covers are warned one after
  another in a random order, evenly through the task, the last as it ends, so "every premises
  warned" is the task's own end; the first task to reach a premises counts;
* **broadcast**: everyone a broadcast warning task covers is warned when the task ends;
* **protective action**: a ``kind: shelter`` or ``kind: evacuation`` task covers its area when
  it ends (the first to end is the decision); an evacuation sends the share of its people who
  need a rest centre there, as households arriving at random over an assumed window;
* **extra demand** injects send their people to rest centres as households spread over an
  assumed window, or in coach loads when the inject gives one;
* **rest centres** open when a ``kind: rest_centre`` task holding their manager's role ends,
  one centre per manager held; registration desks are the centre's ``registration_staff``, or
  the people of its ``registration_role`` as they arrive. A household goes to the open centre
  with room for it and the shortest expected wait, is turned away when every open centre is
  full, and waits outside when none is open yet (its registration wait counts that time).

The state these change is :class:`standby.simulator.state.PublicState`. Defaults and sources
are in :class:`standby.simulator.compiled.Assumptions` and docs/model.md.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np

from standby.simulator.people_setup import WARNING_ZONES
from standby.simulator.rest_centre import (
    exponential_service,
    new_desk,
    poisson_arrival_times,
    register,
)
from standby.simulator.state import Run

ALL_ZONES = ("AEGL-3", "AEGL-2", "AEGL-1")


# --- the hazard, read in one place -------------------------------------------------------


def receptor_zone(run: Run, receptor: int) -> str | None:
    """The receptor's worst AEGL zone in this run (None: never in one): the forecast of the
    run's own weather and the planned release duration
    (:func:`standby.simulator.exposure.forecast`)."""
    return run.forecast[receptor].zone


def receptor_arrival(run: Run, receptor: int) -> float | None:
    """The minute the plume first reaches the receptor at the AEGL-1 concentration or more
    in this run (None: never)."""
    return run.forecast[receptor].arrival_minute


def occupants(run: Run, receptor: int) -> int:
    """The people at the receptor at the run's start (its occupancy period, else its
    population)."""
    return run.occupants[receptor]


# --- the area each task covers ----------------------------------------------------------


def covered(run: Run, task: int, *, in_person: bool = False) -> tuple[int, ...]:
    """The receptors (indices, file order) a warning, shelter or evacuation task covers; for
    a warning task, ``in_person`` asks for its door-knocks rather than its broadcast."""
    compiled = run.compiled
    spec = compiled.tasks[task]
    receptors = compiled.people.receptors
    area = spec.area
    if area is not None:
        named = set(area.receptors)
        return tuple(
            r.index
            for r in receptors
            if r.index in named or receptor_zone(run, r.index) in area.zones
        )
    if in_person:
        return tuple(
            r.index
            for r in receptors
            if r.vulnerable
            and occupants(run, r.index) > 0  # an empty school at night is not door-knocked
            and receptor_zone(run, r.index) in WARNING_ZONES
        )
    setup = compiled.people
    if setup.hazard is None:  # no plume: warnings and protective action cover the area at risk
        zones = setup.zones
    else:
        zones = ALL_ZONES if spec.kind == "warning" else run.assumptions.protective_zones
    return tuple(r.index for r in receptors if receptor_zone(run, r.index) in zones)


def _people(run: Run, receptors: Sequence[int]) -> int:
    return sum(occupants(run, r) for r in receptors)


def _area_text(run: Run, task: int) -> str:
    area = run.compiled.tasks[task].area
    if area is None:
        return "the default area" if run.compiled.people.hazard is not None else "the area at risk"
    ids = [run.compiled.people.receptors[r].id for r in area.receptors]
    return ", ".join([*ids, *area.zones])


# --- warnings ----------------------------------------------------------------------------


def task_started(run: Run, index: int, duration: float) -> None:
    """A plan task has started and will take ``duration``: in-person warnings begin."""
    compiled = run.compiled
    if index not in compiled.door_knock_tasks:
        return
    targets = covered(run, index, in_person=True)
    if not targets:
        return
    rng = run.streams[compiled.door_knock_stream(index)]
    order = [targets[i] for i in rng.permutation(len(targets))]
    start, share = run.env.now, duration / len(order)
    knocks = [(start + share * (n + 1), target) for n, target in enumerate(order)]
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
        if state.in_person is not None:
            continue
        state.in_person = run.env.now
        state.in_person_by = index
        arrival = receptor_arrival(run, target)
        plume = "" if arrival is None else f", plume arrives +{arrival:.0f} min"
        zone = receptor_zone(run, target) or "outside the zones"
        run.log(
            "warned",
            agency=run.compiled.tasks[index].agency,
            task=index,
            detail=f"{receptors[target].name} ({zone}{plume}) warned in person",
        )


def task_done(run: Run, index: int, held: dict[int, int]) -> None:
    """A plan task has ended (holding ``held`` people of each role): broadcast, protective
    action, or rest centres open."""
    kind = run.compiled.tasks[index].kind
    if index in run.compiled.broadcast_tasks:
        _broadcast(run, index)
    elif kind in ("shelter", "evacuation"):
        _protective_action(run, index, kind)
    elif kind == "rest_centre":
        _open_centres(run, index, held)


def _broadcast(run: Run, index: int) -> None:
    state = run.public
    reached = [r for r in covered(run, index) if state.receptors[r].broadcast is None]
    for receptor in reached:
        state.receptors[receptor].broadcast = run.env.now
        state.receptors[receptor].broadcast_by = index
    if state.public_warned is None:
        state.public_warned = run.env.now
    run.log(
        "public_warned",
        agency=run.compiled.tasks[index].agency,
        task=index,
        detail=f"broadcast and emergency alert reach {_people(run, reached)} people "
        f"({_area_text(run, index)})",
    )


def _protective_action(run: Run, index: int, kind: str) -> None:
    state = run.public
    area = [r for r in covered(run, index) if state.receptors[r].action != "evacuation"]
    people = _people(run, area)
    agency = run.compiled.tasks[index].agency
    where = _area_text(run, index)
    if state.action is None:
        state.action, state.action_minute, state.action_people = kind, run.env.now, people
    if kind == "shelter":
        for receptor in area:
            state.receptors[receptor].action = state.receptors[receptor].action or "shelter"
        run.log(
            "protective_action",
            agency=agency,
            task=index,
            detail=f"shelter in place: {people} people ({where}) told to Go in, Stay in, Tune in",
        )
        return
    for receptor in area:
        state.receptors[receptor].action = "evacuation"
    state.evacuated += people
    compiled = run.compiled
    share = compiled.rest_centre_share
    if share is None:
        share = run.assumptions.rest_centre_fraction
    window = compiled.arrival_window or run.assumptions.evacuation_arrival_minutes
    expected = people * share
    run.log(
        "protective_action",
        agency=agency,
        task=index,
        detail=f"evacuate {people} people ({where}); {share:.0%} need a rest centre: about "
        f"{expected:.0f} arriving over {window:g} min",
    )
    if expected > 0:
        rng = run.streams[compiled.evacuation_stream]
        size = compiled.household_size
        now = run.env.now
        times = poisson_arrival_times(expected / size / window, now + window, rng, start=now)
        run.env.process(_arrivals(run, [(t, _household(size, rng)) for t in times]))


def _household(mean_size: float, rng: np.random.Generator) -> int:
    """One household's size: 1 plus a Poisson count, so its mean is ``mean_size``."""
    if mean_size <= 1.0:
        return 1
    return 1 + int(rng.poisson(mean_size - 1.0))


def extra_demand(
    run: Run, people: int, coach_load: int | None = None, coach_every: float | None = None
) -> None:
    """An inject's ``people`` head for rest centres: as households spread over the assumed
    window, or in coach loads ``coach_every`` minutes apart (the first after one interval)."""
    rng = run.streams[run.compiled.extra_demand_stream]
    size = run.compiled.household_size
    households: list[int] = []
    left = people
    while left > 0:
        households.append(min(_household(size, rng), left))
        left -= households[-1]
    if coach_load is not None and coach_every is not None:
        coaches: list[list[int]] = [[]]
        seats = 0
        for household in households:
            if seats + household > coach_load and seats:
                coaches.append([])
                seats = 0
            coaches[-1].append(household)
            seats += household
        run.env.process(_coaches(run, coaches, coach_every))
        return
    window = run.assumptions.extra_demand_arrival_minutes
    times = run.env.now + window * rng.random(len(households))
    arrivals = sorted(zip((float(t) for t in times), households, strict=True))
    run.env.process(_arrivals(run, arrivals))


def _coaches(run: Run, coaches: list[list[int]], every: float) -> Generator[Any, Any, None]:
    """One coach every ``every`` minutes, each bringing its households at once."""
    for number, coach in enumerate(coaches, 1):
        yield run.env.timeout(every)
        run.log(
            "coach_arrived",
            detail=f"coach {number} of {len(coaches)}: {sum(coach)} people for a rest centre",
        )
        for household in coach:
            run.public.arrived += household
            _place(run, household, run.env.now)


def _arrivals(run: Run, arrivals: Sequence[tuple[float, int]]) -> Generator[Any, Any, None]:
    for minute, household in arrivals:
        if minute > run.env.now:
            yield run.env.timeout(minute - run.env.now)
        run.public.arrived += household
        _place(run, household, run.env.now)


# --- rest centres ------------------------------------------------------------------------


def expected_wait(run: Run, centre: int) -> float:
    """The expected registration wait for a household arriving now (M/M/c with the desk's
    staff now: households ahead beyond the free desks, over the desks' service rate)."""
    staff = desk_staff(run, centre)
    if staff <= 0:
        return math.inf
    ahead = run.public.centres[centre].registering - staff + 1
    return max(0, ahead) * run.assumptions.registration_minutes / staff


def _place(run: Run, household: int, since: float) -> None:
    """Send a household to the open centre with room and the shortest expected wait; wait
    outside if none is open yet; turned away if every open centre is full."""
    state = run.public
    centres = run.compiled.people.rest_centres
    open_centres = [c for c in centres if state.centres[c.index].opened is not None]
    if not open_centres:
        state.waiting.append((since, household))
        return
    room = [c for c in open_centres if state.centres[c.index].occupancy + household <= c.capacity]
    if not room:
        state.turned_away += household
        if state.turned_away == household:
            run.log(
                "turned_away", detail="every open rest centre is full: arrivals are turned away"
            )
        return
    best = min(room, key=lambda c: (expected_wait(run, c.index), c.index))
    _admit(run, best.index, household, since)


def _admit(run: Run, centre: int, household: int, since: float) -> None:
    state = run.public.centres[centre]
    desk = state.desk
    assert desk is not None, "a centre admits people only once open"
    state.occupancy += household
    service = exponential_service(run.assumptions.registration_minutes)
    rng = run.streams[run.compiled.registration_stream(centre)]
    early = since if since < run.env.now else None
    state.registering += 1
    run.env.process(
        _register(run, centre, register(run.env, desk, service, rng, people=household, since=early))
    )
    info = run.compiled.people.rest_centres[centre]
    if state.occupancy == info.capacity:
        run.log("rest_centre_full", detail=f"{info.name} full ({info.capacity} places)")


def _register(
    run: Run, centre: int, process: Generator[Any, Any, bool]
) -> Generator[Any, Any, None]:
    """A household's registration; the centre counts it as registering until it is done."""
    yield from process
    run.public.centres[centre].registering -= 1


def _open_centres(run: Run, task: int, held: dict[int, int]) -> None:
    """Each manager the task held opens one of the centres staffed by their role."""
    public = run.public
    opened = False
    managers: dict[int, int] = dict(held)
    for centre in run.compiled.people.rest_centres:
        state = public.centres[centre.index]
        if task not in centre.opened_by or state.opened is not None:
            continue
        if managers.get(centre.manager_role, 0) <= 0:
            state.not_opened = (
                f"no manager of its own: {task_id(run, task)} held "
                f"{held.get(centre.manager_role, 0)} {centre.staffing_role}, who opened other "
                "centres first (each centre needs its own manager)"
            )
            continue
        managers[centre.manager_role] -= 1
        _open(run, centre.index, task)
        opened = True
    if opened:
        _admit_waiting(run)


def task_id(run: Run, task: int) -> str:
    """A task's id, for messages."""
    return run.compiled.tasks[task].id


def _open(run: Run, centre: int, task: int) -> None:
    state = run.public.centres[centre]
    info = run.compiled.people.rest_centres[centre]
    state.opened = run.env.now
    role = info.registration_role
    if role is None:
        state.desk = new_desk(run.env, info.registration_staff)
        staff = f"{info.registration_staff} registration staff"
    else:
        wanted = run.compiled.roles[role].count
        state.desk = new_desk(run.env, wanted)
        for _ in range(wanted):  # a desk is closed until one of the role's people arrives
            state.blockers.append(state.desk.staff.request())
        run.env.process(_staff_desks(run, centre, role))
        staff = f"registration by {run.compiled.roles[role].id}"
    run.log(
        "rest_centre_opened",
        agency=run.compiled.tasks[task].agency,
        task=task,
        detail=f"{info.name}: {info.capacity} places, {staff}",
    )


def _staff_desks(run: Run, centre: int, role: int) -> Generator[Any, Any, None]:
    """Open one desk for each of the registration role's people in place, as they arrive."""
    state = run.public.centres[centre]
    desk = state.desk
    assert desk is not None, "desks are staffed once the centre is open"
    role_state = run.roles[role]
    while state.blockers:
        for _ in range(
            min(len(role_state.in_place) - desk_staff(run, centre), len(state.blockers))
        ):
            desk.staff.release(state.blockers.pop())
        if not state.blockers:
            return
        arrival = run.env.event()
        role_state.watchers.append(arrival)
        yield arrival


def desk_staff(run: Run, centre: int) -> int:
    """Registration desks open now at a centre."""
    state = run.public.centres[centre]
    return 0 if state.desk is None else int(state.desk.staff.capacity) - len(state.blockers)


def _admit_waiting(run: Run) -> None:
    """Households that arrived before any centre was open go in now, in arrival order."""
    state = run.public
    queue, state.waiting = state.waiting, []
    if queue:
        people = sum(size for _since, size in queue)
        who = "1 person" if people == 1 else f"{people} people"
        run.log("rest_centre_queue", detail=f"{who} waiting outside go in")
        state.waited_for_opening += people
    for since, household in queue:
        _place(run, household, since)
