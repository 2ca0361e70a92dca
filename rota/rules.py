"""Working Time Regulations 1998 and local limits, as findings (never corrections).

A person's working time comes from :mod:`rota.work` (stand-by as its role says, day-job
hours, call-outs; leave taken off). Checked, each finding of kind ``working_time`` naming
its rule (``Finding.rule``) and by how much it is broken (``Finding.excess``); how each
rule is read, with its source, is in docs/rota.md and docs/assumptions.md:

* **reg 4** (weekly limit): average weekly working time over the reference period above
  48 h, worked out as reg 4(6) says, (A + B) / C: A the hours in the period, B the hours of
  as many days worked straight after it as there were leave days in it (reg 4(7)), C the
  weeks. The period is 17 weeks, or 26 for a role where reg 21 applies, set per role; the
  worst rolling period from a local midnight is reported.
* **reg 6** (night work): for a night worker, one who works at least 3 hours of night time
  (23:00-06:00) "as a normal course" (here: in at least a third of the weeks they work, as
  one week in three was in R v A-G for Northern Ireland, ex p Burns), more than 8 hours per
  24 on average over the reference period, A / (B - C) with one weekly rest day in seven
  taken off (reg 6(5)); and for night work in a role marked hazardous, more than 8 hours in
  any 24-hour period in which the night work is done (reg 6(7)).
* **reg 10** (daily rest): a stretch of work, joined across breaks under 11 h, longer than
  13 h: so some 24 hours hold no 11 consecutive hours' rest.
* **reg 11** (weekly rest): a week (Monday 00:00 local, reg 2 and 11(6)) whose longest rest
  is under 24 h, or, for a role given the fortnightly option (reg 11(2)), a fortnight with
  neither one 48 h rest nor two 24 h rests. The weekly rest may not include the 11 h daily
  rest (reg 11(7)), so 24 h means 35 h and 48 h means 59 h unless the role says it may.
* **reg 12** (rest breaks): for someone whose day-job hours are known, a working day of
  more than 6 h with no break of 20 minutes.
* **local limit**: more consecutive on-call days in a role than ``max_consecutive_days``;
  a local day counts when the person is on call for over half of it.

Regulation 21 exempts parts of civil protection services, with compensatory rest (reg 24);
Standby reports and leaves that judgement to the planner.

:class:`WorkingTime` is built once per rota and answers both "what is broken" and "what would
adding this shift break" (:meth:`WorkingTime.candidate_findings`), person by person, so a
gap-filler can try candidates cheaply.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from standby.rota.clock import DEFAULT_REGION, resolve_local, to_local, zone
from standby.rota.model import Finding, RoleRules, Rota, Shift
from standby.rota.oncall import Interval, leave_by_person, merge, seconds_in_slots
from standby.rota.work import DEFAULT_RULES, Piece, work_pieces, work_span

__all__ = [
    "Limits",
    "RoleRules",
    "WorkingTime",
    "merge_role_rules",
    "working_time_findings",
]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class Limits:
    """The regulations' numbers; change them only for a local agreement."""

    weekly_hours: float = 48.0
    night_hours_per_day: float = 8.0
    hazardous_night_hours: float = 8.0
    daily_rest_hours: float = 11.0
    weekly_rest_hours: float = 24.0
    fortnightly_rest_hours: float = 48.0
    break_after_hours: float = 6.0
    break_minutes: float = 20.0
    night_start: time = time(23, 0)
    night_end: time = time(6, 0)
    night_min_hours: float = 3.0
    night_worker_share: float = 1 / 3


def merge_role_rules(
    *sources: Mapping[str, RoleRules], not_work: Iterable[str] = ()
) -> dict[str, RoleRules]:
    """The settings of ``sources`` merged role by role, a later source winning.

    Each role named in ``not_work`` then has ``standby="rest"``, keeping its other
    settings. (``"all"`` is expanded by the caller, who knows the roles.)
    """
    merged: dict[str, RoleRules] = {}
    for source in sources:
        merged.update(source)
    for role in not_work:
        merged[role] = replace(merged.get(role, RoleRules()), standby="rest")
    return merged


def working_time_findings(
    rota: Rota,
    window: tuple[datetime, datetime],
    role_rules: Mapping[str, RoleRules] | None = None,
    limits: Limits | None = None,
    *,
    region: str = DEFAULT_REGION,
) -> list[Finding]:
    """Working-time findings that touch ``window``, using the whole rota for context."""
    return WorkingTime(rota, role_rules, limits=limits, region=region, window=window).findings(
        window
    )


