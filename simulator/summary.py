"""Many simulated runs of one scenario summarised: how often each target is met, and when.

Per target: the share of runs that met it with a 95 % Wilson interval, the 10th, 50th and
90th percentile of its end, and the steps that drove the misses, with counts. Per role: how
often it was short, and why. Per KPI (:data:`~standby.simulator.records.KPI_FIELDS`): how
often it happened and its spread. The hazard: each run's weather and exposure spread over the
runs (:class:`HazardSpread`). :class:`Tally` adds runs one at a time (a few numbers a run,
and each run's hazard, so memory grows by a few kilobytes a run, not by the run's whole
story); :func:`summarise` does it for a list of results. Reads results, never runs the
model; gives plain data for the reports, the terminal and ``summary.json``.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from standby.simulator.records import KPI_FIELDS, KpiUnit, RunRecord, record_of
from standby.simulator.results import FootprintEdge, Milestone, RunHazard, RunResult

#: The normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054

#: How many of the commonest reasons and drivers a summary keeps, with their counts.
TOP = 5

Counted = tuple[tuple[str, int], ...]
"""``((text, runs), ...)``, commonest first (ties in the order first seen)."""


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (Wilson 1927), as fractions.

    Unlike ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and keeps its coverage near 0 and
    1, where planners' targets often sit.
    """
    if trials <= 0:
        raise ValueError("an interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes is not between 0 and {trials}")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole


def _quantiles(values: Sequence[float], qs: Sequence[float]) -> list[float | None]:
    """numpy's linear-interpolation quantiles, to two decimals; None for no values."""
    if not values:
        return [None for _ in qs]
    import numpy as np

    found = np.quantile(np.asarray(values, dtype=float), qs)
    return [_round(float(q)) for q in found]


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """One plan task over all runs; minutes are quantiles of its end in the runs it was done."""

    task: str
    name: str
    agency: str
    target_minute: float | None
    target_text: str
    runs: int
    done: int
    met: int
    p10_end: float | None
    p25_end: float | None
    median_end: float | None
    p75_end: float | None
    p90_end: float | None
    reasons: Counted
    drivers: Counted

    @property
    def met_pct(self) -> float | None:
        """Share of runs in which the target was met, or None without a target."""
        return None if self.target_minute is None else _pct(self.met, self.runs)

    @property
    def met_interval_pct(self) -> tuple[float, float] | None:
        """The 95 % Wilson interval of :attr:`met_pct`, or None without a target."""
        if self.target_minute is None:
            return None
        low, high = wilson_interval(self.met, self.runs)
        return 100.0 * low, 100.0 * high

    @property
    def done_pct(self) -> float:
        """Share of runs in which the task finished within the scenario."""
        return _pct(self.done, self.runs)

    @property
    def missed(self) -> int:
        """Runs in which the target was missed or the task not done."""
        return self.runs - self.met if self.target_minute is not None else self.runs - self.done

    @property
    def top_reason(self) -> str:
        """The commonest reason the task was not done, or ``""``."""
        return self.reasons[0][0] if self.reasons else ""

    @property
    def top_driver(self) -> str:
        """The step that most often drove a miss, or ``""``."""
        return self.drivers[0][0] if self.drivers else ""


@dataclass(frozen=True, slots=True)
class RoleSummary:
    """How often a role could not be filled, and why (commonest reasons first); ``kinds``
    counts the runs short by each kind of failure (``not_in_rota``, ``rota_gap``,
    ``no_answer``, ...), in name order."""

    role: str
    rota_role: str | None
    agency: str
    unfilled: int
    runs: int
    reasons: Counted
    kinds: tuple[tuple[str, int], ...] = ()

    @property
    def unfilled_pct(self) -> float:
        """Share of runs in which the role was short."""
        return _pct(self.unfilled, self.runs)

    @property
    def top_reason(self) -> str:
        """The commonest reason it was short."""
        return self.reasons[0][0]


@dataclass(frozen=True, slots=True)
class KpiSummary:
    """One people-side figure over the runs: how often it happened and its spread."""

    kpi: str
    label: str
    unit: KpiUnit
    happened: int
    runs: int
    p10: float | None
    median: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class TargetFigures:
    """One target's figures as a sentence quotes them: "TCG convened: median 52 min, 90th
    percentile 74 min, target 60 min, met in 71 % of runs (95 % CI 68-74 %)".

    Minutes are over the runs in which the task was done; ``driver`` is the step that most
    often drove a miss (None when it was never missed) and ``driver_runs`` how often.
    """

    task: str
    name: str
    target_minute: float
    target_text: str
    runs: int
    met: int
    met_pct: float
    ci_low_pct: float
    ci_high_pct: float
    p10_minute: float | None
    median_minute: float | None
    p90_minute: float | None
    driver: str | None
    driver_runs: int


