"""What a gap fill may propose: the pieces of each gap, who may take each, and why not.

A gap is cut where the rota hands its role over, at the role's own recurring local handover
times (a weekday and a wall-clock time seen at least twice among its shifts' starts and
ends; Monday 09:00 for a role with none), so a proposed shift starts and ends where the
rota's own shifts do, on the local wall clock across clock changes. Each part is a
**piece**: the unit one person may be proposed for. A piece that fewer people can take
whole than it needs is cut again at the role's daily handover times (the same times, any
weekday), and the parts are offered too.

For each piece and each person who holds the role (their ``roles`` in the people list, or
without one, those who have had its shifts), the first rule that rules them out is kept, in
this order: the requirement's qualification, leave, being on call then (in any role), and
the working-time rules the check applies. The last is :class:`PersonRules`: the check's own
``rota.rules.WorkingTime`` run on that person's part of the rota with the proposed shift
added, so a candidate adds no working-time finding by construction. Whoever is left is a
candidate for the piece.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from standby.rota.clock import resolve_local, to_local, zone
from standby.rota.coverage import CoverageReport, Gap
from standby.rota.fairness import fairness_rows
from standby.rota.model import Callout, Finding, Leave, Person, RoleRules, Rota, Shift
from standby.rota.oncall import Interval, leave_by_person, merge
from standby.rota.rules import Limits, WorkingTime
from standby.rota.work import DEFAULT_RULES, work_pieces, work_span

#: Why a person cannot take a piece, in the order they are tried.
EXCLUSION_KINDS = ("unqualified", "leave", "on_call", "working_time")
#: The handover used for a role whose shifts show none that recurs.
DEFAULT_HANDOVER = (0, time(9, 0))
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Need:
    """A requirement's shortfall over a segment: ``shortfall`` more people holding
    ``qualification`` (any, when None). ``requirement`` indexes the check's roles."""

    requirement: int
    qualification: str | None
    shortfall: int


@dataclass(frozen=True, slots=True)
class Segment:
    """The smallest stretch of a role's gaps over which every requirement's need is constant."""

    role: str
    start: datetime
    end: datetime
    needs: tuple[Need, ...]

    @property
    def milliseconds(self) -> int:
        """Its length in whole milliseconds, at least 1 (a sub-second gap still counts)."""
        return max(round((self.end - self.start).total_seconds() * 1000), 1)


@dataclass(frozen=True, slots=True)
class Measures:
    """What a stretch of on-call time adds to a person's fairness figures."""

    hours: float = 0.0
    nights: int = 0
    weekend_hours: float = 0.0
    bank_holiday_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why ``person`` cannot take a piece: ``kind`` is one of :data:`EXCLUSION_KINDS`,
    ``rule`` the working-time rule broken (``reg 10``), ``detail`` the words."""

    person: str
    kind: str
    detail: str
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a role's gaps one person may be proposed for.

    ``segments`` index :attr:`Pieces.segments`; ``most`` is the largest shortfall in it;
    ``parent`` is the piece it was cut from at a daily handover (None for a whole piece).
    """

    number: int
    role: str
    start: datetime
    end: datetime
    segments: tuple[int, ...]
    most: int
    measures: Measures
    candidates: tuple[str, ...]
    excluded: tuple[Exclusion, ...]
    parent: int | None = None

    def shift(self, person: str) -> Shift:
        """The piece as a shift for ``person`` (level set when it is proposed)."""
        return Shift(person, self.role, self.start, self.end)


@dataclass(frozen=True)
class Pieces:
    """Every piece and segment of the gaps, who holds each role, and what made them."""

    pieces: tuple[Piece, ...]
    segments: tuple[Segment, ...]
    pools: Mapping[str, tuple[str, ...]]
    maker: PieceMaker


def person_name(rota: Rota, person: str) -> str:
    """The name the planner wrote (the id when there is no people list)."""
    known = rota.people.get(person)
    return known.name if known else person


def local_span(start: datetime, end: datetime, timezone: str) -> str:
    """``Fri 25 Dec 2026 18:00 to Sat 26 Dec 08:00 GMT``: a period as reasons say it."""
    low, high = to_local(start, timezone), to_local(end, timezone)
    first = low.strftime("%a %d %b %Y %H:%M")
    if low.tzname() != high.tzname():
        first += f" {low.tzname()}"
    pattern = "%H:%M %Z" if high.date() == low.date() else "%a %d %b %H:%M %Z"
    if high.year != low.year:
        pattern = "%a %d %b %Y %H:%M %Z"
    return f"{first} to {high.strftime(pattern)}"


