"""One replication of an incident response: build the SimPy model and run it.

``prepare(scenario, rota)`` does the set-up once (compiled scenario, agency graph, OnCall
index); ``run_once(compiled, roster, start, seed)`` then runs one replication and returns a
:class:`~standby.simulator.results.RunResult`. ``simulate`` is the convenience for a few runs.
This module assembles the others: it makes the run's :class:`~standby.simulator.state.Run`,
starts the alert cascade (:mod:`~standby.simulator.network`), the plan
(:mod:`~standby.simulator.plan`) and the injects, and reads the result off the state.
Randomness: the run's ``SeedSequence(seed)`` (or the child passed in) gives one stream per
random process, numbered by :class:`~standby.simulator.compiled.CompiledScenario`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from standby.clock import iso_z
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


def run_once(
    compiled: CompiledScenario,
    roster: Roster | None = None,
    start: datetime | None = None,
    seed: int | np.random.SeedSequence = 0,
    assumptions: Assumptions | None = None,
    *,
    replication: int | None = None,
    rota_name: str | None = None,
    events: bool = True,
) -> RunResult:
    """Run one replication and return its result (with its event log unless ``events`` is
    False, which many runs use: the log is most of the time spent making a result)."""
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
    network.start_cascade(run)
    plan.start_tasks(run)
    if compiled.injects:
        run.env.process(_inject_process(run))
    run.env.run(until=compiled.duration_minutes)
    seed_value = int(seed) if isinstance(seed, int | np.integer) else None
    if isinstance(seed, np.random.SeedSequence) and isinstance(seed.entropy, int):
        seed_value = seed.entropy
    return _result(run, seed_value, replication, rota_name, events=events)


def _milestones(run: Run) -> tuple[list[Milestone], list[CriticalPath]]:
    """Each task's milestone, and the critical path of each missed target."""
    compiled = run.compiled
    milestones = []
    paths = []
    for task in compiled.tasks:
        state = run.tasks[task.index]
        end = state.end
        met = None if task.target is None else (end is not None and end <= task.target)
        explanation = None
        if end is None or met is False:
            explanation = plan.explain(run, task.index)
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
                "" if explanation is None else explanation.reason,
                "" if explanation is None else explanation.driver,
            )
        )
        if met is False and task.target is not None and explanation is not None:
            paths.append(CriticalPath(task.id, task.target, rounded(end), explanation.path))
    return milestones, paths


def _result(
    run: Run, seed: int | None, replication: int | None, rota: str | None, *, events: bool
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
        hazard=compiled.people.hazard,
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
    """The once-per-process set-up: compiled scenario and the on-call index."""

    compiled: CompiledScenario
    roster: Roster | None
    rota_name: str | None = None


def prepare(
    scenario: Scenario,
    rota: Rota | None = None,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
) -> Prepared:
    """Compile ``scenario`` and index ``rota`` (None: every role on its agency's own call-out).

    ``requirements`` (None: the rota's own) say when each rota role must be covered, so that a
    role the rota leaves empty out of its hours is told apart from a gap."""
    compiled = compile_scenario(scenario)
    roster = Roster.from_rota(rota, requirements) if rota is not None else None
    return Prepared(compiled, roster, rota_name)


def rota_warnings(prepared: Prepared, start: datetime | None = None) -> list[str]:
    """What to warn about before a run from ``start``: rota roles the rota cannot fill then
    (each situation named apart) and injects naming people the rota does not have."""
    compiled = prepared.compiled
    return responders.rota_problems(compiled, prepared.roster, start or compiled.default_start)


def run_seeds(seed: int, runs: int) -> list[np.random.SeedSequence | int]:
    """Seeds of ``runs`` replications: the seed itself for one run, else its spawned children."""
    if runs == 1:
        return [seed]
    return list(np.random.SeedSequence(seed).spawn(runs))


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
            )
        )
        if progress is not None:
            progress(i + 1)
    return results
