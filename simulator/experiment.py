"""Many runs of one scenario from one start instant, made on any executor and streamed.

:func:`replicate` runs ``runs`` replications, run ``i`` seeded with child ``i`` of
``numpy.random.SeedSequence(seed)`` (one run uses the seed itself), in chunks on the
executor asked for (:mod:`~standby.simulator.executors`). Each chunk comes back as small
per-run records and, when asked, each run's JSON and event log as text; they are taken in
replication order, so the same seed gives the same bytes whatever the executor:

- the summary (:class:`~standby.simulator.summary.Tally`) adds each record, with the run's
  own hazard (weather, release, exposure: its spread and the confidence sector);
- :mod:`~standby.simulator.run_files` writes ``--json`` (without the event log unless
  asked), ``runs.csv`` (one row per run) and ``events.jsonl`` (``--events``).

Nothing keeps every run unless asked (``keep_runs``, for a few runs such as an exercise
pack's), so memory grows only by a run's record and hazard however many runs there are.
Plan tasks can be pinned at given minutes in every run (``pinned``, the debrief's
counterfactual). The result, :class:`Replications`, holds the first run, the run whose
timeline was asked for and the summary. This is what ``standby simulate``, the exercise pack
and the demo call; Python users can too.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from standby.clock import parse_given_instant
from standby.rota.io import read_requirements, read_rota
from standby.rota.model import Requirement, Rota
from standby.scenarios import Scenario, load_scenario
from standby.simulator.executors import (
    Executor,
    Setup,
    chunk_sizes,
    executor_for,
    run_chunks,
    warm_up,
)
from standby.simulator.model import Prepared, rota_warnings, run_once, run_seed
from standby.simulator.records import RunRecord, record_of
from standby.simulator.results import FootprintEdge, RunResult, dumps
from standby.simulator.run_files import EventsJsonl, RunsCsv, RunsJson, csv_rows, targets_of
from standby.simulator.summary import RunsSummary, Tally

#: Called with the number of runs finished so far.
Progress = Callable[[int], None]
#: Called, before the first run, with each warning about the rota and the scenario.
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Outputs:
    """Binary files written while the runs are made (None: not wanted)."""

    json: BinaryIO | None = None
    events: BinaryIO | None = None
    runs_csv: BinaryIO | None = None


@dataclass(frozen=True)
class Replications:
    """Many runs of one scenario from one start instant, and the seed they were spawned from.

    ``first`` is run 0 (its event log only if it is the timeline asked for); ``timeline``
    is the run whose timeline was asked for, with its event log; ``warnings`` are what was
    said before the first run about the rota and the scenario (see :func:`replicate`), then
    what went wrong on the way and was put right (a worker that died and whose runs were made
    again). ``runs`` holds every run (without event logs unless asked) when they were kept
    (``replicate(..., keep_runs=True)``), else nothing; ``count`` is how many there were.
    """

    scenario: Scenario
    seed: int
    count: int
    first: RunResult
    summary: RunsSummary
    timeline: RunResult | None = None
    warnings: tuple[str, ...] = ()
    runs: tuple[RunResult, ...] = ()
    #: Each run's AEGL-2 footprints, in replication order, for the confidence sector map
    #: (``replicate(..., footprints=True)``; else empty).
    footprints: tuple[tuple[FootprintEdge, ...], ...] = ()

    @property
    def targets_missed(self) -> bool:
        """True when any run missed any target (``--fail-on-miss`` exits 1)."""
        return self.summary.all_targets_met < self.summary.runs

    @property
    def notes(self) -> tuple[str, ...]:
        """What the runs assumed (the same in every run of one scenario and rota)."""
        return self.first.notes


# --- what a worker does with one chunk --------------------------------------------------------


@dataclass(frozen=True)
class RunsChunk:
    """Replications ``first`` to ``first + count - 1`` of ``runs``, and what to send back."""

    start: datetime | None
    seed: int
    runs: int
    first: int
    count: int
    json: bool = False
    events: bool = False
    timeline: int | None = None
    csv: bool = False
    keep: bool = False


@dataclass(frozen=True)
class RunsChunkResult:
    """One chunk's runs: records, and each run's JSON, events and CSV row as text when asked."""

    records: tuple[RunRecord, ...]
    json_texts: tuple[str, ...] = ()
    events_text: str = ""
    csv_text: str = ""
    first: RunResult | None = None
    timeline: RunResult | None = None
    warnings: tuple[str, ...] = ()
    results: tuple[RunResult, ...] = ()


def run_chunk(prepared: Prepared, chunk: RunsChunk) -> RunsChunkResult:
    """Make the chunk's runs (in a worker)."""
    records = []
    texts = []
    kept = []
    events = io.StringIO()
    first = timeline = None
    for replication in range(chunk.first, chunk.first + chunk.count):
        keep_events = chunk.events or replication == chunk.timeline
        result = run_once(
            prepared.compiled,
            prepared.roster,
            chunk.start,
            run_seed(chunk.seed, chunk.runs, replication),
            replication=None if chunk.runs == 1 else replication,
            rota_name=prepared.rota_name,
            pinned=prepared.pinned,
            events=keep_events,
        )
        records.append(record_of(result))
        if chunk.events:
            _event_lines(result, replication, events)
        if replication == chunk.timeline:
            timeline = result
        if keep_events and not chunk.events:
            result = _without_events(result)
        if chunk.json:
            texts.append(dumps(result.to_json_dict()))
        if replication == 0:
            first = result
        if chunk.keep:
            kept.append(result)
    rows = ""
    if chunk.csv and records:
        rows = csv_rows(records, targets_of(result), chunk.seed)
    warnings: tuple[str, ...] = ()
    if chunk.first == 0:  # said once, with the experiment's first chunk
        warnings = tuple(rota_warnings(prepared, chunk.start))
    return RunsChunkResult(
        tuple(records),
        tuple(texts),
        events.getvalue(),
        rows,
        first,
        timeline,
        warnings,
        tuple(kept),
    )


