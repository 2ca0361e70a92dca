"""The tabletop exercise pack as data: MSEL, objectives with the model's expectations, rota.

:func:`build_pack` runs the scenario many times from the exercise's start, then gathers what
the planner prints: the Master Scenario Events List (the scenario's injects, plus information
injects timed at the model's median and contingency injects from the worst runs, each marked
generated), the objectives with what the model expects of them and the JESIP principles and
COMAH aims they test, the rota snapshot at the exercise instant (and, with ``stress``, the
instant of thinnest cover), and the simulated response per task. Rendering it is
:mod:`standby.reports.exercise_document`'s job; nothing here formats a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from standby.clock import TimeError, parse_instant, to_local
from standby.reports.exercise_generated import GeneratedInject, generated_injects
from standby.reports.exercise_rota import RotaSnapshot, StressChoice, StressWindow, thinnest_cover

if TYPE_CHECKING:
    from standby.rota.model import Rota
    from standby.scenarios.model import Inject, Scenario
    from standby.simulator.maps import HazardMaps
    from standby.simulator.results import RunResult
    from standby.simulator.summary import RunsSummary

#: Simulated runs behind the pack's expectations unless told otherwise.
PACK_RUNS = 200
#: A scenario's moves, when it names none: one per hour of scenario time.
MOVE_MINUTES = 60.0

# What each kind of plan task tests, when an objective does not say (JESIP principles, COMAH
# 2015 regulation 11 objectives): see docs/exercises.md.
KIND_TAGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "alert": (("communicate", "shared situational awareness"), ("11(c)",)),
    "command": (("co-locate", "co-ordinate", "jointly understand risk"), ("11(a)",)),
    "warning": (("communicate",), ("11(b)", "11(c)")),
    "shelter": (("jointly understand risk",), ("11(b)",)),
    "evacuation": (("jointly understand risk", "co-ordinate"), ("11(b)",)),
    "rest_centre": (("co-ordinate",), ("11(b)",)),
    "cordon": (("co-ordinate",), ("11(a)",)),
    "other": (("shared situational awareness",), ()),
}


@dataclass(frozen=True, slots=True)
class MselRow:
    """One row of the MSEL: HSEEP's columns plus move, controller, status and the rest.

    ``generated`` rows come from the model, not the scenario file; ``basis`` says how.
    """

    number: int
    inject: str
    minute: float
    clock: str
    phase: str
    type: str
    method: str
    sender: str
    recipient: str
    message: str
    expected_response: str
    objective: str | None
    controller: str
    status: str
    contingency: bool
    after: str | None
    notes: str
    generated: bool
    basis: str
    effect: str | None


@dataclass(frozen=True, slots=True)
class TaskExpectation:
    """What the model expects of one plan task over the runs."""

    task: str
    name: str
    agency: str
    target_minute: float | None
    runs: int
    done: int
    met: int
    median_minute: float | None
    p90_minute: float | None
    met_interval: tuple[float, float] | None

    @property
    def met_pct(self) -> float | None:
        """Share of runs in which the target was met (None without a target)."""
        return None if self.target_minute is None else 100.0 * self.met / self.runs

    def text(self) -> str:
        """``median 52 min, 90th percentile 74 min, target 60 min, met in 71 % of runs
        (95 % CI 68-74 %)``."""
        if self.median_minute is None or self.p90_minute is None:
            timing = f"not done in any of {self.runs} runs"
        else:
            timing = (
                f"median {self.median_minute:.0f} min, 90th percentile {self.p90_minute:.0f} min"
            )
            if self.done < self.runs:
                timing += f" (done in {self.done} of {self.runs} runs)"
        if self.target_minute is None or self.met_pct is None:
            return timing + ", no target"
        interval = ""
        if self.met_interval is not None:
            low, high = self.met_interval
            interval = f" (95 % CI {low:.0f}-{high:.0f} %)"
        return (
            f"{timing}, target {self.target_minute:g} min, met in {self.met_pct:.0f} % "
            f"of runs{interval}"
        )


@dataclass(frozen=True, slots=True)
class ObjectiveView:
    """An objective with its measure, the model's expectation and what it tests."""

    id: str
    text: str
    measured_by: str
    tasks: tuple[TaskExpectation, ...]
    jesip: tuple[str, ...]
    comah: tuple[str, ...]
    tags_from_tasks: bool
    injects: tuple[MselRow, ...]


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One plan task over the runs: start and end at the 10th, 50th and 90th percentiles."""

    task: str
    name: str
    agency: str
    start: tuple[float, float, float] | None
    end: tuple[float, float, float] | None
    target_minute: float | None
    done: int
    runs: int


@dataclass(frozen=True)
class ExercisePack:
    """Everything the exercise pack prints, as data."""

    scenario: Scenario
    start: datetime
    rota_name: str | None
    runs: int
    seed: int
    msel: tuple[MselRow, ...]
    objectives: tuple[ObjectiveView, ...]
    gantt: tuple[GanttRow, ...]
    summary: RunsSummary
    snapshot: RotaSnapshot | None
    stress: StressChoice | None
    hazard: HazardMaps | None
    first_run: RunResult
    notes: tuple[str, ...]

    @property
    def timezone(self) -> str:
        """The scenario's timezone: every clock time in the pack is local to it."""
        return self.scenario.timezone

    @property
    def end(self) -> datetime:
        """When the scenario's time runs out."""
        return self.start + timedelta(minutes=self.scenario.duration_minutes)

    def contingencies(self) -> tuple[MselRow, ...]:
        """The contingency injects: held in reserve (the scenario's and the model's), or of
        type contingency (something going wrong, released at its time)."""
        return tuple(row for row in self.msel if row.contingency or row.type == "contingency")


