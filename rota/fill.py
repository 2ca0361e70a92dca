"""Gap filling: a proposal that covers a rota's gaps under its own rules, and the reasons for
what it cannot cover.

:func:`fill` checks the rota (``rota.coverage.check``), cuts every gap into pieces at the
role's own handovers and finds who may take each (``rota.fill_candidates``: held role,
qualification, leave, other cover, the working-time rules the check applies), and lets the
CP-SAT model (``rota.fill_model``) choose: every required minute first, then the fairest
spread of hours, nights, weekends and bank holidays within each role against the year so
far, then the fewest changes and people contacted (weights: :class:`rota.model.FillWeights`).

The proposal is a list of overrides: each proposed shift at the lowest level free then
(``replace`` where it takes over from someone on leave, ``add`` otherwise). The rota with
them applied is checked again; the proposal covers no gap it does not claim and adds no
finding (:attr:`FillProposal.new_findings` says so, and is empty by construction). What is
left has its reason in words, and every piece the binding constraints (``pieces``).
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from datetime import date, datetime, timedelta

from standby.clock import iso_z
from standby.rota.clock import DEFAULT_REGION, local_day_start, to_local
from standby.rota.coverage import CoverageReport, check
from standby.rota.fairness import fairness_rows
from standby.rota.fill_candidates import (
    Eligibility,
    Exclusion,
    Measures,
    PersonRules,
    Piece,
    Pieces,
    gap_pieces,
    local_span,
    person_name,
)
from standby.rota.fill_model import SolveResult, solve
from standby.rota.fill_reasons import Ruled, reason_text, why_text
from standby.rota.model import (
    FillWeights,
    Finding,
    Override,
    OverrideMode,
    Requirement,
    RoleRules,
    Rota,
    Shift,
)
from standby.rota.oncall import Interval, leave_by_person
from standby.rota.patterns import apply_override

#: ``--time-limit``'s default, in seconds of solver time.
DEFAULT_TIME_LIMIT = 30.0
MEASURES = ("hours", "nights", "weekend_hours", "bank_holiday_hours")
PROPOSED_NOTE = "proposed by standby rota fill"
#: The share of the time limit for the first pass; the second (pieces split day by day
#: where nobody could take them whole) has what is left.
FIRST_PASS_SHARE = 0.75
#: How far from a finding a proposed piece may be and still be one of its causes.
NEAR = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ProposedShift:
    """One proposed shift: who, what, when, at which level, and why them."""

    person: str
    name: str
    role: str
    start: datetime
    end: datetime
    level: int
    mode: OverrideMode
    why: str
    #: Whose shifts (on leave then) a ``replace`` takes over.
    replaces: tuple[str, ...] = ()

    @property
    def hours(self) -> float:
        """Elapsed hours."""
        return (self.end - self.start).total_seconds() / 3600

    def override(self) -> Override:
        """The shift as an override to add to the rota."""
        return Override(
            self.role,
            self.start,
            self.end,
            self.person,
            self.mode,
            self.level,
            source="rota fill",
            notes=PROPOSED_NOTE,
        )

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data (times UTC with ``Z``)."""
        return {
            "person": self.person,
            "name": self.name,
            "role": self.role,
            "start": iso_z(self.start),
            "end": iso_z(self.end),
            "hours": self.hours,
            "level": self.level,
            "mode": self.mode,
            "replaces": list(self.replaces),
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class Unfilled:
    """A stretch of a gap the proposal leaves open, ``shortfall`` short, and why."""

    requirement: int
    role: str
    start: datetime
    end: datetime
    shortfall: int
    reason: str

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "role": self.role,
            "start": iso_z(self.start),
            "end": iso_z(self.end),
            "shortfall": self.shortfall,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class PieceChoice:
    """One piece of a gap as the model saw it: who could take it, who did, who could not
    and the first rule that stopped each (``--explain``)."""

    piece: Piece
    taken: tuple[str, ...]

    def to_json_dict(self, rota: Rota) -> dict[str, object]:
        """As JSON-ready data."""
        piece = self.piece
        return {
            "role": piece.role,
            "start": iso_z(piece.start),
            "end": iso_z(piece.end),
            "needed": piece.most,
            "split_from_whole_gap": piece.parent is not None,
            "taken": list(self.taken),
            "could": [p for p in piece.candidates if p not in self.taken],
            "ruled_out": [
                {
                    "person": e.person,
                    "name": person_name(rota, e.person),
                    "kind": e.kind,
                    "rule": e.rule,
                    "detail": e.detail,
                }
                for e in piece.excluded
            ],
        }


@dataclass(frozen=True, slots=True)
class Spread:
    """One fairness measure over one role's holders in the year so far, before and after."""

    role: str
    measure: str
    people: int
    before_mean: float
    before_stdev: float
    before_max: float
    after_mean: float
    after_stdev: float
    after_max: float

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class PersonLoad:
    """One person given cover: their load in the role this year, before and after."""

    role: str
    person: str
    name: str
    before: Measures
    after: Measures

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "role": self.role,
            "person": self.person,
            "name": self.name,
            "before": {m: getattr(self.before, m) for m in MEASURES},
            "after": {m: getattr(self.after, m) for m in MEASURES},
        }


