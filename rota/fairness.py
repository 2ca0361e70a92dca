"""Who carries the rota: on-call hours, nights, weekends and bank holidays per person.

Hours are elapsed time inside the check window, from the union of a person's shifts (two
overlapping shifts are counted once) minus their leave. Local days come from the rota's
timezone, so a 09:00-09:00 day on a clock-change day is 23 or 25 hours.

Definitions (also in docs/rota.md):

* **night**: a local night from 23:00 to 06:00 (the Working Time Regulations' default night
  time) counts when the person is on call for at least 3 hours of it.
* **weekend hours**: hours on call on a local Saturday or Sunday.
* **bank-holiday hours**: hours on call on a local (weekday) bank holiday of the region.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from operator import attrgetter

from standby.rota.clock import DEFAULT_REGION, is_bank_holiday, resolve_local, zone
from standby.rota.epoch import MicroInterval, Micros, instant, micros, seconds
from standby.rota.model import Rota, Shift
from standby.rota.oncall import Cover, Interval, Slots, cover, leave_micros, merge

NIGHT_START = time(23, 0)
NIGHT_END = time(6, 0)
NIGHT_MIN_HOURS = 3.0


@dataclass(frozen=True, slots=True)
class FairnessRow:
    """One person's share of the rota inside the window."""

    person: str
    name: str
    hours: float
    nights: int
    weekend_hours: float
    bank_holiday_hours: float

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "person": self.person,
            "name": self.name,
            "hours": self.hours,
            "nights": self.nights,
            "weekend_hours": self.weekend_hours,
            "bank_holiday_hours": self.bank_holiday_hours,
        }


@dataclass(frozen=True, slots=True)
class RoleSpread:
    """How evenly a role's hours fall on the people who do it."""

    role: str
    people: int
    min_hours: float
    max_hours: float
    mean_hours: float
    stdev_hours: float

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "role": self.role,
            "people": self.people,
            "min_hours": self.min_hours,
            "max_hours": self.max_hours,
            "mean_hours": self.mean_hours,
            "stdev_hours": self.stdev_hours,
        }


def on_call_by_person(
    rota: Rota, window: tuple[datetime, datetime], role: str | None = None
) -> dict[str, list[Interval]]:
    """Each person's on-call time in ``window`` (optionally one role), leave removed."""
    shifts = [s for s in rota.shifts if role is None or s.role == role]
    by_person = _by_person(_cover(rota, window, shifts), None)
    return {
        person: [(instant(low), instant(high)) for low, high in own]
        for person, own in by_person.items()
    }


def _cover(rota: Rota, window: tuple[datetime, datetime], shifts: list[Shift]) -> Cover:
    to_micros = Micros()
    opens, closes = to_micros(window[0]), to_micros(window[1])
    return cover(shifts, (opens, closes), leave_micros(rota.leave, to_micros), to_micros)


def _by_person(on_call: Cover, role: str | None) -> dict[str, list[MicroInterval]]:
    """Each person's on-call time (one role's, or every role's), merged.

    Everyone with a shift in the window is there, with no time if it all fell in leave.
    """
    if role is not None:
        return on_call.unions.get(role, {})
    pieces: dict[str, list[MicroInterval]] = {}
    several: set[str] = set()  # people in more than one role: their time merged again
    for by_person in on_call.unions.values():
        for person, own in by_person.items():
            known = pieces.get(person)
            if known is None:
                pieces[person] = list(own)
            else:
                known += own
                several.add(person)
    for person in several:
        pieces[person] = merge(pieces[person])
    return pieces


def _hours(intervals: list[MicroInterval]) -> float:
    return seconds(sum(b - a for a, b in intervals)) / 3600.0


class _LocalDays:
    """Local day and night boundaries across a window, for quick overlap sums (``rota.epoch``)."""

    def __init__(self, window: tuple[datetime, datetime], timezone: str, region: str) -> None:
        tz = zone(timezone)
        first = window[0].astimezone(tz).date() - timedelta(days=1)
        last = window[1].astimezone(tz).date() + timedelta(days=1)
        self.days: list[date] = []
        starts: list[int] = []
        day = first
        while day <= last + timedelta(days=1):
            self.days.append(day)
            starts.append(micros(resolve_local(datetime.combine(day, time(0, 0)), tz)))
            day += timedelta(days=1)
        # The last start only closes the day before it.
        days = list(zip(self.days, pairwise(starts), strict=False))
        self.weekends = Slots(slot for day, slot in days if day.weekday() >= 5)
        self.holidays = Slots(slot for day, slot in days if is_bank_holiday(day, region))
        self.nights = Slots(
            (
                micros(resolve_local(datetime.combine(d, NIGHT_START), tz)),
                micros(resolve_local(datetime.combine(d + timedelta(days=1), NIGHT_END), tz)),
            )
            for d in self.days
        )

    def special_hours(self, intervals: list[MicroInterval]) -> tuple[float, float]:
        """Hours of ``intervals`` on weekend days and on bank holidays."""
        weekend, holiday = self.weekends.total(intervals), self.holidays.total(intervals)
        return seconds(weekend) / 3600.0, seconds(holiday) / 3600.0

    def night_count(self, intervals: list[MicroInterval]) -> int:
        """Nights with at least :data:`NIGHT_MIN_HOURS` on call."""
        least = NIGHT_MIN_HOURS * 3600
        on_call = self.nights.amounts(intervals)
        return sum(1 for value in filter(None, on_call) if seconds(value) >= least)


def fairness_rows(
    rota: Rota,
    window: tuple[datetime, datetime],
    *,
    region: str = DEFAULT_REGION,
    on_call: Cover | None = None,
) -> list[FairnessRow]:
    """One row per person on call in ``window``, most hours first.

    ``on_call`` is the rota's :class:`~rota.oncall.Cover` over ``window`` when the caller
    has it already (the coverage check does).
    """
    days = _LocalDays(window, rota.timezone, region)
    rows = []
    if on_call is None:
        on_call = _cover(rota, window, rota.shifts)
    for person, intervals in _by_person(on_call, None).items():
        weekend, holiday = days.special_hours(intervals)
        known = rota.people.get(person)
        rows.append(
            FairnessRow(
                person=person,
                name=known.name if known else person,
                hours=_hours(intervals),
                nights=days.night_count(intervals),
                weekend_hours=weekend,
                bank_holiday_hours=holiday,
            )
        )
    rows.sort(key=lambda row: (-row.hours, row.person))
    return rows


def role_spread(
    rota: Rota, window: tuple[datetime, datetime], *, on_call: Cover | None = None
) -> list[RoleSpread]:
    """Per role, the spread of on-call hours over the people who hold its shifts.

    ``on_call`` as for :func:`fairness_rows`.
    """
    if on_call is None:
        on_call = _cover(rota, window, rota.shifts)
    spreads = []
    for role in dict.fromkeys(map(attrgetter("role"), rota.shifts)):
        hours = [_hours(own) for own in _by_person(on_call, role).values()]
        if not hours:
            continue
        spreads.append(
            RoleSpread(
                role=role,
                people=len(hours),
                min_hours=min(hours),
                max_hours=max(hours),
                mean_hours=statistics.fmean(hours),
                stdev_hours=statistics.pstdev(hours),
            )
        )
    return spreads
