"""Which assumption matters: each one scaled down and up, one at a time, same random numbers.

:func:`study` runs the scenario ``runs`` times as assumed (the base), then again with one
assumption multiplied by ``1 / factor`` and by ``factor`` (:data:`ASSUMPTIONS`: answer
probability and reachability, travel, task durations, link delays and failures, the
declaration, the call-out timings, dispatch, turnout, driving). Run ``i`` of every variant
uses the same seed (common random numbers), so a difference between variants is the
assumption's doing, not noise; each change comes with the 95 % half-width of the paired
difference. The measures are the chance that every target is met and the share of targets
met.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from standby.rota.model import Requirement, Rota
from standby.scenarios.model import Scenario
from standby.simulator.compiled import Assumptions, CompiledScenario
from standby.simulator.distributions import scaled
from standby.simulator.executors import Executor, Setup, chunk_sizes, executor_for, run_chunks
from standby.simulator.model import DEFAULT_ASSUMPTIONS, Prepared, run_once, run_seed
from standby.simulator.records import record_of
from standby.simulator.summary import Z95

Direction = Literal["down", "up"]
Measure = Literal["all_met", "targets_met"]

#: The default factor: each assumption x1.25 and x0.8.
FACTOR = 1.25


@dataclass(frozen=True)
class Assumption:
    """One assumption a study varies: its key and its name in words."""

    key: str
    label: str


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("answer_probability", "Answer probability (everyone rung)"),
    Assumption("reachable_probability", "Chance a person can be reached at all"),
    Assumption("travel", "Travel and remote joining times"),
    Assumption("task_durations", "Task durations"),
    Assumption("link_delays", "Link delays"),
    Assumption("link_failures", "Link failure probabilities"),
    Assumption("declaration", "Time to declare a major incident"),
    Assumption("answer_delay", "Time to pick up a call"),
    Assumption("ring_timeout_minutes", "Ringing time before the next person"),
    Assumption("cycle_gap_minutes", "Wait before ringing the list again"),
    Assumption("retry_minutes", "Wait before a failed call is retried"),
    Assumption("dispatch_delay", "Dispatch of on-duty crews"),
    Assumption("turnout", "Turnout before driving (day and night)"),
    Assumption("road_factor", "Road distance over straight line"),
    Assumption("speed_kmh", "Average driving speed"),
)


def varied(
    compiled: CompiledScenario, assumptions: Assumptions, key: str, factor: float
) -> tuple[CompiledScenario, Assumptions]:
    """The scenario and assumptions with assumption ``key`` multiplied by ``factor``."""
    match key:
        case "answer_probability":
            return compiled, replace(assumptions, answer_probability_scale=factor)
        case "travel":
            return compiled, replace(assumptions, travel_scale=factor)
        case "task_durations":
            tasks = tuple(replace(t, duration=scaled(t.duration, factor)) for t in compiled.tasks)
            return replace(compiled, tasks=tasks), assumptions
        case "link_delays":
            links = tuple(replace(k, delay=scaled(k.delay, factor)) for k in compiled.links)
            return replace(compiled, links=links), assumptions
        case "link_failures":
            links = tuple(
                replace(k, failure_probability=min(1.0, k.failure_probability * factor))
                for k in compiled.links
            )
            return replace(compiled, links=links), assumptions
        case "declaration":
            return replace(compiled, declare_after=scaled(compiled.declare_after, factor)), (
                assumptions
            )
        case "answer_delay":
            return compiled, replace(
                assumptions, answer_delay=scaled(assumptions.answer_delay, factor)
            )
        case "dispatch_delay":
            return compiled, replace(
                assumptions, dispatch_delay=scaled(assumptions.dispatch_delay, factor)
            )
        case "turnout":
            return compiled, replace(
                assumptions,
                turnout_minutes_day=assumptions.turnout_minutes_day * factor,
                turnout_minutes_night=assumptions.turnout_minutes_night * factor,
            )
        case _:
            value = getattr(assumptions, key)
            return compiled, replace(assumptions, **{key: value * factor})


# --- in the worker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantChunk:
    """Runs ``first`` to ``first + count - 1`` with one assumption scaled (None: the base)."""

    key: str | None
    factor: float
    start: datetime | None
    seed: int
    runs: int
    first: int
    count: int


@dataclass(frozen=True)
class VariantRuns:
    """Per run: whether every target was met (0/1) and how many targets were met."""

    all_met: bytes
    targets_met: tuple[int, ...]


def variant_chunk(prepared: Prepared, chunk: VariantChunk) -> VariantRuns:
    """Make one chunk of one variant's runs (in a worker)."""
    compiled, assumptions = prepared.compiled, DEFAULT_ASSUMPTIONS
    if chunk.key is not None:
        compiled, assumptions = varied(compiled, assumptions, chunk.key, chunk.factor)
    all_met = bytearray()
    targets_met = []
    for replication in range(chunk.first, chunk.first + chunk.count):
        result = run_once(
            compiled,
            prepared.roster,
            chunk.start,
            run_seed(chunk.seed, chunk.runs, replication),
            assumptions,
            replication=replication,
            events=False,
            exposure=False,
        )
        record = record_of(result)
        all_met.append(1 if record.all_met else 0)
        targets_met.append(record.targets_met)
    return VariantRuns(bytes(all_met), tuple(targets_met))


