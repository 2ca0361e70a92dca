"""Many simulated runs of one scenario summarised: how often each target is met, and when.

Reads :class:`simulator.results.RunResult` objects (never runs the model) and gives plain
data for the reports, the terminal and the JSON summary.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from standby.simulator.results import RunHazard, RunResult, UnfilledRole


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """One plan task over all runs."""

    task: str
    name: str
    agency: str
    target_minute: float | None
    runs: int
    done: int
    met: int
    median_end: float | None
    p90_end: float | None
    ends: tuple[float, ...]
    top_reason: str
    top_driver: str = ""

    @property
    def met_pct(self) -> float | None:
        """Share of runs in which the target was met, or None without a target."""
        return None if self.target_minute is None else 100.0 * self.met / self.runs

    @property
    def done_pct(self) -> float:
        """Share of runs in which the task finished within the scenario."""
        return 100.0 * self.done / self.runs


@dataclass(frozen=True, slots=True)
class RoleSummary:
    """How often a role could not be filled, and the commonest reason."""

    role: str
    rota_role: str | None
    agency: str
    unfilled: int
    runs: int
    top_reason: str
    #: Runs short by each kind of failure (``not_in_rota``, ``rota_gap``, ``no_answer``, ...).
    kinds: tuple[tuple[str, int], ...] = ()

    @property
    def unfilled_pct(self) -> float:
        """Share of runs in which the role was short."""
        return 100.0 * self.unfilled / self.runs


@dataclass(frozen=True, slots=True)
class KpiSummary:
    """One people-side figure over the runs: how often it happened and when."""

    kpi: str
    label: str
    happened: int
    runs: int
    median: float | None
    p90: float | None


# (field of simulator.results.Kpis, label in the report)
KPI_MINUTES = (
    ("public_warned_minute", "Public warned by broadcast"),
    ("all_vulnerable_warned_minute", "Every vulnerable premises in AEGL-2 warned"),
    ("protective_action_minute", "Shelter or evacuation decided"),
    ("first_rest_centre_open_minute", "First rest centre open"),
)


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
    tasks: tuple[TaskSummary, ...]
    roles: tuple[RoleSummary, ...]
    kpis: tuple[KpiSummary, ...] = ()
    hazard: HazardSpread | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain data for JSON (per-run end minutes left out)."""
        data = asdict(self)
        for task, task_summary in zip(data["tasks"], self.tasks, strict=True):
            del task["ends"]
            task["met_pct"] = _round(task_summary.met_pct)
            task["done_pct"] = _round(task_summary.done_pct)
        for role, role_summary in zip(data["roles"], self.roles, strict=True):
            role["unfilled_pct"] = _round(role_summary.unfilled_pct)
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _quantile(values: Sequence[float], q: float) -> float | None:
    """numpy's linear-interpolation quantile, to two decimals; None for no values."""
    import numpy as np

    return _round(float(np.quantile(values, q))) if values else None


def summarise(results: Sequence[RunResult], seed: int) -> RunsSummary:
    """Per task and per role figures over ``results`` (all of one scenario and start)."""
    tally = Tally(seed)
    for result in results:
        tally.add(result)
    return tally.summary()


class _TaskTally:
    """One task's figures, added run by run: end minutes (8 bytes a run), counts, reasons."""

    __slots__ = ("drivers", "ends", "met", "reasons", "runs")

    def __init__(self) -> None:
        self.ends = array("d")
        self.met = 0
        self.runs = 0
        self.reasons: Counter[str] = Counter()
        self.drivers: Counter[str] = Counter()


