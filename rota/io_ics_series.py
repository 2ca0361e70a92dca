"""Repeating iCalendar events, read with icalendar and expanded within bounds.

What ``rota.io_ics`` does not read from the lines itself comes here: series (RRULE, RDATE,
EXDATE and their edited instances) and events in zones only a VTIMEZONE or a Windows name
defines. Before anything is expanded, a rule that repeats more often than hourly, or whose
COUNT or estimated number of repeats passes the rota's shift limit, is an error; the
expansion itself is lazy and stops at the limit. A TZID icalendar cannot resolve is an
error, never the rota's own zone. Each event comes back as :class:`EventFields`, the same
as the plain road gives, so both make shifts the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from standby.clock import TimeError, check_year, zone
from standby.rota.io_common import RotaFileError, check_order, too_many_shifts
from standby.rota.io_ics_text import CalendarLines, Event, unescape_text, unreadable
from standby.rota.model import Rota

UNBOUNDED_DEFAULT = timedelta(days=365)
#: An UNTIL later than this is read as this (year 9999 plus a shift overflows a datetime).
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
#: How long a COUNT rule is given to stop by itself.
COUNTED_ROOM = timedelta(days=3653)
#: RRULE frequencies and the time between repeats (at INTERVAL=1) that bounds their count.
FREQUENCIES = {
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}
TEXT_PROPERTIES = (
    "SUMMARY",
    "UID",
    "DESCRIPTION",
    "X-STANDBY-ROLE",
    "X-STANDBY-PERSON",
    "X-STANDBY-LEVEL",
    "X-STANDBY-PHONE",
    "X-STANDBY-PHONE-SHOWN",
)


class EventFields(NamedTuple):
    """What a shift is made of, from either road: texts unescaped, times as decoded."""

    texts: dict[str, str]
    categories: str
    start: date | datetime
    end: date | datetime | None
    duration: timedelta | None

    def text(self, name: str) -> str:
        return self.texts.get(name, "")


class Span(NamedTuple):
    """The events read apart from a series, as its expansion needs them: how many, and
    UTC instants among which are their first and last start and their last end."""

    number: int = 0
    starts: tuple[datetime, ...] = ()
    ends: tuple[datetime, ...] = ()


def event_where(path: Path, fields: EventFields) -> str:
    return f"{path}: event '{fields.text('SUMMARY')}' (UID {fields.text('UID') or '?'})"


def as_utc(value: date | datetime, timezone: str) -> datetime:
    """A DTSTART/DTEND/UNTIL value as UTC; floating times are local to ``timezone``."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is None:
        return value.replace(tzinfo=zone(timezone), fold=0).astimezone(UTC)
    return value.astimezone(UTC)


def library_fields(event: Any, path: Path) -> EventFields:
    """The fields of an event icalendar has read (a series' occurrence, or a VTIMEZONE's)."""
    texts = {}
    for name in TEXT_PROPERTIES:
        value = event.get(name)
        if value is not None:
            value = value[0] if isinstance(value, list) else value
            # icalendar unescapes the TEXT properties it knows; X- ones it leaves as written
            text = str(value)
            texts[name] = (unescape_text(text) if name.startswith("X-") else text).strip()
    categories = event.get("CATEGORIES")
    if isinstance(categories, list):
        categories = categories[0]
    category = ",".join(str(item) for item in getattr(categories, "cats", [])).strip()
    fields = EventFields(texts, category, event.decoded("DTSTART"), None, None)
    _check_zones(event, path, fields)
    end = event.decoded("DTEND") if "DTEND" in event else None
    duration = event.decoded("DURATION") if "DURATION" in event and end is None else None
    return EventFields(texts, category, fields.start, end, duration)


def _check_zones(event: Any, path: Path, fields: EventFields) -> None:
    """A TZID icalendar could not resolve leaves a naive time: an error, never local time."""
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = event.get(name)
        tzid = getattr(prop, "params", {}).get("TZID") if prop is not None else None
        if (
            tzid
            and isinstance(event.decoded(name), datetime)
            and (event.decoded(name).tzinfo is None)
        ):
            raise RotaFileError(
                f"{event_where(path, fields)}: {name} has TZID={tzid}, a time zone that is neither "
                "a known zone nor defined in the file (VTIMEZONE); give a zone such as "
                "Europe/London, or export the calendar again with its time zones"
            )


