"""Plain iCalendar events read from their lines, and the fast road through a calendar.

A plain event (no repeats; times in UTC, floating or in an IANA zone) is read here into
:class:`EventFields` without icalendar: :func:`plain_fields` from the properties the line
scanner (:func:`rota.io_ics_text.scan_calendar`) collected.

Most calendars are thousands of events of one shape, written by one program: the same
properties in the same order, event after event. :func:`read_plain` reads such a
calendar several times faster than the line scanner. It splits the text at its
``BEGIN:VEVENT`` lines and learns the layout of an event (its property names in order,
and which have parameters) from the first one the line scanner reads. Every event of a
known layout is then read with one compiled regular expression whose groups are the
property values, and made into its shift at once: no content line or field is made, each
distinct time is decoded and made UTC once, and each distinct set of texts (summary,
role, person, level, phone, notes) is read once. An event of another layout is read by
the line scanner, and teaches its layout in turn; so is one in a zone only icalendar
reads, and repeating events (RRULE, RDATE, RECURRENCE-ID) never have a layout.

The fast road takes only calendars it reads exactly as the line scanner's road does, and
gives up (returns None) on anything else: folded lines are unfolded first, but a blank
line, a bare CR or another line break, quoted parameters, a VEVENT the line scanner
would read differently, a problem in any event, or a time that needs a warning. The
caller then reads the whole file the line scanner's way, whose messages say what is
wrong. A property test checks that both roads give the same rota, or the same message,
for generated calendars of many shapes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from standby.clock import TimeError, zone
from standby.rota.epoch import EPOCH
from standby.rota.io_common import RotaFileError
from standby.rota.io_ics_series import TEXT_PROPERTIES, EventFields, Span, check_years
from standby.rota.io_ics_shift import Instants, event_notes, role_level, shift_end, who
from standby.rota.io_ics_text import (
    SERIES,
    CalendarLines,
    ContentLine,
    Event,
    parse_date_time,
    scan_calendar,
    split_line,
    split_list,
    unescape_text,
)
from standby.rota.model import Shift


@functools.lru_cache(maxsize=64)
def known_zone(tzid: str) -> ZoneInfo | None:
    """The IANA zone a TZID names, or None (a Windows name, or one only a VTIMEZONE gives)."""
    try:
        return ZoneInfo(tzid)
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd names
        return None


# --------------------------------------------------------------------------- fields


def plain_fields(event: Event, path: Path) -> EventFields:
    """The fields of a plain event, from the properties the line scanner collected."""
    props = event.properties
    texts = {}
    for name in TEXT_PROPERTIES:
        found = props.get(name)
        if found is not None:
            texts[name] = unescape_text(found[0].value).strip()
    listed = props.get("CATEGORIES")
    categories = categories_text(listed[0].value) if listed else ""
    first = {name: lines[0] for name in ("DTSTART", "DTEND") if (lines := props.get(name))}
    start = moment(first.get("DTSTART"), "DTSTART", path, texts)
    if start is None:
        raise RotaFileError(
            f"{path}: event '{texts.get('SUMMARY', '?')}' has no readable DTSTART/DTEND; "
            "give each event times such as DTSTART;TZID=Europe/London:20260105T090000"
        )
    end = moment(first.get("DTEND"), "DTEND", path, texts)
    duration = None
    if end is None and "DURATION" in props:
        duration = duration_of(props["DURATION"][0].value, path, texts)
    return EventFields(texts, categories, start, end, duration)


def categories_text(value: str) -> str:
    """CATEGORIES as one text: its items unescaped and joined with commas again."""
    return ",".join(unescape_text(part) for part in split_list(value)).strip()


def moment(
    line: ContentLine | None, name: str, path: Path, texts: dict[str, str]
) -> date | datetime | None:
    """DTSTART or DTEND as written: a date, a UTC time, a TZID time or a floating one."""
    if line is None:
        return None
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
        value = value.replace(tzinfo=known_zone(tzid))
    return value


def duration_of(value: str, path: Path, texts: dict[str, str]) -> timedelta:
    """A DURATION value (``PT12H``, ``P7D``)."""
    import icalendar

    try:
        return icalendar.vDuration.from_ical(value)  # type: ignore[no-untyped-call,no-any-return]
    except ValueError:
        raise RotaFileError(
            f"{path}: event '{texts.get('SUMMARY', '')}': DURATION "
            f"'{value}' cannot be read; write it like PT12H or P7D"
        ) from None


# --------------------------------------------------------------------------- the fast road


def calendar_timezone(named: str, path: Path, timezone: str) -> str:
    """The calendar's own X-WR-TIMEZONE (as our exports write it), else ``timezone``."""
    if not named:
        return timezone
    try:
        zone(named)
    except TimeError as error:
        raise RotaFileError(f"{path}: X-WR-TIMEZONE: {error}") from None
    return named


