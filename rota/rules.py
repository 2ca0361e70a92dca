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
from itertools import accumulate, compress
from operator import itemgetter, sub

from standby.rota.clock import DEFAULT_REGION, resolve_local, to_local, zone
from standby.rota.epoch import DAY as DAY_MICROS
from standby.rota.epoch import (
    SECOND,
    Instants,
    MicroInterval,
    Micros,
    instant,
    length,
    micros,
    seconds,
)
from standby.rota.model import Finding, RoleRules, Rota, Shift
from standby.rota.oncall import Cover, Interval, Slots, leave_by_person, leave_micros, merge
from standby.rota.work import DEFAULT_RULES, MicroPiece, work_span, work_spans

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
    on_call: Cover | None = None,
) -> list[Finding]:
    """Working-time findings that touch ``window``, using the whole rota for context.

    ``on_call``: the rota's :class:`~rota.oncall.Cover` over ``window``, when the caller
    has it (see :class:`WorkingTime`).
    """
    return WorkingTime(
        rota, role_rules, limits=limits, region=region, window=window, on_call=on_call
    ).findings(window)


class WorkingTime:
    """The working-time rules over one rota, person by person.

    ``on_call`` may give the rota's :class:`~rota.oncall.Cover` over ``window``, as the
    coverage check has it: when the window holds every shift whole, the working time is
    taken from it instead of reading the shifts again.
    """

    def __init__(
        self,
        rota: Rota,
        role_rules: Mapping[str, RoleRules] | None = None,
        *,
        limits: Limits | None = None,
        region: str = DEFAULT_REGION,
        window: Interval | None = None,
        on_call: Cover | None = None,
    ) -> None:
        self.rota = rota
        self.rules = dict(role_rules or {})
        self.limits = limits or Limits()
        self.region = region
        whole = (
            on_call if on_call is not None and not on_call.clipped and window is not None else None
        )
        self.span = work_span(rota, window, shifts_inside=whole is not None)
        self.leave = leave_by_person(rota.leave)
        self._leave_micros = leave_micros(rota.leave, Micros())
        self._pieces = (
            work_spans(rota, self.rules, self.span, region=region, on_call=whole)
            if self.span
            else {}
        )
        self._grid = _Grid(self.span, rota.timezone, self.limits) if self.span else None
        self._instant = Instants()

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
            pieces = work_spans(
                self.rota, self.rules, self.span, region=self.region, extra=extra, only=person
            ).get(person, [])
            shifts = [s for s in [*self.rota.shifts, *extra] if s.person == person]
        return [*self._person(person, pieces), *self._consecutive_days(shifts)]

    def candidate_findings(self, shift: Shift) -> list[Finding]:
        """The findings that putting ``shift`` in the rota would add or make worse."""
        before = {_key(f) for f in self.person_findings(shift.person)}
        return [f for f in self.person_findings(shift.person, [shift]) if _key(f) not in before]

    # -------------------------------------------------------------------------- per person

    def _settings(self, roles: set[str]) -> tuple[int, bool, bool, set[str]]:
        """Reference weeks, fortnightly rest, rest overlap allowed, hazardous roles."""
        settings = [self.rules.get(role, DEFAULT_RULES) for role in roles] or [DEFAULT_RULES]
        weeks = max(rule.reference_weeks for rule in settings)
        fortnightly = all(rule.weekly_rest == "fortnightly" for rule in settings)
        overlap = all(rule.weekly_rest_may_include_daily_rest for rule in settings)
        hazardous = {r for r in roles if self.rules.get(r, DEFAULT_RULES).hazardous_night_work}
        return weeks, fortnightly, overlap, hazardous

    def _person(self, person: str, pieces: list[MicroPiece]) -> list[Finding]:
        if not pieces or self._grid is None:
            return []
        work, roles, kinds = _union(pieces)
        weeks, fortnightly, overlap, hazardous = self._settings(roles)
        checks = _PersonChecks(self, person, pieces, work, kinds)
        found = checks.daily_rest()
        found += checks.weekly_rest(fortnightly=fortnightly, overlap=overlap)
        found += checks.averages(weeks, self._leave_micros.get(person, []))
        if hazardous and checks.is_night_worker():
            found += checks.hazardous_nights(hazardous)
        known = self.rota.people.get(person)
        if known is not None and known.day_job:
            found += checks.breaks()
        return found

    def _consecutive_days(self, shifts: Iterable[Shift]) -> list[Finding]:
        limited = {role for role, rule in self.rules.items() if rule.max_consecutive_days}
        if not limited:
            return []
        by_role: dict[tuple[str, str], list[Interval]] = defaultdict(list)
        for shift in shifts:
            if shift.role in limited and shift.end > shift.start:
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