class WorkingTime:
    """The working-time rules over one rota, person by person."""

    def __init__(
        self,
        rota: Rota,
        role_rules: Mapping[str, RoleRules] | None = None,
        *,
        limits: Limits | None = None,
        region: str = DEFAULT_REGION,
        window: Interval | None = None,
    ) -> None:
        self.rota = rota
        self.rules = dict(role_rules or {})
        self.limits = limits or Limits()
        self.region = region
        self.span = work_span(rota, window)
        self.leave = leave_by_person(rota.leave)
        self._pieces = work_pieces(rota, self.rules, self.span, region=region) if self.span else {}
        self._grid = _Grid(self.span, rota.timezone, self.limits) if self.span else None

    def findings(self, window: Interval) -> list[Finding]:
        """Every person's findings that touch ``window``."""
        if self.span is None:
            return []
        found: list[Finding] = []
        for person, pieces in self._pieces.items():
            found += self._person(person, pieces)
        found += self._consecutive_days(self.rota.shifts)
        start, end = window
        return [f for f in found if f.start < end and f.end > start]

    def person_findings(self, person: str, extra: Sequence[Shift] = ()) -> list[Finding]:
        """One person's findings, with ``extra`` shifts added (a candidate assignment)."""
        if not extra:
            pieces = self._pieces.get(person, [])
            shifts = [s for s in self.rota.shifts if s.person == person]
        else:
            span = work_span(self.rota, (min(s.start for s in extra), max(s.end for s in extra)))
            assert span is not None
            if self.span is None or span[0] < self.span[0] or span[1] > self.span[1]:
                return WorkingTime(
                    self.rota, self.rules, limits=self.limits, region=self.region, window=span
                ).person_findings(person, extra)
            pieces = work_pieces(
                self.rota, self.rules, self.span, region=self.region, extra=extra, only=person
            ).get(person, [])
            shifts = [s for s in [*self.rota.shifts, *extra] if s.person == person]
        return [*self._person(person, pieces), *self._consecutive_days(shifts)]

    def candidate_findings(self, shift: Shift) -> list[Finding]:
        """The findings that putting ``shift`` in the rota would add or make worse."""
        before = {_key(f) for f in self.person_findings(shift.person)}
        return [f for f in self.person_findings(shift.person, [shift]) if _key(f) not in before]

    # -------------------------------------------------------------------------- per person

    def _settings(self, pieces: list[Piece]) -> tuple[int, bool, bool, set[str]]:
        """Reference weeks, fortnightly rest, rest overlap allowed, hazardous roles."""
        roles = {piece.role for piece in pieces if piece.role is not None}
        settings = [self.rules.get(role, DEFAULT_RULES) for role in roles] or [DEFAULT_RULES]
        weeks = max(rule.reference_weeks for rule in settings)
        fortnightly = all(rule.weekly_rest == "fortnightly" for rule in settings)
        overlap = all(rule.weekly_rest_may_include_daily_rest for rule in settings)
        hazardous = {r for r in roles if self.rules.get(r, DEFAULT_RULES).hazardous_night_work}
        return weeks, fortnightly, overlap, hazardous

    def _person(self, person: str, pieces: list[Piece]) -> list[Finding]:
        if not pieces or self._grid is None:
            return []
        work = merge([(piece.start, piece.end) for piece in pieces])
        weeks, fortnightly, overlap, hazardous = self._settings(pieces)
        checks = _PersonChecks(self, person, pieces, work)
        found = checks.daily_rest()
        found += checks.weekly_rest(fortnightly=fortnightly, overlap=overlap)
        found += checks.averages(weeks, self.leave.get(person, []))
        if hazardous and checks.is_night_worker():
            found += checks.hazardous_nights(hazardous)
        known = self.rota.people.get(person)
        if known is not None and known.day_job:
            found += checks.breaks()
        return found

    def _consecutive_days(self, shifts: Iterable[Shift]) -> list[Finding]:
        by_role: dict[tuple[str, str], list[Interval]] = defaultdict(list)
        for shift in shifts:
            limit = self.rules.get(shift.role, DEFAULT_RULES).max_consecutive_days
            if limit is not None and shift.end > shift.start:
                by_role[(shift.person, shift.role)] += _minus_leave(
                    shift, self.leave.get(shift.person, [])
                )
        found = []
        for (person, role), on_call in by_role.items():
            limit = self.rules[role].max_consecutive_days
            assert limit is not None
            found += _consecutive(person, role, merge(on_call), limit, self.rota.timezone)
        return found


