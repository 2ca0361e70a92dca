"""A readiness sweep: the incident started at every step of a window, against the real rota.

:func:`sweep` starts the scenario at each slot of the window (``every`` apart, stepped in
UTC, so a clock-change day has 23 or 25 hourly slots) and runs it ``runs_per_slot`` times.
Run ``j`` of every slot uses the same seed (common random numbers), so two slots differ
because of the rota and the time of day, not by chance. Per slot: how often every target was
met, the share of targets met (its **readiness**), each target's median end, the roles left
short and what drove the misses. Then:

- the **worst slots**, each with its reason read off the rota's OnCall index: the gap in
  cover around the slot, with the gap's own start and end (not the slot's), or the role
  that went unanswered, or the step that drove the misses;
- **single points of failure**: for each person on call in the window, the change in
  readiness over the whole window if they were unavailable throughout. A person can change
  only the slots in which they are on call; those are re-run without them (up to
  ``spof_samples`` of them, evenly spread, the change scaled by how many there are), with
  the same random numbers.

A :class:`Journal` keeps every finished slot on disk as it comes back; after Ctrl-C or a
crash, ``resume`` carries on from it and the final result is that of an uninterrupted
sweep (each slot depends only on its start and the seeds, not on what ran before it).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from standby.clock import parse_given_instant
from standby.errors import StandbyError
from standby.rota.coverage import rota_span
from standby.rota.model import Requirement, Rota
from standby.rota.oncall import OnCall, OnCallEntry
from standby.scenarios.model import Scenario
from standby.simulator.compiled import plan_order
from standby.simulator.executors import (
    Executor,
    Setup,
    chunk_sizes,
    executor_for,
    run_chunks,
    warm_up,
)
from standby.simulator.experiment import run_seed
from standby.simulator.model import Prepared, run_once
from standby.simulator.records import record_of

#: How many worst slots a sweep lists, and how many people as single points of failure.
WORST = 20
SINGLE_POINTS = 10
#: Slots re-run per person for the single points of failure (0: none).
SPOF_SAMPLES = 50
#: Most slots one sweep may have (a year of minutes would take days).
MOST_SLOTS = 200_000


class SweepError(StandbyError):
    """A sweep that cannot run as asked (an empty window, a journal of another sweep)."""


# --- what one slot gave ----------------------------------------------------------------------


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
class SweepChunk:
    """Slots ``(index, start)`` to run ``runs`` times each, ``without`` a person or not."""

    slots: tuple[tuple[int, datetime], ...]
    seed: int
    runs: int
    without: str | None = None


def sweep_chunk(prepared: Prepared, chunk: SweepChunk) -> tuple[SlotResult, ...]:
    """Run one chunk of slots (in a worker)."""
    roster = prepared.roster
    if chunk.without is not None and roster is not None:
        roster = roster.without(chunk.without)
    results = []
    for index, start in chunk.slots:
        all_met = 0
        targets_met = 0
        met: list[int] = []
        ends: list[list[float]] = []
        unfilled: Counter[tuple[str, str]] = Counter()
        drivers: Counter[str] = Counter()
        for j in range(chunk.runs):
            run = run_once(
                prepared.compiled,
                roster,
                start,
                run_seed(chunk.seed, chunk.runs, j),
                events=False,
                rota_name=prepared.rota_name,
            )
            record = record_of(run)
            targets = [i for i, m in enumerate(run.milestones) if m.target_minute is not None]
            if not met:
                met = [0] * len(targets)
                ends = [[] for _ in targets]
            for position, i in enumerate(targets):
                if record.met[i]:
                    met[position] += 1
                end = record.ends[i]
                if record.done[i] and end is not None:
                    ends[position].append(end)
                if record.met[i] is False and record.drivers[i]:
                    drivers[record.drivers[i]] += 1
            all_met += record.all_met
            targets_met += record.targets_met
            unfilled.update((role, why) for role, why, _kind in record.unfilled)
        results.append(
            SlotResult(
                slot=index,
                start=_iso(start),
                runs=chunk.runs,
                all_met=all_met,
                targets_met=targets_met,
                met=tuple(met),
                medians=tuple(round(statistics.median(e), 3) if e else None for e in ends),
                unfilled=tuple((role, why, n) for (role, why), n in unfilled.most_common()),
                drivers=tuple(drivers.most_common(3)),
                without=chunk.without,
            )
        )
    return tuple(results)


def _iso(instant: datetime) -> str:
    from standby.clock import iso_z

    return iso_z(instant)


# --- the window ------------------------------------------------------------------------------


def slot_starts(start: datetime, end: datetime, every: timedelta) -> list[datetime]:
    """Every ``every`` from ``start`` (included) to ``end`` (left out), stepped in UTC."""
    if every <= timedelta(0):
        raise SweepError("the step between slots must be longer than nothing; give 1h or 30m")
    if end <= start:
        raise SweepError(
            f"the sweep ends ({_iso(end)}) before it starts ({_iso(start)}); "
            "its end must be later than its start",
        )
    count = -(-(end - start) // every)
    if count > MOST_SLOTS:
        raise SweepError(
            f"{count:,} slots is more than a sweep takes ({MOST_SLOTS:,}); take a longer step "
            "or a shorter window"
        )
    first = start.astimezone(UTC)
    return [first + k * every for k in range(count)]


# --- the journal -----------------------------------------------------------------------------


class Journal:
    """Finished slots on disk, one JSON line each, after a first line naming the sweep.

    Appended to and flushed chunk by chunk (not written atomically: it is the record of work
    done so far, and a line cut short by a crash is ignored when the sweep resumes).
    """

    def __init__(self, path: Path, fingerprint: dict[str, Any], *, resume: bool) -> None:
        self.path = Path(path)
        self.fingerprint = fingerprint
        self.done: dict[tuple[str | None, int], SlotResult] = {}
        if resume and self.path.exists():
            self._load()
            self._handle = self.path.open("a", encoding="utf-8")
        else:
            if self.path.exists():
                raise SweepError(
                    f"{self.path}: an unfinished sweep is kept here; carry it on (resume), "
                    "or remove the file to start again"
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("x", encoding="utf-8")
            self._handle.write(json.dumps({"sweep": fingerprint}, sort_keys=True) + "\n")
            self._flush()

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        try:
            head = json.loads(lines[0]).get("sweep")
        except (json.JSONDecodeError, AttributeError):
            head = None
        if head != self.fingerprint:
            changed = sorted(
                key
                for key in self.fingerprint
                if not head or head.get(key) != self.fingerprint[key]
            )
            raise SweepError(
                f"{self.path}: the unfinished sweep kept here was of another scenario, rota or "
                f"window ({', '.join(changed) or 'its first line is unreadable'} differ); "
                "give the same ones to carry it on, or remove the file to start again"
            )
        for line in lines[1:]:
            try:
                result = SlotResult.from_json_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # the last line, cut short
            self.done[(result.without, result.slot)] = result

    def _flush(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def add(self, results: Sequence[SlotResult]) -> None:
        """Keep a chunk's slots."""
        for result in results:
            self._handle.write(json.dumps(result.to_json_dict()) + "\n")
            self.done[(result.without, result.slot)] = result
        self._flush()

    def close(self) -> None:
        """Stop writing (the file stays until :meth:`remove`)."""
        self._handle.close()

    def remove(self) -> None:
        """The sweep is finished and its outputs written: the journal is no longer needed."""
        self.close()
        self.path.unlink(missing_ok=True)


