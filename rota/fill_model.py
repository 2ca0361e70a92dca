"""The constraint model of a gap fill (OR-Tools CP-SAT): who takes which piece of which gap.

One yes/no choice per piece and candidate (``rota.fill_candidates`` has ruled out everyone
unqualified, on leave or on call then, and those a quick test shows the piece would put
over a working-time rule). Constraints: nobody takes two pieces that overlap (in any
roles); a piece takes at most as many people as it is short of; a need counts only people
holding its qualification. The objective is lexicographic, solved in three stages, each keeping the
best of the one before:

1. **fill**: the most required person-minutes covered (milliseconds, so a 40-second gap
   counts);
2. **fairness**: for each role and measure (hours, nights, weekend hours, bank-holiday
   hours), each person's load in the year so far plus what they are given, converted to
   hours by the measure's weight, squared and summed: with the total fixed by stage 1,
   the smallest sum of squares is the smallest spread (variance) of the role's loads;
3. **fewest changes and people**: ``changes`` x pieces proposed + ``people`` x people
   contacted.

The working-time rules are added lazily: each solution is checked person by person with
the check's own rules, and each smallest set of a person's proposed pieces that breaks one
(one piece alone, or several together: two nights in a row breaking the daily rest, a week
too many for the consecutive-day limit) is forbidden, until a solution passes. Pieces
linked by no person or segment are solved apart (components), in a fixed order.

Deterministic: one search worker and a fixed seed; the time limit is spent as
deterministic time (the same search on any machine), with the wall clock as a backstop
that, when it stops a stage first, is reported.
"""

from __future__ import annotations

import time as wall
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from standby.rota.fill_candidates import Measures, Pieces
from standby.rota.model import FillWeights

SOLVER_SEED = 2026
#: Fairness loads are counted in quarter-hour equivalents.
UNITS_PER_HOUR = 4
#: A stage gives up forbidding rule-breaking choices after this many rounds, or when its
#: time is spent, and drops pieces instead (the bound keeps a run finite).
MAX_ROUNDS = 60
STAGES = ("fill", "fairness", "changes")
#: How many straight chords stand for a person's squared load (see ``_square_growth``).
SQUARE_CHORDS = 24
#: Shares of what is left of a component's time for each stage in turn (what a stage
#: leaves passes on).
STAGE_SHARES = (0.5, 0.7, 1.0)

#: ``person, piece numbers -> each smallest subset that breaks a working-time rule``.
Conflicts = Callable[[str, Sequence[int]], list[tuple[int, ...]]]
Qualifies = Callable[[str, str | None], bool]
#: The loads before the fill: ``(role, person) -> Measures`` over the year so far.
Loads = Mapping[tuple[str, str], Measures]


@dataclass(frozen=True)
class SolveResult:
    """Who takes each piece, and how the solver got there.

    ``status`` is ``optimal`` (every stage of every component proved best), ``feasible``
    (the best found when the time ran out) or ``none`` (no piece had a candidate, or no
    solution was found in time). ``stopped_by_clock`` says the wall clock, not the
    deterministic limit, stopped a stage (the result may then differ on a faster machine).
    """

    chosen: Mapping[int, tuple[str, ...]]
    status: str
    wall_seconds: float
    deterministic_seconds: float
    stopped_by_clock: bool
    components: int
    rounds: int


class _Spent:
    """Deterministic seconds spent so far by every solve, and whether the wall clock ever
    stopped one first."""

    def __init__(self) -> None:
        self.total = 0.0
        self.stopped_by_clock = False


@dataclass(frozen=True)
class _Budget:
    """Time to spend, as deterministic seconds (up to ``det_end`` of ``spent.total``) and
    the wall clock (up to ``deadline``) as a backstop; :meth:`part` hands on a share."""

    spent: _Spent
    det_end: float
    deadline: float

    def part(self, share: float) -> _Budget:
        """``share`` of what is left of this budget."""
        det_left = max(self.det_end - self.spent.total, 0.0)
        wall_left = max(self.deadline - wall.perf_counter(), 0.0)
        return _Budget(
            self.spent, self.spent.total + det_left * share, wall.perf_counter() + wall_left * share
        )

    def limits(self) -> tuple[float, float]:
        """Deterministic and wall seconds left, at least a little of each."""
        return (
            max(self.det_end - self.spent.total, 0.01),
            max(self.deadline - wall.perf_counter(), 0.01),
        )

    @property
    def out(self) -> bool:
        """True when either kind of time is spent."""
        return self.spent.total >= self.det_end or wall.perf_counter() >= self.deadline