@dataclass(frozen=True, slots=True)
class Spread:
    """One figure over the runs: its median and 10th and 90th percentiles (None: no runs)."""

    label: str
    runs: int
    median: float | None
    p10: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class ReceptorReach:
    """How often the plume reached one receptor over the runs, and how soon."""

    receptor: str
    runs: int
    in_any_zone: int
    aegl2_or_worse: int
    median_arrival: float | None


@dataclass(frozen=True, slots=True)
class HazardSpread:
    """The hazard over the runs: people above AEGL-2 outdoors, sheltering and evacuating,
    the release, the receptors reached and the weather."""

    weather_varies: bool
    runs_floored: int
    people_above_aegl2: tuple[Spread, ...]
    release_minutes: Spread
    aegl2_reach_m: Spread
    slot_distance_m: Spread
    slod_distance_m: Spread
    receptors: tuple[ReceptorReach, ...]


@dataclass(frozen=True, slots=True)
class RunsSummary:
    """Many runs of one scenario from one start instant."""

    scenario: str
    start: str
    rota: str | None
    runs: int
    seed: int
    all_targets_met: int
    targets_met: int
    targets: int
    tasks: tuple[TaskSummary, ...]
    roles: tuple[RoleSummary, ...]
    kpis: tuple[KpiSummary, ...]
    hazard: HazardSpread | None = None

    @property
    def all_met_pct(self) -> float:
        """Share of runs in which every target was met."""
        return _pct(self.all_targets_met, self.runs)

    @property
    def all_met_interval_pct(self) -> tuple[float, float]:
        """The 95 % Wilson interval of :attr:`all_met_pct`."""
        low, high = wilson_interval(self.all_targets_met, self.runs)
        return 100.0 * low, 100.0 * high

    @property
    def targets_met_pct(self) -> float | None:
        """Share of all targets in all runs that were met (readiness); None without targets."""
        return None if not self.targets else _pct(self.targets_met, self.runs * self.targets)

    def target_figures(self) -> tuple[TargetFigures, ...]:
        """Each target's figures as data, in plan order (what exercise packs quote)."""
        figures = []
        for task in self.tasks:
            interval = task.met_interval_pct
            if task.target_minute is None or interval is None:
                continue
            figures.append(
                TargetFigures(
                    task=task.task,
                    name=task.name,
                    target_minute=task.target_minute,
                    target_text=task.target_text,
                    runs=task.runs,
                    met=task.met,
                    met_pct=100.0 * task.met / task.runs,
                    ci_low_pct=interval[0],
                    ci_high_pct=interval[1],
                    p10_minute=task.p10_end,
                    median_minute=task.median_end,
                    p90_minute=task.p90_end,
                    driver=task.top_driver or None,
                    driver_runs=task.drivers[0][1] if task.drivers else 0,
                )
            )
        return tuple(figures)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain data for ``summary.json``: counts, shares with intervals, quantiles, words."""
        data = asdict(self)
        data["all_targets_met_pct"] = _round(self.all_met_pct)
        data["all_targets_met_ci_pct"] = [_round(x) for x in self.all_met_interval_pct]
        data["targets_met_pct"] = _round(self.targets_met_pct)
        for task, task_summary in zip(data["tasks"], self.tasks, strict=True):
            task["met_pct"] = _round(task_summary.met_pct)
            interval = task_summary.met_interval_pct
            task["met_ci_pct"] = None if interval is None else [_round(x) for x in interval]
            task["done_pct"] = _round(task_summary.done_pct)
            task["reasons"] = _counted_json(task_summary.reasons)
            task["drivers"] = _counted_json(task_summary.drivers)
        for role, role_summary in zip(data["roles"], self.roles, strict=True):
            role["unfilled_pct"] = _round(role_summary.unfilled_pct)
            role["reasons"] = _counted_json(role_summary.reasons)
        return data


def _counted_json(counted: Counted) -> list[dict[str, Any]]:
    return [{"text": text, "runs": runs} for text, runs in counted]


def _top(counter: Counter[str]) -> Counted:
    return tuple(counter.most_common(TOP))


class _TaskTally:
    """One task's figures, added run by run: end minutes (8 bytes a run), counts, words."""

    __slots__ = ("drivers", "ends", "met", "reasons")

    def __init__(self) -> None:
        self.ends = array("d")
        self.met = 0
        self.reasons: Counter[str] = Counter()
        self.drivers: Counter[str] = Counter()