# --- what the sweep found --------------------------------------------------------------------


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


# --- running it ------------------------------------------------------------------------------


@dataclass
class _Progress:
    done: int = 0
    report: Callable[[int], None] | None = None
    warnings: list[str] = field(default_factory=list)

    def add(self, runs: int) -> None:
        self.done += runs
        if self.report is not None:
            self.report(self.done)


def fingerprint(
    scenario: Scenario,
    rota: Rota,
    requirements: Sequence[Requirement] | None,
    start: datetime,
    end: datetime,
    every: timedelta,
    runs_per_slot: int,
    seed: int,
    spof_samples: int,
) -> dict[str, Any]:
    """What makes a sweep the same sweep (a journal is carried on only by the same one)."""
    from standby.rota.io import rota_to_json

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    return {
        "scenario": scenario.name,
        "scenario_content": digest(scenario.model_dump_json()),
        "rota_content": digest(rota_to_json(rota)),
        "requirements": None if requirements is None else digest(repr(tuple(requirements))),
        "from": _iso(start),
        "to": _iso(end),
        "every_minutes": every / timedelta(minutes=1),
        "runs_per_slot": runs_per_slot,
        "seed": seed,
        "spof_samples": spof_samples,
    }


def plan_total(slots: int, runs_per_slot: int, samples: dict[str, list[int]]) -> int:
    """Runs a sweep makes: every slot, then the single points of failure's samples."""
    return runs_per_slot * (slots + sum(len(s) for s in samples.values()))


