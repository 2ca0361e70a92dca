"""Local wall-clock time <-> UTC, with the UK clock-change rules made explicit.

A naive local time that does not exist (01:30 on the spring-forward day) is an error; an
ambiguous one (01:30 on the autumn day) is either an error or, where the caller allows it,
the first occurrence (BST) with a warning. Everything returned is an aware UTC datetime.

This module is also the one home of the defaults every file and command shares (the timezone
and the bank-holiday region) and of the one way instants are written as text
(:func:`iso_z`, :func:`iso_local`): exact to the microsecond, which is written only when
the instant has one, so text read back gives the same instant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as fixed_offset
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from standby import limits
from standby.errors import StandbyError

#: The zone of local times when a file or command does not name one.
DEFAULT_TIMEZONE = "Europe/London"
#: Bank-holiday regions by the names users give, and the ``holidays`` subdivision of GB each
#: one means.
REGIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
#: The bank-holiday region when a file or command does not name one.
DEFAULT_REGION = "england-and-wales"


class TimeError(StandbyError):
    """A time that cannot be read, does not exist, or is ambiguous."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name such as 'Europe' is a folder of the time-zone database, not a zone
        raise TimeError(f"unknown timezone '{name}'; {zone_hint(name)}") from None


def is_zone_region(name: str) -> bool:
    """True when ``name`` is a region of the zone database (``Europe``), not a zone."""
    from zoneinfo import available_timezones

    region = name.strip("/")
    return bool(region) and any(zone.startswith(f"{region}/") for zone in available_timezones())


def zone_hint(name: str) -> str:
    """How to name a zone: a city in the region named, the closest name, or an example."""
    from zoneinfo import available_timezones

    from standby.hints import closest

    known = available_timezones()
    region = name.strip("/")
    inside = sorted(zone for zone in known if zone.startswith(f"{region}/"))
    if inside and region:
        example = "Europe/London" if region == "Europe" else inside[0]
        return f"'{region}' is a region, not a zone: name a city in it, such as {example}"
    match = closest(name, known)
    if match is not None:
        return f"did you mean '{match}'?"
    return "use an IANA name such as Europe/London"


def region_code(region: str) -> str:
    """The ``holidays`` subdivision code for a region name, or a clear error."""
    try:
        return REGIONS[region]
    except KeyError:
        valid = ", ".join(REGIONS)
        raise TimeError(f"unknown bank-holiday region '{region}'; use one of: {valid}") from None


def is_nonexistent(naive: datetime, tz: ZoneInfo) -> bool:
    """True when ``naive`` falls in a spring-forward gap of ``tz``."""
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back != naive


def is_ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    """True when ``naive`` happens twice in ``tz`` (autumn fall-back hour)."""
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    second = naive.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second


def local_to_utc(
    naive: datetime, tz: ZoneInfo, *, ambiguous: str = "error"
) -> tuple[datetime, str | None]:
    """Convert a naive local time to UTC.

    ``ambiguous`` is ``"error"`` (raise) or ``"first"`` (take the first occurrence, i.e. the
    earlier UTC instant, and return a warning text). A nonexistent time always raises.
    """
    if is_nonexistent(naive, tz):
        raise TimeError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks go forward "
            "that night. Use a time after the change (e.g. 03:00) or give an offset "
            "such as +00:00"
        )
    warning = None
    if is_ambiguous(naive, tz):
        first = naive.replace(tzinfo=tz, fold=0)
        if ambiguous != "first":
            raise TimeError(
                f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key}: the clocks go back "
                f"that night. Add the offset to say which: {naive:%Y-%m-%dT%H:%M}"
                f"{_offset(first)} (first) or {naive:%Y-%m-%dT%H:%M}"
                f"{_offset(naive.replace(tzinfo=tz, fold=1))} (second)"
            )
        warning = (
            f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key}; "
            f"the first occurrence ({_offset(first)}) was used"
        )
        return first.astimezone(UTC), warning
    return naive.replace(tzinfo=tz).astimezone(UTC), warning


def _offset(aware: datetime) -> str:
    offset = aware.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