@dataclass
class PlainRead:
    """A calendar read down the fast road.

    ``calendar`` holds its properties and zones and the events read by the line scanner
    (those of no layout, or in a zone only icalendar reads), which the caller reads as
    it reads any scanned calendar; ``shifts`` are the others', made already, in the file's
    order, and ``places`` where each of those events is among all of the file's events.
    """

    calendar: CalendarLines
    shifts: list[Shift]
    places: list[int]
    scanned: list[int]  # where each of calendar.events is among the file's events
    without_end: list[int]  # the shifts whose event has no DTEND, for a series' window

    def span(self) -> Span:
        """What a series' expansion needs of these shifts (see ``read_series``)."""
        if not self.shifts:
            return Span()
        starts = [shift.start for shift in self.shifts]
        ends = [shift.end for shift in self.shifts]
        for index in self.without_end:
            ends[index] = starts[index]
        return Span(len(self.shifts), (min(starts), max(starts)), (max(ends),))


class _GiveUpError(Exception):
    """The fast road cannot read this calendar exactly; the line scanner will."""


#: Line breaks other than LF that the line scanner also splits lines at (str.splitlines).
_ODD_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_ODD_WIDE_BREAKS = ("\x85", "\u2028", "\u2029")
_NAME = re.compile(r"[A-Z0-9-]+")
_OPEN, _CLOSE, _END = "\nBEGIN:VEVENT\n", "\nEND:VEVENT", "\nEND:VEVENT\nEND:VCALENDAR"
_MAX_LAYOUTS = 8


class _Layout:
    """The property lines of an event, in order, and the expression that reads them.

    Each line is its name and whether it has parameters, as in the event it was learned
    from: ``UID:...`` gives ``UID:(value)``; ``DTSTART;TZID=...:...`` gives
    ``DTSTART(;parameters:value)``, whose parameters may not be quoted (the line scanner
    reads quoted ones otherwise).
    """

    def __init__(self, lines: Sequence[tuple[str, bool]]) -> None:
        self.lines = tuple(lines)
        self.pattern = re.compile(
            "\n".join(
                f'{name}(;[^":\n]*:[^"\n]*)' if params else f"{name}:([^\n]*)"
                for name, params in lines
            )
        )
        self.names = tuple(name for name, _ in lines)
        where = {name: index for index, name in enumerate(self.names)}
        self.start, self.end = where["DTSTART"], where.get("DTEND")
        self.duration = where.get("DURATION")
        self.uid = where.get("UID")
        # The lines a shift's person, role, level, phone and notes come from: the same
        # values give the same answer, worked out once.
        self.who = [
            (name, where[name], lines[where[name]][1])
            for name in (*TEXT_PROPERTIES, "CATEGORIES")
            if name in where and name != "UID"
        ]
        indices = [index for _, index, _ in self.who]
        self.who_key: Callable[[tuple[str, ...]], object] = (
            itemgetter(*indices) if indices else tuple
        )
        self.zones = [
            index
            for index, (_, params) in enumerate(lines)
            if params and index not in (self.start, self.end)
        ]


class _Moment(NamedTuple):
    """A DTSTART or DTEND value: as written (decoded), as UTC, and in a known zone."""

    value: date | datetime
    instant: datetime
    known: bool  # no TZID, or one naming a zone Python knows


