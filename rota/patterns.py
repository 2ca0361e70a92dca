"""Rotation patterns and overrides, expanded on the local wall clock.

A pattern hands a role from one person to the next at a local time (``mon 09:00``), so a
weekly shift always ends at Monday 09:00 local: 167 elapsed hours across the spring clock
change and 169 across the autumn one. A generated local time that does not exist moves to the
next valid instant; an ambiguous one takes the first occurrence. Overrides then replace or add
cover for a period, and are applied every time the file is read so they are never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from standby.rota.model import WEEKDAYS, Override, Shift

_LENGTH = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_HANDOVER = re.compile(r"^(?:([a-z]+)\s+)?([01]?\d|2[0-3]):([0-5]\d)$")
MAX_SHIFTS = 200_000


def parse_length(text: str) -> timedelta:
    """``1w``, ``1d``, ``12h``, ``2d16h``, ``15h45m`` as a wall-clock step.

    Raises ValueError with the fix.
    """
    cleaned = str(text).strip().lower().replace(" ", "")
    match = _LENGTH.match(cleaned)
    if not cleaned or not match:
        raise ValueError(f"'{text}' is not a length; write it like 1w, 1d, 12h or 2d16h45m")
    weeks, days, hours, minutes = (int(part) if part else 0 for part in match.groups())
    length = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    if length <= timedelta(0):
        raise ValueError(f"'{text}' is zero; a shift must last some time, e.g. 1d")
    return length


def parse_handover(text: str) -> tuple[int | None, time]:
    """``mon 09:00`` (weekday index 0-6 and time) or ``09:00`` (no weekday).

    Raises ValueError with the fix.
    """
    match = _HANDOVER.match(str(text).strip().lower())
    day_name = match.group(1)[:3] if match and match.group(1) else None
    if not match or (day_name is not None and day_name not in WEEKDAYS):
        raise ValueError(
            f"'{text}' is not a handover; write a local time like 09:00, or a day and a time "
            "like mon 09:00"
        )
    weekday = None if day_name is None else WEEKDAYS.index(day_name)
    return weekday, time(int(match.group(2)), int(match.group(3)))


def wall_clock_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """A generated local time as UTC: a nonexistent time moves to the next valid instant
    (02:00 on the spring-forward day), an ambiguous one takes the first occurrence."""
    first = naive.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        # In the spring gap: the next valid instant is the change itself, where the
        # offset after the change begins; zoneinfo reads fold=1 with the later offset.
        later = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
        earlier = first.astimezone(UTC)
        step = min(later, earlier)
        while step.astimezone(tz).replace(tzinfo=None) < naive:
            step += timedelta(minutes=1)
        return step
    return first.astimezone(UTC)


@dataclass(frozen=True)
class Pattern:
    """A rotation of ``people`` for ``role``, one handover every ``every`` (wall clock)."""

    role: str
    people: tuple[str, ...]
    handover_day: int | None
    handover_time: time
    length: timedelta
    every: timedelta
    start: date
    end: date
    level: int = 1
    days: tuple[str, ...] | None = None
    source: str = ""
    notes: str | None = None


def first_handover(pattern: Pattern) -> datetime:
    """The first local handover on or after the pattern's start date."""
    day = pattern.start
    if pattern.handover_day is not None:
        day += timedelta(days=(pattern.handover_day - day.weekday()) % 7)
    return datetime.combine(day, pattern.handover_time)


def expand(pattern: Pattern, tz: ZoneInfo) -> list[Shift]:
    """Every shift of ``pattern`` that starts before its end date (local midnight).

    Raises ValueError when the pattern would make an unreasonable number of shifts.
    """
    shifts: list[Shift] = []
    stop = datetime.combine(pattern.end, time(0, 0))
    naive = first_handover(pattern)
    turn = 0
    while naive < stop:
        if pattern.days is None or WEEKDAYS[naive.weekday()] in pattern.days:
            shifts.append(
                Shift(
                    person=pattern.people[turn % len(pattern.people)],
                    role=pattern.role,
                    start=wall_clock_to_utc(naive, tz),
                    end=wall_clock_to_utc(naive + pattern.length, tz),
                    level=pattern.level,
                    source=pattern.source,
                    notes=pattern.notes,
                )
            )
            turn += 1
            if len(shifts) > MAX_SHIFTS:
                raise ValueError(
                    f"makes more than {MAX_SHIFTS} shifts; check 'every' and the dates"
                )
        naive += pattern.every
    return shifts


def apply_override(shifts: list[Shift], override: Override) -> list[Shift]:
    """The shifts with ``override`` applied (trimming what it replaces)."""
    result: list[Shift] = []
    for shift in shifts:
        replaced = (
            override.mode == "replace"
            and shift.role == override.role
            and shift.level == override.level
            and shift.start < override.end
            and override.start < shift.end
        )
        if not replaced:
            result.append(shift)
            continue
        if shift.start < override.start:
            result.append(replace(shift, end=override.start))
        if override.end < shift.end:
            result.append(replace(shift, start=override.end))
    if override.person is not None:
        result.append(
            Shift(
                person=override.person,
                role=override.role,
                start=override.start,
                end=override.end,
                level=override.level,
                source=override.source,
                notes=override.notes or f"override ({override.mode})",
            )
        )
    return result
