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
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from standby.rota.clock import DEFAULT_REGION, is_bank_holiday, resolve_local, zone
from standby.rota.model import Rota, Shift
from standby.rota.oncall import Interval, leave_by_person, merge, seconds_in_slots, subtract

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
    return _by_person(shifts, window, leave_by_person(rota.leave))


def _by_person(
    shifts: list[Shift], window: tuple[datetime, datetime], leave: dict[str, list[Interval]]
) -> dict[str, list[Interval]]:
    start, end = window
    pieces: dict[str, list[Interval]] = defaultdict(list)
    for shift in shifts:
        low = shift.start if shift.start > start else start
        high = shift.end if shift.end < end else end
        if low < high:
            holes = leave.get(shift.person)
            if holes is None:
                pieces[shift.person].append((low, high))
            else:
                pieces[shift.person] += subtract(low, high, holes)
    return {person: merge(own) for person, own in pieces.items()}


def _hours(intervals: list[Interval]) -> float:
    return sum((b - a).total_seconds() for a, b in intervals) / 3600.0


class _LocalDays:
    """Local day and night boundaries (UTC) across a window, for quick overlap sums."""

    def __init__(self, window: tuple[datetime, datetime], timezone: str, region: str) -> None:
        tz = zone(timezone)
        first = window[0].astimezone(tz).date() - timedelta(days=1)
        last = window[1].astimezone(tz).date() + timedelta(days=1)
        self.days: list[date] = []
        self.starts: list[datetime] = []
        day = first
        while day <= last + timedelta(days=1):
            self.days.append(day)
            self.starts.append(resolve_local(datetime.combine(day, time(0, 0)), tz))
            day += timedelta(days=1)
        self.weekend = [d.weekday() >= 5 for d in self.days]
        self.holiday = [is_bank_holiday(d, region) for d in self.days]
        self.nights = [
            (
                resolve_local(datetime.combine(d, NIGHT_START), tz),
                resolve_local(datetime.combine(d + timedelta(days=1), NIGHT_END), tz),
            )
            for d in self.days
        ]

        stamps = [start.timestamp() for start in self.starts]
        # The last start only closes the day before it.
        self.day_slots = list(pairwise(stamps))
        self.night_slots = [(a.timestamp(), b.timestamp()) for a, b in self.nights]

    def special_hours(self, intervals: list[Interval]) -> tuple[float, float]:
        """Hours of ``intervals`` on weekend days and on bank holidays."""
        seconds = seconds_in_slots(intervals, self.day_slots)
        weekend = sum(value for value, flag in zip(seconds, self.weekend, strict=False) if flag)
        holiday = sum(value for value, flag in zip(seconds, self.holiday, strict=False) if flag)
        return weekend / 3600.0, holiday / 3600.0

    def night_count(self, intervals: list[Interval]) -> int:
        """Nights with at least :data:`NIGHT_MIN_HOURS` on call."""
        seconds = seconds_in_slots(intervals, self.night_slots)
        return sum(1 for value in seconds if value >= NIGHT_MIN_HOURS * 3600)


def fairness_rows(
    rota: Rota, window: tuple[datetime, datetime], *, region: str = DEFAULT_REGION
) -> list[FairnessRow]:
    """One row per person on call in ``window``, most hours first."""
    days = _LocalDays(window, rota.timezone, region)
    rows = []
    for person, intervals in on_call_by_person(rota, window).items():
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


def role_spread(rota: Rota, window: tuple[datetime, datetime]) -> list[RoleSpread]:
    """Per role, the spread of on-call hours over the people who hold its shifts."""
    leave = leave_by_person(rota.leave)
    by_role: dict[str, list[Shift]] = defaultdict(list)
    for shift in rota.shifts:
        by_role[shift.role].append(shift)
    spreads = []
    for role, shifts in by_role.items():
        hours = [_hours(own) for own in _by_person(shifts, window, leave).values()]
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
