"""Experiments: many runs of a scenario, and what they are run for.

Today one kind, :func:`replicate`: ``runs`` replications of one scenario from one start
instant, run ``i`` seeded with child ``i`` of ``numpy.random.SeedSequence(seed)`` (one run
uses the seed itself). The result, :class:`Replications`, holds every run, their summary and
the JSON that ``standby simulate --json`` writes. This is what ``standby simulate`` and the
demo call; Python users can call it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from standby.clock import TimeError, parse_instant
from standby.rota.io import read_requirements, read_rota
from standby.rota.model import Requirement, Rota
from standby.scenarios import Scenario, load_scenario
from standby.simulator.model import prepare, rota_warnings, simulate
from standby.simulator.results import RunResult
from standby.simulator.summary import RunsSummary, summarise

#: Called with the number of runs finished so far.
Progress = Callable[[int], None]
#: Called, before the first run, with each warning about the rota and the scenario.
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Replications:
    """Many runs of one scenario from one start instant, and the seed they were spawned from."""

    scenario: Scenario
    seed: int
    runs: tuple[RunResult, ...]
    warnings: tuple[str, ...] = ()

    @property
    def first(self) -> RunResult:
        """The first run (the one whose timeline is shown)."""
        return self.runs[0]

    @property
    def targets_missed(self) -> bool:
        """True when any run missed any target (``--fail-on-miss`` exits 1)."""
        return any(run.targets_missed for run in self.runs)

    def summary(self) -> RunsSummary:
        """Per task, role and KPI figures over the runs."""
        return summarise(self.runs, self.seed)

    def to_json_dict(self) -> dict[str, Any]:
        """What ``simulate --json`` writes: one run's result, or for several the envelope.

        The envelope is ``{"scenario", "start", "seed", "runs": [each run's result]}``.
        """
        if len(self.runs) == 1:
            return self.first.to_json_dict()
        return {
            "scenario": self.first.scenario,
            "start": self.first.start,
            "seed": self.seed,
            "runs": [run.to_json_dict() for run in self.runs],
        }


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
) -> Replications:
    """Run ``scenario`` ``runs`` times from ``start`` (default: the scenario's own start).

    Without a ``rota`` every role is assumed filled by its agency's own on-call arrangement;
    ``rota_name`` is how the results name the rota; ``requirements`` (None: the rota's own)
    say when each rota role must be covered. Before the first run, ``warn`` is given each
    rota role the rota cannot fill at the start and why, and each inject naming a person the
    rota does not have (also in :attr:`Replications.warnings` and every run's notes).
    ``pinned`` holds plan tasks (by id) at the minutes given, in every run (the debrief's
    counterfactual); the same ``seed`` with and without pins gives runs that differ only by
    what the pins changed.
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
    results = simulate(prepared, start, seed, runs, progress=progress)
    return Replications(scenario, seed, tuple(results), warnings)


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
) -> Replications:
    """:func:`replicate` from a scenario (bundled name or file), a rota file, a requirements
    file and a start text.

    The rota's local times and ``start_text`` are read in the scenario's timezone.
    """
    scenario = load_scenario(scenario_name)
    rota = None if rota_file is None else read_rota(rota_file, timezone=scenario.timezone)
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
    )