def _without_events(result: RunResult) -> RunResult:
    from dataclasses import replace

    return replace(result, events=None)


def _event_lines(result: RunResult, replication: int, out: io.StringIO) -> None:
    for event in result.events or ():
        line = {"replication": replication, **event.to_json_dict()}
        out.write(json.dumps(line, ensure_ascii=False, allow_nan=False))
        out.write("\n")


# --- many runs --------------------------------------------------------------------------------


@dataclass
class _Writers:
    json: RunsJson | None = None
    csv: RunsCsv | None = None
    events: EventsJsonl | None = None
    tally: Tally | None = None
    first: RunResult | None = None
    timeline: RunResult | None = None
    done: int = 0
    warnings: list[str] = field(default_factory=list)
    kept: list[RunResult] = field(default_factory=list)


def plan_chunks(
    runs: int,
    executor: Executor,
    *,
    start: datetime | None,
    seed: int,
    json: bool,
    events: bool,
    timeline: int | None,
    csv: bool = False,
    keep: bool = False,
) -> Iterator[RunsChunk]:
    """The chunks of an experiment of ``runs`` replications, made as they are asked for."""
    first = 0
    for size in chunk_sizes(runs, executor.worker_count):
        yield RunsChunk(start, seed, runs, first, size, json, events, timeline, csv, keep)
        first += size


def target_texts(scenario: Scenario) -> dict[str, str]:
    """Each plan task's target in words, by task id."""
    return {t.id: t.target.text for t in scenario.plan.tasks if t.target is not None}


def role_agencies(scenario: Scenario) -> dict[str, tuple[str | None, str]]:
    """Each role's rota role and agency, by role id."""
    return {r.id: (r.rota_role, r.agency) for r in scenario.roles}