# --- the model's expectation ---------------------------------------------------------------


def task_expectations(summary: RunsSummary) -> dict[str, TaskExpectation]:
    """The model's expectation of every plan task, from the runs' summary.

    The one place the pack reads the summary's per-task figures; the 95 % interval of the
    share of runs meeting a target is the summary's own (Wilson's,
    :attr:`~standby.simulator.summary.TaskSummary.met_interval_pct`).
    """
    return {
        t.task: TaskExpectation(
            task=t.task,
            name=t.name,
            agency=t.agency,
            target_minute=t.target_minute,
            runs=t.runs,
            done=t.done,
            met=t.met,
            median_minute=t.median_end,
            p90_minute=t.p90_end,
            met_interval=t.met_interval_pct,
        )
        for t in summary.tasks
    }


# --- building the pack ---------------------------------------------------------------------


def build_pack(
    scenario: Scenario,
    rota: Rota | None = None,
    *,
    rota_name: str | None = None,
    start: datetime | None = None,
    runs: int = PACK_RUNS,
    seed: int = 1,
    stress: StressWindow | None = None,
) -> ExercisePack:
    """The exercise pack of ``scenario`` from ``start`` (default its own start).

    With ``stress`` (and a ``rota``), the start is the instant of thinnest cover for the
    scenario's rota roles inside the window, and the pack says why.
    """
    from standby.reports.exercise_rota import rota_snapshot
    from standby.simulator.experiment import replicate

    choice = None
    if stress is not None:
        if rota is None:
            raise ValueError("a stress test needs a rota")
        choice = thinnest_cover(scenario, rota, stress)
        start = choice.at
    begin = scenario.start_utc if start is None else start
    # the generated injects read the runs' event logs: a pack's few runs are kept whole
    replications = replicate(
        scenario,
        rota,
        rota_name=rota_name,
        start=begin,
        seed=seed,
        runs=runs,
        events=True,
        keep_runs=True,
    )
    summary = replications.summary
    expectations = task_expectations(summary)
    generated = generated_injects(scenario, replications.runs)
    msel = msel_rows(scenario, begin, generated)
    return ExercisePack(
        scenario=scenario,
        start=begin,
        rota_name=rota_name,
        runs=runs,
        seed=seed,
        msel=msel,
        objectives=objective_views(scenario, expectations, msel),
        gantt=gantt_rows(scenario, replications.runs),
        summary=summary,
        snapshot=None if rota is None else rota_snapshot(scenario, rota, begin),
        stress=choice,
        hazard=_hazard_maps(scenario),
        first_run=replications.first,
        notes=tuple(sorted({note for run in replications.runs for note in run.notes})),
    )