# ------------------------------------------------------------------------------ rules


def _key(finding: Finding) -> tuple[object, ...]:
    return (finding.rule, finding.role, finding.start, finding.end)


class PersonRules:
    """The check's working-time rules, one person at a time, on that person's shifts.

    Each person's part of the rota (shifts, leave, call-outs, day job) gets its own
    :class:`~rota.rules.WorkingTime` over the same span as the whole rota's check, so what it
    finds for them is what the check finds; a new or worse finding (a new rule, period or
    span, or a larger excess) is what adding shifts would break.

    Two short cuts, both exact: a shift in a role whose stand-by is rest, with no
    consecutive-day limit, adds no working time and breaks nothing; and a shift whose own
    stretch of work (joined across breaks under 11 h, as reg 10 joins them) would last over
    13 h, a stretch the rota does not already have, is a new reg 10 finding without
    running every rule.
    """

    def __init__(
        self,
        rota: Rota,
        role_rules: Mapping[str, RoleRules],
        window: Interval,
        *,
        region: str,
    ) -> None:
        self.rota = rota
        self.role_rules = dict(role_rules)
        self.region = region
        self.limits = Limits()
        span = work_span(rota, window)
        assert span is not None  # a window is always given
        self.span = span
        self.shifts: dict[str, list[Shift]] = defaultdict(list)
        for shift in rota.shifts:
            self.shifts[shift.person].append(shift)
        self.leave = leave_by_person(rota.leave)
        self._own_leave: dict[str, list[Leave]] = defaultdict(list)
        for item in rota.leave:
            self._own_leave[item.person].append(item)
        self._callouts: dict[str, list[Callout]] = defaultdict(list)
        for callout in rota.callouts:
            self._callouts[callout.person].append(callout)
        self._checkers: dict[str, WorkingTime] = {}
        self._before: dict[str, dict[tuple[object, ...], float]] = {}
        self._work: dict[str, tuple[list[Interval], set[Interval]]] = {}
        self.checks = 0

    def _own(self, person: str) -> Rota:
        known = self.rota.people.get(person)
        return Rota(
            timezone=self.rota.timezone,
            people={person: known} if known is not None else {},
            shifts=list(self.shifts.get(person, [])),
            leave=list(self._own_leave.get(person, [])),
            callouts=list(self._callouts.get(person, [])),
        )

    def _checker(self, person: str) -> WorkingTime:
        checker = self._checkers.get(person)
        if checker is None:
            checker = WorkingTime(
                self._own(person), self.role_rules, region=self.region, window=self.span
            )
            self._checkers[person] = checker
            self._before[person] = {
                _key(finding): finding.excess or 0.0 for finding in checker.person_findings(person)
            }
        return checker

    def matters(self, shift: Shift) -> bool:
        """False when ``shift``'s role adds no working time and has no consecutive-day limit."""
        rules = self.role_rules.get(shift.role, DEFAULT_RULES)
        return rules.counts_as_work or rules.max_consecutive_days is not None

    def broken(self, person: str, extra: Sequence[Shift]) -> list[Finding]:
        """The findings that adding ``extra`` to ``person``'s shifts makes new or worse."""
        if not any(self.matters(shift) for shift in extra):
            return []
        checker = self._checker(person)
        before = self._before[person]
        self.checks += 1
        return [
            finding
            for finding in checker.person_findings(person, list(extra))
            if _key(finding) not in before or (finding.excess or 0.0) > before[_key(finding)] + 1e-9
        ]

    def first_broken(self, person: str, shift: Shift) -> Finding | None:
        """The first finding adding ``shift`` alone would make new or worse, or None."""
        quick = self.quick(person, shift)
        if quick is not None:
            return quick
        broken = self.broken(person, [shift])
        return broken[0] if broken else None

    def quick(self, person: str, shift: Shift) -> Finding | None:
        """A finding ``shift`` alone would surely add, found without running every rule:
        a new daily-rest stretch (reg 10). None says only that no quick test found one."""
        return self._daily_rest(person, shift)

    def _daily_rest(self, person: str, shift: Shift) -> Finding | None:
        """The new reg 10 stretch ``shift`` would make, when that is plain without the rest."""
        if not self.role_rules.get(shift.role, DEFAULT_RULES).counts_as_work:
            return None
        work, long_stretches = self._stretches(person)
        index = bisect_left(work, (shift.start, shift.start))
        if (index > 0 and work[index - 1][1] > shift.start) or (
            index < len(work) and work[index][0] < shift.end
        ):
            return None  # it overlaps other work: leave it to the full check
        rest = timedelta(hours=self.limits.daily_rest_hours)
        start, end, low, high = shift.start, shift.end, index, index
        while low > 0 and start - work[low - 1][1] < rest:
            low -= 1
            start = work[low][0]
        while high < len(work) and work[high][0] - end < rest:
            end = work[high][1]
            high += 1
        if end - start <= timedelta(hours=24) - rest or (start, end) in long_stretches:
            return None  # within the rule, or a stretch already reported: the full check
        hours = (end - start).total_seconds() / 3600
        when = local_span(start, end, self.rota.timezone)
        return Finding(
            "working_time",
            person,
            start,
            end,
            f"reg 10 daily rest: {hours:.1f} h of work with no "
            f"{self.limits.daily_rest_hours:g} h break ({when})",
            rule="reg 10",
        )

    def _stretches(self, person: str) -> tuple[list[Interval], set[Interval]]:
        """The person's merged working time, and its stretches over 13 h (as reg 10 reads
        them: work joined across breaks under 11 h)."""
        known = self._work.get(person)
        if known is None:
            own = work_pieces(self._own(person), self.role_rules, self.span, region=self.region)
            work = merge([(p.start, p.end) for p in own.get(person, [])])
            rest = timedelta(hours=self.limits.daily_rest_hours)
            stretches: list[list[datetime]] = []
            for low, high in work:
                if stretches and low - stretches[-1][1] < rest:
                    stretches[-1][1] = high
                else:
                    stretches.append([low, high])
            long = {(a, b) for a, b in stretches if b - a > timedelta(hours=24) - rest}
            known = self._work[person] = (work, long)
        return known