def solve(
    pieces: Pieces,
    loads: Loads,
    weights: FillWeights,
    *,
    time_limit: float,
    conflicts: Conflicts,
    qualifies: Qualifies,
    previous: SolveResult | None = None,
    fresh: frozenset[int] = frozenset(),
) -> SolveResult:
    """Choose who takes each piece (see the module docstring for the model).

    With ``previous``, only the components holding a piece in ``fresh`` (pieces added
    since) are solved again; the others keep ``previous``'s choices.
    """
    groups = _components(pieces)
    began = wall.perf_counter()
    spent = _Spent()
    clock = _Budget(spent, time_limit, began + time_limit)
    chosen: dict[int, tuple[str, ...]] = {}
    statuses: list[str] = []
    rounds = 0
    if previous is not None:
        kept = [group for group in groups if not fresh.intersection(group)]
        for group in kept:
            chosen.update({n: previous.chosen[n] for n in group if n in previous.chosen})
        statuses += [previous.status] * bool(kept)
        groups = [group for group in groups if fresh.intersection(group)]
    sizes = [sum(len(pieces.pieces[n].candidates) for n in group) for group in groups]
    for index, group in enumerate(groups):
        # Each component its share of what is left, by its number of choices.
        share = sizes[index] / max(sum(sizes[index:]), 1)
        component = _Component(pieces, group, loads, weights, qualifies)
        result, status, used = component.run(clock.part(share), conflicts)
        chosen.update(result)
        statuses.append(status)
        rounds += used
    if not statuses or all(status == "none" for status in statuses):
        overall = "none"
    elif all(status == "optimal" for status in statuses):
        overall = "optimal"
    else:
        overall = "feasible"
    return SolveResult(
        chosen={number: people for number, people in sorted(chosen.items()) if people},
        status=overall,
        wall_seconds=wall.perf_counter() - began + (previous.wall_seconds if previous else 0.0),
        deterministic_seconds=spent.total + (previous.deterministic_seconds if previous else 0.0),
        stopped_by_clock=spent.stopped_by_clock or bool(previous and previous.stopped_by_clock),
        components=len(groups) + (previous.components if previous else 0),
        rounds=rounds + (previous.rounds if previous else 0),
    )