# --- the study -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantResult:
    """One variant over the runs: how many met every target, and the targets met in all."""

    runs: int
    targets: int
    all_met: int
    targets_met: int

    def value(self, measure: Measure) -> float:
        """The measure in percent."""
        if measure == "all_met":
            return 100.0 * self.all_met / self.runs
        return 100.0 * self.targets_met / (self.runs * self.targets) if self.targets else 0.0

    @property
    def all_met_pct(self) -> float:
        """Share of runs that met every target."""
        return self.value("all_met")

    @property
    def targets_met_pct(self) -> float:
        """Share of targets met over all runs."""
        return self.value("targets_met")


@dataclass(frozen=True)
class Change:
    """A variant against the base: the change in points and the 95 % half-width of the
    paired difference (run i against run i)."""

    points: float
    half_width: float


@dataclass(frozen=True)
class AssumptionEffect:
    """One assumption scaled down (``1 / factor``) and up (``factor``)."""

    key: str
    label: str
    down: VariantResult
    up: VariantResult
    changes: dict[tuple[Measure, Direction], Change]

    def change(self, measure: Measure, direction: Direction) -> float:
        """The change of ``measure`` from the base, in percentage points."""
        return self.changes[(measure, direction)].points

    @property
    def swing(self) -> tuple[float, float]:
        """The largest change either way of P(all met), then of targets met (for sorting)."""
        return (
            max(abs(self.change("all_met", d)) for d in ("down", "up")),
            max(abs(self.change("targets_met", d)) for d in ("down", "up")),
        )


@dataclass(frozen=True)
class SensitivityStudy:
    """The base runs and every assumption's effect."""

    factor: float
    runs: int
    seed: int
    base: VariantResult
    assumptions: tuple[AssumptionEffect, ...]

    def ranked(self) -> list[AssumptionEffect]:
        """The assumptions, the one that matters most first."""
        return sorted(self.assumptions, key=lambda a: a.swing, reverse=True)

    def to_json_dict(self) -> dict[str, object]:
        """Plain data for ``sensitivity.json``."""
        return {
            "factor": self.factor,
            "runs": self.runs,
            "seed": self.seed,
            "base": {
                "all_targets_met_pct": round(self.base.all_met_pct, 2),
                "targets_met_pct": round(self.base.targets_met_pct, 2),
            },
            "assumptions": [
                {
                    "assumption": a.key,
                    "label": a.label,
                    **{
                        f"{measure}_{direction}": {
                            "change_points": round(a.changes[(measure, direction)].points, 2),
                            "half_width_points": round(
                                a.changes[(measure, direction)].half_width, 2
                            ),
                        }
                        for measure in ("all_met", "targets_met")
                        for direction in ("down", "up")
                    },
                }
                for a in self.ranked()
            ],
        }


def _paired(base: array[int], other: array[int], scale: float) -> Change:
    """Mean difference (other - base) x ``scale`` and its 95 % half-width."""
    n = len(base)
    differences = [o - b for b, o in zip(base, other, strict=True)]
    mean = sum(differences) / n
    variance = sum((d - mean) ** 2 for d in differences) / (n - 1) if n > 1 else 0.0
    return Change(mean * scale, Z95 * math.sqrt(variance / n) * scale)


def study(
    scenario: Scenario,
    rota: Rota | None = None,
    *,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
    start: datetime | None = None,
    seed: int = 1,
    runs: int = 200,
    factor: float = FACTOR,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> SensitivityStudy:
    """Vary every assumption in :data:`ASSUMPTIONS` by ``factor`` and ``1 / factor``."""
    if factor <= 1.0:
        raise ValueError(f"the factor must be more than 1, not {factor}")
    variants: list[tuple[str | None, float]] = [(None, 1.0)]
    for item in ASSUMPTIONS:
        variants += [(item.key, 1.0 / factor), (item.key, factor)]
    total = runs * len(variants)
    executor = executor or executor_for(runs=total)
    targets = sum(1 for t in scenario.plan.tasks if t.target is not None)

    def chunks() -> Iterator[tuple[int, VariantChunk]]:
        for number, (key, scale) in enumerate(variants):
            first = 0
            for size in chunk_sizes(runs, executor.worker_count):
                yield number, VariantChunk(key, scale, start, seed, runs, first, size)
                first += size

    plan = list(chunks())
    all_met = [array("b") for _ in variants]
    met = [array("i") for _ in variants]
    done = 0
    setup = Setup(scenario, rota, rota_name, requirements)
    results = run_chunks(setup, variant_chunk, [c for _n, c in plan], executor, notify=notify)
    with closing(results):
        for (number, _chunk), result in zip(plan, results, strict=True):
            all_met[number].frombytes(result.all_met)
            met[number].extend(result.targets_met)
            done += len(result.targets_met)
            if progress is not None:
                progress(done)

    def outcome(number: int) -> VariantResult:
        return VariantResult(runs, targets, sum(all_met[number]), sum(met[number]))

    effects = []
    for position, item in enumerate(ASSUMPTIONS):
        down, up = 1 + 2 * position, 2 + 2 * position
        changes: dict[tuple[Measure, Direction], Change] = {}
        sides: tuple[tuple[Direction, int], ...] = (("down", down), ("up", up))
        for direction, number in sides:
            changes[("all_met", direction)] = _paired(all_met[0], all_met[number], 100.0)
            per_target = 100.0 / targets if targets else 0.0
            changes[("targets_met", direction)] = _paired(met[0], met[number], per_target)
        effects.append(AssumptionEffect(item.key, item.label, outcome(down), outcome(up), changes))
    return SensitivityStudy(factor, runs, seed, outcome(0), tuple(effects))
