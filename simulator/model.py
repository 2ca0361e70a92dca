"""One replication of an incident response: build the SimPy model and run it.

``prepare(scenario, rota)`` does the set-up once (compiled scenario, agency graph, OnCall
index); ``run_once(compiled, roster, start, seed)`` then runs one replication and returns a
:class:`~simulator.results.RunResult`. ``simulate`` is the convenience for a few runs.
Randomness: the run's ``SeedSequence(seed)`` (or the child passed in) gives one stream per
random process, numbered by :class:`~simulator.compiled.CompiledScenario`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import simpy

from standby.simulator import network, people, plan, responders
from standby.simulator.compiled import Assumptions, CompiledScenario, compile_scenario
from standby.simulator.distributions import Streams
from standby.simulator.kpis import kpis as run_kpis
from standby.simulator.responders import RoleState, Roster
from standby.simulator.results import (
    AgencyAlert,
    CriticalPath,
    Event,
    Milestone,
    RunResult,
    Step,
    UnfilledRole,
    rounded,
)

Cause = tuple[float, str, Any]
"""``(minute, what happened, parent cause or None)``: a chain back to the alarm."""

NO_ROTA_NOTE = (
    "no rota given: every role is assumed filled by its agency's own on-call arrangement, "
    "answering at the default probability"
)


class Run:
    """The mutable state of one replication (used by the process functions)."""

    def __init__(
        self,
        compiled: CompiledScenario,
        roster: Roster | None,
        start: datetime,
        seed: int | np.random.SeedSequence,
        assumptions: Assumptions,
    ) -> None:
        n_agencies, n_roles, n_tasks = (
            len(compiled.agencies),
            len(compiled.roles),
            len(compiled.tasks),
        )
        self.compiled = compiled
        self.roster = roster
        self.start = start
        self.assumptions = assumptions
        self.streams = Streams(seed)
        self.env = env = simpy.Environment()
        self.events: list[
            tuple[float, str, int | None, int | None, str | None, int | None, str]
        ] = []
        self.alerted: list[float | None] = [None] * n_agencies
        self.alerted_via: list[str] = [""] * n_agencies
        self.alert_events = [simpy.Event(env) for _ in range(n_agencies)]
        self.agency_cause: list[Cause | None] = [None] * n_agencies
        self.methane = [False] * n_agencies
        self.methane_cause: list[Cause | None] = [None] * n_agencies
        self.link_down = [False] * len(compiled.links)
        self.link_lines = [
            simpy.Resource(env, link.capacity) if link.capacity else None for link in compiled.links
        ]
        self.roles = [RoleState() for _ in range(n_roles)]
        self.role_cause: list[Cause | None] = [None] * n_roles
        self.responding: dict[str, str] = {}
        self.unavailable_people: set[str] = set()
        self.pool = plan.Pool(env, n_roles)
        self.task_done = [simpy.Event(env) for _ in range(n_tasks)]
        self.task_cause: list[Cause | None] = [None] * n_tasks
        self.task_waiting: list[float | None] = [None] * n_tasks
        self.task_start: list[float | None] = [None] * n_tasks
        self.task_end: list[float | None] = [None] * n_tasks
        self.notes: list[str] = []
        self.people = people.PeopleRun(compiled)
        self._zone = ZoneInfo(compiled.timezone)

    # --- helpers for the process functions --------------------------------------------

    def log(
        self,
        kind: str,
        *,
        agency: int | None = None,
        role: int | None = None,
        person: str | None = None,
        task: int | None = None,
        detail: str = "",
    ) -> None:
        """Append one event at the current minute."""
        self.events.append((self.env.now, kind, agency, role, person, task, detail))

    def cause(self, what: str, parent: Cause | None = None, *, role: int | None = None) -> Cause:
        """A cause at the current minute; ``role`` links it to that role's agency alert."""
        if role is not None:
            parent = self.agency_cause[self.compiled.roles[role].agency]
        return (self.env.now, what, parent)

    def instant(self) -> datetime:
        """The current simulation minute as a UTC instant."""
        return self.start + timedelta(minutes=self.env.now)

    def local_time(self) -> datetime:
        """The current instant in the scenario's time zone."""
        return self.instant().astimezone(self._zone)

    def local_hour(self) -> int:
        """Local hour of the day now (0-23)."""
        return self.local_time().hour

    def mark_alerted(self, agency: int, link: int | None, how: str) -> None:
        """An agency hears of the incident: log it, start its call-outs, free waiting tasks."""
        compiled = self.compiled
        self.alerted[agency] = self.env.now
        if link is None:
            self.alerted_via[agency] = how
            self.agency_cause[agency] = self.cause(f"{compiled.agencies[agency]} {how}")
            detail = how
        else:
            source = compiled.links[link].source
            channel = compiled.links[link].channel
            message = "M/ETHANE" if how == "M/ETHANE" else "alarm"
            self.alerted_via[agency] = f"{message} from {compiled.agencies[source]} by {channel}"
            detail = self.alerted_via[agency]
            parent = self.methane_cause[source] if how == "M/ETHANE" else self.agency_cause[source]
            self.agency_cause[agency] = self.cause(
                f"{compiled.agencies[agency]} alerted: {detail}", parent
            )
        self.log("alerted", agency=agency, detail=detail)
        self.alert_events[agency].succeed()
        responders.start_call_outs(self, agency)