# ------------------------------------------------------------------------------ handovers


class Handovers:
    """A role's recurring local handovers, for cutting its gaps where the rota would."""

    def __init__(self, rota: Rota, role: str) -> None:
        self.timezone = rota.timezone
        seen: dict[datetime, tuple[int, time]] = {}
        counts: Counter[tuple[int, time]] = Counter()
        for shift in rota.shifts:
            if shift.role != role:
                continue
            for instant in (shift.start, shift.end):
                key = seen.get(instant)
                if key is None:
                    local = to_local(instant, self.timezone)
                    key = seen[instant] = (local.weekday(), local.time().replace(tzinfo=None))
                counts[key] += 1
        recurring = sorted(key for key, count in counts.items() if count >= 2)
        self.weekly = tuple(recurring) or (DEFAULT_HANDOVER,)
        self.daily = tuple(sorted({clock for _day, clock in self.weekly}))

    def cut(self, start: datetime, end: datetime, *, daily: bool = False) -> list[Interval]:
        """``[start, end)`` cut at each handover inside it (each day's, with ``daily``)."""
        tz = zone(self.timezone)
        first: date = to_local(start, self.timezone).date()
        last: date = to_local(end, self.timezone).date()
        instants = {start, end}
        day = first
        while day <= last:
            for weekday, clock in self.weekly if not daily else ((None, c) for c in self.daily):
                if weekday is None or weekday == day.weekday():
                    instant = resolve_local(datetime.combine(day, clock), tz)
                    if start < instant < end:
                        instants.add(instant)
            day += DAY
        return list(pairwise(sorted(instants)))


# ------------------------------------------------------------------------------ who may