#: How times may be written, for messages.
FORMS = "2026-03-27, 2026-03-27 09:00, 27/03/2026 09:00 or 2026-03-27T09:00+01:00"
#: Words that mean an instant relative to the present (see :func:`parse_user_instant`).
NOW_WORDS = ("now", "today")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ISO_TEXT = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$"
)
_CLOCK_ONLY = re.compile(r"^\d{1,2}:\d{2}$")
_DAY_FIRST_TEXT = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[Tt ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


def read_clock_text(raw: str) -> datetime:
    """A date or time as written by a person: naive local, or aware when it has an offset.

    Accepted: ``2026-03-27`` (midnight), ``2026-03-27 09:00`` or ``T09:00``, one-digit hours
    (``2026-03-27 9:00``), seconds and fractions, an offset or ``Z``, and day-first dates as
    a UK spreadsheet writes them (``27/03/2026``, ``27/3/2026 9:00``). Raises
    :class:`TimeError` quoting ``raw`` as written and saying what is wrong with it (there
    is no month 14; 31 February does not exist; dates with slashes are read day first).
    """
    text = raw.strip()
    if not text:
        raise TimeError(f"empty time; write it as {FORMS}")
    iso = _ISO_TEXT.match(text)
    day_first = None if iso else _DAY_FIRST_TEXT.match(text)
    if iso:
        year, month, day, hour, minute, second, fraction, offset = iso.groups()
    elif day_first:
        day, month, year, hour, minute, second = day_first.groups()
        fraction = offset = None
    else:
        raise TimeError(f"'{raw}' is not a date or time; write it as {FORMS}")
    when = _calendar_date(raw, int(year), int(month), int(day), day_first=day_first is not None)
    if hour is None:
        return datetime.combine(when, time(0, 0))
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise TimeError(
            f"'{raw}': {int(hour):02d}:{minute} is not a time of day; use 00:00 to 23:59"
        )
    micro = int((fraction or "0").ljust(6, "0"))
    naive = datetime.combine(when, time(int(hour), int(minute), int(second or 0), micro))
    if offset is None:
        return naive
    return naive.replace(tzinfo=_offset_zone(raw, offset))


def _calendar_date(raw: str, year: int, month: int, day: int, *, day_first: bool) -> date:
    order = (
        "dates with slashes are read day first, 14/02/2027 for 14 February"
        if day_first
        else "dates with dashes are year-month-day, 2027-02-14 for 14 February"
    )
    if not 1 <= month <= 12:
        raise TimeError(f"'{raw}' is not a date: there is no month {month} ({order})")
    try:
        return date(year, month, day)
    except ValueError:
        pass
    days = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    raise TimeError(
        f"'{raw}' is not a date: {day} {_MONTHS[month - 1]} {year} does not exist "
        f"({_MONTHS[month - 1]} {year} has {days} days)"
    )


def _offset_zone(raw: str, offset: str) -> fixed_offset:
    if offset in ("Z", "z"):
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise TimeError(f"'{raw}': '{offset}' is not an offset; write it as +01:00 or Z")
    sign = 1 if offset[0] == "+" else -1
    return fixed_offset(sign * timedelta(hours=hours, minutes=minutes))


def parse_instant(
    text: str | datetime | date, timezone: str = DEFAULT_TIMEZONE, *, ambiguous: str = "error"
) -> datetime:
    """Read a date, a local datetime or an ISO 8601 instant with offset, as aware UTC.

    Accepted: what :func:`read_clock_text` reads, such as ``2026-03-27`` (local midnight),
    ``2026-03-27 09:00``, ``27/03/2026 9:00``, ``2026-03-27T09:00:00+01:00``,
    ``2026-03-27T08:00Z``.
    """
    return parse_instant_with_warning(text, timezone, ambiguous=ambiguous)[0]


def parse_given_instant(text: str | None, timezone: str, parameter: str) -> datetime | None:
    """:func:`parse_instant` of a value the caller may leave out (None or empty: None); an
    error names ``parameter`` (a key of ``standby.errors.PARAMETERS``), so that a front end
    can say which of its options to change."""
    if not text:
        return None
    try:
        return parse_instant(text, timezone)
    except TimeError as error:
        raise TimeError(error.message, parameters=(parameter,)) from None


def parse_user_instant(
    text: str, timezone: str = DEFAULT_TIMEZONE, *, now: datetime | None = None
) -> datetime:
    """As :func:`parse_instant`, also reading ``now``, ``today`` (local midnight) and a time
    of day alone (``9:00``: today at 09:00 local).

    ``now`` is the present unless given (aware). For what a person types on a command line.
    """
    word = text.strip().lower()
    present = now if now is not None else datetime.now(UTC)
    if word in NOW_WORDS:
        if word == "now":
            return present.astimezone(UTC)
        return parse_instant(present.astimezone(zone(timezone)).date(), timezone)
    if _CLOCK_ONLY.match(word):
        today = present.astimezone(zone(timezone)).date()
        return parse_instant(f"{today.isoformat()} {word}", timezone)
    try:
        return parse_instant(text, timezone)
    except TimeError as error:
        if "is not a date or time" in error.message:
            raise TimeError(f"{error.message}, or 'now'") from None
        raise


def parse_instant_with_warning(
    text: str | datetime | date, timezone: str = DEFAULT_TIMEZONE, *, ambiguous: str = "error"
) -> tuple[datetime, str | None]:
    """As :func:`parse_instant`, also returning the ambiguity warning, if any."""
    tz = zone(timezone)
    if isinstance(text, datetime):
        value = text
    elif isinstance(text, date):
        value = datetime.combine(text, time(0, 0))
    else:
        value = read_clock_text(str(text))
    check_year(value, text)
    if value.tzinfo is not None:
        return value.astimezone(UTC), None
    try:
        return local_to_utc(value, tz, ambiguous=ambiguous)
    except TimeError as error:
        written = str(text).strip() if isinstance(text, str) else ""
        canonical = f"{value:%Y-%m-%d %H:%M}"
        if not written or written == canonical:
            raise
        # Quote what was written, not our rewriting of it.
        message = error.message.replace(canonical, f"'{written}' ({value:%d %B %Y %H:%M})", 1)
        raise TimeError(message) from None


def check_year(value: date, written: object) -> None:
    """Raise :class:`TimeError` unless ``value`` falls in the years Standby works in."""
    if not limits.EARLIEST_YEAR <= value.year <= limits.LATEST_YEAR:
        raise TimeError(
            f"'{written}': the year {value.year} is outside {limits.EARLIEST_YEAR} to "
            f"{limits.LATEST_YEAR}, the years Standby works in; check the year"
        )


def to_local(instant: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """An aware UTC instant as local wall-clock time (aware, in ``timezone``)."""
    return instant.astimezone(zone(timezone))


def iso_z(instant: datetime) -> str:
    """``2026-03-29T01:00:00Z``: UTC with ``Z``, as every JSON and CSV output writes instants.

    Whole seconds, and microseconds when the instant has them (``2026-03-29T01:00:40.250000Z``):
    the text is exact, never rounded.
    """
    if instant.tzinfo is UTC and instant.year >= 1000:  # the common case, quickly
        return instant.isoformat()[:-6] + "Z"  # without its "+00:00"
    if instant.tzinfo is UTC and not instant.microsecond:
        return f"{instant:%Y-%m-%dT%H:%M:%S}Z"
    return _iso(instant.astimezone(UTC), short=False).removesuffix("+00:00") + "Z"


def iso_z_memo() -> Callable[[datetime], str]:
    """:func:`iso_z` that writes each distinct instant once, for a report that repeats the
    same few thousand handover times across thousands of findings."""
    known: dict[datetime, str] = {}

    def iso(instant: datetime) -> str:
        text = known.get(instant)
        if text is None:
            text = known[instant] = iso_z(instant)
        return text

    return iso


def iso_local(instant: datetime, timezone: str = DEFAULT_TIMEZONE, *, short: bool = False) -> str:
    """Local wall-clock time with its offset: ``2026-03-29T03:00:00+01:00``.

    Exact as :func:`iso_z`. ``short`` leaves out the seconds of a whole minute
    (``2026-03-29T03:00+01:00``), as rota files are written for people to edit.
    """
    return _iso(to_local(instant, timezone), short=short)


def _iso(instant: datetime, *, short: bool) -> str:
    if instant.microsecond:
        spec = "microseconds"
    elif short and instant.second == 0:
        spec = "minutes"
    else:
        spec = "seconds"
    return instant.isoformat(timespec=spec)