class Tally:
    """:func:`summarise` one run at a time, so that many runs need not be held at once.

    What it keeps per run is a float per task and per KPI (for the quantiles), not the run:
    ``simulate --runs 100000`` streams each run to disk and adds it here.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.first: RunResult | None = None
        self.runs = 0
        self.all_met = 0
        self._tasks: list[_TaskTally] = []
        self._short: dict[str, tuple[UnfilledRole, Counter[str], Counter[str]]] = {}
        self._kpis = {name: array("d") for name, _ in KPI_MINUTES}
        #: Each run's hazard (a few kilobytes a run), for its spread and the confidence sector.
        self.exposures: list[RunHazard] = []

    def add(self, result: RunResult) -> None:
        """Count one more run (of the same scenario and start as the others)."""
        if self.first is None:
            self.first = result
            self._tasks = [_TaskTally() for _ in result.milestones]
        self.runs += 1
        for tally, milestone in zip(self._tasks, result.milestones, strict=True):
            tally.runs += 1
            if milestone.status == "done" and milestone.end_minute is not None:
                tally.ends.append(milestone.end_minute)
            if milestone.met:
                tally.met += 1
            if milestone.met is False or milestone.status != "done":
                if milestone.reason:
                    tally.reasons[milestone.reason] += 1
                if milestone.driver:
                    tally.drivers[milestone.driver] += 1
        for role in {u.role: u for u in result.unfilled_roles}.values():
            _, reasons, kinds = self._short.setdefault(role.role, (role, Counter(), Counter()))
            reasons[role.reason] += 1
            kinds[role.kind] += 1
        if not result.targets_missed:
            self.all_met += 1
        for name, minutes in self._kpis.items():
            value = getattr(result.kpis, name)
            if value is not None:
                minutes.append(value)
        if result.exposure is not None:
            self.exposures.append(result.exposure)

    def summary(self) -> RunsSummary:
        """The figures over every run added so far."""
        first = self.first
        if first is None:
            raise ValueError("no runs to summarise")
        tasks = tuple(
            TaskSummary(
                task=milestone.task,
                name=milestone.name,
                agency=milestone.agency,
                target_minute=milestone.target_minute,
                runs=tally.runs,
                done=len(tally.ends),
                met=tally.met,
                median_end=_quantile(tally.ends, 0.5),
                p90_end=_quantile(tally.ends, 0.9),
                ends=tuple(tally.ends),
                top_reason=tally.reasons.most_common(1)[0][0] if tally.reasons else "",
                top_driver=tally.drivers.most_common(1)[0][0] if tally.drivers else "",
            )
            for milestone, tally in zip(first.milestones, self._tasks, strict=True)
        )
        roles = tuple(
            RoleSummary(
                role=role,
                rota_role=example.rota_role,
                agency=example.agency,
                unfilled=reasons.total(),
                runs=self.runs,
                top_reason=reasons.most_common(1)[0][0],
                kinds=tuple(sorted(kinds.items())),
            )
            for role, (example, reasons, kinds) in sorted(
                self._short.items(), key=lambda item: -item[1][1].total()
            )
        )
        kpis = tuple(
            KpiSummary(
                kpi=name,
                label=label,
                happened=len(self._kpis[name]),
                runs=self.runs,
                median=_quantile(self._kpis[name], 0.5),
                p90=_quantile(self._kpis[name], 0.9),
            )
            for name, label in KPI_MINUTES
        )
        return RunsSummary(
            scenario=first.scenario,
            start=first.start,
            rota=first.rota,
            runs=self.runs,
            seed=self.seed,
            all_targets_met=self.all_met,
            tasks=tasks,
            roles=roles,
            kpis=kpis,
            hazard=hazard_spread(self.exposures) if self.exposures else None,
        )


def spread(label: str, values: Sequence[float]) -> Spread:
    """Median, 10th and 90th percentiles of ``values``."""
    return Spread(
        label, len(values), _quantile(values, 0.5), _quantile(values, 0.1), _quantile(values, 0.9)
    )


def hazard_spread(exposures: Sequence[RunHazard]) -> HazardSpread:
    """The hazard figures over the runs (each run's :class:`RunHazard`)."""
    above = [e.above("AEGL-2") for e in exposures]
    evacuated = [float(a.evacuated) for a in above if a.evacuated is not None]
    reach = [next(z.downwind_m for z in e.zone_reach_m if z.level == "AEGL-2") for e in exposures]
    receptors = []
    for index, first in enumerate(exposures[0].receptors):
        rows = [e.receptors[index] for e in exposures]
        arrivals = [r.arrival_minute for r in rows if r.arrival_minute is not None]
        receptors.append(
            ReceptorReach(
                receptor=first.receptor,
                runs=len(rows),
                in_any_zone=sum(1 for r in rows if r.zone is not None),
                aegl2_or_worse=sum(1 for r in rows if r.zone in ("AEGL-2", "AEGL-3")),
                median_arrival=_quantile(arrivals, 0.5),
            )
        )
    return HazardSpread(
        weather_varies=len({(e.weather.wind_from_deg, e.weather.wind_speed_ms) for e in exposures})
        > 1,
        runs_floored=sum(1 for e in exposures if e.weather.floored),
        people_above_aegl2=(
            spread(
                "people above AEGL-2 outdoors (nobody protected)",
                [float(a.outdoors) for a in above],
            ),
            spread("people above AEGL-2 sheltering indoors", [float(a.sheltered) for a in above]),
            spread("people above AEGL-2 evacuating when the action was decided", evacuated),
        ),
        release_minutes=spread("release duration (min)", [e.release_minutes for e in exposures]),
        aegl2_reach_m=spread("AEGL-2 reach downwind (m)", reach),
        slot_distance_m=spread(
            "SLOT distance (m)",
            [e.slot_distance_m for e in exposures if e.slot_distance_m is not None],
        ),
        slod_distance_m=spread(
            "SLOD distance (m)",
            [e.slod_distance_m for e in exposures if e.slod_distance_m is not None],
        ),
        receptors=tuple(receptors),
    )