class Eligibility:
    """Who holds each role, and the first rule that rules a person out of a stretch."""

    def __init__(self, rota: Rota, rules: PersonRules, report: CoverageReport) -> None:
        self.rota = rota
        self.rules = rules
        # The check reports a shift in a role by anyone lacking a qualification some
        # requirement of the role names, so a proposed person must hold all of them.
        self.required: dict[str, set[str]] = defaultdict(set)
        for coverage in report.roles:
            if coverage.qualification:
                self.required[coverage.role].add(coverage.qualification)
        self.leave = rules.leave
        self._busy: dict[str, tuple[list[datetime], list[Shift]]] = {}
        for person, shifts in rules.shifts.items():
            ordered = sorted(shifts, key=lambda shift: (shift.start, shift.end))
            self._busy[person] = ([shift.start for shift in ordered], ordered)
        self._longest = max((s.end - s.start for s in rota.shifts), default=timedelta(0))

    def pool(self, role: str) -> tuple[str, ...]:
        """Who holds ``role``: its holders in the people list, else those with its shifts."""
        people = self.rota.people
        holders = [person.id for person in people.values() if role in person.roles]
        if not holders:
            holders = sorted(
                {
                    s.person
                    for s in self.rota.shifts
                    if s.role == role and (not people or s.person in people)
                }
            )
        return tuple(holders)

    def qualifies(self, person: str, qualification: str | None) -> bool:
        """True when ``person`` may count for a need of ``qualification``."""
        if qualification is None:
            return True
        known: Person | None = self.rota.people.get(person)
        return known is not None and qualification in known.qualifications

    def exclusion(
        self, person: str, role: str, start: datetime, end: datetime, *, full: bool = True
    ) -> Exclusion | None:
        """The first rule that rules ``person`` out of ``[start, end)`` in ``role``, or None.

        Without ``full``, of the working-time rules only the plain daily-rest case is tried.
        """
        missing = sorted(q for q in self.required.get(role, ()) if not self.qualifies(person, q))
        if missing:
            return Exclusion(person, "unqualified", f"does not hold {' and '.join(missing)}")
        tz = self.rota.timezone
        for low, high in self.leave.get(person, []):
            if low < end and start < high:
                return Exclusion(person, "leave", f"on leave {local_span(low, high, tz)}")
        busy = self._overlapping(person, start, end)
        if busy is not None:
            level = f" (level {busy.level})" if busy.level != 1 else ""
            return Exclusion(
                person,
                "on_call",
                f"on call as {busy.role}{level}, {local_span(busy.start, busy.end, tz)}",
            )
        shift = Shift(person, role, start, end)
        first = self.rules.first_broken(person, shift) if full else self.rules.quick(person, shift)
        if first is not None:
            return Exclusion(person, "working_time", first.detail, first.rule)
        return None

    def _overlapping(self, person: str, start: datetime, end: datetime) -> Shift | None:
        known = self._busy.get(person)
        if known is None:
            return None
        starts, shifts = known
        index = bisect_left(starts, start - self._longest)
        for shift in shifts[index : bisect_left(starts, end)]:
            if shift.start < end and start < shift.end and shift.end > shift.start:
                return shift
        return None


# ------------------------------------------------------------------------------ pieces


def gap_pieces(
    rota: Rota,
    report: CoverageReport,
    eligibility: Eligibility,
    *,
    region: str,
    verify: bool = False,
) -> Pieces:
    """The pieces of every gap in ``report``, with their candidates and exclusions.

    With ``verify`` every candidate has passed the working-time rules; without it only the
    quick checks (qualification, leave, other cover, the plain daily-rest case), and the
    solver's choices are checked as they are made (``rota.fill``).
    """
    by_role: dict[str, list[tuple[int, Gap]]] = defaultdict(list)
    for index, coverage in enumerate(report.roles):
        for gap in coverage.gaps:
            by_role[coverage.role].append((index, gap))
    qualifications = {index: coverage.qualification for index, coverage in enumerate(report.roles)}
    segments: list[Segment] = []
    drafts: list[_Draft] = []
    pools: dict[str, tuple[str, ...]] = {}
    cutters: dict[str, Handovers] = {}
    for role, gaps in by_role.items():
        pools[role] = eligibility.pool(role)
        handovers = cutters[role] = Handovers(rota, role)
        first = len(segments)
        segments += _segments(role, gaps, handovers, qualifications)
        role_segments = list(range(first, len(segments)))
        intervals = sorted(
            {part for _index, gap in gaps for part in handovers.cut(gap.start, gap.end)}
        )
        for interval in intervals:
            drafts.append((role, interval, _inside(segments, role_segments, interval), None))
    maker = PieceMaker(rota, tuple(segments), pools, eligibility, cutters, region, verify)
    return maker.pieces(maker.evaluate(drafts, []))


_Draft = tuple[str, Interval, tuple[int, ...], int | None]