def pack_files(
    scenario_name: str | Path,
    rota_file: Path | None = None,
    *,
    start_text: str | None = None,
    runs: int = PACK_RUNS,
    seed: int = 1,
    stress: bool = False,
    requirements_file: Path | None = None,
    window_start_text: str | None = None,
    window_end_text: str | None = None,
    weeks: int = 8,
) -> ExercisePack:
    """:func:`build_pack` from a scenario (bundled name or file) and a rota file.

    With ``stress`` the window is ``window_start_text`` to ``window_end_text``, or ``weeks``
    weeks from the start (``start_text`` or the scenario's), cut to the rota's span.
    """
    from standby.errors import StandbyError
    from standby.rota.io import read_requirements_file, read_rota
    from standby.scenarios import load_scenario

    scenario = load_scenario(scenario_name)
    rota = None if rota_file is None else read_rota(rota_file, timezone=scenario.timezone)
    start = instant_parameter(start_text, scenario.timezone, "start")
    window = None
    if stress:
        if rota is None:
            raise StandbyError(
                "a stress test picks the start from the rota: give the rota file",
                parameters=("rota",),
            )
        requirements = (
            read_requirements_file(requirements_file, timezone=scenario.timezone).requirements
            if requirements_file is not None
            else None
        )
        origin = start or scenario.start_utc
        window = StressWindow(
            start=instant_parameter(window_start_text, scenario.timezone, "window_start") or origin,
            end=instant_parameter(window_end_text, scenario.timezone, "window_end")
            or origin + timedelta(weeks=weeks),
            requirements=tuple(requirements) if requirements is not None else None,
        )
        if window.end <= window.start:
            start_shown = window_start_text or "the exercise start"
            end_shown = window_end_text or f"{weeks} weeks after it"
            raise StandbyError(
                f"the window to stress ends at '{end_shown}', which is not after its start "
                f"'{start_shown}'; give an end later than the start",
                parameters=("window_end", "window_start"),
            )
    return build_pack(
        scenario,
        rota,
        rota_name=rota_file.name if rota_file is not None else None,
        start=start,
        runs=runs,
        seed=seed,
        stress=window,
    )


def instant_parameter(text: str | None, timezone: str, parameter: str) -> datetime | None:
    """An instant given as text (local or ISO), or None; an error names the ``parameter``."""
    if not text:
        return None
    try:
        return parse_instant(text, timezone)
    except TimeError as error:
        raise TimeError(error.message, parameters=(parameter,)) from None


def _hazard_maps(scenario: Scenario) -> HazardMaps | None:
    """The plume map's data, or None when nothing toxic is released."""
    from standby.simulator.maps import hazard_maps

    return hazard_maps(scenario)


# --- the MSEL ------------------------------------------------------------------------------


def clock_text(start: datetime, minute: float, timezone: str) -> str:
    """Local ``HH:MM`` of scenario ``minute``; ``+1d`` when it falls on a later day."""
    local_start = to_local(start, timezone)
    local = to_local(start + timedelta(minutes=minute), timezone)
    days = (local.date() - local_start.date()).days
    return local.strftime("%H:%M") + (f" +{days}d" if days else "")


def move_of(minute: float) -> str:
    """The move a minute falls in when the scenario names none: one per hour (``Move 2``)."""
    return f"Move {int(minute // MOVE_MINUTES) + 1}"


def effect_text(inject: Inject) -> str | None:
    """An inject's effect in the file's own words (``{kind: link_down, from: fire, ...}``)."""
    if inject.effect is None:
        return None
    data = inject.effect.model_dump(by_alias=True, exclude_none=True)
    return "{" + ", ".join(f"{key}: {value}" for key, value in data.items()) + "}"


