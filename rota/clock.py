"""Rota clock rules: wall-clock handovers across clock changes, bank holidays, local windows.

Handovers are local wall-clock times and stay there: a weekly shift from Monday 09:00 ends on
Monday 09:00 local, which is 167 elapsed hours across the spring change and 169 across the
autumn one. A generated local time that does not exist (01:30 on the spring-forward day)
moves to the next valid instant (the change itself, 02:00 BST); an ambiguous one (01:30 on
the autumn day) takes the first occurrence (BST). Reading times from files is
``standby.clock``'s job, and its helpers (with the default timezone and region) are
re-exported here.

Bank holidays come from the ``holidays`` package (``holidays.UK(subdiv=...)``, reached via
``holidays.country_holidays("GB", ...)``). Only days Monday to Friday count: Boxing Day on
a Saturday is not a bank holiday, its weekday substitute (the following Monday or Tuesday)
is. The package loads every country it knows when first used (about 0.2 s), so the years
:data:`HOLIDAY_TABLE_YEARS` are read from a table made from it, ``data/bank-holidays.csv``
(``make holidays`` writes it again; a test checks it against the package); other years ask
the package.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from standby.clock import (
    DEFAULT_REGION,
    DEFAULT_TIMEZONE,
    REGIONS,
    TimeError,
    is_ambiguous,
    is_nonexistent,
    iso_z,
    local_to_utc,
    parse_instant,
    parse_instant_with_warning,
    region_code,
    to_local,
    zone,
)
from standby.rota.model import BANK_HOLIDAY, WEEKDAYS, TimeWindow

__all__ = [
    "DEFAULT_REGION",
    "DEFAULT_TIMEZONE",
    "REGIONS",
    "TimeError",
    "bank_holidays",
    "first_handover",
    "holiday_table_text",
    "is_bank_holiday",
    "iso_z",
    "local_day_start",
    "local_to_utc",
    "next_handover",
    "parse_instant",
    "parse_instant_with_warning",
    "region_code",
    "resolve_local",
    "to_local",
    "window_intervals",
    "zone",
]


#: The years ``data/bank-holidays.csv`` holds, first and last.
HOLIDAY_TABLE_YEARS = (2000, 2060)
HOLIDAY_TABLE = Path(__file__).with_name("data") / "bank-holidays.csv"


@lru_cache(maxsize=64)
def _year_holidays(region: str, year: int) -> tuple[tuple[date, str], ...]:
    code = region_code(region)
    if HOLIDAY_TABLE_YEARS[0] <= year <= HOLIDAY_TABLE_YEARS[1]:
        return _holiday_table().get((code, year), ())
    return _package_holidays(code, year)


def _package_holidays(code: str, year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    calendar = holidays.country_holidays("GB", subdiv=code, years=year)
    return tuple(sorted((day, name) for day, name in calendar.items() if day.weekday() < 5))


@cache
def _holiday_table() -> dict[tuple[str, int], tuple[tuple[date, str], ...]]:
    table: dict[tuple[str, int], list[tuple[date, str]]] = {}
    with HOLIDAY_TABLE.open(newline="", encoding="utf-8") as handle:
        for code, text, name in csv.reader(handle):
            if code == "subdivision":
                continue  # the header
            day = date.fromisoformat(text)
            table.setdefault((code, day.year), []).append((day, name))
    return {key: tuple(days) for key, days in table.items()}


def holiday_table_text() -> str:
    """``data/bank-holidays.csv`` as the ``holidays`` package gives it: subdivision, date and
    name of every weekday bank holiday in :data:`HOLIDAY_TABLE_YEARS`, in each region."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("subdivision", "date", "name"))
    first, last = HOLIDAY_TABLE_YEARS
    for code in REGIONS.values():
        for year in range(first, last + 1):
            for day, name in _package_holidays(code, year):
                writer.writerow((code, day.isoformat(), name))
    return out.getvalue()


def bank_holidays(year: int, region: str = DEFAULT_REGION) -> dict[date, str]:
    """The bank holidays of ``year`` in ``region`` (weekdays only), date -> name."""
    return dict(_year_holidays(region, year))


