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

from standby.rota.model import WEEKDAYS, Override, Shift, TimeWindow

_LENGTH = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_HANDOVER = re.compile(r"^(?:([a-z]+)\s+)?([01]?\d|2[0-3]):([0-5]\d)$")


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


_DAY_SPAN = re.compile(r"^([a-z]+)(?:\s*-\s*([a-z]+))?$")
_CLOCK_SPAN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)$")


def parse_day_job(text: str) -> tuple[TimeWindow, ...]:
    """A weekly day-job pattern: ``mon-fri 09:00-12:30, 13:00-17:00; sat 09:00-12:00``.

    Entries are separated by ``;``; each is days (a range ``mon-fri``, or a list
    ``mon,wed,fri``) and one or more local time spans separated by commas (write a lunch
    break as two spans). Raises ValueError with the fix.
    """
    windows: list[TimeWindow] = []
    for entry in str(text).lower().split(";"):
        entry = entry.strip()
        if not entry:
            continue
        days_text, _space, spans_text = entry.partition(" ")
        days = _day_list(days_text, text)
        spans = [span.strip() for span in spans_text.split(",") if span.strip()]
        if not spans:
            raise ValueError(
                f"'{text}': '{entry}' gives days but no hours; write mon-fri 09:00-17:00"
            )
        for span in spans:
            match = _CLOCK_SPAN.match(span)
            if not match:
                raise ValueError(
                    f"'{text}': '{span}' is not a span of hours; write it as 09:00-17:00"
                )
            start = time(int(match.group(1)), int(match.group(2)))
            end = time(int(match.group(3)), int(match.group(4)))
            windows.append(TimeWindow(days, start, end))
    if not windows:
        raise ValueError(f"'{text}' is not a day job; write it like mon-fri 09:00-17:00")
    return tuple(windows)


def _day_list(days_text: str, text: str) -> tuple[str, ...]:
    days: list[str] = []
    for part in days_text.split(","):
        match = _DAY_SPAN.match(part.strip())
        first, last = (
            (match.group(1)[:3], (match.group(2) or match.group(1))[:3]) if match else ("", "")
        )
        if first not in WEEKDAYS or last not in WEEKDAYS:
            raise ValueError(
                f"'{text}': '{part}' is not a day or range of days; write mon-fri or mon,wed,fri"
            )
        low, high = WEEKDAYS.index(first), WEEKDAYS.index(last)
        days += [WEEKDAYS[index % 7] for index in range(low, high + (7 if high < low else 0) + 1)]
    return tuple(dict.fromkeys(days))


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


class TooManyShiftsError(ValueError):
    """A pattern that would make more shifts than it may (``limit``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"makes more than {limit:,} shifts")
        self.limit = limit


def expand(pattern: Pattern, tz: ZoneInfo, *, limit: int) -> list[Shift]:
    """Every shift of ``pattern`` that starts before its end date (local midnight).

    Raises :class:`TooManyShiftsError` as soon as the pattern makes more than ``limit`` shifts,
    before the rest are made.
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
            if len(shifts) > limit:
                raise TooManyShiftsError(limit)
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