@dataclass(frozen=True)
class FillProposal:
    """What :func:`fill` proposes, what it leaves, and the checks before and after."""

    before: CoverageReport
    after: CoverageReport
    rota: Rota
    proposed: tuple[ProposedShift, ...]
    unfilled: tuple[Unfilled, ...]
    pieces: tuple[PieceChoice, ...]
    spreads: tuple[Spread, ...]
    loads: tuple[PersonLoad, ...]
    weights: FillWeights
    solve: SolveResult
    time_limit: float
    year_start: datetime
    #: Findings in the check of the proposed rota that the rota's own check did not have.
    new_findings: tuple[Finding, ...] = ()
    #: ``(requirement index, start, end)``: stretches the proposal claims to fill entirely.
    filled: tuple[tuple[int, datetime, datetime], ...] = field(default=())

    @property
    def status(self) -> str:
        """``optimal``, ``feasible`` (the best found in the time), ``none`` or ``no gaps``."""
        return "no gaps" if not self.before.gaps else self.solve.status

    @property
    def all_filled(self) -> bool:
        """True when the proposed rota has no gap left."""
        return self.after.all_met

    @property
    def overrides(self) -> list[Override]:
        """The proposal as overrides to add to the rota."""
        return [shift.override() for shift in self.proposed]

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "window": {"start": iso_z(self.before.start), "end": iso_z(self.before.end)},
            "year_start": iso_z(self.year_start),
            "status": self.status,
            "solver": {
                "seconds": self.solve.wall_seconds,
                "deterministic_seconds": self.solve.deterministic_seconds,
                "time_limit": self.time_limit,
                "stopped_by_clock": self.solve.stopped_by_clock,
                "components": self.solve.components,
            },
            "weights": {name: getattr(self.weights, name) for name in FillWeights.__slots__},
            "gaps_before": len(self.before.gaps),
            "gaps_after": len(self.after.gaps),
            "proposed": [shift.to_json_dict() for shift in self.proposed],
            "unfilled": [item.to_json_dict() for item in self.unfilled],
            "new_findings": [finding.to_json_dict() for finding in self.new_findings],
            "fairness": [spread.to_json_dict() for spread in self.spreads],
            "people": [load.to_json_dict() for load in self.loads],
            "pieces": [choice.to_json_dict(self.rota) for choice in self.pieces],
        }


