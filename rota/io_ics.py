"""iCalendar rotas: each VEVENT a shift, recurring events expanded within bounds.

An event names its role and person as ``SUMMARY: role: person`` (``role (backup): person``
for level 2) or as ``CATEGORIES: role`` with ``SUMMARY: person``; our own exports also carry
``X-STANDBY-ROLE``/``-PERSON``/``-LEVEL``/``-PHONE`` so that a round trip is exact whatever
the names contain (``rota.io_ics_write``).

Reading takes two roads. A plain event (no repeats, times in UTC, floating or in an IANA
zone) is read from its content lines here (``rota.io_ics_text``), which is what makes a
calendar of 500,000 shifts read about as fast as the same CSV. Everything else (RRULE,
RDATE, EXDATE and edited instances, zones only a VTIMEZONE or a Windows name defines)
goes through ``icalendar`` and ``recurring_ical_events``, with bounds checked before any
expansion: a rule repeating more often than hourly, a COUNT or an estimate over the
rota's shift limit is an error, and expansion stops at the limit. A rule with no end is
expanded only up to a date, and the rota says so in a warning. A TZID that is neither a
known zone nor defined in the file is an error, never silently the rota's own zone.
``icalendar`` is imported only when a calendar needs it, because it is slow to import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from standby.clock import DEFAULT_TIMEZONE, TimeError, local_to_utc, zone
from standby.rota.io_common import RotaFileError, check_order, shift_limit, too_many_shifts
from standby.rota.io_ics_series import TEXT_PROPERTIES, EventFields, event_where, read_series
from standby.rota.io_ics_text import (
    ContentLine,
    EventLines,
    parse_date_time,
    scan_calendar,
    split_list,
    unescape_text,
)
from standby.rota.io_ics_write import level_suffix, notes_without_phone
from standby.rota.model import Rota, Shift


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
    scan = scan_calendar(_read_text(path), path)
    timezone = _calendar_timezone(scan.properties.get("X-WR-TIMEZONE", ""), path, timezone)
    rota = Rota(timezone=timezone, sources=[str(path)])
    series = {event.uid for event in scan.events if event.series}
    plain: list[EventLines] = []
    library: list[EventLines] = []
    for event in scan.events:
        simple = event.uid not in series and all(map(_known_zone, event.tzids))
        (plain if simple else library).append(event)
    singles = [_plain_fields(event, path) for event in plain]
    if len(singles) > limit:
        raise too_many_shifts(str(path), limit)
    if library:
        singles += read_series(scan, library, path, timezone, until, singles, rota, limit)
    rota.shifts = [_shift(fields, path, timezone, rota.warnings) for fields in singles]
    rota.shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level, shift.person))
    return rota


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RotaFileError(f"{path}: cannot be read ({error.strerror}); check the name") from None
    if not data.strip():
        raise RotaFileError(
            f"{path}: the file is empty; export the rota calendar again as .ics "
            "(BEGIN:VCALENDAR ... END:VCALENDAR)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RotaFileError(
            f"{path}: byte {error.start} is not UTF-8 text, as iCalendar files must be; "
            "export it again as .ics"
        ) from None


@functools.lru_cache(maxsize=64)
def _known_zone(tzid: str) -> ZoneInfo | None:
    """The IANA zone a TZID names, or None (a Windows name, or one only a VTIMEZONE gives)."""
    try:
        return ZoneInfo(tzid)
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd names
        return None


def _calendar_timezone(named: str, path: Path, timezone: str) -> str:
    """The calendar's own X-WR-TIMEZONE (as our exports write it), else ``timezone``."""
    if not named:
        return timezone
    try:
        zone(named)
    except TimeError as error:
        raise RotaFileError(f"{path}: X-WR-TIMEZONE: {error}") from None
    return named


# --------------------------------------------------------------------------- plain events


def _plain_fields(event: EventLines, path: Path) -> EventFields:
    """The fields of a plain event, from its own lines."""
    props = event.properties
    texts = {}
    for name in TEXT_PROPERTIES:
        found = props.get(name)
        if found is not None:
            texts[name] = unescape_text(found[0].value).strip()
    listed = props.get("CATEGORIES")
    categories = (
        ",".join(unescape_text(part) for part in split_list(listed[0].value)).strip()
        if listed
        else ""
    )
    start = _moment(props, "DTSTART", path, texts)
    if start is None:
        raise RotaFileError(
            f"{path}: event '{texts.get('SUMMARY', '?')}' has no readable DTSTART/DTEND; "
            "give each event times such as DTSTART;TZID=Europe/London:20260105T090000"
        )
    end = _moment(props, "DTEND", path, texts)
    duration = None
    if end is None and "DURATION" in props:
        import icalendar

        try:
            duration = icalendar.vDuration.from_ical(  # type: ignore[no-untyped-call]
                props["DURATION"][0].value
            )
        except ValueError:
            raise RotaFileError(
                f"{path}: event '{texts.get('SUMMARY', '')}': DURATION "
                f"'{props['DURATION'][0].value}' cannot be read; write it like PT12H or P7D"
            ) from None
    return EventFields(texts, categories, start, end, duration)