class Tally:
    """:func:`summarise` one run at a time, from the :class:`RunRecord` each run gives.

    ``first`` is any run of the experiment, for the names of its tasks; ``roles`` gives each
    role id its rota role and agency, and ``target_texts`` each task id its target's words
    (both from the scenario). What it keeps per run is a float per task and per KPI (for the
    quantiles) and a few figures of the run's hazard (:class:`HazardTally`; with
    ``footprints``, its AEGL-2 footprint too, for the confidence sector map); reasons are
    counted. Runs must be added in the same order every time for the same summary bytes
    (ties between equally common reasons go to the one seen first).
    """

    def __init__(
        self,
        first: RunResult,
        seed: int,
        *,
        roles: Mapping[str, tuple[str | None, str]] | None = None,
        target_texts: Mapping[str, str] | None = None,
        footprints: bool = False,
    ) -> None:
        self.seed = seed
        self.scenario = first.scenario
        self.start = first.start
        self.rota = first.rota
        self.milestones: tuple[Milestone, ...] = first.milestones
        self.target_texts = dict(target_texts or {})
        self.runs = 0
        self.all_met = 0
        self.targets_met = 0
        self._tasks = [_TaskTally() for _ in first.milestones]
        self._short: dict[str, Counter[str]] = {}
        self._kinds: dict[str, Counter[str]] = {}
        self._roles = {u.role: (u.rota_role, u.agency) for u in first.unfilled_roles}
        self._roles.update(roles or {})
        self._kpis = [array("d") for _ in KPI_FIELDS]
        self.hazard = HazardTally(footprints=footprints)

    def add(self, record: RunRecord) -> None:
        """Count one more run (of the same scenario and start as the others)."""
        self.runs += 1
        met_here = 0
        for tally, end, met, done, reason, driver in zip(
            self._tasks,
            record.ends,
            record.met,
            record.done,
            record.reasons,
            record.drivers,
            strict=True,
        ):
            if done and end is not None:
                tally.ends.append(end)
            if met:
                tally.met += 1
                met_here += 1
            if met is False or not done:
                if reason:
                    tally.reasons[reason] += 1
                if driver:
                    tally.drivers[driver] += 1
        self.targets_met += met_here
        if record.all_met:
            self.all_met += 1
        for role, reason, kind in record.unfilled:
            self._short.setdefault(role, Counter())[reason] += 1
            self._kinds.setdefault(role, Counter())[kind] += 1
        for minutes, value in zip(self._kpis, record.kpis, strict=True):
            if value is not None:
                minutes.append(value)
        if record.exposure is not None:
            self.hazard.add(record.exposure)

    def summary(self) -> RunsSummary:
        """The figures over every run added so far."""
        if not self.runs:
            raise ValueError("no runs to summarise")
        tasks = []
        for milestone, tally in zip(self.milestones, self._tasks, strict=True):
            p10, p25, p50, p75, p90 = _quantiles(tally.ends, (0.1, 0.25, 0.5, 0.75, 0.9))
            tasks.append(
                TaskSummary(
                    task=milestone.task,
                    name=milestone.name,
                    agency=milestone.agency,
                    target_minute=milestone.target_minute,
                    target_text=self.target_texts.get(milestone.task, ""),
                    runs=self.runs,
                    done=len(tally.ends),
                    met=tally.met,
                    p10_end=p10,
                    p25_end=p25,
                    median_end=p50,
                    p75_end=p75,
                    p90_end=p90,
                    reasons=_top(tally.reasons),
                    drivers=_top(tally.drivers),
                )
            )
        roles = tuple(
            RoleSummary(
                role=role,
                rota_role=self._roles.get(role, (None, ""))[0],
                agency=self._roles.get(role, (None, ""))[1],
                unfilled=reasons.total(),
                runs=self.runs,
                reasons=_top(reasons),
                kinds=tuple(sorted(self._kinds[role].items())),
            )
            for role, reasons in sorted(self._short.items(), key=lambda item: -item[1].total())
        )
        kpis = []
        for item, values in zip(KPI_FIELDS, self._kpis, strict=True):
            p10, p50, p90 = _quantiles(values, (0.1, 0.5, 0.9))
            kpis.append(
                KpiSummary(item.name, item.label, item.unit, len(values), self.runs, p10, p50, p90)
            )
        return RunsSummary(
            scenario=self.scenario,
            start=self.start,
            rota=self.rota,
            runs=self.runs,
            seed=self.seed,
            all_targets_met=self.all_met,
            targets_met=self.targets_met,
            targets=sum(1 for m in self.milestones if m.target_minute is not None),
            tasks=tuple(tasks),
            roles=roles,
            kpis=tuple(kpis),
            hazard=self.hazard.spread() if self.hazard.runs else None,
        )