def replicate(
    scenario: Scenario,
    rota: Rota | None = None,
    *,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
    start: datetime | None = None,
    seed: int = 1,
    runs: int = 1,
    executor: Executor | None = None,
    outputs: Outputs | None = None,
    events: bool = False,
    timeline: int | None = None,
    progress: Progress | None = None,
    warn: Warn | None = None,
    notify: Callable[[str], None] | None = None,
    pinned: Mapping[str, float] | None = None,
    keep_runs: bool = False,
    footprints: bool = False,
) -> Replications:
    """Run ``scenario`` ``runs`` times from ``start`` (default: the scenario's own start).

    Without a ``rota`` every role is assumed filled by its agency's own on-call arrangement;
    ``rota_name`` is how the results name the rota; ``requirements`` (None: the rota's own)
    say when each rota role must be covered. With the first runs, ``warn`` is given each
    rota role the rota cannot fill at the start and why, and each inject naming a person the
    rota does not have (also in :attr:`Replications.warnings` and every run's notes).
    ``executor`` says where the runs are made (default: processes for many runs, this
    process for a few); ``outputs`` are files written as the runs come back. ``events``
    keeps every run's event log in the JSON (and is implied by an events file); without it
    only the ``timeline`` run keeps its log. ``notify`` is told about problems put right on
    the way (a worker that died). ``pinned`` holds plan tasks (by id) at the minutes given,
    in every run (the debrief's counterfactual); the same ``seed`` with and without pins gives
    runs that differ only by what the pins changed. ``keep_runs`` keeps every run's result
    in :attr:`Replications.runs` (for a few runs: each is a run's whole story).
    ``footprints`` keeps each run's AEGL-2 footprints for the confidence sector map (about
    a kilobyte a run); without it, what is kept of a run is a few hundred bytes, so memory
    stays all but flat however many runs are made.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    if timeline is not None and not 0 <= timeline < runs:
        raise ValueError(f"timeline run {timeline} is not one of the {runs} runs (0 to {runs - 1})")
    executor = executor or executor_for(runs=runs)
    outputs = outputs or Outputs()
    state = _Writers()
    setup = Setup(scenario, rota, rota_name, requirements, None if not pinned else dict(pinned))

    def before(messages: Sequence[str]) -> None:
        for message in messages:
            state.warnings.append(message)
            if warn is not None:
                warn(message)

    def put_right(message: str) -> None:
        state.warnings.append(message)
        if notify is not None:
            notify(message)

    chunks = plan_chunks(
        runs,
        executor,
        start=start,
        seed=seed,
        json=outputs.json is not None,
        events=events or outputs.events is not None,
        timeline=timeline,
        csv=outputs.runs_csv is not None,
        keep=keep_runs,
    )
    with closing(run_chunks(setup, run_chunk, chunks, executor, notify=put_right)) as results:
        for result in results:
            before(result.warnings)
            _take(state, result, scenario, outputs, seed=seed, runs=runs, footprints=footprints)
            if progress is not None:
                progress(state.done)
    if state.json is not None:
        state.json.close()
    assert state.tally is not None and state.first is not None  # runs >= 1
    return Replications(
        scenario,
        seed,
        runs,
        state.first,
        state.tally.summary(),
        timeline=state.timeline,
        warnings=tuple(state.warnings),
        runs=tuple(state.kept),
        footprints=tuple(state.tally.hazard.footprints or ()),
    )


def _take(
    state: _Writers,
    result: RunsChunkResult,
    scenario: Scenario,
    outputs: Outputs,
    *,
    seed: int,
    runs: int,
    footprints: bool,
) -> None:
    """Add one chunk's runs to the summary and the files, in order."""
    if result.first is not None:
        first = state.first = result.first
        state.tally = Tally(
            first,
            seed,
            roles=role_agencies(scenario),
            target_texts=target_texts(scenario),
            footprints=footprints,
        )
        if outputs.json is not None:
            state.json = RunsJson(outputs.json, runs=runs, seed=seed)
        if outputs.runs_csv is not None:
            state.csv = RunsCsv(outputs.runs_csv, first)
        if outputs.events is not None:
            state.events = EventsJsonl(outputs.events)
    if result.timeline is not None:
        state.timeline = result.timeline
    assert state.tally is not None and state.first is not None, "chunk 0 comes first"
    for record in result.records:
        state.tally.add(record)
    if state.csv is not None:
        state.csv.add(result.csv_text)
    if state.json is not None:
        for text in result.json_texts:
            state.json.add(state.first, text)
    if state.events is not None:
        state.events.add(result.events_text)
    state.kept.extend(result.results)
    state.done += len(result.records)