def _moment(
    props: dict[str, list[ContentLine]], name: str, path: Path, texts: dict[str, str]
) -> date | datetime | None:
    """DTSTART or DTEND as written: a date, a UTC time, a TZID time or a floating one."""
    lines = props.get(name)
    if not lines:
        return None
    line = lines[0]
    value = parse_date_time(line.value)
    params = line.params
    if value is None or (
        params and params.get("VALUE", "").upper() == "DATE" and isinstance(value, datetime)
    ):
        raise RotaFileError(
            f"{path}: event '{texts.get('SUMMARY', '')}' (UID {texts.get('UID') or '?'}): "
            f"{name} '{line.value}' cannot be read; write it like "
            f"{name};TZID=Europe/London:20260105T090000"
        )
    tzid = params.get("TZID") if params else None
    if tzid and isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=_known_zone(tzid))
    return value


# --------------------------------------------------------------------------- shifts


def _who(fields: EventFields, path: Path) -> tuple[str, str]:
    """(role, person) from our X- properties, CATEGORIES + SUMMARY, or 'role: person'."""
    summary = fields.text("SUMMARY")
    role, person = fields.text("X-STANDBY-ROLE"), fields.text("X-STANDBY-PERSON")
    if role and person:
        return role, person
    category = fields.categories
    if category:
        prefix = f"{category}:"
        person = summary[len(prefix) :].strip() if summary.startswith(prefix) else summary
        if person:
            return category, person
    role, colon, person = summary.partition(":")
    if colon and role.strip() and person.strip():
        return role.strip(), person.strip()
    raise RotaFileError(
        f"{event_where(path, fields)} does not say its role and person; write SUMMARY as "
        "'role: person', e.g. 'Duty Emergency Planning Officer: A. Jones', or put the role "
        "in CATEGORIES"
    )


def _instant(
    value: date | datetime, timezone: str, where: Callable[[], str], warnings: list[str]
) -> datetime:
    if type(value) is not datetime:
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    try:
        instant, warning = local_to_utc(value, zone(timezone), ambiguous="first")
    except TimeError as error:
        raise RotaFileError(f"{where()}: {error}") from None
    if warning:
        warnings.append(f"{where()}: {warning}")
    return instant


def _shift(fields: EventFields, path: Path, timezone: str, warnings: list[str]) -> Shift:
    role, person = _who(fields, path)
    texts = fields.texts
    uid = texts.get("UID", "")

    def where() -> str:  # made only for a message
        return event_where(path, fields)

    start = _instant(fields.start, timezone, where, warnings)
    if fields.end is not None:
        end = _instant(fields.end, timezone, where, warnings)
    elif fields.duration is not None:
        end = start + fields.duration
    elif not isinstance(fields.start, datetime):
        end = start + timedelta(days=1)
    else:
        end = start
    if end <= start:
        check_order(
            start,
            end,
            where=where(),
            start_text=f"{start:%Y-%m-%d %H:%MZ}",
            end_text=f"{end:%Y-%m-%d %H:%MZ}",
        )
    role, level = _role_level(role, texts.get("X-STANDBY-LEVEL", ""))
    return Shift(
        person=person,
        role=role,
        start=start,
        end=end,
        level=level,
        source=f"{path.name}:{uid}" if uid else path.name,
        phone=texts.get("X-STANDBY-PHONE") or None,
        notes=_event_notes(texts),
    )


_SUMMARY_LEVEL = re.compile(r"\s*\((?:level\s*(\d+)|(backup))\)\s*$", re.IGNORECASE)


def _role_level(role: str, level_text: str) -> tuple[str, int]:
    """The level from X-STANDBY-LEVEL, else from ``(backup)`` or ``(level N)`` after the role."""
    if level_text:
        return role, int(level_text) if level_text.isdigit() and int(level_text) > 0 else 1
    match = _SUMMARY_LEVEL.search(role)
    if not match:
        return role, 1
    return role[: match.start()].strip(), int(match.group(1)) if match.group(1) else 2


def _event_notes(texts: dict[str, str]) -> str | None:
    description = texts.get("DESCRIPTION", "")
    if texts.get("X-STANDBY-ROLE"):
        return notes_without_phone(description, texts.get("X-STANDBY-PHONE-SHOWN") or None)
    return description or None


def write_ics(rota: Rota) -> bytes:
    """The rota as iCalendar bytes; see :mod:`rota.io_ics_write`."""
    from standby.rota.io_ics_write import write_ics as write

    return write(rota)


__all__ = ["level_suffix", "read_ics", "write_ics"]