class _Reader:
    """One calendar's events down the fast road (see the module doc)."""

    def __init__(self, path: Path, timezone: str) -> None:
        self.path = path
        self.timezone = timezone
        self.layouts: list[_Layout] = []
        self.shifts: list[Shift] = []
        self.places: list[int] = []
        self.without_end: list[int] = []
        self.events: list[Event] = []
        self.scanned: list[int] = []
        self.moments: dict[str, _Moment] = {}
        self.answers: dict[object, tuple[str, str, int, str | None, str | None]] = {}
        self.known: dict[str, bool] = {}
        self.source = f"{path.name}:"
        self.instants = Instants(timezone)

    def event(self, place: int, chunk: str) -> None:
        """Read an event from its chunk of the calendar: its lines, then ``\nEND:VEVENT``."""
        end = len(chunk) - len(_CLOSE)
        for index, layout in enumerate(self.layouts):
            match = layout.pattern.fullmatch(chunk, 0, end)
            if match is not None:
                if index:  # the layout last read is tried first
                    self.layouts.insert(0, self.layouts.pop(index))
                if self.shift(layout, match.groups()):
                    self.places.append(place)
                    return
                break  # a zone only icalendar reads: as the line scanner reads it
        self.events.append(self.learn(chunk[:end]))
        self.scanned.append(place)

    def learn(self, body: str) -> Event:
        """Read an event with the line scanner, and keep its layout if it has one."""
        calendar = "BEGIN:VCALENDAR\nBEGIN:VEVENT\n" + body + "\nEND:VEVENT\nEND:VCALENDAR"
        try:
            events = scan_calendar(calendar, self.path).events
        except RotaFileError:
            raise _GiveUpError from None
        if len(events) != 1:
            raise _GiveUpError
        event = events[0]
        lines = _layout_lines(event.lines[1:-1])
        known = any(layout.lines == lines for layout in self.layouts)
        if lines and not known:
            layout = _Layout(lines)
            if layout.pattern.fullmatch(body):
                self.layouts.insert(0, layout)
                del self.layouts[_MAX_LAYOUTS:]
        return event

    def shift(self, layout: _Layout, values: tuple[str, ...]) -> bool:
        """Make the event's shift as ``make_shift`` would; False for an event in a zone
        only icalendar reads."""
        start = self.moment("DTSTART", values[layout.start])
        stop = None if layout.end is None else self.moment("DTEND", values[layout.end])
        if not start.known or (stop is not None and not stop.known):
            return False
        for index in layout.zones:
            if not self.zone_known(layout.names[index], values[index]):
                return False
        key = layout.who_key(values)
        answer = self.answers.get(key)
        if answer is None:
            answer = self.answers[key] = self.answer(layout, values)
        role, person, level, phone, notes = answer
        duration = None
        if stop is None:
            self.without_end.append(len(self.shifts))
            if layout.duration is not None:
                duration = self.duration(values[layout.duration])
        end = shift_end(
            start.value, start.instant, None if stop is None else stop.instant, duration
        )
        if end <= start.instant:
            raise _GiveUpError  # the line scanner's road says what is wrong
        uid = "" if layout.uid is None else _text(values[layout.uid], layout.lines[layout.uid][1])
        source = self.source + uid if uid else self.path.name
        self.shifts.append(Shift(person, role, start.instant, end, level, source, phone, notes))
        return True

    def answer(
        self, layout: _Layout, values: tuple[str, ...]
    ) -> tuple[str, str, int, str | None, str | None]:
        """Role, person, level, phone and notes from the event's texts."""
        texts = {
            name: _text(values[index], params)
            for name, index, params in layout.who
            if name != "CATEGORIES"
        }
        categories = ""
        for name, index, params in layout.who:
            if name == "CATEGORIES":
                value = values[index]
                categories = categories_text(value[value.index(":") + 1 :] if params else value)
        fields = EventFields(texts, categories, date.min, None, None)
        try:
            role, person = who(fields, self.path)
        except RotaFileError:
            raise _GiveUpError from None
        role, level = role_level(role, texts.get("X-STANDBY-LEVEL", ""))
        return role, person, level, texts.get("X-STANDBY-PHONE") or None, event_notes(texts)

    def moment(self, name: str, value: str) -> _Moment:
        """A DTSTART or DTEND, decoded, its year checked and made UTC once for each way it
        is written. A time that needs a warning (the autumn hour that happens twice) is
        left to the line scanner's road."""
        found = self.moments.get(value)
        if found is None:
            line = self.line(name, value)
            try:
                decoded = moment(line, name, self.path, {})
                if decoded is None:
                    raise _GiveUpError
                check_years(EventFields({}, "", decoded, None, None), self.path)
                tzid = line.params.get("TZID")
                known = tzid is None or known_zone(tzid) is not None
                warnings: list[str] = []
                instant = self.instants(decoded, lambda: "", warnings) if known else EPOCH
            except RotaFileError:
                raise _GiveUpError from None
            if warnings:
                raise _GiveUpError
            found = self.moments[value] = _Moment(decoded, instant, known)
        return found

    def zone_known(self, name: str, value: str) -> bool:
        """Whether a line's TZID, if it has one, names a zone Python knows."""
        found = self.known.get(value)
        if found is None:
            tzid = self.line(name, value).params.get("TZID")
            found = self.known[value] = tzid is None or known_zone(tzid) is not None
        return found

    def line(self, name: str, value: str) -> ContentLine:
        """The line ``name`` with ``value`` (``;parameters:value``, or the value alone)."""
        line = split_line(name + value if value[:1] == ";" else f"{name}:{value}")
        if line is None:
            raise _GiveUpError
        return line

    def duration(self, value: str) -> timedelta:
        try:
            return duration_of(self.line("DURATION", value).value, self.path, {})
        except RotaFileError:
            raise _GiveUpError from None


