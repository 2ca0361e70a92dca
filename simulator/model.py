"""One replication of an incident response: build the SimPy model and run it.

``prepare(scenario, rota)`` does the set-up once (compiled scenario, agency graph, OnCall
index); ``run_once(compiled, roster, start, seed)`` then runs one replication and returns a
:class:`~standby.simulator.results.RunResult`. ``simulate`` is the convenience for a few runs.
``pinned`` (task id to minute, given to ``prepare`` or ``run_once``) holds plan tasks at
given end times, such as the players' in an exercise (:mod:`~standby.simulator.plan`).
This module assembles the others: it makes the run's :class:`~standby.simulator.state.Run`,
starts the alert cascade (:mod:`~standby.simulator.network`), the plan
(:mod:`~standby.simulator.plan`) and the injects, and reads the result off the state.
Randomness: the run's ``SeedSequence(seed)`` (or the child passed in) gives one stream per
random process, numbered by :class:`~standby.simulator.compiled.CompiledScenario`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from standby.clock import iso_z
from standby.errors import StandbyError
from standby.rota.model import Requirement, Rota
from standby.scenarios.model import Scenario
from standby.simulator import network, people, plan, responders
from standby.simulator.compiled import (
    Assumptions,
    CompiledInject,
    CompiledScenario,
    ExtraDemandEffect,
    LinkDownEffect,
    PersonUnavailableEffect,
    RoleUnavailableEffect,
    WindChangeEffect,
    compile_scenario,
)
from standby.simulator.kpis import hazard_outcome
from standby.simulator.kpis import kpis as run_kpis
from standby.simulator.results import (
    AgencyAlert,
    CriticalPath,
    Event,
    Milestone,
    RunResult,
    UnfilledRole,
    rounded,
)
from standby.simulator.roster import Roster
from standby.simulator.state import Finished, Run, Working

NO_ROTA_NOTE = (
    "no rota given: every role is assumed filled by its agency's own on-call arrangement, "
    "answering at the default probability"
)

DEFAULT_ASSUMPTIONS = Assumptions()


def _inject_process(run: Run) -> Generator[Any, Any, None]:
    for inject in run.compiled.injects:
        if inject.minute > run.env.now:
            yield run.env.timeout(inject.minute - run.env.now)
        _apply_inject(run, inject)


def _apply_inject(run: Run, inject: CompiledInject) -> None:
    compiled = run.compiled
    run.log("inject", detail=f"{inject.id}: {inject.text}")
    match inject.effect:
        case LinkDownEffect(source=source, target=target):
            for link in compiled.out_links[source]:
                if compiled.links[link].target == target:
                    run.links[link].down = True
            run.log(
                "link_down",
                agency=source,
                detail=f"{compiled.agencies[source]} -> {compiled.agencies[target]} "
                f"(inject {inject.id})",
            )
        case PersonUnavailableEffect(person=person):
            responders.person_unavailable(run, person, inject.id)
        case RoleUnavailableEffect(role=role):
            responders.role_unavailable(run, role, inject.id)
        case WindChangeEffect() as wind:
            extra = "" if wind.stability is None else f", stability {wind.stability}"
            zones = f"; {wind.zones}" if wind.zones else ""
            ended = _release_ended(run)
            if ended is not None:
                zones = (
                    f"; release ended at minute {ended:g}: zones unchanged "
                    "(the cloud already released is not re-steered)"
                )
            run.log(
                "wind_change",
                detail=f"wind from {wind.wind_from_deg:g} deg at {wind.wind_speed_ms:g} m/s"
                f"{extra}{zones}",
            )
        case ExtraDemandEffect(people=count, receptor=receptor) as demand:
            where = f" from {receptor}" if receptor else ""
            coaches = ""
            if demand.coach_load is not None:
                coaches = (
                    f", by coach ({demand.coach_load} a coach, every {demand.coach_every:g} min)"
                )
            run.log(
                "extra_demand", detail=f"{count} more people{where} need a rest centre{coaches}"
            )
            people.extra_demand(run, count, demand.coach_load, demand.coach_every)


def _release_ended(run: Run) -> float | None:
    """The minute the release ended if it has by now (the isolation task's end, or the
    planned duration when the scenario names no isolation task)."""
    model = run.compiled.hazard
    if model is None:
        return None
    if model.isolation_task is None:
        return model.planned_minutes if model.planned_minutes <= run.env.now else None
    end = run.tasks[model.isolation_task].end
    return None if end is None else round(end, 1)


def run_once(
    compiled: CompiledScenario,
    roster: Roster | None = None,
    start: datetime | None = None,
    seed: int | np.random.SeedSequence = 0,
    assumptions: Assumptions | None = None,
    *,
    replication: int | None = None,
    rota_name: str | None = None,
    pinned: Mapping[str, float] | None = None,
    events: bool = True,
    exposure: bool = True,
) -> RunResult:
    """Run one replication and return its result (with its event log unless ``events`` is
    False, which many runs use: the log is most of the time spent making a result; and with
    what its people breathed unless ``exposure`` is False, which a sweep or a sensitivity
    study that reads only the response uses: ``RunResult.exposure`` is then None).

    ``pinned`` maps plan task ids to the minute each ends at, whatever its sampled duration
    (:mod:`~standby.simulator.plan` says how a pinned task waits and holds its people).
    """
    if start is None:
        start = compiled.default_start
    if start.tzinfo is None:
        raise ValueError("run_once needs an aware start instant (UTC inside Standby)")
    start = start.astimezone(UTC)
    if assumptions is None:
        assumptions = DEFAULT_ASSUMPTIONS
    run = Run(compiled, roster, start, seed, assumptions)
    if roster is None:
        run.notes.append(NO_ROTA_NOTE)
    run.notes.extend(responders.rota_problems(compiled, roster, start))
    run.notes.extend(
        f"no chain of links reaches '{agency}' from the alarm or the declaration; "
        "its tasks cannot start"
        for agency in compiled.unreachable
    )
    pins = plan.pin_minutes(compiled, pinned)
    run.notes.extend(
        f"{task.id} pinned to end at minute {pin:g}"
        for task, pin in zip(compiled.tasks, pins, strict=True)
        if pin is not None
    )
    network.start_cascade(run)
    plan.start_tasks(run, pins)
    if compiled.injects:
        run.env.process(_inject_process(run))
    run.env.run(until=compiled.duration_minutes)
    seed_value = int(seed) if isinstance(seed, int | np.integer) else None
    if isinstance(seed, np.random.SeedSequence) and isinstance(seed.entropy, int):
        seed_value = seed.entropy
    return _result(run, seed_value, replication, rota_name, events=events, exposure=exposure)


def _milestones(run: Run) -> tuple[list[Milestone], list[CriticalPath]]:
    """Each task's milestone, and the critical path of each missed target."""
    compiled = run.compiled
    milestones = []
    paths = []
    explainer = plan.Explainer(run)
    for task in compiled.tasks:
        state = run.tasks[task.index]
        end = state.end
        met = None if task.target is None else (end is not None and end <= task.target)
        explained = end is None or met is False
        match state.phase:
            case Finished():
                status = "done"
            case Working():
                status = "running"
            case _:
                status = "not_started"
        milestones.append(
            Milestone(
                task.id,
                task.name,
                compiled.agencies[task.agency],
                rounded(state.start),
                rounded(end),
                task.target,
                met,
                status,
                explainer.reason(task.index) if explained else "",
                explainer.driver(task.index) if explained else "",
            )
        )
        if met is False and task.target is not None:
            path = explainer.path(task.index).steps()
            paths.append(CriticalPath(task.id, task.target, rounded(end), path))
    return milestones, paths