def fill(
    rota: Rota,
    requirements: Sequence[Requirement] | None = None,
    window: tuple[datetime, datetime] | None = None,
    *,
    region: str = DEFAULT_REGION,
    role_rules: Mapping[str, RoleRules] | None = None,
    weights: FillWeights | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    explain: bool = False,
) -> FillProposal:
    """Propose cover for the gaps of ``rota`` in ``window`` (see the module docstring).

    ``requirements``, ``window``, ``region`` and ``role_rules`` mean what they mean for
    ``rota.coverage.check``; ``weights`` default to :class:`FillWeights`'s; ``time_limit``
    is the solver's time in seconds. With ``explain``, every holder of the role is checked
    against every piece up front, so :attr:`FillProposal.pieces` says of each one who could
    take it and why each other could not (slower: without it, only the solver's choices are
    checked in full, which is enough to say why what stays open does).
    """
    rules_by_role = dict(role_rules or {})
    weights = weights or FillWeights()
    before = check(rota, requirements, window, region=region, role_rules=rules_by_role)
    span = (before.start, before.end)
    rules = PersonRules(rota, rules_by_role, span, region=region)
    eligibility = Eligibility(rota, rules, before)
    pieces = gap_pieces(rota, before, eligibility, region=region, verify=explain)
    year_start = local_day_start(date(to_local(span[0], rota.timezone).year, 1, 1), rota.timezone)
    year = (min(year_start, span[0]), span[1])
    roles = list(pieces.pools)
    loads_before = _loads(rota, roles, pieces.pools, year, region)
    verdicts = _Verdicts(rules)

    def run(
        pieces: Pieces,
        seconds: float,
        previous: SolveResult | None = None,
        fresh: frozenset[int] = frozenset(),
    ) -> SolveResult:
        return solve(
            pieces,
            loads_before,
            weights,
            time_limit=seconds,
            conflicts=lambda person, numbers: verdicts.conflicts(pieces, person, numbers),
            qualifies=eligibility.qualifies,
            previous=previous,
            fresh=fresh,
        )

    result = run(pieces, time_limit * FIRST_PASS_SHARE)
    # A piece whose every candidate broke a rule alone may still be taken day by day.
    short = [
        piece.number
        for piece in pieces.pieces
        if len(result.chosen.get(piece.number, ())) < piece.most
        and sum(1 for p in piece.candidates if not verdicts.alone(p, piece.number)) < piece.most
    ]
    split = pieces.maker.split(pieces, short)
    if len(split.pieces) > len(pieces.pieces):
        fresh = frozenset(range(len(pieces.pieces), len(split.pieces)))
        pieces = split
        left = max(time_limit - result.wall_seconds, time_limit * (1 - FIRST_PASS_SHARE))
        result = run(pieces, left, result, fresh)
    proposed = _proposed(rota, pieces, result.chosen, loads_before)
    after_rota = _applied(rota, proposed)
    after = check(after_rota, requirements, window, region=region, role_rules=rules_by_role)
    if _new_findings(before, after) and any(shift.mode == "replace" for shift in proposed):
        # Taking over part of a shift splits it, and a finding about the rest (a leave
        # clash beyond the gap) would then read as new: add the cover instead.
        proposed = [dataclass_replace(s, mode="add", replaces=()) for s in proposed]
        after_rota = _applied(rota, proposed)
        after = check(after_rota, requirements, window, region=region, role_rules=rules_by_role)
    given = {(shift.role, shift.person) for shift in proposed}
    loads_after = {**loads_before, **_loads(after_rota, roles, pieces.pools, year, region, given)}
    return FillProposal(
        before=before,
        after=after,
        rota=after_rota,
        proposed=tuple(proposed),
        unfilled=tuple(
            _unfilled(rota, before, after, pieces, result.chosen, verdicts, eligibility)
        ),
        pieces=tuple(
            PieceChoice(piece, result.chosen.get(piece.number, ())) for piece in pieces.pieces
        ),
        spreads=tuple(_spreads(roles, pieces.pools, loads_before, loads_after)),
        loads=tuple(_person_loads(rota, proposed, loads_before, loads_after)),
        weights=weights,
        solve=result,
        time_limit=time_limit,
        year_start=year_start,
        new_findings=tuple(_new_findings(before, after)),
        filled=tuple(_claimed(pieces, result.chosen, eligibility)),
    )


