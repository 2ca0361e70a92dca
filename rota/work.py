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
from operator import itemgetter

from standby.rota.clock import DEFAULT_REGION, bank_holidays, resolve_local, window_intervals, zone
from standby.rota.epoch import Micros, instant
from standby.rota.model import BANK_HOLIDAY, RoleRules, Rota, Shift
from standby.rota.oncall import Cover, Interval, leave_by_person, leave_micros, merge, subtract

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


def work_span(
    rota: Rota, window: Interval | None = None, *, shifts_inside: bool = False
) -> Interval | None:
    """From the first shift or call-out to the last (widened to ``window``), or None.

    ``shifts_inside``: every shift is known to lie inside ``window``, so only call-outs
    can widen it.
    """
    shifts = [] if shifts_inside and window is not None else rota.shifts
    starts = [s.start for s in shifts] + [c.start for c in rota.callouts]
    ends = [s.end for s in shifts] + [c.end for c in rota.callouts]
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
    spans = work_spans(rota, role_rules, span, region=region, extra=extra, only=only)
    return {
        person: [Piece(instant(low), instant(high), kind, role) for low, high, kind, role in own]
        for person, own in spans.items()
    }


#: A piece of work in microseconds since the epoch: ``(start, end, kind, role)``.
MicroPiece = tuple[int, int, str, str | None]


def work_spans(
    rota: Rota,
    role_rules: Mapping[str, RoleRules],
    span: Interval,
    *,
    region: str = DEFAULT_REGION,
    extra: Iterable[Shift] = (),
    only: str | None = None,
    on_call: Cover | None = None,
) -> dict[str, list[MicroPiece]]:
    """:func:`work_pieces` in microseconds (``rota.epoch``), for the working-time rules.

    ``on_call`` is the rota's :class:`~rota.oncall.Cover` over a window that holds every
    shift whole (``clipped`` False): its pieces are the shifts less leave, already worked
    out (with neither ``extra`` nor ``only``).
    """
    to_micros = Micros()
    pieces: dict[str, list[MicroPiece]] = defaultdict(list)
    counts: dict[str, bool] = {}  # a role's setting, looked up once
    if on_call is not None:
        assert not on_call.clipped and not extra and only is None
        for role, role_pieces in on_call.pieces.items():
            if role_rules.get(role, DEFAULT_RULES).counts_as_work:
                for person, _level, low, high in role_pieces:
                    pieces[person].append((low, high, ON_CALL, role))
    else:
        leave = leave_micros(rota.leave, to_micros)
        shifts = [*rota.shifts, *extra] if extra else rota.shifts
        if only is not None:
            shifts = [shift for shift in shifts if shift.person == only]
        for shift, (start, end) in zip(shifts, to_micros.spans(shifts), strict=True):
            role = shift.role
            work = counts.get(role)
            if work is None:
                work = counts[role] = role_rules.get(role, DEFAULT_RULES).counts_as_work
            if not work or end <= start:
                continue
            person = shift.person
            holes = leave.get(person)
            if holes is None:
                pieces[person].append((start, end, ON_CALL, role))
                continue
            for low, high in subtract(start, end, holes):
                pieces[person].append((low, high, ON_CALL, role))
    for callout in rota.callouts:
        if (only is None or callout.person == only) and callout.end > callout.start:
            pieces[callout.person].append(
                (to_micros(callout.start), to_micros(callout.end), CALL_OUT, callout.role)
            )
    workers = [
        worker
        for worker in rota.people.values()
        if worker.day_job and (only is None or worker.id == only)
    ]
    if workers:
        # A day job is a known weekly pattern: expand it a day beyond the span too, so that
        # the day's work before the first shift (or after the last) is seen by the rest rules.
        span = (span[0] - timedelta(days=1), span[1] + timedelta(days=1))
        holidays = _holiday_intervals(span, rota.timezone, region)
        by_person = leave_by_person(rota.leave)
        for worker in workers:
            for job_start, job_end in day_job_intervals(
                worker.day_job, span, rota.timezone, region, holidays, by_person.get(worker.id, [])
            ):
                pieces[worker.id].append((to_micros(job_start), to_micros(job_end), DAY_JOB, None))
    order = itemgetter(0, 1)
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