def _result(
    run: Run,
    seed: int | None,
    replication: int | None,
    rota: str | None,
    *,
    events: bool,
    exposure: bool,
) -> RunResult:
    compiled = run.compiled
    milestones, paths = _milestones(run)
    unfilled = tuple(
        UnfilledRole(
            compiled.roles[r].id,
            compiled.roles[r].rota_role,
            compiled.agencies[compiled.roles[r].agency],
            rounded(state.unfilled.minute),
            state.unfilled.shortfall,
            state.unfilled.reason,
            state.unfilled.kind,
        )
        for r, state in enumerate(run.roles)
        if state.unfilled is not None
    )
    alerts = tuple(
        AgencyAlert(agency, rounded(state.alerted), state.via or "not alerted")
        for agency, state in zip(compiled.agencies, run.agencies, strict=True)
    )
    breathed = hazard_outcome(run) if exposure else None
    return RunResult(
        scenario=compiled.name,
        start=_to_the_second(run.start),
        seed=seed,
        replication=replication,
        timezone=compiled.timezone,
        duration_minutes=compiled.duration_minutes,
        rota=rota,
        notes=tuple(run.notes),
        alerts=alerts,
        milestones=tuple(milestones),
        unfilled_roles=unfilled,
        critical_paths=tuple(paths),
        hazard=compiled.people.hazard_with(run.occupants),
        exposure=breathed,
        kpis=run_kpis(run),
        events=tuple(_events(run)) if events else None,
    )