def _applied(rota: Rota, proposed: Sequence[ProposedShift]) -> Rota:
    """``rota`` with the proposed shifts' overrides applied and recorded.

    An override changes only its own role's shifts, so each is applied to those alone.
    """
    overrides = [shift.override() for shift in proposed]
    by_role: dict[str, list[Shift]] = defaultdict(list)
    for shift in rota.shifts:
        by_role[shift.role].append(shift)
    for override in overrides:
        by_role[override.role] = apply_override(by_role[override.role], override)
    shifts = [shift for own in by_role.values() for shift in own]
    shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level))
    return dataclass_replace(rota, shifts=shifts, overrides=[*rota.overrides, *overrides])


# ------------------------------------------------------------------------------ solving


class _Verdicts:
    """The working-time checks of the solver's choices, each set of pieces checked once.

    ``found`` keeps, for each person and piece, the first rule a forbidden set holding it
    broke, and whether the piece broke it alone: the reasons for what is left.
    """

    def __init__(self, rules: PersonRules) -> None:
        self.rules = rules
        self._seen: dict[tuple[str, tuple[int, ...]], list[Finding]] = {}
        self.found: dict[tuple[str, int], tuple[bool, Finding]] = {}

    def alone(self, person: str, number: int) -> bool:
        """True when ``number`` alone broke a rule for ``person``."""
        known = self.found.get((person, number))
        return known is not None and known[0]

    def _broken(self, pieces: Pieces, person: str, numbers: tuple[int, ...]) -> list[Finding]:
        key = (person, numbers)
        if key not in self._seen:
            shifts = [pieces.pieces[n].shift(person) for n in numbers]
            self._seen[key] = self.rules.broken(person, shifts)
        return self._seen[key]

    def conflicts(
        self, pieces: Pieces, person: str, numbers: Sequence[int]
    ) -> list[tuple[int, ...]]:
        """Smallest subsets of ``numbers`` that, given to ``person``, break a rule: for each
        finding, the pieces near it, then a deletion filter (drop each piece in turn while
        what is left still breaks the rule)."""
        everything = tuple(numbers)
        found = self._broken(pieces, person, everything)
        cuts: list[tuple[int, ...]] = []
        for finding in found:
            if any(
                set(cut) <= set(everything) and self._still(pieces, person, cut, finding)
                for cut in cuts
            ):
                continue
            near = tuple(
                n
                for n in everything
                if pieces.pieces[n].start < finding.end + NEAR
                and finding.start - NEAR < pieces.pieces[n].end
            )
            start = near if near and self._still(pieces, person, near, finding) else everything
            cut = self._smallest(pieces, person, start, finding)
            if cut not in cuts:
                cuts.append(cut)
        return cuts

    def _still(
        self, pieces: Pieces, person: str, numbers: tuple[int, ...], finding: Finding
    ) -> bool:
        """True when ``numbers`` alone break ``finding``'s rule."""
        return any(f.rule == finding.rule for f in self._broken(pieces, person, numbers))

    def _smallest(
        self, pieces: Pieces, person: str, numbers: tuple[int, ...], finding: Finding
    ) -> tuple[int, ...]:
        kept = numbers
        for number in numbers:
            trial = tuple(n for n in kept if n != number)
            if trial and self._still(pieces, person, trial, finding):
                kept = trial
        first = next(f for f in self._broken(pieces, person, kept) if f.rule == finding.rule)
        for number in kept:
            self.found.setdefault((person, number), (len(kept) == 1, first))
        return kept


