"""Working Time Regulations 1998 and local limits, as findings (never corrections).

Each person's *work* is the union of their shifts in roles whose :class:`RoleRules` say
on-call time counts as work, minus their leave. By default it does: stand-by time counts as
working time when its constraints are severe (CJEU *Matzak*, C-518/15), and a planner can
switch it off per role (a ``working_time:`` section in a YAML rota or requirements file, or
``--not-work``; :func:`merge_role_rules` combines them). What is checked (kind
``working_time``, detail naming the regulation; the reading of each rule is in docs/rota.md):

* **reg 4**: average weekly work over 17 weeks above 48 h (the worst rolling period; a
  rota shorter than 17 weeks is averaged over its own span). An opt-out may apply.
* **reg 6**: for night workers (on call at least 3 h of 23:00-06:00 on at least half the
  days they work), more than 8 h of work per 24 h on average over the same period.
* **reg 10**: a stretch of work with no break of 11 h that lasts over 13 h, i.e. some
  24 hours without 11 consecutive hours' rest.
* **reg 11**: no 24 h rest for over 6 days (reg 11(1)), and no 48 h rest for over 12 days
  (the fortnightly alternative of reg 11(2)); reported only when both fail.
* **local limit**: more consecutive on-call days in a role than ``max_consecutive_days``;
  a local day counts when the person is on call for over half of it.

Regulation 21 exempts parts of civil protection services, with compensatory rest
(reg 24); Standby reports and leaves that judgement to the planner.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from standby.rota.clock import resolve_local, zone
from standby.rota.fairness import NIGHT_END, NIGHT_MIN_HOURS, NIGHT_START
from standby.rota.model import Finding, RoleRules, Rota
from standby.rota.oncall import Interval, leave_by_person, merge, subtract

__all__ = ["Limits", "RoleRules", "merge_role_rules", "working_time_findings"]

HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Limits:
    """The regulations' numbers; change them only for a local agreement."""

    weekly_hours: float = 48.0
    reference_weeks: int = 17
    night_hours_per_day: float = 8.0
    daily_rest_hours: float = 11.0
    weekly_rest_hours: float = 24.0
    weekly_rest_days: int = 7
    fortnightly_rest_hours: float = 48.0
    fortnightly_rest_days: int = 14


def merge_role_rules(
    *sources: Mapping[str, RoleRules], not_work: Iterable[str] = ()
) -> dict[str, RoleRules]:
    """The settings of ``sources`` merged role by role, a later source winning.

    Each role named in ``not_work`` then has ``counts_as_work=False``, keeping its
    ``max_consecutive_days``. (``"all"`` is expanded by the caller, who knows the roles.)
    """
    merged: dict[str, RoleRules] = {}
    for source in sources:
        merged.update(source)
    for role in not_work:
        merged[role] = replace(merged.get(role, RoleRules()), counts_as_work=False)
    return merged


def working_time_findings(
    rota: Rota,
    window: tuple[datetime, datetime],
    role_rules: Mapping[str, RoleRules] | None = None,
    limits: Limits | None = None,
) -> list[Finding]:
    """Working-time findings that touch ``window``, using the whole rota for context."""
    rules = dict(role_rules or {})
    limits = limits or Limits()
    leave = leave_by_person(rota.leave)
    work: dict[str, list[Interval]] = defaultdict(list)
    by_role: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for shift in rota.shifts:
        if shift.end <= shift.start:
            continue
        setting = rules.get(shift.role, RoleRules())
        pieces = subtract(shift.start, shift.end, leave.get(shift.person, []))
        if setting.counts_as_work:
            work[shift.person] += pieces
        if setting.max_consecutive_days is not None:
            by_role[(shift.person, shift.role)] += pieces
    if not rota.shifts:
        return []
    span = (min(s.start for s in rota.shifts), max(s.end for s in rota.shifts))
    found: list[Finding] = []
    for person, pieces in work.items():
        merged = merge(pieces)
        found += _rest_findings(person, merged, limits)
        found += _average_findings(person, merged, span, rota.timezone, limits)
    for (person, role), pieces in by_role.items():
        limit = rules[role].max_consecutive_days
        assert limit is not None
        found += _consecutive_days(person, role, merge(pieces), limit, rota.timezone)
    start, end = window
    return [f for f in found if f.start < end and f.end > start]


def _finding(person: str, start: datetime, end: datetime, detail: str) -> Finding:
    return Finding("working_time", person, start, end, detail)


def _clusters(work: list[Interval], join_below: timedelta) -> list[Interval]:
    """Stretches of work whose breaks are all shorter than ``join_below``."""
    clusters: list[Interval] = []
    for start, end in work:
        if clusters and start - clusters[-1][1] < join_below:
            clusters[-1] = (clusters[-1][0], end)
        else:
            clusters.append((start, end))
    return clusters


