"""iCalendar rotas: each VEVENT a shift, recurring events expanded within bounds.

An event names its role and person as ``SUMMARY: role: person`` (``role (backup): person``
for level 2) or as ``CATEGORIES: role`` with ``SUMMARY: person``; our own exports also carry
``X-STANDBY-ROLE``/``-PERSON``/``-LEVEL``/``-PHONE`` so that a round trip is exact whatever
the names contain (``rota.io_ics_write``).

Reading takes two roads. A plain event (no repeats, times in UTC, floating or in an IANA
zone) is read from its content lines (``rota.io_ics_plain``, ``rota.io_ics_text``); the
events of a calendar written by one program, which mostly share one layout, go down a fast
road there that makes a calendar of 500,000 shifts read in about twice the time of the same
CSV, and gives up to the line scanner for anything it cannot read exactly. Everything else (RRULE,
RDATE, EXDATE and edited instances, zones only a VTIMEZONE or a Windows name defines)
goes through ``icalendar`` and ``recurring_ical_events``, with bounds checked before any
expansion: a rule repeating more often than hourly, a COUNT or an estimate over the
rota's shift limit is an error, and expansion stops at the limit. A rule with no end is
expanded only up to a date, and the rota says so in a warning. A TZID that is neither a
known zone nor defined in the file is an error, never silently the rota's own zone.
``icalendar`` is imported only when a calendar needs it, because it is slow to import.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from standby.clock import (
    DEFAULT_TIMEZONE,
    is_zone_region,
    zone_hint,
)
from standby.rota.io_common import RotaFileError, shift_limit, too_many_shifts
from standby.rota.io_ics_plain import (
    PlainRead,
    calendar_timezone,
    known_zone,
    plain_fields,
    read_plain,
)
from standby.rota.io_ics_series import EventFields, Span, as_utc, check_years, read_series
from standby.rota.io_ics_shift import Instants, make_shift
from standby.rota.io_ics_text import CalendarLines, Event, scan_calendar, split_line
from standby.rota.io_ics_write import level_suffix
from standby.rota.model import Rota
from standby.textfile import not_utf8


def read_ics(
    path: Path,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    until: datetime | None = None,
    max_shifts: int | None = None,
) -> Rota:
    """Read an iCalendar rota; ``until`` bounds rules that never end (see module doc).

    At most ``max_shifts`` shifts (default ``standby.limits.MAX_SHIFTS``), repeats included.
    """
    limit = shift_limit(max_shifts)
    text = _read_text(path)
    fast = read_plain(text, path, timezone)
    scan = fast.calendar if fast is not None else scan_calendar(text, path)
    del text
    timezone = calendar_timezone(scan.properties.get("X-WR-TIMEZONE", ""), path, timezone)
    rota = Rota(timezone=timezone, sources=[str(path)])
    series = {event.uid for event in scan.events if event.series}
    plain: list[Event] = []
    library: list[Event] = []
    places: list[int] = []  # where each plain event is in the file, for the order of shifts
    for place, event in enumerate(scan.events):
        if event.uid not in series and all(map(known_zone, event.tzids)):
            plain.append(event)
            places.append(fast.scanned[place] if fast is not None else place)
        else:
            library.append(event)
    defined = _defined_zones(scan)
    for event in library:
        _check_zone_names(event, path, defined)
    singles = [plain_fields(event, path) for event in plain]
    for fields in singles:
        check_years(fields, path)
    made = fast.shifts if fast is not None else []
    if len(singles) + len(made) > limit:
        raise too_many_shifts(str(path), limit)
    instants = Instants(timezone)
    shifts = [make_shift(fields, path, timezone, rota.warnings, instants) for fields in singles]
    if fast is not None and made:  # all plain events' shifts, in the file's order
        everything = made + shifts
        if shifts:
            where = fast.places + places
            everything = [everything[i] for i in sorted(range(len(where)), key=where.__getitem__)]
        shifts = everything
    if library:
        others = _span(singles, timezone, fast)
        rest = read_series(scan, library, path, timezone, until, others, rota, limit)
        shifts += [make_shift(fields, path, timezone, rota.warnings, instants) for fields in rest]
    shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level, shift.person))
    rota.shifts = shifts
    return rota


def _span(singles: list[EventFields], timezone: str, fast: PlainRead | None) -> Span:
    """The plain events as a series' expansion counts them (see ``read_series``)."""
    starts, ends = [], []
    for item in singles:
        begin = as_utc(item.start, timezone)
        starts.append(begin)
        ends.append(as_utc(item.end, timezone) if item.end is not None else begin)
    made = fast.span() if fast is not None else Span()
    return Span(len(singles) + made.number, (*starts, *made.starts), (*ends, *made.ends))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RotaFileError(f"{path}: cannot be read ({error.strerror}); check the name") from None
    if not data or data.isspace():  # (strip would copy the whole file)
        raise RotaFileError(
            f"{path}: the file is empty; export the rota calendar again as .ics "
            "(BEGIN:VCALENDAR ... END:VCALENDAR)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RotaFileError(
            f"{path}: {not_utf8(data)}, as iCalendar files must be; export it again as .ics"
        ) from None


def _defined_zones(scan: CalendarLines) -> set[str]:
    """The TZIDs the calendar's own VTIMEZONE blocks define."""
    defined = set()
    for block in scan.timezones:
        for raw in block:
            line = split_line(raw)
            if line is not None and line.name == "TZID":
                defined.add(line.value.strip())
    return defined


def _check_zone_names(event: Event, path: Path, defined: set[str]) -> None:
    """Raise for a TZID that is neither a zone, a Windows zone name, nor defined in this
    file. icalendar remembers every VTIMEZONE it has read, so without this check a name
    one calendar defined would be taken in the next one read, which does not define it; and
    a region of the zone database (``Europe``) it would try to open as a zone file."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for tzid in event.tzids:
        if known_zone(tzid) is not None or tzid in defined or tzid in WINDOWS_TO_OLSON:
            continue
        summary = event.properties.get("SUMMARY")
        where = f"{path}: event '{summary[0].value if summary else ''}' (UID {event.uid or '?'})"
        if is_zone_region(tzid):
            raise RotaFileError(f"{where}: TZID={tzid}: {zone_hint(tzid)}")
        raise RotaFileError(
            f"{where}: TZID={tzid}, a time zone that is neither a known zone nor defined in "
            "the file (VTIMEZONE); give a zone such as Europe/London, or export the calendar "
            "again with its time zones"
        )


def write_ics(rota: Rota) -> bytes:
    """The rota as iCalendar bytes; see :mod:`rota.io_ics_write`."""
    from standby.rota.io_ics_write import write_ics as write

    return write(rota)


__all__ = ["level_suffix", "read_ics", "write_ics"]