def _inject_process(run: Run) -> Generator[Any, Any, None]:
    compiled = run.compiled
    for inject in compiled.injects:
        if inject.minute > run.env.now:
            yield run.env.timeout(inject.minute - run.env.now)
        _apply_inject(run, inject.id, inject.effect, inject.args, inject.text)


def _apply_inject(run: Run, inject: str, effect: str, args: tuple[Any, ...], text: str) -> None:
    compiled = run.compiled
    run.log("inject", detail=f"{inject}: {text}")
    if effect == "link_down":
        source, target = args
        for link in compiled.out_links[source]:
            if compiled.links[link].target == target:
                run.link_down[link] = True
        run.log(
            "link_down",
            agency=source,
            detail=f"{compiled.agencies[source]} -> {compiled.agencies[target]} (inject {inject})",
        )
    elif effect == "person_unavailable":
        responders.person_unavailable(run, args[0], inject)
    elif effect == "role_unavailable":
        responders.role_unavailable(run, args[0], inject)
    elif effect == "wind_change":
        speed, direction, stability, zones = args
        extra = f", stability {stability}" if stability else ""
        zones = f"; {zones}" if zones else ""
        run.log("wind_change", detail=f"wind from {direction:g} deg at {speed:g} m/s{extra}{zones}")
    elif effect == "extra_demand":
        count, receptor = args
        where = f" from {receptor}" if receptor else ""
        run.log("extra_demand", detail=f"{count} more people{where} need a rest centre")
        people.extra_demand(run, count)


def run_once(
    compiled: CompiledScenario,
    roster: Roster | None = None,
    start: datetime | None = None,
    seed: int | np.random.SeedSequence = 0,
    assumptions: Assumptions | None = None,
    *,
    replication: int | None = None,
    rota_name: str | None = None,
) -> RunResult:
    """Run one replication and return its result."""
    start = start or compiled.default_start
    if start.tzinfo is None:
        raise ValueError("run_once needs an aware start instant (UTC inside Standby)")
    start = start.astimezone(UTC)
    run = Run(compiled, roster, start, seed, assumptions or DEFAULT_ASSUMPTIONS)
    if roster is None:
        run.notes.append(NO_ROTA_NOTE)
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
    return _result(run, seed_value, replication, rota_name)


DEFAULT_ASSUMPTIONS = Assumptions()


def _reason(run: Run, index: int) -> str:
    compiled = run.compiled
    task = compiled.tasks[index]
    if run.task_start[index] is not None:
        return "still running when the scenario ended"
    for before in task.after:
        if run.task_end[before] is None:
            return f"waits for {compiled.tasks[before].id}, which was not done"
    if run.alerted[task.agency] is None:
        return f"{compiled.agencies[task.agency]} was never alerted"
    missing = []
    for role in task.roles:
        state = run.roles[role]
        if state.unfilled is not None:
            missing.append(f"{compiled.roles[role].id} unfilled: {state.unfilled[2]}")
        elif not state.started:
            missing.append(f"{compiled.roles[role].id} never called out")
    if missing:
        return "; ".join(missing)
    return "people not in place (or busy) before the scenario ended"


