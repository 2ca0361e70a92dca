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

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeError(
            f"unknown timezone '{name}'; use an IANA name such as Europe/London"
        ) from None


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


def parse_instant(
    text: str | datetime | date, timezone: str = DEFAULT_TIMEZONE, *, ambiguous: str = "error"
) -> datetime:
    """Read a date, a local datetime or an ISO 8601 instant with offset, as aware UTC.

    Accepted: ``2026-03-27`` (local midnight), ``2026-03-27 09:00``, ``2026-03-27T09:00``,
    ``2026-03-27T09:00:00+01:00``, ``2026-03-27T08:00Z``.
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
        raw = str(text).strip()
        if not raw:
            raise TimeError("empty time; write it as 2026-03-27 09:00")
        candidate = raw.replace(" ", "T", 1) if len(raw) > 10 else raw
        if candidate.endswith(("Z", "z")):
            candidate = candidate[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(candidate)
        except ValueError:
            raise TimeError(
                f"'{raw}' is not a date or time; write it as 2026-03-27, 2026-03-27 09:00 "
                "or 2026-03-27T09:00+01:00"
            ) from None
    if value.tzinfo is not None:
        return value.astimezone(UTC), None
    return local_to_utc(value, tz, ambiguous=ambiguous)


def to_local(instant: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """An aware UTC instant as local wall-clock time (aware, in ``timezone``)."""
    return instant.astimezone(zone(timezone))


def iso_z(instant: datetime) -> str:
    """``2026-03-29T01:00:00Z``: UTC with ``Z``, as every JSON and CSV output writes instants.

    Whole seconds, and microseconds when the instant has them (``2026-03-29T01:00:40.250000Z``):
    the text is exact, never rounded.
    """
    return _iso(instant.astimezone(UTC), short=False).removesuffix("+00:00") + "Z"


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