def read_series(
    scan: CalendarLines,
    events: list[Event],
    path: Path,
    timezone: str,
    until: datetime | None,
    others: Span,
    rota: Rota,
    limit: int,
) -> list[EventFields]:
    """Read ``events`` with icalendar; expand the series within bounds."""
    import icalendar

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Standby//reading//EN"]
    for block in scan.timezones:
        lines += block
    for event in events:
        lines += event.lines
    lines.append("END:VCALENDAR")
    try:
        calendar = icalendar.Calendar.from_ical("\r\n".join(lines) + "\r\n")
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError...
        raise unreadable(path, str(error)) from None
    parsed = calendar.walk("VEVENT")
    for component in parsed:
        for name, problem in getattr(component, "errors", []):
            raise RotaFileError(
                f"{path}: event '{component.get('SUMMARY', '')}' "
                f"(UID {component.get('UID', '?')}): "
                f"property {name or '?'} cannot be read ({problem}); {_example(name)}"
            )
    try:
        fields = [library_fields(event, path) for event in parsed]
        for item in fields:
            check_years(item, path)
        series_uids = {str(event.get("UID")) for event in parsed if _in_series(event)}
        singles = [
            item
            for event, item in zip(parsed, fields, strict=True)
            if str(event.get("UID")) not in series_uids
        ]
        if not series_uids:
            return singles
        series = [event for event in parsed if str(event.get("UID")) in series_uids]
        window = _expansion_window(parsed, fields, others, path, timezone, until, rota.warnings)
        _check_rules(series, fields, parsed, path, window, limit - others.number - len(singles))
        room = limit - others.number - len(singles)
        occurrences = _occurrences(calendar, series_uids, path, window, (room, limit), timezone)
        return singles + [library_fields(event, path) for event in occurrences]
    except RotaFileError:
        raise
    except Exception as error:  # icalendar reports broken values only when they are used
        raise RotaFileError(
            f"{path}: an event cannot be read ({error}); check its DTSTART, DTEND, RRULE "
            "and EXDATE lines"
        ) from None


#: How each property that holds a time or a rule is written, for messages.
_EXAMPLES = {
    "DTSTART": "DTSTART;TZID=Europe/London:20260105T090000",
    "DTEND": "DTEND;TZID=Europe/London:20260112T090000",
    "RECURRENCE-ID": "RECURRENCE-ID;TZID=Europe/London:20260112T090000",
    "EXDATE": "EXDATE;TZID=Europe/London:20260112T090000",
    "RDATE": "RDATE;TZID=Europe/London:20260112T090000",
    "DURATION": "DURATION:P7D",
    "RRULE": "RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z",
}


def _example(name: str | None) -> str:
    """How to write the property ``name``: an example line, or general advice."""
    example = _EXAMPLES.get((name or "").upper())
    if example is None:
        return "correct it, or export the calendar again"
    return f"write it like {example}"


def check_years(fields: EventFields, path: Path) -> None:
    """Raise when an event starts or ends outside the years Standby works in."""
    for value in (fields.start, fields.end):
        if value is None:
            continue
        try:
            check_year(value, f"{value.year:04d}{value.month:02d}{value.day:02d}")
        except TimeError as error:
            raise RotaFileError(f"{event_where(path, fields)}: {error}") from None


def _in_series(event: Any) -> bool:
    return any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))


def _check_rules(
    series: list[Any],
    fields: list[EventFields],
    parsed: list[Any],
    path: Path,
    window: tuple[datetime, datetime],
    room: int,
) -> None:
    """Refuse a rule before it is expanded: too frequent, or too many repeats."""
    by_event = {id(event): item for event, item in zip(parsed, fields, strict=True)}
    limit = room
    for event in series:
        for rule in _rules(event):
            where = event_where(path, by_event[id(event)])
            frequency = str((rule.get("FREQ") or ["?"])[0]).upper()
            if frequency in ("SECONDLY", "MINUTELY"):
                raise RotaFileError(
                    f"{where}: RRULE FREQ={frequency} repeats every "
                    f"{'second' if frequency == 'SECONDLY' else 'minute'}; an on-call rota "
                    "repeats hourly at most: write each shift, or use FREQ=HOURLY, DAILY or "
                    "WEEKLY"
                )
            count = rule.get("COUNT")
            if count:
                repeats = int(count[0])
            else:
                step = FREQUENCIES.get(frequency, timedelta(hours=1))
                interval = int((rule.get("INTERVAL") or [1])[0]) or 1
                spread = 1
                for part in ("BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS"):
                    spread *= max(len(rule.get(part) or []), 1)
                if frequency in ("MONTHLY", "YEARLY"):
                    spread *= max(len(rule.get("BYDAY") or []), 1) * max(
                        len(rule.get("BYMONTHDAY") or []), 1
                    )
                repeats = int((window[1] - window[0]) / (step * interval) + 1) * spread
            if repeats > max(limit, 0):
                raise too_many_shifts(where, room if room > 0 else 0, "repeats to")


