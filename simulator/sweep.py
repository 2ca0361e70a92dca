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

import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from standby.clock import iso_z, parse_given_instant
from standby.rota.coverage import rota_span
from standby.rota.model import Requirement, Rota
from standby.rota.oncall import OnCall
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
from standby.simulator.model import Prepared, run_once, run_seed
from standby.simulator.records import record_of
from standby.simulator.sweep_journal import Journal, SweepError, fingerprint
from standby.simulator.sweep_results import (
    CoverGap,
    PersonEffect,
    SlotResult,
    Sweep,
    Target,
    WorstSlot,
    worst_slot,
)

__all__ = [
    "CoverGap",
    "PersonEffect",
    "SlotResult",
    "Sweep",
    "SweepError",
    "Target",
    "WorstSlot",
    "slot_starts",
    "sweep",
    "sweep_files",
]

#: How many worst slots a sweep lists, and how many people as single points of failure.
WORST = 20
SINGLE_POINTS = 10
#: Slots re-run per person for the single points of failure (0: none).
SPOF_SAMPLES = 50
#: Most slots one sweep may have (a year of minutes would take days).
MOST_SLOTS = 200_000


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
                exposure=False,
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
                start=iso_z(start),
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


# --- the window ------------------------------------------------------------------------------


def slot_starts(start: datetime, end: datetime, every: timedelta) -> list[datetime]:
    """Every ``every`` from ``start`` (included) to ``end`` (left out), stepped in UTC."""
    if every <= timedelta(0):
        raise SweepError(
            "the step between slots must be longer than nothing; give 1h or 30m",
            parameters=("every",),
        )
    if end <= start:
        raise SweepError(
            f"the sweep ends ({iso_z(end)}) before it starts ({iso_z(start)}); "
            "its end must be later than its start",
            parameters=("window_start", "window_end"),
        )
    count = -(-(end - start) // every)
    if count > MOST_SLOTS:
        raise SweepError(
            f"{count:,} slots is more than a sweep takes ({MOST_SLOTS:,}); take a longer step "
            "or a shorter window",
            parameters=("every", "window_start", "window_end"),
        )
    first = start.astimezone(UTC)
    return [first + k * every for k in range(count)]


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
            load=SlotResult.from_json_dict,
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
    worst = tuple(worst_slot(scenario, oncall, s, starts[s.slot], count) for s in ranked[:WORST])
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
    max_shifts: int | None = None,
) -> Sweep:
    """:func:`sweep` from a scenario (bundled name or file), a rota file and the window as
    text (local times in the scenario's zone, or ISO 8601 with an offset); ``max_shifts``
    bounds the rota (see ``rota.io.read_rota``)."""
    from standby.rota.patterns import parse_length
    from standby.simulator.experiment import Inputs

    if executor is not None:
        warm_up(executor)
    inputs = Inputs.read(scenario_name, rota_file, requirements_file, max_shifts)
    scenario, rota = inputs.scenario, inputs.rota
    assert rota is not None  # a rota file was given
    try:
        every = parse_length(every_text)
    except ValueError as error:
        raise SweepError(f"the step between slots: {error}", parameters=("every",)) from None
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
