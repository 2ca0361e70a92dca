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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from standby.rota.clock import resolve_local, to_local, zone
from standby.rota.coverage import CoverageReport, Gap
from standby.rota.fairness import fairness_rows
from standby.rota.model import Finding, Person, RoleRules, Rota, Shift
from standby.rota.oncall import Interval, leave_by_person
from standby.rota.rules import WorkingTime
from standby.rota.work import work_span

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
    """Every piece and segment of the gaps, and who holds each role."""

    pieces: tuple[Piece, ...]
    segments: tuple[Segment, ...]
    pools: Mapping[str, tuple[str, ...]]


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
        span = work_span(rota, window)
        assert span is not None  # a window is always given
        self.span = span
        self.shifts: dict[str, list[Shift]] = defaultdict(list)
        for shift in rota.shifts:
            self.shifts[shift.person].append(shift)
        self.leave = leave_by_person(rota.leave)
        self._callouts = defaultdict(list)
        for callout in rota.callouts:
            self._callouts[callout.person].append(callout)
        self._checkers: dict[str, WorkingTime] = {}
        self._before: dict[str, dict[tuple[object, ...], float]] = {}
        self.checks = 0

    def _checker(self, person: str) -> WorkingTime:
        checker = self._checkers.get(person)
        if checker is None:
            known = self.rota.people.get(person)
            own = Rota(
                timezone=self.rota.timezone,
                people={person: known} if known is not None else {},
                shifts=list(self.shifts.get(person, [])),
                leave=[item for item in self.rota.leave if item.person == person],
                callouts=list(self._callouts.get(person, [])),
            )
            checker = WorkingTime(own, self.role_rules, region=self.region, window=self.span)
            self._checkers[person] = checker
            self._before[person] = {
                _key(finding): finding.excess or 0.0 for finding in checker.person_findings(person)
            }
        return checker

    def broken(self, person: str, extra: Sequence[Shift]) -> list[Finding]:
        """The findings that adding ``extra`` to ``person``'s shifts makes new or worse."""
        checker = self._checker(person)
        before = self._before[person]
        self.checks += 1
        return [
            finding
            for finding in checker.person_findings(person, list(extra))
            if _key(finding) not in before or (finding.excess or 0.0) > before[_key(finding)] + 1e-9
        ]


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

    def exclusion(self, person: str, role: str, start: datetime, end: datetime) -> Exclusion | None:
        """The first rule that rules ``person`` out of ``[start, end)`` in ``role``, or None."""
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
        broken = self.rules.broken(person, [Shift(person, role, start, end)])
        if broken:
            first = broken[0]
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
    rota: Rota, report: CoverageReport, eligibility: Eligibility, *, region: str
) -> Pieces:
    """The pieces of every gap in ``report``, with their candidates and exclusions."""
    by_role: dict[str, list[tuple[int, Gap]]] = defaultdict(list)
    for index, coverage in enumerate(report.roles):
        for gap in coverage.gaps:
            by_role[coverage.role].append((index, gap))
    qualifications = {index: coverage.qualification for index, coverage in enumerate(report.roles)}
    segments: list[Segment] = []
    drafts: list[tuple[str, Interval, tuple[int, ...], int | None]] = []
    pools: dict[str, tuple[str, ...]] = {}
    for role, gaps in by_role.items():
        pools[role] = eligibility.pool(role)
        handovers = Handovers(rota, role)
        first = len(segments)
        segments += _segments(role, gaps, handovers, qualifications)
        role_segments = list(range(first, len(segments)))
        intervals = sorted(
            {part for _index, gap in gaps for part in handovers.cut(gap.start, gap.end)}
        )
        for interval in intervals:
            drafts.append((role, interval, _inside(segments, role_segments, interval), None))
    return _evaluate(rota, drafts, segments, pools, eligibility, region)


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


def _evaluate(
    rota: Rota,
    drafts: list[tuple[str, Interval, tuple[int, ...], int | None]],
    segments: list[Segment],
    pools: Mapping[str, tuple[str, ...]],
    eligibility: Eligibility,
    region: str,
) -> Pieces:
    """Candidates and exclusions for each draft piece; cut at daily handovers where short."""
    pieces: list[Piece] = []
    handovers: dict[str, Handovers] = {}
    queue = list(drafts)
    while queue:
        role, (start, end), inside, parent = queue.pop(0)
        needs = [need for index in inside for need in segments[index].needs]
        most = max((need.shortfall for need in needs), default=0)
        if not inside or most == 0:
            continue
        candidates: list[str] = []
        excluded: list[Exclusion] = []
        for person in pools[role]:
            reason = eligibility.exclusion(person, role, start, end)
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
            cutter = handovers.setdefault(role, Handovers(rota, role))
            parts = cutter.cut(start, end, daily=True)
            if len(parts) > 1:
                role_segments = list(inside)
                queue += [
                    (role, part, _inside(segments, role_segments, part), number) for part in parts
                ]
    measured = _measures(rota, pieces, region)
    return Pieces(
        tuple(
            Piece(
                p.number,
                p.role,
                p.start,
                p.end,
                p.segments,
                p.most,
                measured[p.number],
                p.candidates,
                p.excluded,
                p.parent,
            )
            for p in pieces
        ),
        tuple(segments),
        dict(pools),
    )


def _measures(rota: Rota, pieces: Sequence[Piece], region: str) -> dict[int, Measures]:
    """Each piece's hours, nights, weekend and bank-holiday hours, as the fairness table
    counts them."""
    if not pieces:
        return {}
    scratch = Rota(
        timezone=rota.timezone,
        shifts=[Shift(f"piece {p.number}", p.role, p.start, p.end) for p in pieces],
    )
    window = (min(p.start for p in pieces), max(p.end for p in pieces))
    rows = {row.person: row for row in fairness_rows(scratch, window, region=region)}
    found = {}
    for piece in pieces:
        row = rows.get(f"piece {piece.number}")
        found[piece.number] = (
            Measures()
            if row is None
            else Measures(row.hours, row.nights, row.weekend_hours, row.bank_holiday_hours)
        )
    return found