def sweep(
    scenario: Scenario,
    rota: Rota,
    *,
    rota_name: str | None = None,
    requirements: Sequence[Requirement] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    every: timedelta = timedelta(hours=1),
    runs_per_slot: int = 1,
    seed: int = 1,
    spof_samples: int = SPOF_SAMPLES,
    executor: Executor | None = None,
    journal: Path | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Sweep:
    """Sweep ``scenario`` over the window (default: the rota's span) against ``rota``.

    ``requirements`` (None: the rota's own) say when each rota role must be covered.
    ``journal`` is the file that keeps finished slots (None: kept in memory only);
    ``resume`` carries on from it. ``total`` is told the number of runs before they start,
    ``progress`` the number done so far.
    """
    if runs_per_slot < 1:
        raise SweepError(f"each slot needs at least one run, not {runs_per_slot}")
    span = rota_span(rota)
    start = span[0] if start is None else start
    end = span[1] if end is None else end
    starts = slot_starts(start, end, every)
    oncall = OnCall(rota)
    on_call = people_on_call(scenario, oncall, starts)
    samples = (
        {person: _spread(slots, spof_samples) for person, slots in on_call.items()}
        if spof_samples > 0
        else {}
    )
    runs = plan_total(len(starts), runs_per_slot, samples)
    executor = executor or executor_for(runs=runs)
    if total is not None:
        total(runs)
    state = _Progress(report=progress)

    def warn(message: str) -> None:
        state.warnings.append(message)
        if notify is not None:
            notify(message)

    kept = (
        Journal(
            journal,
            fingerprint(
                scenario, rota, requirements, start, end, every, runs_per_slot, seed, spof_samples
            ),
            resume=resume,
        )
        if journal is not None
        else None
    )
    done: dict[tuple[str | None, int], SlotResult] = dict(kept.done) if kept else {}
    chunks = list(_chunks(starts, samples, done, runs_per_slot, seed, executor))
    setup = Setup(scenario, rota, rota_name, requirements)
    try:
        state.add(runs_per_slot * len(done))
        with closing(run_chunks(setup, sweep_chunk, chunks, executor, notify=warn)) as results:
            for result in results:
                if kept is not None:
                    kept.add(result)
                for slot in result:
                    done[(slot.without, slot.slot)] = slot
                state.add(runs_per_slot * len(result))
    finally:
        if kept is not None:
            kept.close()
    return _finish(
        scenario,
        rota,
        oncall,
        rota_name,
        starts,
        every,
        runs_per_slot,
        seed,
        spof_samples,
        {person: (len(on_call[person]), sample) for person, sample in samples.items()},
        done,
        tuple(state.warnings),
    )


def _chunks(
    starts: Sequence[datetime],
    samples: dict[str, list[int]],
    done: dict[tuple[str | None, int], SlotResult],
    runs_per_slot: int,
    seed: int,
    executor: Executor,
) -> Iterator[SweepChunk]:
    """The slots not yet done: the whole window, then each person's sample without them."""
    largest = max(1, 100 // runs_per_slot)
    work: list[tuple[str | None, list[int]]] = [(None, list(range(len(starts))))]
    work += list(samples.items())
    for without, slots in work:
        todo = [i for i in slots if (without, i) not in done]
        # the window is shared out among the workers; each person's few slots are one chunk
        workers, per_worker = (executor.worker_count, 4) if without is None else (1, 1)
        position = 0
        for size in chunk_sizes(len(todo), workers, largest=largest, per_worker=per_worker):
            piece = todo[position : position + size]
            position += size
            yield SweepChunk(tuple((i, starts[i]) for i in piece), seed, runs_per_slot, without)


def people_on_call(
    scenario: Scenario, oncall: OnCall, starts: Sequence[datetime]
) -> dict[str, list[int]]:
    """For each person on call in the window for a role the scenario rings, the slots in
    which they are (at any time while the incident lasts), by person id."""
    roles = sorted({r.rota_role for r in scenario.roles if r.rota_role})
    length = timedelta(minutes=scenario.duration_minutes)
    on_call: dict[str, list[int]] = {}
    for index, start in enumerate(starts):
        people: set[str] = set()
        for role in roles:
            people |= oncall.people_between(role, start, start + length)
        for person in people:
            on_call.setdefault(person, []).append(index)
    return dict(sorted(on_call.items()))


def _spread(items: list[int], most: int) -> list[int]:
    """At most ``most`` of ``items``, evenly spread (all of them when there are fewer)."""
    if len(items) <= most:
        return items
    return [items[(2 * k + 1) * len(items) // (2 * most)] for k in range(most)]


def _finish(
    scenario: Scenario,
    rota: Rota,
    oncall: OnCall,
    rota_name: str | None,
    starts: Sequence[datetime],
    every: timedelta,
    runs_per_slot: int,
    seed: int,
    spof_samples: int,
    samples: dict[str, tuple[int, list[int]]],
    done: dict[tuple[str | None, int], SlotResult],
    warnings: tuple[str, ...],
) -> Sweep:
    targets = _targets(scenario)
    count = len(targets)
    slots = tuple(done[(None, i)] for i in range(len(starts)))
    ranked = sorted(slots, key=lambda s: (s.readiness(count), s.all_met, s.slot))
    worst = tuple(_worst(scenario, oncall, s, starts[s.slot], count) for s in ranked[:WORST])
    effects = []
    for person, (on_call, sample) in samples.items():
        change = sum(
            done[(person, i)].readiness(count) - slots[i].readiness(count) for i in sample
        ) / len(sample)
        share = on_call / len(starts)
        name = rota.people[person].name if person in rota.people else person
        effects.append(PersonEffect(person, name, on_call, len(sample), 100.0 * share * change))
    effects.sort(key=lambda e: (e.change_points, e.person))
    return Sweep(
        scenario=scenario.name,
        title=scenario.title,
        timezone=scenario.timezone,
        rota=rota_name,
        start=starts[0],
        end=starts[-1] + every,
        every=every,
        runs_per_slot=runs_per_slot,
        seed=seed,
        targets=targets,
        slots=slots,
        worst=worst,
        single_points=tuple(effects[:SINGLE_POINTS]),
        spof_samples=spof_samples,
        warnings=warnings,
    )


def _targets(scenario: Scenario) -> tuple[Target, ...]:
    """The targets in the order the runs give their milestones (the compiled plan's)."""
    tasks = [scenario.plan.tasks[i] for i in plan_order(scenario)]
    return tuple(
        Target(t.id, t.name, t.target.within_minutes) for t in tasks if t.target is not None
    )


def _worst(
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


def sweep_files(
    scenario_name: str | Path,
    rota_file: Path,
    *,
    requirements_file: Path | None = None,
    start_text: str | None = None,
    end_text: str | None = None,
    every_text: str = "1h",
    runs_per_slot: int = 1,
    seed: int = 1,
    spof_samples: int = SPOF_SAMPLES,
    executor: Executor | None = None,
    journal: Path | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Sweep:
    """:func:`sweep` from a scenario (bundled name or file), a rota file and the window as
    text (local times in the scenario's zone, or ISO 8601 with an offset)."""
    from standby.rota.patterns import parse_length
    from standby.simulator.experiment import Inputs

    if executor is not None:
        warm_up(executor)
    inputs = Inputs.read(scenario_name, rota_file, requirements_file)
    scenario, rota = inputs.scenario, inputs.rota
    assert rota is not None  # a rota file was given
    try:
        every = parse_length(every_text)
    except ValueError as error:
        raise SweepError(f"the step between slots: {error}") from None
    return sweep(
        scenario,
        rota,
        rota_name=rota_file.name,
        requirements=inputs.requirements,
        start=parse_given_instant(start_text, scenario.timezone, "window_start"),
        end=parse_given_instant(end_text, scenario.timezone, "window_end"),
        every=every,
        runs_per_slot=runs_per_slot,
        seed=seed,
        spof_samples=spof_samples,
        executor=executor,
        journal=journal,
        resume=resume,
        progress=progress,
        total=total,
        notify=notify,
    )