def _rest_findings(person: str, work: list[Interval], limits: Limits) -> list[Finding]:
    found = []
    daily_rest = limits.daily_rest_hours * HOUR
    for start, end in _clusters(work, daily_rest):
        if end - start > 24 * HOUR - daily_rest:
            found.append(
                _finding(
                    person,
                    start,
                    end,
                    f"reg 10 daily rest: {_h(end - start)} of work with no "
                    f"{limits.daily_rest_hours:g} h break (needs {limits.daily_rest_hours:g} "
                    "consecutive hours' rest in each 24 hours)",
                )
            )
    weekly = limits.weekly_rest_hours * HOUR
    fortnightly = limits.fortnightly_rest_hours * HOUR
    long_stretches = _clusters(work, fortnightly)
    for start, end in _clusters(work, weekly):
        if end - start <= limits.weekly_rest_days * 24 * HOUR - weekly:
            continue
        outer = next(c for c in long_stretches if c[0] <= start and end <= c[1])
        if outer[1] - outer[0] <= limits.fortnightly_rest_days * 24 * HOUR - fortnightly:
            continue
        found.append(
            _finding(
                person,
                start,
                end,
                f"reg 11 weekly rest: {_h(end - start)} with no {limits.weekly_rest_hours:g} h "
                f"rest (needs {limits.weekly_rest_hours:g} h in each "
                f"{limits.weekly_rest_days} days, or {limits.fortnightly_rest_hours:g} h in "
                f"each {limits.fortnightly_rest_days})",
            )
        )
    return found


def _h(length: timedelta) -> str:
    return f"{length.total_seconds() / 3600:.1f} h"


def _average_findings(
    person: str, work: list[Interval], span: Interval, timezone: str, limits: Limits
) -> list[Finding]:
    """Reg 4 and reg 6 over the worst rolling reference period.

    The reference period is always 17 weeks; when the rota is shorter, time outside it
    counts as rest (Standby cannot see it) and the detail says so.
    """
    reference = limits.reference_weeks * 7 * 24 * HOUR
    if not work:
        return []
    starts = [a for a, _ in work]
    ends = [b for _, b in work]
    cumulative = [0.0, *accumulate((b - a).total_seconds() for a, b in work)]

    def worked(low: datetime, high: datetime) -> float:
        first = bisect_right(ends, low)
        last = bisect_left(starts, high)
        if first >= last:
            return 0.0
        total = cumulative[last] - cumulative[first]
        total -= max((low - starts[first]).total_seconds(), 0.0)
        total -= max((ends[last - 1] - high).total_seconds(), 0.0)
        return total

    latest = max(span[1] - reference, span[0])
    candidates = {min(max(a, span[0]), latest) for a in starts}
    worst = max(candidates, key=lambda t: (worked(t, t + reference), -t.timestamp()))
    hours = worked(worst, worst + reference) / 3600.0
    weeks = reference / (7 * 24 * HOUR)
    covered = min(span[1], worst + reference) - worst
    note = (
        f"; the rota covers only {covered / (7 * 24 * HOUR):.1f} of those weeks and the "
        "rest counts as time off"
        if covered < reference
        else ""
    )
    found = []
    if hours / weeks > limits.weekly_hours:
        found.append(
            _finding(
                person,
                worst,
                worst + reference,
                f"reg 4 weekly limit: {hours / weeks:.1f} h a week on average over "
                f"{weeks:.1f} weeks (limit {limits.weekly_hours:g} h over "
                f"{limits.reference_weeks} weeks, unless the person has opted out){note}",
            )
        )
    days = reference / (24 * HOUR) * (1 - 1 / limits.weekly_rest_days)
    if days > 0 and hours / days > limits.night_hours_per_day:
        clipped = [(max(a, worst), min(b, worst + reference)) for a, b in work]
        clipped = [(a, b) for a, b in clipped if a < b]
        if _is_night_worker(clipped, timezone):
            found.append(
                _finding(
                    person,
                    worst,
                    worst + reference,
                    f"reg 6 night work: {hours / days:.1f} h per 24 hours on average over "
                    f"{weeks:.1f} weeks (limit {limits.night_hours_per_day:g} h for a "
                    f"night worker){note}",
                )
            )
    return found


def _local_day_seconds(work: list[Interval], timezone: str) -> dict[datetime, float]:
    """Seconds of work on each local day, keyed by the day's start (UTC)."""
    tz = zone(timezone)
    seconds: dict[datetime, float] = defaultdict(float)
    for start, end in work:
        day = start.astimezone(tz).date()
        while True:
            day_start = resolve_local(datetime.combine(day, time(0, 0)), tz)
            next_day = day + timedelta(days=1)
            day_end = resolve_local(datetime.combine(next_day, time(0, 0)), tz)
            if day_start >= end:
                break
            low, high = max(start, day_start), min(end, day_end)
            if low < high:
                seconds[day_start] += (high - low).total_seconds()
            day = next_day
    return seconds


def _is_night_worker(work: list[Interval], timezone: str) -> bool:
    tz = zone(timezone)
    days = _local_day_seconds(work, timezone)
    nights = 0
    for day_start in days:
        day = day_start.astimezone(tz).date()
        night = (
            resolve_local(datetime.combine(day, NIGHT_START), tz),
            resolve_local(datetime.combine(day + timedelta(days=1), NIGHT_END), tz),
        )
        inside = sum(
            max((min(b, night[1]) - max(a, night[0])).total_seconds(), 0.0) for a, b in work
        )
        nights += inside >= NIGHT_MIN_HOURS * 3600
    return bool(days) and 2 * nights >= len(days)


def _consecutive_days(
    person: str, role: str, on_call: list[Interval], limit: int, timezone: str
) -> list[Finding]:
    tz = zone(timezone)
    counted = []
    for day_start, seconds in sorted(_local_day_seconds(on_call, timezone).items()):
        day = day_start.astimezone(tz).date()
        day_end = resolve_local(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)
        if seconds > (day_end - day_start).total_seconds() / 2:
            counted.append((day, day_start, day_end))
    found = []
    run: list[tuple[date, datetime, datetime]] = []
    for item in [*counted, None]:
        if item is not None and run and item[0] == run[-1][0] + timedelta(days=1):
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
                )
            )
        run = [item] if item is not None else []
    return found