def _loads(
    rota: Rota,
    roles: Sequence[str],
    pools: Mapping[str, tuple[str, ...]],
    year: Interval,
    region: str,
    people: set[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], Measures]:
    """Each role holder's hours, nights, weekend and bank-holiday hours in the role (only
    the ``(role, person)`` pairs in ``people``, when given).

    One fairness count for every role at once: each shift and leave period is given to
    the pair ``role / person``, so the count keeps the roles apart.
    """
    wanted = {(role, person) for role in roles for person in pools[role]}
    if people is not None:
        wanted &= people
    keys = {pair: f"{pair[0]}\x00{pair[1]}" for pair in wanted}
    roles_of: dict[str, list[str]] = defaultdict(list)
    for role, person in wanted:
        roles_of[person].append(role)
    scratch = Rota(
        timezone=rota.timezone,
        shifts=[
            dataclass_replace(s, person=keys[(s.role, s.person)])
            for s in rota.shifts
            if (s.role, s.person) in keys and s.end > year[0] and s.start < year[1]
        ],
        leave=[
            dataclass_replace(item, person=keys[(role, item.person)])
            for item in rota.leave
            for role in roles_of.get(item.person, ())
        ],
    )
    rows = {row.person: row for row in fairness_rows(scratch, year, region=region)}
    loads = {}
    for pair, key in keys.items():
        row = rows.get(key)
        loads[pair] = (
            Measures()
            if row is None
            else Measures(row.hours, row.nights, row.weekend_hours, row.bank_holiday_hours)
        )
    return loads


# ------------------------------------------------------------------------------ proposal


def _proposed(
    rota: Rota,
    pieces: Pieces,
    chosen: Mapping[int, tuple[str, ...]],
    loads: Mapping[tuple[str, str], Measures],
) -> list[ProposedShift]:
    """The chosen pieces as shifts at the lowest free level, touching ones joined."""
    levels = _Levels(rota)
    drafts: list[ProposedShift] = []
    order = sorted(chosen, key=lambda n: (pieces.pieces[n].start, pieces.pieces[n].role, n))
    for number in order:
        piece = pieces.pieces[number]
        for person in sorted(chosen[number]):
            level, mode, replaces = levels.take(piece.role, piece.start, piece.end)
            others = [loads[(piece.role, p)].hours for p in piece.candidates if p != person]
            mine = loads[(piece.role, person)]
            split_at = (
                to_local(piece.start, rota.timezone).strftime("%H:%M")
                if piece.parent is not None
                else None
            )
            why = why_text(
                person_name(rota, person),
                mine.hours,
                others,
                nights=mine.nights,
                split_at=split_at,
            )
            drafts.append(
                ProposedShift(
                    person,
                    person_name(rota, person),
                    piece.role,
                    piece.start,
                    piece.end,
                    level,
                    mode,
                    why,
                    replaces,
                )
            )
    return _joined(drafts)


def _joined(drafts: list[ProposedShift]) -> list[ProposedShift]:
    """Touching shifts of one person, role, level and mode as one."""
    drafts.sort(key=lambda s: (s.person, s.role, s.level, s.start))
    joined: list[ProposedShift] = []
    for shift in drafts:
        last = joined[-1] if joined else None
        if (
            last is not None
            and (last.person, last.role, last.level, last.mode)
            == (shift.person, shift.role, shift.level, shift.mode)
            and last.end == shift.start
        ):
            joined[-1] = dataclass_replace(
                last,
                end=shift.end,
                replaces=tuple(dict.fromkeys((*last.replaces, *shift.replaces))),
            )
        else:
            joined.append(shift)
    joined.sort(key=lambda s: (s.start, s.role, s.level, s.person))
    return joined