def _components(pieces: Pieces) -> list[list[int]]:
    """Pieces linked by a shared candidate or segment, each group in piece order."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(first: object, second: object) -> None:
        parent[find(first)] = find(second)

    for piece in pieces.pieces:
        if not piece.candidates:
            continue
        for person in piece.candidates:
            join(("piece", piece.number), ("person", person))
        for segment in piece.segments:
            join(("piece", piece.number), ("segment", segment))
    groups: dict[object, list[int]] = defaultdict(list)
    for piece in pieces.pieces:
        if piece.candidates:
            groups[find(("piece", piece.number))].append(piece.number)
    return sorted(groups.values(), key=lambda group: group[0])


class _Component:
    """One group of linked pieces as a CP-SAT model."""

    def __init__(
        self,
        pieces: Pieces,
        group: list[int],
        loads: Loads,
        weights: FillWeights,
        qualifies: Qualifies,
    ) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.model = cp_model.CpModel()
        self.pieces = pieces
        self.group = group
        model = self.model
        self.x: dict[tuple[int, str], Any] = {}
        for number in group:
            piece = pieces.pieces[number]
            for person in piece.candidates:
                self.x[(number, person)] = model.new_bool_var(f"x{number}_{person}")
            model.add(sum(self.x[(number, p)] for p in piece.candidates) <= piece.most)
        self._no_overlaps()
        self.fill = self._fill(qualifies)
        self.fairness = self._fairness(loads, weights)
        self.changes = self._changes(weights)

    def _no_overlaps(self) -> None:
        """Nobody on two overlapping pieces: one at-most-one per piece start (the cliques)."""
        by_person: dict[str, list[int]] = defaultdict(list)
        for number, person in self.x:
            by_person[person].append(number)
        for person, numbers in by_person.items():
            spans = [self.pieces.pieces[n] for n in numbers]
            for piece in spans:
                clique = [
                    self.x[(other.number, person)]
                    for other in spans
                    if other.start <= piece.start < other.end
                ]
                if len(clique) > 1:
                    self.model.add_at_most_one(clique)

    def _fill(self, qualifies: Qualifies) -> Any:
        covering: dict[int, list[int]] = defaultdict(list)
        for number in self.group:
            for inside in self.pieces.pieces[number].segments:
                covering[inside].append(number)
        terms = []
        for segment_number in sorted(covering):
            segment = self.pieces.segments[segment_number]
            for need in segment.needs:
                cover = [
                    self.x[(number, person)]
                    for number in covering[segment_number]
                    for person in self.pieces.pieces[number].candidates
                    if qualifies(person, need.qualification)
                ]
                if not cover:
                    continue
                filled = self.model.new_int_var(0, need.shortfall, "")
                self.model.add(filled <= sum(cover))
                terms.append(segment.milliseconds * filled)
        return sum(terms)

    def _fairness(self, loads: Loads, weights: FillWeights) -> Any:
        measures = (
            ("hours", weights.hours),
            ("nights", weights.nights),
            ("weekend_hours", weights.weekend_hours),
            ("bank_holiday_hours", weights.bank_holiday_hours),
        )
        by_owner: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, person in self.x:
            by_owner[(self.pieces.pieces[number].role, person)].append(number)
        terms = []
        for (role, person), numbers in sorted(by_owner.items()):
            before = loads.get((role, person), Measures())
            for name, weight in measures:
                if weight <= 0:
                    continue
                base = round(UNITS_PER_HOUR * weight * getattr(before, name))
                given = {
                    n: round(
                        UNITS_PER_HOUR * weight * getattr(self.pieces.pieces[n].measures, name)
                    )
                    for n in numbers
                }
                given = {n: amount for n, amount in given.items() if amount > 0}
                if not given:
                    continue
                terms.append(self._square_growth(person, base, given))
        return sum(terms)

    def _measures(self, number: int) -> Measures:
        return self.pieces.pieces[number].measures

    def _square_growth(self, person: str, base: int, given: Mapping[int, int]) -> Any:
        """``(base + added)^2 - base^2`` for what ``person`` is given (added = the sum of
        ``given`` over the pieces they take); the square by straight chords between
        breakpoints (exact at them, a little above between), which the solver handles far
        better than a product."""
        added = sum(amount * self.x[(n, person)] for n, amount in given.items())
        if len(given) == 1:
            ((number, amount),) = given.items()
            return (2 * base * amount + amount * amount) * self.x[(number, person)]
        total = sum(given.values())
        step = max(min(given.values()), -(-total // SQUARE_CHORDS))
        square = self.model.new_int_var(0, total * total + step * step, "")
        for k in range(-(-total // step)):
            # The chord from (k step)^2 to ((k + 1) step)^2.
            self.model.add(square >= (2 * k + 1) * step * added - k * (k + 1) * step * step)
        return 2 * base * added + square

    def _changes(self, weights: FillWeights) -> Any:
        people: dict[str, Any] = {}
        for (_number, person), chosen in self.x.items():
            if person not in people:
                people[person] = self.model.new_bool_var(f"contacted_{person}")
            self.model.add_implication(chosen, people[person])
        return round(100 * weights.changes) * sum(self.x.values()) + round(
            100 * weights.people
        ) * sum(people.values())

    # -------------------------------------------------------------------------- solving

    def run(
        self, budget: _Budget, conflicts: Conflicts
    ) -> tuple[dict[int, tuple[str, ...]], str, int]:
        """The three stages; the chosen people per piece, the status, the rounds used."""
        objectives = ((self.fill, True), (self.fairness, False), (self.changes, False))
        best: dict[tuple[int, str], bool] | None = None
        statuses = []
        rounds = 0
        for (objective, maximise), part in zip(objectives, STAGE_SHARES, strict=True):
            if isinstance(objective, int):
                continue  # nothing to weigh at this stage (its weights are 0)
            found, status, value, used = self._stage(
                objective, maximise, budget.part(part), conflicts, best
            )
            rounds += used
            if found is None:
                break
            best = found
            statuses.append(status)
            if status != "optimal" and status != "feasible":
                break  # out of time: what was checked stands
            self.model.add(objective >= value if maximise else objective <= value)
        if best is None:
            return {}, "none", rounds
        chosen: dict[int, list[str]] = defaultdict(list)
        for (number, person), taken in best.items():
            if taken:
                chosen[number].append(person)
        status = "optimal" if all(s == "optimal" for s in statuses) else "feasible"
        return {n: tuple(people) for n, people in chosen.items()}, status, rounds

    def _stage(
        self,
        objective: Any,
        maximise: bool,
        budget: _Budget,
        conflicts: Conflicts,
        checked: dict[tuple[int, str], bool] | None,
    ) -> tuple[dict[tuple[int, str], bool] | None, str, int, int]:
        """Solve one stage until its solution breaks no rule; (values, status, objective,
        rounds). ``checked`` is the last stage's solution (it breaks no rule): the stage
        starts from it, and falls back on it when its time or rounds run out. The status
        is ``optimal``, ``feasible``, or ``kept`` (the fallback) or ``repaired`` (the first
        stage's last solution with the pieces that broke a rule dropped)."""
        cp_model = self.cp_model
        if maximise:
            self.model.maximize(objective)
        else:
            self.model.minimize(objective)
        rounds = 0
        hint = checked
        while True:
            self.model.clear_hints()  # type: ignore[no-untyped-call]
            if hint is not None:
                for key, value in hint.items():
                    self.model.add_hint(self.x[key], value)
            solver = cp_model.CpSolver()
            deterministic, wall_left = budget.limits()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = SOLVER_SEED
            solver.parameters.max_deterministic_time = deterministic
            solver.parameters.max_time_in_seconds = wall_left
            code = solver.solve(self.model)
            budget.spent.total += solver.response_proto.deterministic_time
            rounds += 1
            by_clock = solver.wall_time >= wall_left * 0.99
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                budget.spent.stopped_by_clock |= by_clock
                return checked, "kept", 0, rounds
            budget.spent.stopped_by_clock |= code == cp_model.FEASIBLE and by_clock
            values = {key: bool(solver.boolean_value(var)) for key, var in self.x.items()}
            cuts = self._broken(values, conflicts)
            if not cuts:
                status = "optimal" if code == cp_model.OPTIMAL else "feasible"
                return values, status, round(solver.objective_value), rounds
            if rounds >= MAX_ROUNDS or budget.out:
                if checked is not None:
                    return checked, "kept", 0, rounds
                return self._repaired(values, conflicts), "repaired", 0, rounds
            for cut in cuts:
                self.model.add_bool_or([~self.x[key] for key in cut])
            hint = checked

    def _broken(
        self, values: Mapping[tuple[int, str], bool], conflicts: Conflicts
    ) -> list[list[tuple[int, str]]]:
        """Each smallest set of one person's chosen pieces that breaks a rule."""
        taken: dict[str, list[int]] = defaultdict(list)
        for (number, person), value in values.items():
            if value:
                taken[person].append(number)
        cuts = []
        for person, numbers in sorted(taken.items()):
            for subset in conflicts(person, sorted(numbers)):
                cuts.append([(number, person) for number in subset])
        return cuts

    def _repaired(
        self, values: Mapping[tuple[int, str], bool], conflicts: Conflicts
    ) -> dict[tuple[int, str], bool]:
        """``values`` with pieces dropped, latest first, until nobody breaks a rule."""
        fixed = dict(values)
        while cuts := self._broken(fixed, conflicts):
            for cut in cuts:
                fixed[max(cut)] = False
        return fixed