def msel_rows(
    scenario: Scenario, start: datetime, generated: Sequence[GeneratedInject] = ()
) -> tuple[MselRow, ...]:
    """The scenario's injects and the generated ones, numbered in time order."""
    rows: list[tuple[float, int, MselRow]] = []
    for inject in scenario.injects:
        rows.append(
            (
                inject.minute,
                0,
                MselRow(
                    number=0,
                    inject=inject.id,
                    minute=inject.minute,
                    clock=clock_text(start, inject.minute, scenario.timezone),
                    phase=inject.phase or move_of(inject.minute),
                    type=inject.type,
                    method=inject.method,
                    sender=inject.from_,
                    recipient=inject.to,
                    message=inject.text,
                    expected_response=inject.expected_action,
                    objective=inject.objective,
                    controller=inject.controller or "",
                    status=inject.status,
                    contingency=inject.contingency,
                    after=inject.after,
                    notes=inject.notes or "",
                    generated=False,
                    basis="scenario file",
                    effect=effect_text(inject),
                ),
            )
        )
    for item in generated:
        rows.append(
            (
                item.minute,
                1,
                MselRow(
                    number=0,
                    inject=item.id,
                    minute=item.minute,
                    clock=clock_text(start, item.minute, scenario.timezone),
                    phase=_phase_at(scenario, item.minute),
                    type=item.type,
                    method=item.method,
                    sender=item.sender,
                    recipient=item.recipient,
                    message=item.message,
                    expected_response=item.expected_response,
                    objective=item.objective,
                    controller="",
                    status="proposed",
                    contingency=item.contingency,
                    after=None,
                    notes=item.notes,
                    generated=True,
                    basis=item.basis,
                    effect=item.effect,
                ),
            )
        )
    rows.sort(key=lambda row: (row[0], row[1], row[2].inject))
    return tuple(_numbered(row, number) for number, (_, _, row) in enumerate(rows, start=1))


def _phase_at(scenario: Scenario, minute: float) -> str:
    """A generated inject's move: that of the last scenario inject by then, when the scenario
    names its moves; else one per hour."""
    named = [i for i in scenario.injects if i.phase and i.minute <= minute]
    return max(named, key=lambda i: i.minute).phase or "" if named else move_of(minute)


def _numbered(row: MselRow, number: int) -> MselRow:
    from dataclasses import replace

    return replace(row, number=number)


# --- objectives and the simulated response -----------------------------------------------------


def objective_tags(scenario: Scenario, tasks: Sequence[str]) -> tuple[list[str], list[str]]:
    """JESIP principles and COMAH regulation 11 objectives that ``tasks``' kinds test.

    COMAH tags only on an upper-tier COMAH site, whose off-site plan regulation 11 governs.
    """
    from standby.scenarios.model import JESIP_PRINCIPLES

    kinds = {t.id: t.kind for t in scenario.plan.tasks}
    jesip: set[str] = set()
    comah: set[str] = set()
    for task in tasks:
        principles, aims = KIND_TAGS[kinds[task]]
        jesip.update(principles)
        comah.update(aims)
    if scenario.site.comah_tier != "upper":
        comah.clear()
    return [p for p in JESIP_PRINCIPLES if p in jesip], sorted(comah)


def objective_views(
    scenario: Scenario, expectations: dict[str, TaskExpectation], msel: Sequence[MselRow]
) -> tuple[ObjectiveView, ...]:
    """Each objective with the model's expectation of its tasks and the injects that test it."""
    views = []
    for objective in scenario.objectives:
        jesip, comah = objective_tags(scenario, objective.tasks)
        views.append(
            ObjectiveView(
                id=objective.id,
                text=objective.text,
                measured_by=objective.measured_by,
                tasks=tuple(expectations[t] for t in objective.tasks if t in expectations),
                jesip=tuple(objective.jesip if objective.jesip is not None else jesip),
                comah=tuple(objective.comah if objective.comah is not None else comah),
                tags_from_tasks=objective.jesip is None or objective.comah is None,
                injects=tuple(row for row in msel if row.objective == objective.id),
            )
        )
    return tuple(views)


def _percentiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    import numpy as np

    if not values:
        return None
    p10, p50, p90 = (float(v) for v in np.quantile(values, [0.1, 0.5, 0.9]))
    return round(p10, 2), round(p50, 2), round(p90, 2)


def gantt_rows(scenario: Scenario, runs: Sequence[RunResult]) -> tuple[GanttRow, ...]:
    """Per plan task, when it started and ended over the runs (10th, 50th, 90th percentiles)."""
    rows = []
    for index, task in enumerate(scenario.plan.tasks):
        milestones = [run.milestones[index] for run in runs]
        starts = [m.start_minute for m in milestones if m.start_minute is not None]
        ends = [m.end_minute for m in milestones if m.status == "done" and m.end_minute is not None]
        rows.append(
            GanttRow(
                task=task.id,
                name=task.name,
                agency=task.agency,
                start=_percentiles(starts),
                end=_percentiles(ends),
                target_minute=task.target.within_minutes if task.target else None,
                done=len(ends),
                runs=len(runs),
            )
        )
    return tuple(rows)
