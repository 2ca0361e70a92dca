"""What a readiness sweep found: each slot's figures, the worst slots and why, the single
points of failure, and the :class:`Sweep` that holds them (plain data for the reports).

The reasons for a bad slot are read off the rota's OnCall index (:func:`worst_slot`): the
gap in cover around the slot with the gap's own start and end, or a stretch with only
backups on call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from standby.rota.oncall import OnCall, OnCallEntry
from standby.scenarios.model import Scenario


@dataclass(frozen=True, slots=True)
class SlotResult:
    """The runs of one slot (``without`` a person, for the single points of failure).

    ``met`` and ``medians`` follow the sweep's targets; ``unfilled`` is ``(role, reason,
    runs)`` and ``drivers`` ``(text, runs)``, commonest first.
    """

    slot: int
    start: str
    runs: int
    all_met: int
    targets_met: int
    met: tuple[int, ...]
    medians: tuple[float | None, ...]
    unfilled: tuple[tuple[str, str, int], ...]
    drivers: tuple[tuple[str, int], ...]
    without: str | None = None

    def readiness(self, targets: int) -> float:
        """Share of targets met over the slot's runs (0 to 1; 1 without targets)."""
        return self.targets_met / (self.runs * targets) if targets else 1.0

    def to_json_dict(self) -> dict[str, Any]:
        """Plain data (a journal line)."""
        return {
            "slot": self.slot,
            "start": self.start,
            "runs": self.runs,
            "all_met": self.all_met,
            "targets_met": self.targets_met,
            "met": list(self.met),
            "medians": list(self.medians),
            "unfilled": [list(u) for u in self.unfilled],
            "drivers": [list(d) for d in self.drivers],
            "without": self.without,
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> SlotResult:
        """Back from :meth:`to_json_dict`."""
        return cls(
            slot=int(data["slot"]),
            start=str(data["start"]),
            runs=int(data["runs"]),
            all_met=int(data["all_met"]),
            targets_met=int(data["targets_met"]),
            met=tuple(int(m) for m in data["met"]),
            medians=tuple(None if m is None else float(m) for m in data["medians"]),
            unfilled=tuple((str(r), str(w), int(n)) for r, w, n in data["unfilled"]),
            drivers=tuple((str(t), int(n)) for t, n in data["drivers"]),
            without=data.get("without"),
        )


@dataclass(frozen=True)
class Target:
    """A plan task with a target, as the sweep's columns name it."""

    task: str
    name: str
    minutes: float


@dataclass(frozen=True)
class CoverGap:
    """No one, or no primary (level 1), on call for ``rota_role`` from ``start`` to ``end``
    (None: beyond the rota's shifts); ``backups`` are those on call when only backups are."""

    rota_role: str
    start: datetime | None
    end: datetime | None
    backups: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorstSlot:
    """One of the worst slots and why: gaps in the rota at its start, roles left short in
    its runs (role name, reason, runs) and the step that most often drove its misses."""

    result: SlotResult
    start: datetime
    readiness: float
    gaps: tuple[CoverGap, ...]
    shortfalls: tuple[tuple[str, str, int], ...]
    driver: tuple[str, int] | None


@dataclass(frozen=True)
class PersonEffect:
    """A person as a single point of failure: the change in the window's readiness (points
    of targets met) if they were unavailable throughout, from ``sampled`` of the
    ``slots_on_call`` slots in which they are on call."""

    person: str
    name: str
    slots_on_call: int
    sampled: int
    change_points: float


@dataclass(frozen=True)
class Sweep:
    """A whole sweep: its settings, every slot, the worst and the single points of failure."""

    scenario: str
    title: str
    timezone: str
    rota: str | None
    start: datetime
    end: datetime
    every: timedelta
    runs_per_slot: int
    seed: int
    targets: tuple[Target, ...]
    slots: tuple[SlotResult, ...]
    worst: tuple[WorstSlot, ...]
    single_points: tuple[PersonEffect, ...]
    spof_samples: int
    warnings: tuple[str, ...] = ()

    @property
    def readiness_pct(self) -> float:
        """Share of all targets met over every run of every slot."""
        met = sum(s.targets_met for s in self.slots)
        total = sum(s.runs for s in self.slots) * len(self.targets)
        return 100.0 * met / total if total else 100.0

    @property
    def all_met_pct(self) -> float:
        """Share of runs, over every slot, in which every target was met."""
        return 100.0 * sum(s.all_met for s in self.slots) / sum(s.runs for s in self.slots)

    def slot_start(self, result: SlotResult) -> datetime:
        """A slot's start instant (UTC)."""
        return self.start + result.slot * self.every


def worst_slot(
    scenario: Scenario, oncall: OnCall, result: SlotResult, start: datetime, targets: int
) -> WorstSlot:
    """Why a slot is bad: gaps in the rota around its start, roles short, the driver."""
    roles = list(dict.fromkeys(r.rota_role for r in scenario.roles if r.rota_role))
    gaps = []
    for role in roles:
        gap = _gap(oncall, role, start)
        if gap is not None:
            gaps.append(gap)
    names = {r.id: r.name for r in scenario.roles}
    shortfalls = tuple((names.get(role, role), why, n) for role, why, n in result.unfilled)
    return WorstSlot(
        result=result,
        start=start,
        readiness=result.readiness(targets),
        gaps=tuple(gaps),
        shortfalls=shortfalls,
        driver=result.drivers[0] if result.drivers else None,
    )


def _gap(oncall: OnCall, role: str, at: datetime) -> CoverGap | None:
    """The gap in ``role``'s cover around ``at``: nobody on call, or no primary."""
    nobody = oncall.span(role, at, lambda people: not people)
    if nobody is not None:
        return CoverGap(role, *nobody)
    if not any(e.level == 1 for e in oncall.who(role, at)):
        span = oncall.span(role, at, _no_primary)
        if span is not None:
            backups = tuple(e.name for e in oncall.who(role, at))
            return CoverGap(role, span[0], span[1], backups)
    return None


def _no_primary(people: list[OnCallEntry]) -> bool:
    return bool(people) and not any(e.level == 1 for e in people)
