"""The debrief: what the exercise log and the evaluators' observations say, beside the model.

:func:`build_debrief` reads a scenario, its exercise log and (optionally) an observations
file and returns a :class:`~standby.reports.debrief_model.Debrief`, plain data that every
format is written from (:mod:`standby.reports.debrief_output`: HTML, Word, Markdown, JSON
and the lessons CSV). It runs the model twice with the same seeds: the model's own runs, and
the counterfactual in which every plan task the players reached is pinned at their logged
minute (:mod:`standby.reports.debrief_counterfactual`). Each objective gets a suggested HSEEP
rating from the players' times against its targets (:mod:`standby.reports.debrief_ratings`),
which a ``rating`` row of the observations file overrides, its reason shown.

:func:`debrief_files` is the same from file names (what ``standby debrief`` calls).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standby.clock import to_local
from standby.reports.debrief_counterfactual import Pin, counterfactual, paired_runs
from standby.reports.debrief_model import (
    Action,
    Compliance,
    Debrief,
    DebriefError,
    Evidence,
    Finding,
    InjectPlayed,
    Lesson,
    MilestoneTiming,
    ObjectiveEvaluation,
)
from standby.reports.debrief_ratings import TaskTime, suggest
from standby.reports.debrief_summary import executive_summary
from standby.reports.exercise_log import FINDINGS as LOG_FINDINGS
from standby.reports.exercise_log import ExerciseLog, LogRecord
from standby.reports.observations import (
    CAPABILITIES,
    PRIORITIES,
    RATINGS,
    STATUSES,
    ExerciseDetails,
    Observation,
    Observations,
    Participant,
    Rules,
    parse_day,
    read_observations,
)

if TYPE_CHECKING:
    from standby.rota.model import Rota
    from standby.scenarios.model import Scenario
    from standby.simulator.results import RunResult

__all__ = ["Debrief", "DebriefError", "build_debrief", "debrief_files", "example_files"]


def example_files() -> tuple[Path, Path]:
    """The bundled example log and observations of an exercise of chlorine-riverside
    (fictional people throughout): what the demo debriefs."""
    from importlib import resources

    folder = Path(str(resources.files("standby.reports") / "examples"))
    return folder / "chlorine-riverside-log.json", folder / "chlorine-riverside-observations.yaml"


TEST_INTERVAL_YEARS = 3
"""COMAH 2015 regulation 14: the plan is tested at intervals of no more than three years."""

DEFAULT_RUNS = 200

COUNTERFACTUAL_NOTE = (
    "The model's own runs and the counterfactual runs start from the same seeds: run i of "
    "each draws the same random numbers, so a difference between them is what the players' "
    "times changed and nothing else. A task the players reached ends at their logged minute "
    "in the counterfactual (it keeps its people until then); a task with no milestone keeps "
    "the model's own time; a pinned declaration moves what follows it in the plan, not the "
    "alert cascade's own M/ETHANE message. The hazard figures come from the screening plume "
    "model (Annex C and its limits)."
)


# --- building it ----------------------------------------------------------------------------


def build_debrief(
    scenario: Scenario,
    log: ExerciseLog,
    observations: Observations | None = None,
    *,
    rota: Rota | None = None,
    rota_name: str | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int = 1,
    exercise_date: date | None = None,
    log_source: str = "the exercise log",
    progress: Callable[[int], None] | None = None,
) -> Debrief:
    """The debrief of ``log`` (checked against ``scenario``) and ``observations``.

    The model runs ``runs`` times as it is and ``runs`` times with the players' times;
    ``progress`` is told how many of those ``2 * runs`` are done.
    """
    if runs < 1:
        raise DebriefError(f"the counterfactual needs at least 1 run, not {runs}")
    check_log(log, scenario, log_source)
    observations = observations or Observations()
    start = log.start or scenario.start_utc
    reached = players_times(log)
    paired = paired_runs(
        scenario,
        {task: record.scenario_minute for task, record in reached.items()},
        rota=rota,
        rota_name=rota_name,
        start=start,
        seed=seed,
        runs=runs,
        progress=progress,
    )
    timeline = tuple(
        _timing(scenario, task.id, reached, paired.model, log) for task in scenario.plan.tasks
    )
    timings = {t.task: t for t in timeline}
    pins = tuple(
        Pin(t.task, t.name, t.players_minute, t.model_median)
        for t in timeline
        if t.players_minute is not None
    )
    comparison = counterfactual(paired, pins, seed, scenario)
    when, when_source = _exercise_date(exercise_date, observations.exercise, log, scenario)
    objectives = tuple(_evaluate(o, timings, log, observations) for o in scenario.objectives)
    strengths = _findings(observations.finding("strength"), "S")
    improvements = _findings(observations.finding("improvement"), "AFI")
    compliance = _compliance(scenario, when, observations.exercise)
    plan = _plan(observations.finding("improvement"), improvements)
    lessons = _lessons(observations, when)
    first = paired.model[0]
    return Debrief(
        scenario=scenario.name,
        title=scenario.title,
        site=scenario.site.name,
        operator=scenario.site.operator,
        comah_tier=scenario.site.comah_tier,
        description=scenario.description.strip(),
        legal_basis=scenario.legal_basis.strip(),
        exercise=observations.exercise,
        exercise_date_source=when_source,
        timezone=scenario.timezone,
        start=first.start,
        start_local=to_local(start, scenario.timezone).strftime("%A %d %B %Y %H:%M %Z"),
        log_source=log_source,
        log_records=len(log),
        rota=rota_name,
        runs=runs,
        seed=seed,
        summary=executive_summary(
            scenario, observations.exercise, objectives, timeline, comparison, plan, compliance
        ),
        timeline=timeline,
        objectives=objectives,
        strengths=strengths,
        improvements=improvements,
        plan=plan,
        lessons=lessons,
        compliance=compliance,
        counterfactual=comparison,
        participants=_participants(observations.exercise, log),
        injects=_injects_played(scenario, log),
        decisions=tuple(_evidence(r, log) for r in log.of_kind("decision")),
        hazard=first.hazard,
        assumptions=_assumptions(first),
    )


def check_log(log: ExerciseLog, scenario: Scenario, source: str) -> None:
    """The log belongs to the scenario, and every record falls within the scenario's time."""
    if log.scenario is not None and log.scenario != scenario.name:
        raise DebriefError(
            f"{source}: this log is of scenario '{log.scenario}', not '{scenario.name}'; "
            f"run the debrief for {log.scenario}, or give that scenario's log"
        )
    problems = [
        f"{source}: record {record.id} ({record.kind} at minute {record.scenario_minute:g}): "
        f"after the scenario's end (minute {scenario.duration_minutes:g}); correct its time"
        for record in log
        if record.scenario_minute > scenario.duration_minutes
    ]
    if problems:
        raise DebriefError("\n".join(problems))