class _Levels:
    """The escalation levels in use for a role at a time, and the lowest free one."""

    def __init__(self, rota: Rota) -> None:
        self.rota = rota
        self.leave = leave_by_person(rota.leave)
        self.by_role: dict[str, list[Shift]] = defaultdict(list)
        for shift in rota.shifts:
            self.by_role[shift.role].append(shift)
        self.proposed: list[tuple[str, datetime, datetime, int]] = []

    def _counts(self, shift: Shift, start: datetime, end: datetime) -> bool:
        """True when ``shift``'s person is on call (not on leave) for part of the overlap."""
        if self.rota.people and shift.person not in self.rota.people:
            return False
        low, high = max(shift.start, start), min(shift.end, end)
        away = sum(
            (
                (min(b, high) - max(a, low)).total_seconds()
                for a, b in self.leave.get(shift.person, [])
                if a < high and low < b
            ),
            0.0,
        )
        return away < (high - low).total_seconds()

    def take(
        self, role: str, start: datetime, end: datetime
    ) -> tuple[int, OverrideMode, tuple[str, ...]]:
        """The lowest free level for ``[start, end)``, the override's mode, whom it replaces."""
        overlapping = [s for s in self.by_role[role] if s.start < end and start < s.end]
        used = {s.level for s in overlapping if self._counts(s, start, end)}
        used |= {lvl for r, a, b, lvl in self.proposed if r == role and a < end and start < b}
        level = next(n for n in range(1, len(used) + 2) if n not in used)
        self.proposed.append((role, start, end, level))
        away = [s for s in overlapping if s.level == level]
        if away:
            return level, "replace", tuple(dict.fromkeys(s.person for s in away))
        return level, "add", ()


# ------------------------------------------------------------------------------ reasons


def _unfilled(
    rota: Rota,
    before: CoverageReport,
    after: CoverageReport,
    pieces: Pieces,
    chosen: Mapping[int, tuple[str, ...]],
    verdicts: _Verdicts,
    eligibility: Eligibility,
) -> list[Unfilled]:
    """What the proposal leaves open, piece by piece, each with its reason in words."""
    taken: dict[str, list[Piece]] = defaultdict(list)
    for number, people in chosen.items():
        for person in people:
            taken[person].append(pieces.pieces[number])
    found = []
    finest = _Finest(pieces)
    for index, coverage in enumerate(after.roles):
        qualification = before.roles[index].qualification
        for gap in coverage.gaps:
            for piece in finest.over(coverage.role, gap.start, gap.end):
                low, high = max(gap.start, piece.start), min(gap.end, piece.end)
                ruled = _ruled(
                    rota,
                    piece,
                    chosen.get(piece.number, ()),
                    taken,
                    verdicts,
                    eligibility,
                    qualification,
                )
                reason = reason_text(
                    ruled,
                    still_needed=gap.shortfall,
                    holders=len(pieces.pools.get(coverage.role, ())),
                    people_list=bool(rota.people),
                )
                label = f"{coverage.role}, {local_span(low, high, rota.timezone)}"
                found.append(
                    Unfilled(index, coverage.role, low, high, gap.shortfall, f"{label}: {reason}")
                )
    found.sort(key=lambda item: (item.start, item.role, item.requirement))
    return found


class _Finest:
    """The pieces that carry each stretch's reason: the parts of a piece that was cut, else
    the whole pieces, per role in time order (so each stretch has one reason)."""

    def __init__(self, pieces: Pieces) -> None:
        cut = {p.parent for p in pieces.pieces if p.parent is not None}
        self.by_role: dict[str, list[Piece]] = defaultdict(list)
        for piece in pieces.pieces:
            if piece.number not in cut:
                self.by_role[piece.role].append(piece)
        self.starts: dict[str, list[datetime]] = {}
        self.longest: dict[str, timedelta] = {}
        for role, own in self.by_role.items():
            own.sort(key=lambda p: (p.start, p.end))
            self.starts[role] = [p.start for p in own]
            self.longest[role] = max(p.end - p.start for p in own)

    def over(self, role: str, start: datetime, end: datetime) -> list[Piece]:
        """The pieces of ``role`` over ``[start, end)``, none inside another."""
        own = self.by_role.get(role, [])
        if not own:
            return []
        first = bisect_left(self.starts[role], start - self.longest[role])
        found = [p for p in own[first : bisect_left(self.starts[role], end)] if start < p.end]
        covered: list[Piece] = []
        for piece in found:
            if not any(o.start <= piece.start and piece.end <= o.end for o in covered):
                covered.append(piece)
        return covered