def _to_the_second(instant: datetime) -> str:
    """A UTC instant to the whole second (cut, not rounded), as results give their times."""
    return iso_z(instant.replace(microsecond=0))


def _events(run: Run) -> Iterator[Event]:
    """The event log with ids and UTC times; a role's event names its agency too."""
    compiled = run.compiled
    agencies, roles, tasks = compiled.agencies, compiled.roles, compiled.tasks
    start = run.start
    minute, time = -1.0, ""
    for event in run.events:
        if event.minute != minute:  # the log is in time order; many events share a minute
            minute = event.minute
            time = _to_the_second(start + timedelta(minutes=minute))
        agency, role, task = event.agency, event.role, event.task
        if agency is None and role is not None:
            agency = roles[role].agency
        yield Event(
            rounded(minute),
            time,
            event.kind,
            None if agency is None else agencies[agency],
            None if role is None else roles[role].id,
            event.person,
            None if task is None else tasks[task].id,
            event.detail,
        )


# --- set-up and several runs ---------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The once-per-process set-up: compiled scenario, the on-call index, pinned task times."""

    compiled: CompiledScenario
    roster: Roster | None
    rota_name: str | None = None
    pinned: Mapping[str, float] | None = None


def prepare(
    scenario: Scenario,
    rota: Rota | None = None,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
    pinned: Mapping[str, float] | None = None,
) -> Prepared:
    """Compile ``scenario`` and index ``rota`` (None: every role on its agency's own call-out).

    ``requirements`` (None: the rota's own) say when each rota role must be covered, so that a
    role the rota leaves empty out of its hours is told apart from a gap. ``pinned`` (task id
    to minute) is checked here and given to every run."""
    compiled = compile_scenario(scenario)
    roster = Roster.from_rota(rota, requirements) if rota is not None else None
    plan.pin_minutes(compiled, pinned)
    return Prepared(compiled, roster, rota_name, None if not pinned else dict(pinned))


def rota_warnings(prepared: Prepared, start: datetime | None = None) -> list[str]:
    """What to warn about before a run from ``start``: rota roles the rota cannot fill then
    (each situation named apart) and injects naming people the rota does not have."""
    compiled = prepared.compiled
    return responders.rota_problems(compiled, prepared.roster, start or compiled.default_start)


def run_seed(seed: int, runs: int, replication: int) -> int | np.random.SeedSequence:
    """The seed of one replication: ``seed`` itself for a single run, else child
    ``replication`` of ``SeedSequence(seed)``, made directly: the same as
    ``SeedSequence(seed).spawn(runs)[replication]`` (``spawn`` keys its children ``(i,)``)."""
    if seed < 0:
        raise StandbyError(
            f"the seed {seed} is negative; give a whole number, 0 or more", parameters=("seed",)
        )
    if runs == 1:
        return seed
    return np.random.SeedSequence(seed, spawn_key=(replication,))


def run_seeds(seed: int, runs: int) -> Iterator[np.random.SeedSequence | int]:
    """Seeds of ``runs`` replications (:func:`run_seed` of each), made as they are asked for,
    so that a billion runs start at once and hold one seed at a time."""
    for replication in range(runs):
        yield run_seed(seed, runs, replication)


def simulate(
    prepared: Prepared,
    start: datetime | None = None,
    seed: int = 0,
    runs: int = 1,
    assumptions: Assumptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """Run ``runs`` replications serially; run ``i`` of several uses child ``i`` of ``seed``."""
    results = []
    for i, child in enumerate(run_seeds(seed, runs)):
        results.append(
            run_once(
                prepared.compiled,
                prepared.roster,
                start,
                child,
                assumptions,
                replication=None if runs == 1 else i,
                rota_name=prepared.rota_name,
                pinned=prepared.pinned,
            )
        )
        if progress is not None:
            progress(i + 1)
    return results