def players_times(log: ExerciseLog) -> dict[str, LogRecord]:
    """The first ``milestone`` record of each plan task the players reached."""
    reached: dict[str, LogRecord] = {}
    for record in log.of_kind("milestone"):
        if record.task is not None and record.task not in reached:
            reached[record.task] = record
    return reached


def _quantile(values: Sequence[float], q: float) -> float | None:
    import numpy as np

    return round(float(np.quantile(values, q)), 2) if values else None


def _timing(
    scenario: Scenario,
    task_id: str,
    reached: dict[str, LogRecord],
    model: Sequence[RunResult],
    log: ExerciseLog,
) -> MilestoneTiming:
    index = next(i for i, m in enumerate(model[0].milestones) if m.task == task_id)
    rows = [run.milestones[index] for run in model]
    ends = tuple(m.end_minute for m in rows if m.status == "done" and m.end_minute is not None)
    first = rows[0]
    record = reached.get(task_id)
    minute = None if record is None else record.scenario_minute
    met = None
    if first.target_minute is not None:
        met = round(100.0 * sum(1 for m in rows if m.met) / len(rows), 1)
    earlier = (
        None
        if minute is None
        else round(100.0 * sum(1 for e in ends if e <= minute) / len(rows), 1)
    )
    return MilestoneTiming(
        task=task_id,
        name=first.name,
        agency=first.agency,
        target_minute=first.target_minute,
        players_minute=minute,
        players_clock=_clock(log, scenario, minute),
        logged_by=None if record is None else record.who,
        model_runs=len(rows),
        model_ends=ends,
        model_median=_quantile(ends, 0.5),
        model_p10=_quantile(ends, 0.1),
        model_p90=_quantile(ends, 0.9),
        model_met_pct=met,
        earlier_pct=earlier,
    )


def _clock(log: ExerciseLog, scenario: Scenario, minute: float | None) -> str:
    """``02:24``: the scenario's local clock at ``minute`` ('' for None)."""
    if minute is None:
        return ""
    start = log.start or scenario.start_utc
    return to_local(start + timedelta(minutes=minute), scenario.timezone).strftime("%H:%M")


_KIND_WORDS = {
    "decision": "Decision",
    "action": "Action",
    "observation": "Observation",
    "rating": "Evaluator rating",
    "milestone": "Milestone",
    "inject_released": "Inject released",
}