def _ruled(
    rota: Rota,
    piece: Piece,
    here: tuple[str, ...],
    taken: Mapping[str, list[Piece]],
    verdicts: _Verdicts,
    eligibility: Eligibility,
    qualification: str | None,
) -> list[Ruled]:
    """Each holder's reason for not taking ``piece`` (those taking it left out)."""
    ruled = [
        Ruled(e.kind, person_name(rota, e.person), e.rule, _missing(e)) for e in piece.excluded
    ]
    for person in piece.candidates:
        if person in here:
            continue
        name = person_name(rota, person)
        verdict = verdicts.found.get((person, piece.number))
        if not eligibility.qualifies(person, qualification):
            ruled.append(Ruled("unqualified", name, qualification=qualification))
        elif verdict is not None:
            alone, finding = verdict
            ruled.append(Ruled("working_time" if alone else "combined", name, finding.rule))
        elif any(p.start < piece.end and piece.start < p.end for p in taken.get(person, [])):
            ruled.append(Ruled("taken_elsewhere", name))
        else:
            ruled.append(Ruled("unused", name))
    return ruled


def _missing(exclusion: Exclusion) -> str | None:
    prefix = "does not hold "
    if exclusion.kind == "unqualified" and exclusion.detail.startswith(prefix):
        return exclusion.detail[len(prefix) :]
    return None


def _claimed(
    pieces: Pieces,
    chosen: Mapping[int, tuple[str, ...]],
    eligibility: Eligibility,
) -> list[tuple[int, datetime, datetime]]:
    """Segments whose needs the chosen people meet: what the proposal claims to fill."""
    people: dict[int, list[str]] = defaultdict(list)
    for number, chosen_here in chosen.items():
        for inside in pieces.pieces[number].segments:
            people[inside] += chosen_here
    claims = []
    for number, taken in sorted(people.items()):
        segment = pieces.segments[number]
        for need in segment.needs:
            qualified = [p for p in taken if eligibility.qualifies(p, need.qualification)]
            if len(qualified) >= need.shortfall:
                claims.append((need.requirement, segment.start, segment.end))
    return claims


# ------------------------------------------------------------------------------ fairness


def _spreads(
    roles: Sequence[str],
    pools: Mapping[str, tuple[str, ...]],
    before: Mapping[tuple[str, str], Measures],
    after: Mapping[tuple[str, str], Measures],
) -> list[Spread]:
    spreads = []
    for role in roles:
        people = pools[role]
        if not people:
            continue
        for measure in MEASURES:
            old = [float(getattr(before[(role, p)], measure)) for p in people]
            new = [float(getattr(after[(role, p)], measure)) for p in people]
            spreads.append(
                Spread(
                    role,
                    measure,
                    len(people),
                    statistics.fmean(old),
                    statistics.pstdev(old),
                    max(old),
                    statistics.fmean(new),
                    statistics.pstdev(new),
                    max(new),
                )
            )
    return spreads


def _person_loads(
    rota: Rota,
    proposed: Sequence[ProposedShift],
    before: Mapping[tuple[str, str], Measures],
    after: Mapping[tuple[str, str], Measures],
) -> list[PersonLoad]:
    owners = sorted({(shift.role, shift.person) for shift in proposed})
    return [
        PersonLoad(
            role, person, person_name(rota, person), before[(role, person)], after[(role, person)]
        )
        for role, person in owners
    ]


def _new_findings(before: CoverageReport, after: CoverageReport) -> list[Finding]:
    """Findings of the proposed rota that lie within no finding of the same kind, person,
    rule and role in the rota's own check (one the proposal shortened is not new)."""
    known: dict[tuple[object, ...], list[tuple[datetime, datetime]]] = defaultdict(list)
    for finding in before.findings:
        known[(finding.kind, finding.person, finding.rule, finding.role)].append(
            (finding.start, finding.end)
        )
    return [
        finding
        for finding in after.findings
        if not any(
            low <= finding.start and finding.end <= high
            for low, high in known.get(
                (finding.kind, finding.person, finding.rule, finding.role), ()
            )
        )
    ]