def _segments(
    role: str,
    gaps: list[tuple[int, Gap]],
    handovers: Handovers,
    qualifications: Mapping[int, str | None],
) -> list[Segment]:
    """The role's gaps cut at every gap boundary and handover (daily ones included)."""
    edges: set[datetime] = set()
    for _index, gap in gaps:
        for low, high in handovers.cut(gap.start, gap.end, daily=True):
            edges |= {low, high}
    ordered = sorted(edges)
    found = []
    for low, high in pairwise(ordered):
        needs = tuple(
            Need(index, qualifications[index], gap.shortfall)
            for index, gap in gaps
            if gap.start <= low and high <= gap.end
        )
        if needs:
            found.append(Segment(role, low, high, needs))
    return found


def _inside(segments: Sequence[Segment], indices: list[int], interval: Interval) -> tuple[int, ...]:
    low, high = interval
    return tuple(i for i in indices if low <= segments[i].start and segments[i].end <= high)


@dataclass(frozen=True)
class PieceMaker:
    """Makes pieces: candidates and exclusions for each, and the parts of a piece cut at
    the role's daily handovers when fewer can take it whole than it needs."""

    rota: Rota
    segments: tuple[Segment, ...]
    pools: Mapping[str, tuple[str, ...]]
    eligibility: Eligibility
    cutters: Mapping[str, Handovers]
    region: str
    verify: bool

    def evaluate(self, drafts: list[_Draft], pieces: list[Piece]) -> list[Piece]:
        """``pieces`` with the drafts added (and their daily parts, where short)."""
        pieces = list(pieces)
        queue = list(drafts)
        while queue:
            role, (start, end), inside, parent = queue.pop(0)
            needs = [need for index in inside for need in self.segments[index].needs]
            most = max((need.shortfall for need in needs), default=0)
            if not inside or most == 0:
                continue
            candidates: list[str] = []
            excluded: list[Exclusion] = []
            for person in self.pools[role]:
                reason = self.eligibility.exclusion(person, role, start, end, full=self.verify)
                if reason is None:
                    candidates.append(person)
                else:
                    excluded.append(reason)
            number = len(pieces)
            pieces.append(
                Piece(
                    number,
                    role,
                    start,
                    end,
                    inside,
                    most,
                    Measures(),
                    tuple(candidates),
                    tuple(excluded),
                    parent,
                )
            )
            if parent is None and len(candidates) < most:
                queue += self.parts(pieces[-1])
        return pieces

    def parts(self, piece: Piece) -> list[_Draft]:
        """``piece`` cut at its role's daily handovers (nothing when it is one day's)."""
        parts = self.cutters[piece.role].cut(piece.start, piece.end, daily=True)
        if len(parts) < 2:
            return []
        inside = list(piece.segments)
        return [
            (piece.role, part, _inside(self.segments, inside, part), piece.number) for part in parts
        ]

    def split(self, pieces: Pieces, numbers: Iterable[int]) -> Pieces:
        """``pieces`` with the daily parts of the pieces ``numbers`` added."""
        cut = {p.parent for p in pieces.pieces if p.parent is not None}
        drafts = [
            draft
            for number in numbers
            if number not in cut and pieces.pieces[number].parent is None
            for draft in self.parts(pieces.pieces[number])
        ]
        return self.pieces(self.evaluate(drafts, list(pieces.pieces)))

    def pieces(self, pieces: list[Piece]) -> Pieces:
        """The pieces with their fairness measures, as :class:`Pieces`."""
        measured = _measures(self.rota, pieces, self.region)
        return Pieces(
            tuple(dataclass_replace(p, measures=measured[p.number]) for p in pieces),
            self.segments,
            dict(self.pools),
            self,
        )


def _measures(rota: Rota, pieces: Sequence[Piece], region: str) -> dict[int, Measures]:
    """Each piece's hours, nights, weekend and bank-holiday hours, as the fairness table
    counts them (month by month, so each sum runs over a month's days)."""
    months: dict[tuple[int, int], list[Piece]] = defaultdict(list)
    for piece in pieces:
        local = to_local(piece.start, rota.timezone)
        months[(local.year, local.month)].append(piece)
    found = {}
    for group in months.values():
        scratch = Rota(
            timezone=rota.timezone,
            shifts=[Shift(f"piece {p.number}", p.role, p.start, p.end) for p in group],
        )
        window = (min(p.start for p in group), max(p.end for p in group))
        rows = {row.person: row for row in fairness_rows(scratch, window, region=region)}
        for piece in group:
            row = rows.get(f"piece {piece.number}")
            found[piece.number] = (
                Measures()
                if row is None
                else Measures(row.hours, row.nights, row.weekend_hours, row.bank_holiday_hours)
            )
    return found