def _text(value: str, params: bool) -> str:
    """A TEXT property's value as the line scanner's road reads it."""
    if params:
        value = value[value.index(":") + 1 :]
    return (unescape_text(value) if "\\" in value else value).strip()


def _layout_lines(lines: list[str]) -> tuple[tuple[str, bool], ...]:
    """Each line's name and whether it has parameters, when a layout can read them: names
    upper case as written, each once, a DTSTART, no repeats and no components inside;
    else ()."""
    layout = []
    for raw in lines:
        found = _NAME.match(raw)
        name = found.group() if found else ""
        after = raw[len(name) : len(name) + 1]
        if not name or after not in (":", ";"):
            return ()
        layout.append((name, after == ";"))
    names = {name for name, _ in layout}
    if len(names) < len(layout) or "DTSTART" not in names or names & {"BEGIN", "END", *SERIES}:
        return ()
    return tuple(layout)


def read_plain(text: str, path: Path, timezone: str) -> PlainRead | None:
    """The calendar read down the fast road, or None when only the line scanner can read
    it exactly (see the module doc)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    odd = _ODD_BREAKS if text.isascii() else _ODD_BREAKS + _ODD_WIDE_BREAKS
    if any(mark in text for mark in odd) or "\n\n" in text:
        return None
    # Unfolded as the line scanner does (its one pass of \n[ \t] gives the same text as
    # these two when there is no blank line, and makes none) but much faster.
    text = text.replace("\n ", "").replace("\n\t", "")
    text = text[:-1] if text.endswith("\n") else text
    if not text.startswith("BEGIN:VCALENDAR\n") or not text.endswith(_END):
        return None
    header, *chunks = text[: -len("\nEND:VCALENDAR")].split(_OPEN)
    del text
    if not chunks:
        return None
    try:
        scan = scan_calendar(header + "\nEND:VCALENDAR", path)
        timezone = calendar_timezone(scan.properties.get("X-WR-TIMEZONE", ""), path, timezone)
    except RotaFileError:
        return None
    if scan.events:
        return None
    reader = _Reader(path, timezone)
    try:
        for place, chunk in enumerate(chunks):
            if not chunk.endswith(_CLOSE):
                return None
            reader.event(place, chunk)
    except _GiveUpError:
        return None
    series = {event.uid for event in reader.events if event.series}
    if series:  # an event of a layout with the UID of a series is read with the series
        sources = {reader.source + uid if uid else path.name for uid in series}
        if any(shift.source in sources for shift in reader.shifts):
            return None
    scan.events = reader.events
    return PlainRead(scan, reader.shifts, reader.places, reader.scanned, reader.without_end)
