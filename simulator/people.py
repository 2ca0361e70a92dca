"""People at risk in one replication: warnings, the protective action and rest centres.

The hazard model's answer for each receptor (worst AEGL zone and first plume arrival over the
wind changes) does not depend on the seed, so :func:`compile_people` computes it once per
scenario; each run then turns it into demand on the plan:

* **door-knocks**: every vulnerable premises inside AEGL-2 (or AEGL-3) is warned in person
  during each ``kind: warning`` task, at the task's start plus a uniform share of its
  duration (one draw per premises and task); the first such warning counts;
* **broadcast**: everyone else in a zone is warned when the first warning task ends;
* **protective action**: the first ``kind: shelter`` or ``kind: evacuation`` task to end is
  the decision; an evacuation sends an assumed share of the people inside AEGL-2 to rest
  centres as Poisson arrivals over an assumed window;
* **extra demand** injects send their people to rest centres, spread uniformly over an
  assumed window (a Poisson stream conditioned on its count);
* **rest centres** open when a ``kind: rest_centre`` task holding their ``staffing_role`` ends
  (so only once the manager from the rota has arrived); an arrival goes to the first open
  centre with a free place, overflows to the next, is turned away when every open centre is
  full, and waits when none is open yet; registration is a queue with ``registration_staff``
  officers (:func:`simulator.rest_centre.register`).

Defaults and sources are in :class:`simulator.compiled.Assumptions` and docs/model.md.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from standby import StandbyError
from standby.simulator.results import (
    HazardPeriod,
    HazardSummary,
    ReceptorZone,
    ZoneReach,
)

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario
    from standby.simulator.compiled import CompiledScenario
    from standby.simulator.model import Run
    from standby.simulator.rest_centre import RestCentreDesk

WARNING_ZONES = ("AEGL-3", "AEGL-2")
"""Zones whose vulnerable premises are warned in person (the issue's "inside AEGL-2")."""


@dataclass(frozen=True, slots=True)
class CompiledReceptor:
    """A receptor with its zone and plume arrival, fixed for the scenario."""

    index: int
    id: str
    name: str
    population: int
    vulnerable: bool
    zone: str | None
    arrival_minute: float | None


@dataclass(frozen=True, slots=True)
class CompiledRestCentre:
    """A rest centre; ``opened_by`` are the rest-centre tasks holding its staffing role."""

    index: int
    id: str
    name: str
    capacity: int
    staffing_role: str
    registration_staff: int
    opened_by: tuple[int, ...]


@dataclass(frozen=True)
class PeopleSetup:
    """Everything the people model needs from the scenario, computed once."""

    receptors: tuple[CompiledReceptor, ...]
    rest_centres: tuple[CompiledRestCentre, ...]
    hazard: HazardSummary
    wind_notes: dict[float, str]

    @property
    def warn_targets(self) -> tuple[int, ...]:
        """Vulnerable receptors inside AEGL-2 or AEGL-3, in file order."""
        return tuple(r.index for r in self.receptors if r.vulnerable and r.zone in WARNING_ZONES)


# --- once per scenario -------------------------------------------------------------------


def compile_people(scenario: Scenario, openers: dict[int, tuple[str, ...]]) -> PeopleSetup:
    """Receptor zones, rest centres, the hazard summary and the wind-change notes.

    ``openers`` maps each ``kind: rest_centre`` task (compiled index) to its role ids.
    """
    from standby.simulator.hazard import (
        scenario_exposures,
        wind_changes_from_injects,
        zones_over_time,
    )

    try:
        periods = zones_over_time(scenario.hazard, wind_changes_from_injects(scenario.injects))
    except ValueError as error:
        changes = [i.id for i in scenario.injects if i.effect and i.effect.kind == "wind_change"]
        raise StandbyError(
            f"scenario {scenario.name}: injects {', '.join(changes)}: {error}; give the "
            "wind_change a 'stability' (A-F) or the weather an insolation"
        ) from error
    exposures = scenario_exposures(scenario)
    receptors = tuple(
        CompiledReceptor(i, r.id, r.name, r.population, r.vulnerable, e.zone, e.arrival_minute)
        for i, (r, e) in enumerate(zip(scenario.receptors, exposures, strict=True))
    )
    centres = tuple(
        CompiledRestCentre(
            i,
            c.id,
            c.name,
            c.capacity,
            c.staffing_role,
            c.registration_staff,
            tuple(sorted(t for t, roles in openers.items() if c.staffing_role in roles)),
        )
        for i, c in enumerate(scenario.rest_centres)
    )
    warnings: list[str] = []
    limits: list[str] = []
    for period in periods:
        warnings += [w for w in period.zones.warnings if w not in warnings]
        limits += [x for x in period.zones.limits if x not in limits]
    first = periods[0].zones
    hazard = HazardSummary(
        substance=first.substance_name,
        aegl_duration_min=first.aegl_duration_min,
        sigma_set=first.sigma_set,
        periods=tuple(
            HazardPeriod(
                p.start_minute,
                p.end_minute,
                p.zones.wind_speed_ms,
                p.zones.wind_from_deg,
                p.zones.stability,
                tuple(
                    ZoneReach(z.level, z.threshold_ppm, z.downwind_m, z.max_half_width_m, z.area_m2)
                    for z in p.zones.zones
                ),
            )
            for p in periods
        ),
        receptors=tuple(
            ReceptorZone(
                r.id,
                r.name,
                r.kind,
                r.population,
                r.vulnerable,
                e.zone,
                e.arrival_minute,
                e.downwind_m,
                e.crosswind_m,
                e.concentration_ppm,
                e.warnings,
            )
            for r, e in zip(scenario.receptors, exposures, strict=True)
        ),
        warnings=tuple(warnings),
        limits=tuple(limits),
    )
    release_minutes = scenario.hazard.release.duration_minutes
    notes = {}
    for inject in scenario.injects:
        if inject.effect is None or inject.effect.kind != "wind_change":
            continue
        minute = float(inject.minute)
        if minute >= release_minutes:
            notes[minute] = (
                f"release ended at minute {release_minutes:g}: zones unchanged "
                "(the cloud already released is not re-steered)"
            )
            continue
        current = next(p for p in reversed(hazard.periods) if p.start_minute <= minute)
        notes[minute] = f"new zones from minute {current.start_minute:g}: " + _reach_text(current)
    return PeopleSetup(receptors, centres, hazard, notes)


def split_warning_tasks(tasks: Sequence[Any]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Indices of the ``kind: warning`` tasks that warn in person and those that broadcast.

    A task's ``warns`` field says which (broadcast when left out). A plan with only one sort
    lets its warning tasks do both.
    """
    warning = [t for t in tasks if t.kind == "warning"]
    personal = tuple(t.index for t in warning if t.warns == "in_person")
    broadcast = tuple(t.index for t in warning if t.index not in personal)
    every = tuple(t.index for t in warning)
    return (personal or every), (broadcast or every)


def _reach_text(period: HazardPeriod) -> str:
    reaches = ", ".join(
        f"{z.level} {_distance(z.downwind_m)}" for z in period.zones if z.threshold_ppm is not None
    )
    return f"{reaches} downwind (class {period.stability})"


def _distance(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


# --- one run -----------------------------------------------------------------------------


class PeopleRun:
    """The people side of one replication (mutable; read by :func:`kpis`)."""

    def __init__(self, compiled: CompiledScenario) -> None:
        setup = compiled.people
        n_centres = len(setup.rest_centres)
        self.warned: list[float | None] = [None] * len(setup.receptors)
        self.warned_by: list[int | None] = [None] * len(setup.receptors)
        self.public_warned: float | None = None
        self.action: str | None = None
        self.action_minute: float | None = None
        self.evacuating = False
        self.opened: list[float | None] = [None] * n_centres
        self.desks: list[RestCentreDesk | None] = [None] * n_centres
        self.occupancy = [0] * n_centres
        self.waiting: list[float] = []
        self.arrived = 0
        self.turned_away = 0
        self.waited_for_opening = 0


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
    state = run.people
    receptors = run.compiled.people.receptors
    for minute, target in knocks:
        if minute > run.env.now:
            yield run.env.timeout(minute - run.env.now)
        if state.warned[target] is not None:
            continue
        state.warned[target] = run.env.now
        state.warned_by[target] = index
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
            if index in centre.opened_by and run.people.opened[centre.index] is None:
                _open(run, centre.index, index)
                opened = True
        if opened:
            _admit_waiting(run)


def _people_in(run: Run, zones: Sequence[str], *, vulnerable: bool | None = None) -> int:
    return sum(
        r.population
        for r in run.compiled.people.receptors
        if r.zone in zones and (vulnerable is None or r.vulnerable == vulnerable)
    )


def _broadcast(run: Run, index: int) -> None:
    state = run.people
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
    state = run.people
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
        from standby.simulator.rest_centre import poisson_arrival_times

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
        run.people.arrived += 1
        _place(run)


def _place(run: Run) -> None:
    """Send one person to the first open centre with a place; wait if none is open yet."""
    state = run.people
    centres = run.compiled.people.rest_centres
    if not any(m is not None for m in state.opened):
        state.waiting.append(run.env.now)
        return
    for centre in centres:
        if state.opened[centre.index] is not None and state.occupancy[centre.index] < (
            centre.capacity
        ):
            _admit(run, centre.index)
            return
    state.turned_away += 1
    if state.turned_away == 1:
        run.log("turned_away", detail="every open rest centre is full: arrivals are turned away")


def _admit(run: Run, centre: int) -> None:
    from standby.simulator.rest_centre import exponential_service, register

    state = run.people
    desk = state.desks[centre]
    assert desk is not None
    state.occupancy[centre] += 1
    service = exponential_service(run.assumptions.registration_minutes)
    rng = run.streams[run.compiled.registration_stream(centre)]
    run.env.process(register(run.env, desk, service, rng))
    compiled_centre = run.compiled.people.rest_centres[centre]
    if state.occupancy[centre] == compiled_centre.capacity:
        run.log(
            "rest_centre_full",
            detail=f"{compiled_centre.name} full ({compiled_centre.capacity} places)",
        )


def _open(run: Run, centre: int, task: int) -> None:
    from standby.simulator.rest_centre import new_desk

    state = run.people
    info = run.compiled.people.rest_centres[centre]
    state.opened[centre] = run.env.now
    state.desks[centre] = new_desk(run.env, info.id, info.registration_staff)
    run.log(
        "rest_centre_opened",
        agency=run.compiled.tasks[task].agency,
        task=task,
        detail=f"{info.name}: {info.capacity} places, {info.registration_staff} registration staff",
    )


def _admit_waiting(run: Run) -> None:
    """People who arrived before any centre was open go in now, in arrival order."""
    state = run.people
    queue, state.waiting = state.waiting, []
    if queue:
        run.log("rest_centre_queue", detail=f"{len(queue)} people waiting outside go in")
    state.waited_for_opening += len(queue)
    for _ in queue:
        _place(run)