def replicate_files(
    scenario_name: str | Path,
    rota_file: Path | None = None,
    *,
    requirements_file: Path | None = None,
    start_text: str | None = None,
    seed: int = 1,
    runs: int = 1,
    executor: Executor | None = None,
    outputs: Outputs | None = None,
    events: bool = False,
    timeline: int | None = None,
    progress: Progress | None = None,
    warn: Warn | None = None,
    notify: Callable[[str], None] | None = None,
    loaded: Callable[[Scenario], None] | None = None,
    max_shifts: int | None = None,
    pinned: Mapping[str, float] | None = None,
    keep_runs: bool = False,
    footprints: bool = False,
) -> Replications:
    """:func:`replicate` from a scenario (bundled name or file), a rota file, a requirements
    file and a start text.

    The rota's local times and ``start_text`` are read in the scenario's timezone. Worker
    processes start while the files are read; ``loaded`` is given the scenario as soon as
    it is read (to start work that needs only the scenario, such as drawing its maps);
    ``max_shifts`` bounds the rota (see ``rota.io.read_rota``).
    """
    warm_up(executor or executor_for(runs=runs))
    inputs = Inputs.read(scenario_name, rota_file, requirements_file, max_shifts)
    if loaded is not None:
        loaded(inputs.scenario)
    return replicate(
        inputs.scenario,
        inputs.rota,
        rota_name=rota_file.name if rota_file is not None else None,
        requirements=inputs.requirements,
        start=parse_start(start_text, inputs.scenario.timezone),
        seed=seed,
        runs=runs,
        executor=executor,
        outputs=outputs,
        events=events,
        timeline=timeline,
        progress=progress,
        warn=warn,
        notify=notify,
        pinned=pinned,
        keep_runs=keep_runs,
        footprints=footprints,
    )


def parse_start(text: str | None, timezone: str) -> datetime | None:
    """A start instant from text in ``timezone`` (None: the scenario's own start)."""
    return parse_given_instant(text, timezone, "start")


@dataclass(frozen=True)
class Inputs:
    """A scenario, and a rota and its requirements read in the scenario's timezone."""

    scenario: Scenario
    rota: Rota | None
    requirements: tuple[Requirement, ...] | None

    @classmethod
    def read(
        cls,
        scenario_name: str | Path,
        rota_file: Path | None = None,
        requirements_file: Path | None = None,
        max_shifts: int | None = None,
    ) -> Inputs:
        """Read a bundled scenario name or scenario file, a rota file (of at most
        ``max_shifts`` shifts, see ``rota.io.read_rota``), a requirements file."""
        return cls.around(load_scenario(scenario_name), rota_file, requirements_file, max_shifts)

    @classmethod
    def around(
        cls,
        scenario: Scenario,
        rota_file: Path | None = None,
        requirements_file: Path | None = None,
        max_shifts: int | None = None,
    ) -> Inputs:
        """Read the rota and requirements files for ``scenario`` (in its timezone)."""
        zone = scenario.timezone
        rota = (
            None
            if rota_file is None
            else read_rota(rota_file, timezone=zone, max_shifts=max_shifts)
        )
        requirements = None
        if requirements_file is not None:
            requirements = tuple(read_requirements(requirements_file, timezone=zone))
        return cls(scenario, rota, requirements)
