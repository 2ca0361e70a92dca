"""Experiments: many runs of a scenario, and what they are run for.

Today one kind, :func:`replicate`: ``runs`` replications of one scenario from one start
instant, run ``i`` seeded with child ``i`` of ``numpy.random.SeedSequence(seed)`` (one run
uses the seed itself). Runs are made one at a time and handed on as they finish:

- :class:`RunsJson` writes the JSON ``standby simulate --json`` writes, run by run, into any
  binary file (one run's result, or for several the envelope), byte for byte the same as
  ``results.dumps`` of the whole document;
- :class:`~simulator.summary.Tally` adds each run to the summary;

so ``--runs 100000`` needs the memory of one run, not of every run. The result,
:class:`Replications`, holds the first run, the summary and, when asked to keep them
(``keep_runs``), every run. This is what ``standby simulate`` and the demo call; Python
users can call it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from standby.clock import TimeError, parse_instant
from standby.rota.io import read_requirements, read_rota
from standby.rota.model import Requirement, Rota
from standby.scenarios import Scenario, load_scenario
from standby.simulator.model import Prepared, prepare, rota_warnings, run_once, run_seeds
from standby.simulator.results import RunHazard, RunResult, dumps
from standby.simulator.summary import RunsSummary, Tally

#: Called with the number of runs finished so far.
Progress = Callable[[int], None]
#: Called, before the first run, with each warning about the rota and the scenario.
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Replications:
    """Many runs of one scenario from one start instant, and the seed they were spawned from.

    ``runs`` holds every run when they were kept (``replicate(..., keep_runs=True)``, the
    default), and is empty when they were only streamed to files; ``count`` is how many
    there were either way. ``warnings`` are those given before the first run (rota roles
    the rota cannot fill at the start, injects naming people it does not have).
    """

    scenario: Scenario
    seed: int
    first: RunResult
    count: int
    targets_missed: bool
    notes: tuple[str, ...]
    totals: RunsSummary
    runs: tuple[RunResult, ...] = ()
    warnings: tuple[str, ...] = ()
    #: Each run's hazard (kept even when the runs are not), for the confidence sector.
    exposures: tuple[RunHazard, ...] = ()

    def summary(self) -> RunsSummary:
        """Per task, role and KPI figures over the runs."""
        return self.totals

    def to_json_dict(self) -> dict[str, Any]:
        """What ``simulate --json`` writes: one run's result, or for several the envelope.

        The envelope is ``{"scenario", "start", "seed", "runs": [each run's result]}``.
        Needs the runs kept; :class:`RunsJson` writes the same while the runs are made.
        """
        if len(self.runs) != self.count:
            raise ValueError("the runs were streamed, not kept; replicate with keep_runs=True")
        if self.count == 1:
            return self.first.to_json_dict()
        return {**_envelope(self.first, self.seed), "runs": [r.to_json_dict() for r in self.runs]}


def _envelope(first: RunResult, seed: int) -> dict[str, Any]:
    return {"scenario": first.scenario, "start": first.start, "seed": seed}


class RunsJson:
    """``simulate --json``'s document, written one run at a time into binary files.

    The bytes are those of ``results.dumps(document)`` for the same runs: one run's result
    when ``runs`` is 1, else the envelope ``{"scenario", "start", "seed", "runs": [...]}``.
    Call :meth:`add` for each run in order, then :meth:`close`.
    """

    def __init__(self, sinks: Sequence[BinaryIO], *, runs: int, seed: int) -> None:
        self.sinks = tuple(sinks)
        self.runs = runs
        self.seed = seed
        self.added = 0

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        for sink in self.sinks:
            sink.write(data)

    def add(self, result: RunResult) -> None:
        """Write one more run."""
        if self.added >= self.runs:
            raise ValueError(f"more than the {self.runs} runs announced")
        if self.runs == 1:
            self._write(dumps(result.to_json_dict()))
        else:
            if self.added == 0:
                head = dumps(_envelope(result, self.seed))  # '{\n  ...\n  "seed": 1\n}\n'
                self._write(head[: head.rindex("\n}")] + ',\n  "runs": [\n')
            else:
                self._write(",\n")
            # each run sits two levels deep in the envelope: indented by four spaces
            self._write("    " + dumps(result.to_json_dict())[:-1].replace("\n", "\n    "))
        self.added += 1

    def close(self) -> None:
        """End the document; every announced run must have been added."""
        if self.added != self.runs:
            raise ValueError(f"{self.added} of the {self.runs} runs announced were written")
        if self.runs > 1:
            self._write("\n  ]\n}\n")


def each_run(
    prepared: Prepared, start: datetime | None, seed: int, runs: int
) -> Iterator[RunResult]:
    """The ``runs`` replications, made one at a time as they are asked for."""
    for index, child in enumerate(run_seeds(seed, runs)):
        yield run_once(
            prepared.compiled,
            prepared.roster,
            start,
            child,
            replication=None if runs == 1 else index,
            rota_name=prepared.rota_name,
            pinned=prepared.pinned,
        )


def replicate(
    scenario: Scenario,
    rota: Rota | None = None,
    *,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
    start: datetime | None = None,
    seed: int = 1,
    runs: int = 1,
    progress: Progress | None = None,
    warn: Warn | None = None,
    pinned: Mapping[str, float] | None = None,
    json_sinks: Sequence[BinaryIO] = (),
    keep_runs: bool = True,
) -> Replications:
    """Run ``scenario`` ``runs`` times from ``start`` (default: the scenario's own start).

    Without a ``rota`` every role is assumed filled by its agency's own on-call arrangement;
    ``rota_name`` is how the results name the rota; ``requirements`` (None: the rota's own)
    say when each rota role must be covered. Before the first run, ``warn`` is given each
    rota role the rota cannot fill at the start and why, and each inject naming a person the
    rota does not have (also in :attr:`Replications.warnings` and every run's notes).
    ``pinned`` holds plan tasks (by id) at the minutes given, in every run (the debrief's
    counterfactual); the same ``seed`` with and without pins gives runs that differ only by
    what the pins changed. Each
    run is written to ``json_sinks`` as it finishes (see :class:`RunsJson`) and added to
    the summary; ``keep_runs=False`` keeps only the first, so that memory stays flat however
    many runs there are.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    prepared = prepare(
        scenario, rota, rota_name=rota_name, requirements=requirements, pinned=pinned
    )
    warnings = tuple(rota_warnings(prepared, start))
    if warn is not None:
        for warning in warnings:
            warn(warning)
    writer = RunsJson(json_sinks, runs=runs, seed=seed) if json_sinks else None
    tally = Tally(seed)
    kept: list[RunResult] = []
    notes: dict[str, None] = {}
    missed = False
    for done, result in enumerate(each_run(prepared, start, seed, runs), start=1):
        if writer is not None:
            writer.add(result)
        tally.add(result)
        notes.update(dict.fromkeys(result.notes))
        missed = missed or bool(result.targets_missed)
        if keep_runs:
            kept.append(result)
        if progress is not None:
            progress(done)
    if writer is not None:
        writer.close()
    first = tally.first
    assert first is not None  # runs >= 1
    return Replications(
        scenario,
        seed,
        first,
        count=tally.runs,
        targets_missed=missed,
        notes=tuple(sorted(notes)),
        totals=tally.summary(),
        runs=tuple(kept),
        warnings=warnings,
        exposures=tuple(tally.exposures),
    )


def replicate_files(
    scenario_name: str | Path,
    rota_file: Path | None = None,
    *,
    requirements_file: Path | None = None,
    start_text: str | None = None,
    seed: int = 1,
    runs: int = 1,
    progress: Progress | None = None,
    warn: Warn | None = None,
    json_sinks: Sequence[BinaryIO] = (),
    keep_runs: bool = True,
    max_shifts: int | None = None,
) -> Replications:
    """:func:`replicate` from a scenario (bundled name or file), a rota file, a requirements
    file and a start text.

    The rota's local times and ``start_text`` are read in the scenario's timezone;
    ``max_shifts`` bounds the rota (see ``rota.io.read_rota``).
    """
    scenario = load_scenario(scenario_name)
    rota = (
        None
        if rota_file is None
        else read_rota(rota_file, timezone=scenario.timezone, max_shifts=max_shifts)
    )
    requirements = None
    if requirements_file is not None:
        requirements = read_requirements(requirements_file, timezone=scenario.timezone)
    start = None
    if start_text:
        try:
            start = parse_instant(start_text, scenario.timezone)
        except TimeError as error:
            raise TimeError(error.message, parameters=("start",)) from None
    return replicate(
        scenario,
        rota,
        rota_name=rota_file.name if rota_file is not None else None,
        requirements=requirements,
        start=start,
        seed=seed,
        runs=runs,
        progress=progress,
        warn=warn,
        json_sinks=json_sinks,
        keep_runs=keep_runs,
    )


__all__ = [
    "Progress",
    "Replications",
    "RunsJson",
    "Warn",
    "each_run",
    "replicate",
    "replicate_files",
]