def _key(finding: Finding) -> tuple[object, ...]:
    return (finding.rule, finding.role, finding.start, finding.end)


def _minus_leave(shift: Shift, leave: list[Interval]) -> list[Interval]:
    from standby.rota.oncall import subtract

    return subtract(shift.start, shift.end, leave)


class _Grid:
    """Local midnights and nights (UTC) across the working-time span, and its weeks."""

    def __init__(self, span: Interval, timezone: str, limits: Limits) -> None:
        tz = zone(timezone)
        first = span[0].astimezone(tz).date()
        first -= timedelta(days=first.weekday() + 7)  # a Monday, a week before the span
        last = span[1].astimezone(tz).date() + timedelta(days=15)
        self.timezone = timezone
        self.first = first
        self.dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.starts = [resolve_local(datetime.combine(day, time(0, 0)), tz) for day in self.dates]
        self.nights = [
            (
                resolve_local(datetime.combine(day, limits.night_start), tz),
                resolve_local(datetime.combine(day + DAY, limits.night_end), tz),
            )
            for day in self.dates
        ]
        self.lengths = [
            (later - earlier).total_seconds()
            for earlier, later in zip(
                self.starts, [*self.starts[1:], self.starts[-1] + DAY], strict=True
            )
        ]
        stamps = [start.timestamp() for start in self.starts]
        self.day_bounds = list(zip(stamps, [*stamps[1:], stamps[-1] + 86400.0], strict=True))
        self.night_bounds = [(a.timestamp(), b.timestamp()) for a, b in self.nights]
        self._texts: dict[datetime, str] = {}
        self.span = span

    def day_index(self, instant: datetime) -> int:
        return max(bisect_right(self.starts, instant) - 1, 0)

    def per_day(self, work: list[Interval]) -> list[float]:
        """Seconds of ``work`` on each local day of the grid."""
        return seconds_in_slots(work, self.day_bounds)

    def per_night(self, work: list[Interval]) -> list[float]:
        """Seconds of ``work`` in the night time that starts on each local day."""
        return seconds_in_slots(work, self.night_bounds)

    def text(self, instant: datetime) -> str:
        """``Mon 05 Jan 2026 09:00``, local; the same few handover times recur all year."""
        known = self._texts.get(instant)
        if known is None:
            known = self._texts[instant] = to_local(instant, self.timezone).strftime(
                "%a %d %b %Y %H:%M"
            )
        return known