def _occurrences(
    calendar: Any,
    uids: set[str],
    path: Path,
    window: tuple[datetime, datetime],
    bounds: tuple[int, int],
    timezone: str,
) -> list[Any]:
    """The series' occurrences in ``window``, made one by one, stopping past the room left
    for them (``bounds``: that room, and the rota's shift limit)."""
    room, limit = bounds
    import icalendar
    import recurring_ical_events

    start, stop = window
    if start >= stop:
        return []
    series = icalendar.Calendar()
    for component in calendar.walk("VTIMEZONE"):
        series.add_component(component)
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID")) in uids:
            series.add_component(event)
    found = []
    try:
        for event in recurring_ical_events.of(series).after(start):
            if as_utc(event.decoded("DTSTART"), timezone) >= stop:
                break
            found.append(event)
            if len(found) > room:
                raise too_many_shifts(str(path), limit, "repeats to")
    except RotaFileError:
        raise
    except Exception as error:  # the expander's errors differ between versions
        raise RotaFileError(
            f"{path}: a repeating event cannot be expanded ({error}); check its RRULE, "
            "EXDATE and DTSTART"
        ) from None
    return found


def _expansion_window(
    parsed: list[Any],
    fields: list[EventFields],
    others: Span,
    path: Path,
    timezone: str,
    until: datetime | None,
    warnings: list[str],
) -> tuple[datetime, datetime]:
    """From the first DTSTART to the latest DTEND/UNTIL of the events that end.

    A rule with no UNTIL or COUNT is expanded up to ``until``, else up to the latest end
    found among the other events, else one year from its DTSTART, and a warning says so.
    ``others`` are the plain events, read apart, which count for the window too.
    """
    starts: list[datetime] = []
    ends: list[datetime] = []
    unbounded: list[tuple[str, datetime]] = []
    counted = False
    starts += others.starts
    ends += others.ends
    for event, item in zip(parsed, fields, strict=True):
        begin = as_utc(item.start, timezone)
        end = as_utc(item.end, timezone) if item.end is not None else begin
        if item.end is not None and end <= begin:
            check_order(
                begin,
                end,
                where=event_where(path, item),
                start_text=str(event.get("DTSTART").to_ical().decode()),
                end_text=str(event.get("DTEND").to_ical().decode()),
            )
        starts.append(begin)
        rules = _rules(event)
        if not any(rule.get("UNTIL") or rule.get("COUNT") for rule in rules) and rules:
            unbounded.append((item.text("SUMMARY") or item.text("UID") or "?", begin))
            continue
        ends.append(end)
        for rule in rules:
            if rule.get("UNTIL"):
                ends.extend(
                    min(as_utc(value, timezone), LATEST) + (end - begin) for value in rule["UNTIL"]
                )
            elif rule.get("COUNT"):
                counted = True
    if not starts:
        return datetime.now(UTC), datetime.now(UTC)
    stop = max(ends, default=min(starts))
    if counted:
        # COUNT rules stop by themselves; give them room (ten years) to do so.
        stop = max(stop, max(starts) + COUNTED_ROOM)
    latest = max(ends, default=None)
    for summary, begin in unbounded:
        limit = until or (
            latest if latest is not None and latest > begin else begin + UNBOUNDED_DEFAULT
        )
        stop = max(stop, limit)
        warnings.append(
            f"{path}: event '{summary}' repeats with no end; expanded up to "
            f"{limit:%Y-%m-%d %H:%M} UTC. Add UNTIL or COUNT to its RRULE to say when it stops"
        )
    if until is not None:
        stop = until
    return min(starts), stop


def _rules(event: Any) -> list[Any]:
    rules = event.get("RRULE")
    if rules is None:
        return []
    return rules if isinstance(rules, list) else [rules]