def _chain(cause: Cause | None) -> tuple[Step, ...]:
    steps = []
    while cause is not None:
        steps.append(Step(rounded(cause[0]) or 0.0, cause[1]))
        cause = cause[2]
    return tuple(reversed(steps))


def _critical_path(run: Run, index: int) -> tuple[Step, ...]:
    """For a done task, its cause chain; for one not done, the chain of what it waited on."""
    compiled = run.compiled
    task = compiled.tasks[index]
    if run.task_cause[index] is not None:
        return _chain(run.task_cause[index])
    for before in task.after:
        if run.task_end[before] is None:
            head = _critical_path(run, before)
            return (*head, Step(head[-1].minute if head else 0.0, f"{task.id} not started"))
    best: Cause | None = run.agency_cause[task.agency]
    for role in task.roles:
        state = run.roles[role]
        if state.unfilled is not None:
            parent = run.agency_cause[compiled.roles[role].agency]
            what = f"{compiled.roles[role].id} unfilled: {state.unfilled[2]}"
            best = (state.unfilled[0], what, parent)
            break
    return (*_chain(best), Step(rounded(run.env.now) or 0.0, f"{task.id} not done"))


def _result(run: Run, seed: int | None, replication: int | None, rota: str | None) -> RunResult:
    compiled = run.compiled
    milestones = []
    paths = []
    for task in compiled.tasks:
        i = task.index
        end = run.task_end[i]
        met = None if task.target is None else (end is not None and end <= task.target)
        status = "done" if end is not None else "running" if run.task_start[i] else "not_started"
        milestones.append(
            Milestone(
                task.id,
                task.name,
                compiled.agencies[task.agency],
                rounded(run.task_start[i]),
                rounded(end),
                task.target,
                met,
                status,
                "" if end is not None else _reason(run, i),
            )
        )
        if met is False and task.target is not None:
            paths.append(CriticalPath(task.id, task.target, rounded(end), _critical_path(run, i)))
    unfilled = tuple(
        UnfilledRole(
            compiled.roles[r].id,
            compiled.roles[r].rota_role,
            compiled.agencies[compiled.roles[r].agency],
            rounded(state.unfilled[0]) or 0.0,
            state.unfilled[1],
            state.unfilled[2],
        )
        for r, state in enumerate(run.roles)
        if state.unfilled is not None
    )
    alerts = tuple(
        AgencyAlert(agency, rounded(run.alerted[a]), run.alerted_via[a] or "not alerted")
        for a, agency in enumerate(compiled.agencies)
    )
    return RunResult(
        scenario=compiled.name,
        start=_iso(run.start),
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
        kpis=run_kpis(run, lambda task: _reason(run, task)),
        events=tuple(_events(run)),
    )


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def _events(run: Run) -> Iterator[Event]:
    compiled = run.compiled
    agencies, roles, tasks = compiled.agencies, compiled.roles, compiled.tasks
    start = run.start
    for minute, kind, agency, role, person, task, detail in run.events:
        if agency is None and role is not None:
            agency = roles[role].agency
        yield Event(
            rounded(minute) or 0.0,
            _iso(start + timedelta(minutes=minute)),
            kind,
            None if agency is None else agencies[agency],
            None if role is None else roles[role].id,
            person,
            None if task is None else tasks[task].id,
            detail,
        )


# --- set-up and several runs ---------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The once-per-process set-up: compiled scenario and the on-call index."""

    compiled: CompiledScenario
    roster: Roster | None
    rota_name: str | None = None


def prepare(scenario: Any, rota: Any = None, rota_name: str | None = None) -> Prepared:
    """Compile ``scenario`` and index ``rota`` (a :class:`rota.model.Rota` or None)."""
    compiled = compile_scenario(scenario)
    roster = Roster.from_rota(rota) if rota is not None else None
    return Prepared(compiled, roster, rota_name)


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