class _PersonChecks:
    """The rules applied to one person's merged working time."""

    def __init__(
        self, owner: WorkingTime, person: str, pieces: list[Piece], work: list[Interval]
    ) -> None:
        assert owner._grid is not None
        self.grid = owner._grid
        self.limits = owner.limits
        self.person = person
        self.pieces = pieces
        self.piece_starts = [piece.start for piece in pieces]
        self.kinds = list(dict.fromkeys(piece.kind for piece in pieces))
        self.leave = owner.leave.get(person, [])
        self.work = work
        self.starts = [a for a, _ in work]
        self.ends = [b for _, b in work]
        self.cumulative = [0.0, *accumulate((b - a).total_seconds() for a, b in work)]
        self._day_seconds: list[float] | None = None

    @property
    def day_seconds(self) -> list[float]:
        """Seconds of work on each local day of the grid (worked out once)."""
        if self._day_seconds is None:
            self._day_seconds = self.grid.per_day(self.work)
        return self._day_seconds

    def finding(
        self, rule: str, start: datetime, end: datetime, excess: float, detail: str
    ) -> Finding:
        return Finding(
            "working_time", self.person, start, end, f"{rule} {detail}", rule=rule, excess=excess
        )

    def worked(self, low: datetime, high: datetime) -> float:
        """Seconds of work inside ``[low, high)``."""
        first = bisect_right(self.ends, low)
        last = bisect_left(self.starts, high)
        if first >= last:
            return 0.0
        total = self.cumulative[last] - self.cumulative[first]
        total -= max((low - self.starts[first]).total_seconds(), 0.0)
        total -= max((self.ends[last - 1] - high).total_seconds(), 0.0)
        return total

    def made_of(self, start: datetime, end: datetime) -> str:
        """What the work in ``[start, end)`` (a stretch, so it holds whole pieces) was."""
        if len(self.kinds) == 1:
            return self.kinds[0]
        low = bisect_left(self.piece_starts, start)
        high = bisect_left(self.piece_starts, end)
        return ", ".join(dict.fromkeys(piece.kind for piece in self.pieces[low:high]))

    # -------------------------------------------------------------------------- reg 10, 12

    def daily_rest(self) -> list[Finding]:
        rest = self.limits.daily_rest_hours
        found = []
        for start, end, longest in _stretches(self.work, rest * HOUR):
            if end - start > 24 * HOUR - rest * HOUR:
                found.append(
                    self.finding(
                        "reg 10",
                        start,
                        end,
                        rest - longest.total_seconds() / 3600,
                        f"daily rest: {_h(end - start)} of work with no {rest:g} h break "
                        f"({self.made_of(start, end)}, {self.grid.text(start)} to "
                        f"{self.grid.text(end)}; longest rest {_h(longest)}; needs {rest:g} "
                        "consecutive hours' rest in each 24 hours)",
                    )
                )
        return found

    def breaks(self) -> list[Finding]:
        due = self.limits.break_after_hours * HOUR
        minutes = self.limits.break_minutes
        found = []
        for start, end, _longest in _stretches(self.work, timedelta(minutes=minutes)):
            if end - start > due:
                found.append(
                    self.finding(
                        "reg 12",
                        start,
                        end,
                        (end - start - due).total_seconds() / 3600,
                        f"rest break: {_h(end - start)} of work with no {minutes:g}-minute "
                        f"break ({self.made_of(start, end)}, {self.grid.text(start)} to "
                        f"{self.grid.text(end)}; a break is due when the working day is over "
                        f"{self.limits.break_after_hours:g} h)",
                    )
                )
        return found

    # -------------------------------------------------------------------------- reg 11

    def weekly_rest(self, *, fortnightly: bool, overlap: bool) -> list[Finding]:
        daily = 0.0 if overlap else self.limits.daily_rest_hours
        single = self.limits.weekly_rest_hours + daily
        double = self.limits.fortnightly_rest_hours + daily
        days = 14 if fortnightly else 7
        first = self.grid.day_index(self.grid.span[0])
        first -= (first - 0) % 7  # the grid starts on a Monday
        found = []
        for index in range(first, len(self.grid.starts) - days, days):
            begin, finish = self.grid.starts[index], self.grid.starts[index + days]
            if begin >= self.grid.span[1]:
                break
            if self.worked(begin, finish) <= 0:
                continue
            rests = sorted(self._rests(begin, finish), reverse=True)
            longest = rests[0] if rests else 0.0
            second = rests[1] if len(rests) > 1 else 0.0
            if not fortnightly and longest >= single:
                continue
            if fortnightly and (longest >= double or second >= single):
                continue
            need = double if fortnightly else single
            found.append(
                self.finding(
                    "reg 11",
                    begin,
                    finish,
                    need - longest,
                    self._weekly_text(begin, longest, second, fortnightly, overlap),
                )
            )
        return found

    def _weekly_text(
        self, begin: datetime, longest: float, second: float, fortnightly: bool, overlap: bool
    ) -> str:
        limits = self.limits
        plus = "" if overlap else f" plus the {limits.daily_rest_hours:g} h daily rest (reg 11(7))"
        start = to_local(begin, self.grid.timezone).strftime("%a %d %b %Y")
        if fortnightly:
            return (
                f"weekly rest: fortnight from {start}: longest rests {longest:.1f} h and "
                f"{second:.1f} h; needs one {limits.fortnightly_rest_hours:g} h or two "
                f"{limits.weekly_rest_hours:g} h uninterrupted rests{plus} (reg 11(2))"
            )
        return (
            f"weekly rest: week from {start}: longest rest {longest:.1f} h; needs "
            f"{limits.weekly_rest_hours:g} h uninterrupted in each 7 days{plus}"
        )

    def _rests(self, begin: datetime, finish: datetime) -> list[float]:
        """Hours of each rest (gap between work) inside ``[begin, finish)``."""
        first = max(bisect_right(self.ends, begin) - 1, 0)
        cursor = begin
        rests = []
        for index in range(first, len(self.work)):
            start, end = self.work[index]
            if end <= begin:
                continue
            if start >= finish:
                break
            if start > cursor:
                rests.append((start - cursor).total_seconds() / 3600)
            cursor = max(cursor, end)
        if finish > cursor:
            rests.append((finish - cursor).total_seconds() / 3600)
        return rests

    # -------------------------------------------------------------------------- reg 4, 6

    def averages(self, weeks: int, leave: list[Interval]) -> list[Finding]:
        grid = self.grid
        days = weeks * 7
        seconds = self.day_seconds
        sums = [0.0, *accumulate(seconds)]
        leave_days = self._leave_days(leave)
        leave_sums = [0, *accumulate(leave_days)]
        worked_days = [index for index, value in enumerate(seconds) if value > 0]
        worked_sums = [0.0, *accumulate(seconds[index] for index in worked_days)]
        first = grid.day_index(grid.span[0])
        last_day = grid.day_index(grid.span[1] - timedelta(microseconds=1))
        latest = max(last_day + 1 - days, first)
        size = len(seconds)

        def period(index: int) -> tuple[float, int, int]:
            """(A + B) in seconds, the excluded days and the days taken after, from ``index``."""
            end = index + days
            excluded = leave_sums[min(end, size)] - leave_sums[index]
            total = sums[min(end, size)] - sums[index]
            if not excluded:
                return total, 0, 0
            after = bisect_left(worked_days, end)
            taken = min(excluded, len(worked_days) - after)
            return total + worked_sums[after + taken] - worked_sums[after], excluded, taken

        candidates = range(first, latest + 1)
        if not candidates:
            return []
        # A for every start at once; B only where the period holds leave.
        totals = [sums[min(start + days, size)] - sums[start] for start in candidates]
        amounts = totals
        if any(leave_days):
            amounts = [period(start)[0] for start in candidates]
        best = max(amounts)
        index = first + amounts.index(best)  # the earliest of equals
        amount, excluded, taken = period(index)
        average = amount / 3600 / weeks
        begin = grid.starts[index]
        finish = grid.starts[min(index + days, len(grid.starts) - 1)]
        covered = (min(grid.span[1], finish) - begin) / WEEK
        unseen = (
            f"; the rota covers only {covered:.1f} of those weeks and the rest counts as time off"
            if covered < weeks - 1e-9
            else ""
        )
        found = []
        if average > self.limits.weekly_hours:
            substituted = (
                f"; {excluded} leave day(s) in the period replaced by the first {taken} day(s) "
                "worked after it (reg 4(6)-(7))"
                if excluded
                else ""
            )
            short = (
                f", the rota ending before {excluded - taken} more could be added"
                if taken < excluded
                else ""
            )
            found.append(
                self.finding(
                    "reg 4",
                    begin,
                    finish,
                    average - self.limits.weekly_hours,
                    f"weekly limit: {average:.1f} h a week on average over {weeks} weeks from "
                    f"{self.grid.text(begin)} (limit {self.limits.weekly_hours:g} h, unless "
                    f"the person has opted out){substituted}{short}{unseen}",
                )
            )
        found += self._night_average(weeks, first, totals, unseen)
        return found

    def _leave_days(self, leave: list[Interval]) -> list[int]:
        """1 for each local day more than half on leave (reg 4(7)'s excluded days)."""
        if not leave:
            return [0] * len(self.grid.starts)
        seconds = self.grid.per_day(merge(leave))
        return [
            1 if value > length / 2 else 0
            for value, length in zip(seconds, self.grid.lengths, strict=True)
        ]

    def is_night_worker(self) -> bool:
        """At least 3 h of night work in at least a third of the weeks worked."""
        nights = self.grid.per_night(self.work)
        seconds = self.day_seconds
        weeks_worked: set[int] = set()
        weeks_with_nights: set[int] = set()
        for index, value in enumerate(seconds):
            if value > 0:
                weeks_worked.add(index // 7)
            if nights[index] >= self.limits.night_min_hours * 3600:
                weeks_with_nights.add(index // 7)
        if not weeks_worked:
            return False
        return len(weeks_with_nights) >= self.limits.night_worker_share * len(weeks_worked)

    def _night_average(
        self, weeks: int, first: int, totals: list[float], unseen: str
    ) -> list[Finding]:
        """Reg 6(1) over the worst period; ``totals`` are the hours from each start ``first``
        on (reg 4's A, without the leave days' replacement)."""
        grid = self.grid
        days = weeks * 7
        most = max(totals)
        worst = first + totals.index(most)
        hours = most / 3600
        per_day = hours / (days - days / 7)
        if per_day <= self.limits.night_hours_per_day or not self.is_night_worker():
            return []
        begin = grid.starts[worst]
        finish = grid.starts[min(worst + days, len(grid.starts) - 1)]
        return [
            self.finding(
                "reg 6",
                begin,
                finish,
                per_day - self.limits.night_hours_per_day,
                f"night work: {per_day:.1f} h per 24 hours on average over {weeks} weeks from "
                f"{grid.text(begin)} (limit {self.limits.night_hours_per_day:g} h for a night "
                f"worker, one weekly rest day in seven left out, reg 6(5)){unseen}",
            )
        ]

    def hazardous_nights(self, roles: set[str]) -> list[Finding]:
        """Reg 6(7): no more than 8 h in any 24 h in which hazardous night work is done."""
        limit = self.limits.hazardous_night_hours
        nights = [
            (max(p.start, a), min(p.end, b))
            for p in self.pieces
            if p.role in roles
            for a, b in self.grid.nights
            if p.start < b and a < p.end
        ]
        found: list[Finding] = []
        for night_start, night_end in merge(nights):
            candidates = {night_end - DAY, night_start}
            candidates |= {s for s in self.starts if night_end - DAY <= s <= night_start}
            candidates |= {e - DAY for e in self.ends if night_end <= e <= night_start + DAY}
            # Of the worst 24 hours, the latest start: the one that begins with the shift.
            worst = max(candidates, key=lambda t: (round(self.worked(t, t + DAY), 6), t))
            hours = self.worked(worst, worst + DAY) / 3600
            if hours <= limit:
                continue
            if found and found[-1].end > worst:
                continue  # the same 24 hours as the night before
            found.append(
                self.finding(
                    "reg 6(7)",
                    worst,
                    worst + DAY,
                    hours - limit,
                    f"hazardous night work: {hours:.1f} h of work in the 24 hours from "
                    f"{self.grid.text(worst)}, which include night work in a role marked "
                    f"hazardous (limit {limit:g} h in any 24 hours for a night worker)",
                )
            )
        return found


def _stretches(
    work: list[Interval], join_below: timedelta
) -> list[tuple[datetime, datetime, timedelta]]:
    """Stretches of work whose breaks are all shorter than ``join_below``, with the longest."""
    stretches: list[tuple[datetime, datetime, timedelta]] = []
    for start, end in work:
        if stretches and start - stretches[-1][1] < join_below:
            first, last, longest = stretches[-1]
            stretches[-1] = (first, end, max(longest, start - last))
        else:
            stretches.append((start, end, timedelta(0)))
    return stretches


def _h(length: timedelta) -> str:
    return f"{length.total_seconds() / 3600:.1f} h"


def _consecutive(
    person: str, role: str, on_call: list[Interval], limit: int, timezone: str
) -> list[Finding]:
    tz = zone(timezone)
    counted: list[tuple[date, datetime, datetime]] = []
    seconds: dict[date, float] = defaultdict(float)
    for start, end in on_call:
        day = start.astimezone(tz).date()
        while True:
            day_start = resolve_local(datetime.combine(day, time(0, 0)), tz)
            if day_start >= end:
                break
            day_end = resolve_local(datetime.combine(day + DAY, time(0, 0)), tz)
            low, high = max(start, day_start), min(end, day_end)
            if low < high:
                seconds[day] += (high - low).total_seconds()
            day += DAY
    for day in sorted(seconds):
        day_start = resolve_local(datetime.combine(day, time(0, 0)), tz)
        day_end = resolve_local(datetime.combine(day + DAY, time(0, 0)), tz)
        if seconds[day] > (day_end - day_start).total_seconds() / 2:
            counted.append((day, day_start, day_end))
    found = []
    run: list[tuple[date, datetime, datetime]] = []
    for item in [*counted, None]:
        if item is not None and run and item[0] == run[-1][0] + DAY:
            run.append(item)
            continue
        if len(run) > limit:
            found.append(
                Finding(
                    "working_time",
                    person,
                    run[0][1],
                    run[-1][2],
                    f"local limit: on call {len(run)} consecutive days for {role} (limit {limit})",
                    role,
                    rule="local limit",
                    excess=float(len(run) - limit),
                )
            )
        run = [item] if item is not None else []
    return found
