"""iCalendar as text (RFC 5545 section 3): content lines, escaping, folding, date-times.

Both ways: the writer escapes every TEXT value (``\\``, ``;``, ``,`` and line breaks, so a
newline in a name can never start a property or an event of its own) and folds lines at
75 octets without splitting a character; the reader unfolds, splits each content line
into name, parameters and value, and unescapes. Control characters other than tab, which
RFC 5545 does not allow in TEXT, are left out when writing. :func:`scan_calendar` splits a
file into its calendar properties, VTIMEZONE blocks and events, as lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

from standby.rota.io_common import RotaFileError

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_SPECIAL = re.compile("[\\\\;,\x00-\x08\x0a-\x1f\x7f]")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNFOLD = re.compile(r"\r?\n[ \t]")
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
FOLD_AT = 75


def escape_text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11); line breaks become ``\\n``."""
    if not _SPECIAL.search(value):
        return value
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _LINE_BREAKS.sub("\\\\n", value)
    return _CONTROLS.sub("", value)


def unescape_text(value: str) -> str:
    """A TEXT value as written: ``\\n`` and ``\\N`` a newline, ``\\;`` ``\\,`` ``\\\\``."""
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def fold(line: str) -> str:
    """One content line folded at 75 octets (CRLF and a space), never inside a character."""
    if len(line) <= FOLD_AT and line.isascii():
        return line
    data = line.encode("utf-8")
    if len(data) <= FOLD_AT:
        return line
    pieces = []
    start, width = 0, FOLD_AT
    while start < len(data):
        end = min(start + width, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, width = end, FOLD_AT - 1  # a continuation starts with a space
    return "\r\n ".join(pieces)


def utc_text(instant: datetime) -> str:
    """``20260105T090000Z``: a UTC DATE-TIME (whole seconds)."""
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def local_text(instant: datetime) -> str:
    """``20260105T090000``: a local DATE-TIME written with a TZID parameter."""
    return instant.strftime("%Y%m%dT%H%M%S")


class ContentLine(NamedTuple):
    """One unfolded line: ``NAME;PARAM=VALUE:value`` (names upper case, value as written)."""

    name: str
    params: dict[str, str]
    value: str


_NO_PARAMS: dict[str, str] = {}


def unfold(text: str) -> list[str]:
    """The content lines of ``text``, folded lines joined again, blank lines dropped."""
    return [line for line in _UNFOLD.sub("", text).splitlines() if line]


def split_line(line: str) -> ContentLine | None:
    """Name, parameters and value of a content line; None when it has no ``:``.

    Parameter values may be quoted (``TZID="Eastern Time (US & Canada)"``), and the
    quotes may hold ``:`` and ``;``.
    """
    colon = line.find(":")
    if colon < 0:
        return None
    semi = line.find(";", 0, colon)
    if semi < 0:  # the common case: no parameters
        return ContentLine(line[:colon].upper(), _NO_PARAMS, line[colon + 1 :])
    if '"' in line:
        return _split_quoted(line)
    params = {}
    for pair in line[semi + 1 : colon].split(";"):
        key, _, item = pair.partition("=")
        params[key.upper()] = item
    return ContentLine(line[:semi].upper(), params, line[colon + 1 :])


def _split_quoted(line: str) -> ContentLine | None:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char in ";:" and not quoted:
            parts.append("".join(current))
            current = []
            if char == ":":
                value = line[index + 1 :]
                name, *pairs = parts
                params = {}
                for pair in pairs:
                    key, _, item = pair.partition("=")
                    params[key.upper()] = item.strip('"')
                return ContentLine(name.upper(), params, value)
            continue
        current.append(char)
    return None


def parse_date_time(text: str) -> date | datetime | None:
    """A DATE (``20260105``) or DATE-TIME (``20260105T090000``, with ``Z`` in UTC); a
    floating or TZID time comes back naive. None when the text is neither."""
    match = _DATE_TIME.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, zulu = match.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if zulu else moment


# --------------------------------------------------------------------------- the file's lines

SERIES = ("RRULE", "RDATE", "RECURRENCE-ID", "EXRULE")


@dataclass
class EventLines:
    """One VEVENT as written: its content lines (raw, for icalendar) and properties."""

    lines: list[str] = field(default_factory=list)
    properties: dict[str, list[ContentLine]] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        found = self.properties.get("UID")
        return unescape_text(found[0].value).strip() if found else ""

    @property
    def series(self) -> bool:
        return any(name in self.properties for name in SERIES)

    @property
    def tzids(self) -> list[str]:
        return [
            line.params["TZID"]
            for lines in self.properties.values()
            for line in lines
            if "TZID" in line.params
        ]


class Event(Protocol):
    """An event as the line scanner gives it: :class:`EventLines`, or an event of the
    fast road's that its caller reads as such."""

    @property
    def lines(self) -> list[str]: ...
    @property
    def properties(self) -> dict[str, list[ContentLine]]: ...
    @property
    def uid(self) -> str: ...
    @property
    def series(self) -> bool: ...
    @property
    def tzids(self) -> list[str]: ...


@dataclass
class CalendarLines:
    """A calendar's own properties, its VTIMEZONE blocks and its events."""

    properties: dict[str, str] = field(default_factory=dict)
    timezones: list[list[str]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def scan_calendar(text: str, path: Path) -> CalendarLines:
    """Split the calendar into its parts, checking BEGIN and END match."""
    scan = CalendarLines()
    stack: list[str] = []
    event: EventLines | None = None
    block: list[str] | None = None
    for number, raw in enumerate(unfold(text), start=1):
        line = split_line(raw)
        if line is None:
            start = "" if stack else "; a calendar starts with BEGIN:VCALENDAR"
            raise unreadable(path, f"line {number} is not 'NAME:value'{start}")
        name = line.name
        if name == "BEGIN":
            opened = line.value.upper()
            if not stack and opened != "VCALENDAR":
                raise unreadable(path, "it does not start with BEGIN:VCALENDAR")
            stack.append(opened)
            if opened == "VEVENT" and event is None:
                event = EventLines()
            elif opened == "VTIMEZONE" and block is None:
                block = []
        elif not stack:
            raise unreadable(path, "it does not start with BEGIN:VCALENDAR")
        if event is not None:
            event.lines.append(raw)
            if name != "BEGIN" and name != "END" and stack[-1] == "VEVENT":
                found = event.properties.get(name)
                if found is None:
                    event.properties[name] = [line]
                else:
                    found.append(line)
        elif block is not None:
            block.append(raw)
        elif len(stack) == 1 and name != "BEGIN" and name != "END":
            scan.properties.setdefault(name, unescape_text(line.value).strip())
        if name == "END":
            closing = line.value.upper()
            if not stack or stack[-1] != closing:
                raise unreadable(
                    path,
                    f"line {number}: END:{line.value} does not close "
                    f"{'BEGIN:' + stack[-1] if stack else 'anything'}",
                )
            stack.pop()
            if closing == "VEVENT" and event is not None and "VEVENT" not in stack:
                scan.events.append(event)
                event = None
            elif closing == "VTIMEZONE" and block is not None:
                scan.timezones.append(block)
                block = None
    if stack:
        raise unreadable(path, f"BEGIN:{stack[-1]} is never closed with END:{stack[-1]}")
    return scan


def unreadable(path: Path, problem: str) -> RotaFileError:
    return RotaFileError(
        f"{path}: not a readable iCalendar file ({problem}); export it again as .ics"
    )


def split_list(value: str) -> list[str]:
    """A TEXT list split at its unescaped commas (``a\\,b,c`` is two items)."""
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts
