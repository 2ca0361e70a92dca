"""What counts as working time, person by person: stand-by, day jobs and call-outs.

The Working Time Regulations 1998 count *working time* (reg 2): time at the employer's
disposal and carrying out their duties. For a rota that is three things:

* **stand-by** in a role, as the role's :class:`~rota.model.RoleRules` says: ``work``,
  ``rest``, or ``by_response_time`` (Matzak C-518/15; C-344/19, C-580/19 and C-214/20: the
  response time and how often people are called out decide), minus the person's leave;
* **contracted day-job hours** (``Person.day_job``, a weekly pattern on the local wall
  clock), worked every week except on bank holidays of the region and on leave;
* **actual call-outs** from a call-out log (``Rota.callouts``): always working time, even in
  a role whose stand-by is rest, and even in leave (someone called in from leave worked).

:func:`work_pieces` returns each person's pieces, labelled, so that a finding can say what a
stretch of work was made of ("day job, call-out").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import attrgetter

from standby.rota.clock import DEFAULT_REGION, bank_holidays, resolve_local, window_intervals, zone
from standby.rota.model import BANK_HOLIDAY, RoleRules, Rota, Shift
from standby.rota.oncall import Interval, leave_by_person, merge, subtract

ON_CALL = "on call"
DAY_JOB = "day job"
CALL_OUT = "call-out"
DEFAULT_RULES = RoleRules()


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of working time ``[start, end)`` (UTC) and what it was."""

    start: datetime
    end: datetime
    kind: str
    role: str | None = None


def work_span(rota: Rota, window: Interval | None = None) -> Interval | None:
    """From the first shift or call-out to the last (widened to ``window``), or None."""
    starts = [s.start for s in rota.shifts] + [c.start for c in rota.callouts]
    ends = [s.end for s in rota.shifts] + [c.end for c in rota.callouts]
    if window is not None:
        starts.append(window[0])
        ends.append(window[1])
    if not starts:
        return None
    return min(starts), max(ends)


def work_pieces(
    rota: Rota,
    role_rules: Mapping[str, RoleRules],
    span: Interval,
    *,
    region: str = DEFAULT_REGION,
    extra: Iterable[Shift] = (),
    only: str | None = None,
) -> dict[str, list[Piece]]:
    """Each person's working time inside ``span``, as labelled pieces sorted by start.

    ``extra`` adds candidate shifts (a proposal being tried); ``only`` limits the work to
    one person, for a quick check of a candidate.
    """
    leave = leave_by_person(rota.leave)
    pieces: dict[str, list[Piece]] = defaultdict(list)
    counts: dict[str, bool] = {}  # a role's setting, looked up once
    for shift in [*rota.shifts, *extra]:
        if only is not None and shift.person != only:
            continue
        role = shift.role
        work = counts.get(role)
        if work is None:
            work = counts[role] = role_rules.get(role, DEFAULT_RULES).counts_as_work
        if not work or shift.end <= shift.start:
            continue
        holes = leave.get(shift.person)
        if holes is None:
            pieces[shift.person].append(Piece(shift.start, shift.end, ON_CALL, role))
            continue
        for low, high in subtract(shift.start, shift.end, holes):
            pieces[shift.person].append(Piece(low, high, ON_CALL, role))
    for callout in rota.callouts:
        if (only is None or callout.person == only) and callout.end > callout.start:
            pieces[callout.person].append(Piece(callout.start, callout.end, CALL_OUT, callout.role))
    # A day job is a known weekly pattern: expand it a day beyond the span too, so that the
    # day's work before the first shift (or after the last) is seen by the rest rules.
    span = (span[0] - timedelta(days=1), span[1] + timedelta(days=1))
    holidays = _holiday_intervals(span, rota.timezone, region)
    for person in rota.people.values():
        if not person.day_job or (only is not None and person.id != only):
            continue
        for low, high in day_job_intervals(
            person.day_job, span, rota.timezone, region, holidays, leave.get(person.id, [])
        ):
            pieces[person.id].append(Piece(low, high, DAY_JOB))
    order = attrgetter("start", "end")
    for own in pieces.values():
        own.sort(key=order)
    return dict(pieces)


def day_job_intervals(
    pattern: Iterable[object],
    span: Interval,
    timezone: str,
    region: str,
    holidays: list[Interval],
    leave: list[Interval],
) -> list[Interval]:
    """A weekly day-job pattern as UTC intervals in ``span``, less bank holidays and leave.

    A pattern entry that lists ``bank_holiday`` among its days is worked on bank holidays.
    """
    from standby.rota.model import TimeWindow

    found: list[Interval] = []
    for window in pattern:
        assert isinstance(window, TimeWindow)
        holes = [] if BANK_HOLIDAY in window.days else holidays
        for low, high in window_intervals(window, span[0], span[1], timezone, region):
            for part in subtract(low, high, holes):
                found += subtract(part[0], part[1], leave)
    return merge(found)


def _holiday_intervals(span: Interval, timezone: str, region: str) -> list[Interval]:
    tz = zone(timezone)
    first, last = span[0].astimezone(tz).date(), span[1].astimezone(tz).date()
    days: list[date] = []
    for year in range(first.year, last.year + 1):
        days += [day for day in bank_holidays(year, region) if first <= day <= last]
    return [
        (
            resolve_local(datetime.combine(day, time(0, 0)), tz),
            resolve_local(datetime.combine(day + timedelta(days=1), time(0, 0)), tz),
        )
        for day in sorted(days)
    ]