def summarise(results: Sequence[RunResult], seed: int) -> RunsSummary:
    """Per task, role and KPI figures over ``results`` (all of one scenario and start)."""
    if not results:
        raise ValueError("no runs to summarise")
    roles = {u.role: (u.rota_role, u.agency) for r in results for u in r.unfilled_roles}
    tally = Tally(results[0], seed, roles=roles)
    for result in results:
        tally.add(record_of(result))
    return tally.summary()


def spread(label: str, values: Sequence[float]) -> Spread:
    """Median, 10th and 90th percentiles of ``values``."""
    p10, p50, p90 = _quantiles(values, (0.1, 0.5, 0.9))
    return Spread(label, len(values), p50, p10, p90)


class HazardTally:
    """What the summary needs of each run's hazard, kept small: a float a figure and a
    float a receptor the plume reached (about a hundred bytes a run, where the run's whole
    :class:`RunHazard` is several kilobytes), and with ``footprints`` each run's AEGL-2
    footprints, for the confidence sector map (:func:`simulator.maps.confidence_sector`).

    Runs must be added in the same order every time, for the same quantiles.
    """

    def __init__(self, *, footprints: bool = False) -> None:
        self.runs = 0
        self.outdoors, self.sheltered, self.evacuated = array("d"), array("d"), array("d")
        self.reach, self.release = array("d"), array("d")
        self.slot, self.slod = array("d"), array("d")
        self.weather: tuple[float, float] | None = None  # the first run's wind
        self.weather_varies = False
        self.floored = 0
        self.receptors: tuple[str, ...] = ()
        self.in_any_zone: list[int] = []
        self.aegl2_or_worse: list[int] = []
        self.arrivals: list[array[float]] = []
        self.footprints: list[tuple[FootprintEdge, ...]] | None = [] if footprints else None

    def add(self, exposure: RunHazard) -> None:
        """Count one more run's hazard."""
        if not self.runs:
            self.receptors = tuple(row.receptor for row in exposure.receptors)
            self.in_any_zone = [0] * len(self.receptors)
            self.aegl2_or_worse = [0] * len(self.receptors)
            self.arrivals = [array("d") for _ in self.receptors]
            self.weather = (exposure.weather.wind_from_deg, exposure.weather.wind_speed_ms)
        self.runs += 1
        above = exposure.above("AEGL-2")
        self.outdoors.append(float(above.outdoors))
        self.sheltered.append(float(above.sheltered))
        if above.evacuated is not None:
            self.evacuated.append(float(above.evacuated))
        self.reach.append(next(z.downwind_m for z in exposure.zone_reach_m if z.level == "AEGL-2"))
        self.release.append(exposure.release_minutes)
        if exposure.slot_distance_m is not None:
            self.slot.append(exposure.slot_distance_m)
        if exposure.slod_distance_m is not None:
            self.slod.append(exposure.slod_distance_m)
        wind = (exposure.weather.wind_from_deg, exposure.weather.wind_speed_ms)
        self.weather_varies = self.weather_varies or wind != self.weather
        self.floored += exposure.weather.floored
        for index, row in enumerate(exposure.receptors):
            if row.arrival_minute is not None:
                self.arrivals[index].append(row.arrival_minute)
            if row.zone is not None:
                self.in_any_zone[index] += 1
            if row.zone in ("AEGL-2", "AEGL-3"):
                self.aegl2_or_worse[index] += 1
        if self.footprints is not None:
            self.footprints.append(exposure.aegl2_footprints)

    def spread(self) -> HazardSpread:
        """The hazard figures over the runs added."""
        receptors = tuple(
            ReceptorReach(
                receptor=name,
                runs=self.runs,
                in_any_zone=self.in_any_zone[index],
                aegl2_or_worse=self.aegl2_or_worse[index],
                median_arrival=_quantiles(self.arrivals[index], (0.5,))[0],
            )
            for index, name in enumerate(self.receptors)
        )
        return HazardSpread(
            weather_varies=self.weather_varies,
            runs_floored=self.floored,
            people_above_aegl2=(
                spread("people above AEGL-2 outdoors (nobody protected)", self.outdoors),
                spread("people above AEGL-2 sheltering indoors", self.sheltered),
                spread(
                    "people above AEGL-2 evacuating when the action was decided", self.evacuated
                ),
            ),
            release_minutes=spread("release duration (min)", self.release),
            aegl2_reach_m=spread("AEGL-2 reach downwind (m)", self.reach),
            slot_distance_m=spread("SLOT distance (m)", self.slot),
            slod_distance_m=spread("SLOD distance (m)", self.slod),
            receptors=receptors,
        )