def _union(pieces: list[MicroPiece]) -> tuple[list[MicroInterval], set[str], list[str]]:
    """The pieces (sorted by start) as disjoint, non-touching intervals; their roles; and
    their kinds in first-seen order."""
    work: list[MicroInterval] = []
    append = work.append
    low, high = pieces[0][0], pieces[0][1]
    for start, end, _kind, _role in pieces:
        if start <= high:
            if end > high:
                high = end
        else:
            append((low, high))
            low, high = start, end
    append((low, high))
    roles: set[str] = set(map(itemgetter(3), pieces)) - {None}  # call-outs may have no role
    return work, roles, list(dict.fromkeys(map(itemgetter(2), pieces)))


class _Grid:
    """Local midnights and nights across the working-time span, and its weeks.

    Instants are microseconds since the epoch (``rota.epoch``).
    """

    def __init__(self, span: Interval, timezone: str, limits: Limits) -> None:
        tz = zone(timezone)
        first = span[0].astimezone(tz).date()
        first -= timedelta(days=first.weekday() + 7)  # a Monday, a week before the span
        last = span[1].astimezone(tz).date() + timedelta(days=15)
        self.timezone = timezone
        dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        midnight = time(0, 0)
        self.starts = [micros(resolve_local(datetime.combine(day, midnight), tz)) for day in dates]
        self.nights = [
            (
                micros(resolve_local(datetime.combine(day, limits.night_start), tz)),
                micros(resolve_local(datetime.combine(day + DAY, limits.night_end), tz)),
            )
            for day in dates
        ]
        self.night_ends = [end for _start, end in self.nights]
        self.night_slots = Slots(self.nights)
        ends = [*self.starts[1:], self.starts[-1] + DAY_MICROS]
        self.day_slots = Slots(zip(self.starts, ends, strict=True))
        self.lengths: list[int] = list(map(sub, ends, self.starts))
        self._texts: dict[int, str] = {}
        self.span = (micros(span[0]), micros(span[1]))

    def day_index(self, moment: int) -> int:
        return max(bisect_right(self.starts, moment) - 1, 0)

    def per_day(self, work: list[MicroInterval]) -> list[int]:
        """Microseconds of ``work`` on each local day of the grid."""
        return self.day_slots.amounts(work)

    def per_night(self, work: list[MicroInterval]) -> list[int]:
        """Microseconds of ``work`` in the night time that starts on each local day."""
        return self.night_slots.amounts(work)

    def text(self, moment: int) -> str:
        """``Mon 05 Jan 2026 09:00``, local; the same few handover times recur all year."""
        known = self._texts.get(moment)
        if known is None:
            known = self._texts[moment] = to_local(instant(moment), self.timezone).strftime(
                "%a %d %b %Y %H:%M"
            )
        return known