def _evidence(record: LogRecord, log: ExerciseLog) -> Evidence:
    detail = record.rationale or ""
    if record.kind == "rating" and record.rating:
        detail = f"rated {record.rating} ({RATINGS[record.rating]})"
    elif record.kind == "observation" and record.finding:
        detail = LOG_FINDINGS[record.finding] + (f"; evidence: {detail}" if detail else "")
    elif record.kind == "decision" and record.rationale:
        detail = f"rationale: {record.rationale}"
    clock = log.clock_text(record.scenario_minute)[-5:]
    return Evidence(
        minute=record.scenario_minute,
        clock=clock,
        who=record.who or "",
        kind=_KIND_WORDS.get(record.kind, record.kind),
        text=record.text,
        detail=detail,
    )


def _evaluate(
    objective: Any,
    timings: dict[str, MilestoneTiming],
    log: ExerciseLog,
    observations: Observations,
) -> ObjectiveEvaluation:
    tasks = tuple(timings[t] for t in objective.tasks if t in timings)
    suggestion = suggest(
        [TaskTime(t.task, t.name, t.target_minute, t.players_minute) for t in tasks]
    )
    task_ids = set(objective.tasks)
    records = [
        r
        for r in log
        if r.kind in _KIND_WORDS
        and (r.objective == objective.id or (r.kind == "milestone" and r.task in task_ids))
    ]
    evidence = [_evidence(r, log) for r in records]
    evidence += [
        Evidence(
            None,
            "",
            "evaluators",
            "Observations file: " + _finding_word(o),
            o.observation,
            o.evidence or "",
        )
        for o in observations.of(objective.id)
        if o.finding != "rating"
    ]
    overrides = observations.of(objective.id, "rating")
    rating, reason, source = (
        suggestion.rating,
        suggestion.reason,
        "suggested from the players' times",
    )
    if overrides:
        last = overrides[-1]
        rating, reason = last.rating, last.observation
        source = f"the evaluators (observations file, {last.where})"
    return ObjectiveEvaluation(
        objective=objective.id,
        text=objective.text,
        measured_by=objective.measured_by,
        tasks=tasks,
        suggested=suggestion,
        rating=rating,
        rating_reason=reason,
        rating_source=source,
        evidence=tuple(evidence),
    )


def _finding_word(observation: Observation) -> str:
    return {"strength": "strength", "improvement": "area for improvement"}[observation.finding]


def _findings(items: Sequence[Observation], prefix: str) -> tuple[Finding, ...]:
    return tuple(
        Finding(
            id=f"{prefix}-{number}",
            objective=o.objective,
            title=o.heading,
            observation=o.observation,
            evidence=o.evidence or "",
            root_cause=o.root_cause or "",
            recommendation=o.recommendation or "",
            lesson=o.lesson or "",
            theme=o.theme or "",
            source=o.where,
        )
        for number, o in enumerate(items, start=1)
    )


def _plan(items: Sequence[Observation], findings: Sequence[Finding]) -> tuple[Action, ...]:
    return tuple(
        Action(
            id=f"IP-{number:02d}",
            action=o.recommendation or "",
            capability=CAPABILITIES[o.capability] if o.capability else "",
            owner=o.owner or "",
            priority=PRIORITIES[o.priority] if o.priority else "",
            start=o.start,
            due=o.due,
            status=STATUSES[o.status],
            objective=o.objective,
            finding=finding.id,
        )
        for number, (o, finding) in enumerate(zip(items, findings, strict=True), start=1)
    )


def _lessons(observations: Observations, when: date) -> tuple[Lesson, ...]:
    return tuple(
        Lesson(
            title=o.heading,
            theme=o.theme or "",
            observation=o.observation,
            lesson=o.lesson or "",
            recommendation=o.recommendation or "",
            owner=o.owner or "",
            date=when,
        )
        for o in observations.items
        if o.finding != "rating" and o.lesson
    )


def three_years_after(day: date) -> date:
    """The same date three years on (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + TEST_INTERVAL_YEARS)
    except ValueError:
        return day.replace(year=day.year + TEST_INTERVAL_YEARS, day=28)


def _compliance(scenario: Scenario, when: date, exercise: ExerciseDetails) -> Compliance:
    previous = scenario.last_test
    previous_due = None if previous is None else three_years_after(previous)
    rule = "COMAH 2015 regulation 14" if scenario.site.comah_tier == "upper" else ""
    return Compliance(
        rule=rule,
        test_date=when,
        test_type=exercise.type or "exercise",
        previous_test=previous,
        previous_due=previous_due,
        in_time=None if previous_due is None else when <= previous_due,
        next_due=three_years_after(when),
    )


def _exercise_date(
    given: date | None, exercise: ExerciseDetails, log: ExerciseLog, scenario: Scenario
) -> tuple[date, str]:
    if given is not None:
        return given, "given with the debrief"
    if exercise.date is not None:
        return exercise.date, "the observations file"
    stamps = [r.wall_time for r in log if r.wall_time is not None]
    if stamps:
        return to_local(min(stamps), scenario.timezone).date(), "the log's first wall-clock time"
    raise DebriefError(
        "the exercise's date is not known: the log has no wall-clock times; give it in the "
        "observations file (exercise: date: 2026-03-18) or as the date of the test",
        parameters=("exercise_date",),
    )


def _participants(exercise: ExerciseDetails, log: ExerciseLog) -> tuple[Participant, ...]:
    if exercise.participants:
        return exercise.participants
    seen = dict.fromkeys(r.who for r in log if r.who and not r.kind.startswith("inject"))
    return tuple(Participant(name=who, role="as logged") for who in seen if who)


def _injects_played(scenario: Scenario, log: ExerciseLog) -> tuple[InjectPlayed, ...]:
    last: dict[str, LogRecord] = {}
    released: dict[str, LogRecord] = {}
    for entry in log.of_kind("inject_released", "inject_held", "inject_skipped"):
        if entry.inject is None:
            continue
        last[entry.inject] = entry
        if entry.kind == "inject_released":
            released.setdefault(entry.inject, entry)
    words = {"inject_released": "released", "inject_held": "held", "inject_skipped": "skipped"}
    rows = []
    for inject in scenario.injects:
        record: LogRecord | None = released.get(inject.id) or last.get(inject.id)
        status = "not played" if record is None else words[last[inject.id].kind]
        if inject.id in released:
            status = "released"
        minute = None if record is None else record.scenario_minute
        rows.append(
            InjectPlayed(
                inject.id,
                inject.minute,
                status,
                minute,
                _clock(log, scenario, minute),
                inject.to,
                inject.text,
                inject.objective or "",
            )
        )
    known = {i.id for i in scenario.injects}
    for inject_id, record in released.items():
        if inject_id not in known:
            rows.append(
                InjectPlayed(
                    inject_id,
                    None,
                    "released (ad hoc)",
                    record.scenario_minute,
                    _clock(log, scenario, record.scenario_minute),
                    record.who or "",
                    record.text,
                    record.objective or "",
                )
            )
    return tuple(rows)


def _assumptions(first: RunResult) -> tuple[str, ...]:
    """The run's notes and people assumptions (the hazard's limits are in its own annex)."""
    notes = [n for n in first.notes if "pinned" not in n]
    kpis = () if first.kpis is None else first.kpis.assumptions
    return (*notes, *kpis, COUNTERFACTUAL_NOTE)


# --- from files ------------------------------------------------------------------------------


def debrief_files(
    scenario_name: str | Path,
    log_source: str | Path,
    observations_file: Path | None = None,
    *,
    rota_file: Path | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int = 1,
    exercise_date: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Scenario, Debrief]:
    """:func:`build_debrief` from a scenario (bundled name or file), a log (file or
    database), an observations file and a rota file; every input is checked first.
    Returns the scenario with the debrief (the report's plume map draws it)."""
    from standby.reports.exercise_log_io import read_log
    from standby.rota.io import read_rota
    from standby.scenarios import load_scenario

    scenario = load_scenario(scenario_name)
    log = read_log(log_source, scenario)
    observations = None
    if observations_file is not None:
        when = exercise_date
        if when is None:
            stamps = [r.wall_time for r in log if r.wall_time is not None]
            when = to_local(min(stamps), scenario.timezone).date() if stamps else None
        rules = Rules(tuple(o.id for o in scenario.objectives), scenario.name, when)
        observations = read_observations(observations_file, rules)
    rota = None if rota_file is None else read_rota(rota_file, timezone=scenario.timezone)
    debrief = build_debrief(
        scenario,
        log,
        observations,
        rota=rota,
        rota_name=None if rota_file is None else rota_file.name,
        runs=runs,
        seed=seed,
        exercise_date=exercise_date,
        log_source=source_name(str(log_source)),
        progress=progress,
    )
    return scenario, debrief


def source_name(source: str) -> str:
    """How reports name a log: a file's name, or a database URL without its password."""
    if "://" not in source:
        return Path(source).name
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(source)
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, "", ""))


def parse_date(text: str) -> date:
    """A date typed by a user (``2026-03-18`` or ``18/03/2026``)."""
    try:
        return parse_day(text)
    except ValueError as error:
        raise DebriefError(str(error), parameters=("exercise_date",)) from None