@lru_cache(maxsize=64)
def _holiday_dates(region: str, year: int) -> frozenset[date]:
    return frozenset(day for day, _name in _year_holidays(region, year))


def is_bank_holiday(day: date, region: str = DEFAULT_REGION) -> bool:
    """True when ``day`` is a (weekday) bank holiday in ``region``."""
    return day in _holiday_dates(region, day.year)


@lru_cache(maxsize=16384)
def resolve_local(naive: datetime, tz: ZoneInfo) -> datetime:
    """A generated local wall-clock time as UTC, never raising.

    A nonexistent time moves to the next valid instant (the moment the clocks went
    forward); an ambiguous one takes its first occurrence. Remembered: a year's check asks
    for the same local midnights and handovers for every requirement and every person.
    """
    if is_nonexistent(naive, tz):
        # Read with the offset before the change (fold=0) the time lands after the change;
        # with the offset after it (fold=1), before. The change lies between the two.
        before = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
        after = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
        return _transition_between(before, after, tz)
    if is_ambiguous(naive, tz):
        return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return naive.replace(tzinfo=tz).astimezone(UTC)


def _transition_between(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The first UTC second in ``(before, after]`` with ``after``'s offset in ``tz``."""
    offset = after.astimezone(tz).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def local_day_start(day: date, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """Local midnight at the start of ``day`` as UTC."""
    return resolve_local(datetime.combine(day, time(0, 0)), zone(timezone))


def next_handover(start: datetime, days: int = 7, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """The handover ``days`` local days after ``start``: same wall-clock time, in UTC.

    A weekly Monday 09:00 shift starting on 2026-03-23 ends at 09:00 BST on 2026-03-30,
    167 elapsed hours later.
    """
    tz = zone(timezone)
    local = start.astimezone(tz).replace(tzinfo=None)
    return resolve_local(local + timedelta(days=days), tz)


def first_handover(
    after: datetime,
    at: time,
    weekday: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> datetime:
    """The first instant at or after ``after`` that is local ``weekday`` ``at``.

    ``weekday`` is ``"mon"`` ... ``"sun"``, or None for any day.
    """
    tz = zone(timezone)
    day = after.astimezone(tz).date() - timedelta(days=1)
    while True:
        if weekday is None or WEEKDAYS[day.weekday()] == weekday:
            candidate = resolve_local(datetime.combine(day, at), tz)
            if candidate >= after:
                return candidate
        day += timedelta(days=1)


def window_intervals(
    when: TimeWindow,
    start: datetime,
    end: datetime,
    timezone: str = DEFAULT_TIMEZONE,
    region: str = DEFAULT_REGION,
) -> list[tuple[datetime, datetime]]:
    """The UTC intervals inside ``[start, end)`` covered by the local window ``when``.

    Each listed local day opens the window at ``when.start``; it closes at ``when.end`` the
    same day, the next day when ``end <= start`` (wrapping midnight), or after a whole local
    day when ``start == end``. ``bank_holiday`` in ``when.days`` lists every (weekday) bank
    holiday of ``region`` as well, whatever its weekday. Clock changes are honoured: an
    18:00-08:00 night on the autumn change is 15 elapsed hours. Overlapping or touching
    pieces are merged.
    """
    tz = zone(timezone)
    days = {WEEKDAYS.index(name) for name in when.days if name in WEEKDAYS}
    holidays_too = BANK_HOLIDAY in when.days
    if holidays_too:
        region_code(region)  # an unknown region is an error even in a window without one
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    pieces: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        if day.weekday() in days or (holidays_too and is_bank_holiday(day, region)):
            opens = resolve_local(datetime.combine(day, when.start), tz)
            close_day = day if when.end > when.start else day + timedelta(days=1)
            closes = resolve_local(datetime.combine(close_day, when.end), tz)
            low, high = max(opens, start), min(closes, end)
            if low < high:
                if pieces and pieces[-1][1] >= low:
                    pieces[-1] = (pieces[-1][0], max(pieces[-1][1], high))
                else:
                    pieces.append((low, high))
        day += timedelta(days=1)
    return pieces