class _PersonChecks:
    """The rules applied to one person's merged working time (microseconds, ``rota.epoch``)."""

    def __init__(
        self,
        owner: WorkingTime,
        person: str,
        pieces: list[MicroPiece],
        work: list[MicroInterval],
        kinds: list[str],
    ) -> None:
        assert owner._grid is not None
        self.grid = owner._grid
        self.limits = owner.limits
        self.instant = owner._instant
        self.person = person
        self.pieces = pieces
        self.kinds = kinds
        self.work = work
        self.starts: list[int] = list(map(itemgetter(0), work))
        self.ends: list[int] = list(map(itemgetter(1), work))
        self.cumulative: list[int] = [0, *accumulate(map(sub, self.ends, self.starts))]
        self._day_micros: list[int] | None = None
        self._night_worker: bool | None = None

    @property
    def day_micros(self) -> list[int]:
        """Microseconds of work on each local day of the grid (worked out once)."""
        if self._day_micros is None:
            self._day_micros = self.grid.per_day(self.work)
        return self._day_micros

    def finding(self, rule: str, start: int, end: int, excess: float, detail: str) -> Finding:
        return Finding(
            "working_time",
            self.person,
            self.instant(start),
            self.instant(end),
            f"{rule} {detail}",
            rule=rule,
            excess=excess,
        )

    def worked(self, low: int, high: int) -> int:
        """Microseconds of work inside ``[low, high)``."""
        first = bisect_right(self.ends, low)
        last = bisect_left(self.starts, high)
        if first >= last:
            return 0
        total = self.cumulative[last] - self.cumulative[first]
        total -= max(low - self.starts[first], 0)
        total -= max(self.ends[last - 1] - high, 0)
        return total

    def made_of(self, start: int, end: int) -> str:
        """What the work in ``[start, end)`` (a stretch, so it holds whole pieces) was."""
        if len(self.kinds) == 1:
            return self.kinds[0]
        low = bisect_left(self.pieces, start, key=itemgetter(0))
        high = bisect_left(self.pieces, end, key=itemgetter(0))
        return ", ".join(dict.fromkeys(piece[2] for piece in self.pieces[low:high]))

    # -------------------------------------------------------------------------- reg 10, 12

    def daily_rest(self) -> list[Finding]:
        rest = self.limits.daily_rest_hours
        join = length(rest * HOUR)
        longest_work = length(24 * HOUR - rest * HOUR)
        found = []
        # Stretches of work joined across rests shorter than the daily rest.
        first, last = self.work[0]
        longest = 0
        for start, end in self.work[1:]:
            if start - last < join:
                if start - last > longest:
                    longest = start - last
                last = end
                continue
            if last - first > longest_work:
                found.append(self._daily_rest_finding(first, last, longest, rest))
            first, last, longest = start, end, 0
        if last - first > longest_work:
            found.append(self._daily_rest_finding(first, last, longest, rest))
        return found

    def _daily_rest_finding(self, start: int, end: int, longest: int, rest: float) -> Finding:
        # The commonest finding of a busy rota (thousands a year): made in one go.
        text = self.grid.text
        return Finding(
            "working_time",
            self.person,
            self.instant(start),
            self.instant(end),
            f"reg 10 daily rest: {(end - start) / SECOND / 3600:.1f} h of work with no "
            f"{rest:g} h break ({self.made_of(start, end)}, {text(start)} to {text(end)}; "
            f"longest rest {longest / SECOND / 3600:.1f} h; needs {rest:g} consecutive "
            "hours' rest in each 24 hours)",
            None,
            "reg 10",
            rest - longest / SECOND / 3600,
        )

    def breaks(self) -> list[Finding]:
        due = length(self.limits.break_after_hours * HOUR)
        minutes = self.limits.break_minutes
        found = []
        for start, end, _longest in _stretches(self.work, length(timedelta(minutes=minutes))):
            if end - start > due:
                found.append(
                    self.finding(
                        "reg 12",
                        start,
                        end,
                        seconds(end - start - due) / 3600,
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
        grid = self.grid
        starts, ends = self.starts, self.ends
        # The rest between each stretch of work and the next.
        between: list[int] = list(map(sub, starts[1:], ends[:-1]))
        first = grid.day_index(grid.span[0])
        first -= (first - 0) % 7  # the grid starts on a Monday
        found = []
        for index in range(first, len(grid.starts) - days, days):
            begin, finish = grid.starts[index], grid.starts[index + days]
            if begin >= grid.span[1]:
                break
            low = bisect_right(ends, begin)  # the first work ending after the week begins
            high = bisect_left(starts, finish)  # the first starting after it ends
            if low >= high:
                continue  # no work that week
            # The rests: before the first work in the week, between works, after the last.
            rests = between[low : high - 1]
            if starts[low] > begin:
                rests.append(starts[low] - begin)
            if ends[high - 1] < finish:
                rests.append(finish - ends[high - 1])
            if fortnightly:
                rests.sort(reverse=True)
                longest = seconds(rests[0]) / 3600 if rests else 0.0
                second = seconds(rests[1]) / 3600 if len(rests) > 1 else 0.0
                if longest >= double or second >= single:
                    continue
            else:
                longest = seconds(max(rests)) / 3600 if rests else 0.0
                second = 0.0
                if longest >= single:
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
        self, begin: int, longest: float, second: float, fortnightly: bool, overlap: bool
    ) -> str:
        limits = self.limits
        plus = "" if overlap else f" plus the {limits.daily_rest_hours:g} h daily rest (reg 11(7))"
        start = to_local(self.instant(begin), self.grid.timezone).strftime("%a %d %b %Y")
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

    # -------------------------------------------------------------------------- reg 4, 6

    def averages(self, weeks: int, leave: list[MicroInterval]) -> list[Finding]:
        grid = self.grid
        days = weeks * 7
        per_day = self.day_micros
        size = len(per_day)
        sums = [0, *accumulate(per_day)]
        first = grid.day_index(grid.span[0])
        last_day = grid.day_index(grid.span[1] - 1)
        latest = max(last_day + 1 - days, first)
        candidates = range(first, latest + 1)
        if not candidates:
            return []
        # A for every start at once; B only where the period holds leave.
        period_ends: Sequence[int] = (
            range(first + days, latest + days + 1)
            if latest + days <= size
            else [min(start + days, size) for start in candidates]
        )
        totals: list[int] = list(map(sub, map(sums.__getitem__, period_ends), sums[first:]))
        amounts = totals
        leave_days = self._leave_days(leave)
        leave_sums = [0, *accumulate(leave_days)]
        # The days worked, and how many of them come before each day.
        worked_sums = [0, *accumulate(compress(per_day, per_day))]
        worked_before = [0, *accumulate(map(bool, per_day))]
        worked_count = worked_before[-1]

        def period(index: int) -> tuple[int, int, int]:
            """(A + B), the excluded days and the days taken after, from ``index``."""
            end = min(index + days, size)
            excluded = leave_sums[end] - leave_sums[index]
            total = sums[end] - sums[index]
            if not excluded:
                return total, 0, 0
            after = worked_before[end]
            taken = min(excluded, worked_count - after)
            return total + worked_sums[after + taken] - worked_sums[after], excluded, taken

        if leave_sums[-1]:
            amounts = [
                total
                + worked_sums[after + min(excluded, worked_count - after)]
                - worked_sums[after]
                if excluded
                else total
                for total, excluded, after in zip(
                    totals,
                    map(sub, map(leave_sums.__getitem__, period_ends), leave_sums[first:]),
                    map(worked_before.__getitem__, period_ends),
                    strict=False,
                )
            ]
        best = max(amounts)
        index = first + amounts.index(best)  # the earliest of equals
        amount, excluded, taken = period(index)
        average = seconds(amount) / 3600 / weeks
        begin = grid.starts[index]
        finish = grid.starts[min(index + days, len(grid.starts) - 1)]
        covered = (min(grid.span[1], finish) - begin) / (7 * DAY_MICROS)
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

    def _leave_days(self, leave: list[MicroInterval]) -> list[int]:
        """1 for each local day more than half on leave (reg 4(7)'s excluded days)."""
        if not leave:
            return [0] * len(self.grid.starts)
        on_leave = self.grid.per_day(merge(leave))
        return [
            1 if 2 * value > day else 0
            for value, day in zip(on_leave, self.grid.lengths, strict=True)
        ]

    def is_night_worker(self) -> bool:
        """At least 3 h of night work in at least a third of the weeks worked."""
        if self._night_worker is None:
            nights = self.grid.per_night(self.work)
            least = self.limits.night_min_hours * 3600
            weeks_worked = {index // 7 for index in compress(range(len(nights)), self.day_micros)}
            # A night with no work at all counts only where the limit is 0 h.
            with_work = compress(range(len(nights)), nights) if least > 0 else range(len(nights))
            weeks_with_nights = {
                index // 7 for index in with_work if seconds(nights[index]) >= least
            }
            self._night_worker = bool(weeks_worked) and len(
                weeks_with_nights
            ) >= self.limits.night_worker_share * len(weeks_worked)
        return self._night_worker

    def _night_average(
        self, weeks: int, first: int, totals: list[int], unseen: str
    ) -> list[Finding]:
        """Reg 6(1) over the worst period; ``totals`` are the work from each start ``first``
        on (reg 4's A, without the leave days' replacement)."""
        grid = self.grid
        days = weeks * 7
        most = max(totals)
        worst = first + totals.index(most)
        hours = seconds(most) / 3600
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
        grid = self.grid
        nights: list[MicroInterval] = []
        for start, end, _kind, role in self.pieces:
            if role not in roles:
                continue
            index = bisect_right(grid.night_ends, start)
            while index < len(grid.nights) and grid.nights[index][0] < end:
                night_start, night_end = grid.nights[index]
                nights.append((max(start, night_start), min(end, night_end)))
                index += 1
        found: list[Finding] = []
        last_end = None
        for night_start, night_end in merge(nights):
            candidates = {night_end - DAY_MICROS, night_start}
            low = bisect_left(self.starts, night_end - DAY_MICROS)
            candidates.update(self.starts[low : bisect_right(self.starts, night_start)])
            low = bisect_left(self.ends, night_end)
            high = bisect_right(self.ends, night_start + DAY_MICROS)
            candidates.update(end - DAY_MICROS for end in self.ends[low:high])
            # Of the worst 24 hours, the latest start: the one that begins with the shift.
            worst = max(
                candidates,
                key=lambda t: (round(seconds(self.worked(t, t + DAY_MICROS)), 6), t),
            )
            hours = seconds(self.worked(worst, worst + DAY_MICROS)) / 3600
            if hours <= limit:
                continue
            if last_end is not None and last_end > worst:
                continue  # the same 24 hours as the night before
            last_end = worst + DAY_MICROS
            found.append(
                self.finding(
                    "reg 6(7)",
                    worst,
                    worst + DAY_MICROS,
                    hours - limit,
                    f"hazardous night work: {hours:.1f} h of work in the 24 hours from "
                    f"{self.grid.text(worst)}, which include night work in a role marked "
                    f"hazardous (limit {limit:g} h in any 24 hours for a night worker)",
                )
            )
        return found


def _stretches(work: list[MicroInterval], join_below: int) -> list[tuple[int, int, int]]:
    """Stretches of work whose breaks are all shorter than ``join_below``, with the longest."""
    stretches: list[tuple[int, int, int]] = []
    for start, end in work:
        if stretches and start - stretches[-1][1] < join_below:
            first, last, longest = stretches[-1]
            stretches[-1] = (first, end, max(longest, start - last))
        else:
            stretches.append((start, end, 0))
    return stretches


def _h(span: int) -> str:
    return f"{seconds(span) / 3600:.1f} h"


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
