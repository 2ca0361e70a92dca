"""iCalendar rotas: each VEVENT a shift, recurring events expanded, and the ICS writer.

An event names its role and person as ``SUMMARY: role: person`` (``role (backup): person``
for level 2) or as ``CATEGORIES: role`` with ``SUMMARY: person``; our own exports also carry
``X-STANDBY-ROLE``/``-PERSON``/``-LEVEL``/``-PHONE`` so that a round trip is exact whatever
the names contain. RRULE, RDATE and EXDATE are
expanded with ``recurring_ical_events``; a rule with no end is expanded only up to a limit,
and the rota says so in a warning. ``icalendar`` is imported inside the functions because
it is slow to import and most commands never need it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from standby.clock import DEFAULT_TIMEZONE, TimeError, is_ambiguous, local_to_utc, zone
from standby.rota.io_common import RotaFileError, check_order
from standby.rota.model import Rota, Shift

MAX_EVENTS = 200_000
UNBOUNDED_DEFAULT = timedelta(days=365)


def read_ics(
    path: Path, timezone: str = DEFAULT_TIMEZONE, *, until: datetime | None = None
) -> Rota:
    """Read an iCalendar rota; ``until`` bounds rules that never end (see module doc)."""
    import icalendar

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
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError...
        raise RotaFileError(
            f"{path}: not a readable iCalendar file ({error}); export it again as .ics"
        ) from None
    for event in calendar.walk("VEVENT"):
        for name, problem in getattr(event, "errors", []):
            raise RotaFileError(
                f"{_where(path, event)}: property {name or '?'} cannot be read ({problem}); "
                "correct it, e.g. RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z"
            )
    timezone = _calendar_timezone(calendar, path, timezone)
    rota = Rota(timezone=timezone, sources=[str(path)])
    try:
        rota.shifts = _read_events(calendar, path, timezone, until, rota.warnings)
    except RotaFileError:
        raise
    except Exception as error:  # icalendar reports broken values only when they are used
        raise RotaFileError(
            f"{path}: an event cannot be read ({error}); check its DTSTART, DTEND, RRULE "
            "and EXDATE lines"
        ) from None
    rota.shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level, shift.person))
    return rota


def _calendar_timezone(calendar: Any, path: Path, timezone: str) -> str:
    """The calendar's own X-WR-TIMEZONE (as our exports write it), else ``timezone``."""
    named = str(calendar.get("X-WR-TIMEZONE") or "").strip()
    if not named:
        return timezone
    try:
        zone(named)
    except TimeError as error:
        raise RotaFileError(f"{path}: X-WR-TIMEZONE: {error}") from None
    return named


def _read_events(
    calendar: Any, path: Path, timezone: str, until: datetime | None, warnings: list[str]
) -> list[Shift]:
    import icalendar

    start, stop = _expansion_window(calendar, path, timezone, until, warnings)
    # Single events are read as written: the expander would lose a UTC time's exactness in
    # the repeated autumn hour. Series (and their edited instances) go through the expander.
    events = calendar.walk("VEVENT")
    series_uids = {str(event.get("UID")) for event in events if _in_series(event)}
    single = [event for event in events if str(event.get("UID")) not in series_uids]
    occurrences = list(single)
    if series_uids:
        series = icalendar.Calendar()
        for component in calendar.walk("VTIMEZONE"):
            series.add_component(component)
        for event in events:
            if str(event.get("UID")) in series_uids:
                series.add_component(event)
        occurrences += _occurrences(series, path, start, stop)
    return [_shift(event, path, timezone, warnings) for event in occurrences]


def _in_series(event: Any) -> bool:
    return any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))


def _occurrences(calendar: Any, path: Path, start: datetime, stop: datetime) -> list[Any]:
    import recurring_ical_events

    if start >= stop:
        return []
    try:
        events = []
        for event in recurring_ical_events.of(calendar).between(start, stop):
            events.append(event)
            if len(events) > MAX_EVENTS:
                raise RotaFileError(
                    f"{path}: expands to more than {MAX_EVENTS} shifts; give the repeating "
                    "events an UNTIL or COUNT"
                )
    except RotaFileError:
        raise
    except Exception as error:  # the expander's errors differ between versions
        raise RotaFileError(
            f"{path}: a repeating event cannot be expanded ({error}); check its RRULE, "
            "EXDATE and DTSTART"
        ) from None
    return events


def _as_utc(value: date | datetime, timezone: str) -> datetime:
    """A DTSTART/DTEND/UNTIL value as UTC; floating times are local to ``timezone``."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is None:
        return value.replace(tzinfo=zone(timezone), fold=0).astimezone(UTC)
    return value.astimezone(UTC)


def _expansion_window(
    calendar: Any, path: Path, timezone: str, until: datetime | None, warnings: list[str]
) -> tuple[datetime, datetime]:
    """From the first DTSTART to the latest DTEND/UNTIL of the events that end.

    A rule with no UNTIL or COUNT is expanded up to ``until``, else up to the latest end
    found among the other events, else one year from its DTSTART, and a warning says so.
    """
    starts: list[datetime] = []
    ends: list[datetime] = []
    unbounded: list[tuple[str, datetime]] = []
    counted = False
    for event in calendar.walk("VEVENT"):
        try:
            begin = _as_utc(event.decoded("DTSTART"), timezone)
            end = _as_utc(event.decoded("DTEND"), timezone) if "DTEND" in event else begin
        except Exception:
            raise RotaFileError(
                f"{path}: event '{event.get('SUMMARY', '?')}' has no readable DTSTART/DTEND; "
                "give each event times such as DTSTART;TZID=Europe/London:20260105T090000"
            ) from None
        if "DTEND" in event and end <= begin:
            check_order(
                begin,
                end,
                where=_where(path, event),
                start_text=str(event.get("DTSTART").to_ical().decode()),
                end_text=str(event.get("DTEND").to_ical().decode()),
            )
        starts.append(begin)
        rules = _rules(event)
        if not any(rule.get("UNTIL") or rule.get("COUNT") for rule in rules) and rules:
            unbounded.append((str(event.get("SUMMARY", event.get("UID", "?"))), begin))
            continue
        ends.append(end)
        for rule in rules:
            if rule.get("UNTIL"):
                ends.extend(_as_utc(value, timezone) + (end - begin) for value in rule["UNTIL"])
            elif rule.get("COUNT"):
                counted = True
    if not starts:
        return datetime.now(UTC), datetime.now(UTC)
    stop = max(ends, default=min(starts))
    if counted:
        # COUNT rules stop by themselves; give them room (ten years) to do so.
        stop = max(stop, max(starts) + timedelta(days=3653))
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


def _text(event: Any, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    if hasattr(value, "cats"):
        return ",".join(str(item) for item in value.cats).strip()
    return str(value).strip()


def _where(path: Path, event: Any) -> str:
    return f"{path}: event '{_text(event, 'SUMMARY')}' (UID {_text(event, 'UID') or '?'})"


def _who(event: Any, path: Path) -> tuple[str, str]:
    """(role, person) from our X- properties, CATEGORIES + SUMMARY, or 'role: person'."""
    summary = _text(event, "SUMMARY")
    role, person = _text(event, "X-STANDBY-ROLE"), _text(event, "X-STANDBY-PERSON")
    if role and person:
        return role, person
    category = _text(event, "CATEGORIES")
    if category:
        prefix = f"{category}:"
        person = summary[len(prefix) :].strip() if summary.startswith(prefix) else summary
        if person:
            return category, person
    role, colon, person = summary.partition(":")
    if colon and role.strip() and person.strip():
        return role.strip(), person.strip()
    raise RotaFileError(
        f"{path}: event '{summary}' (UID {_text(event, 'UID') or '?'}) does not say its role "
        "and person; write SUMMARY as 'role: person', e.g. 'Duty Emergency Planning Officer: "
        "A. Jones', or put the role in CATEGORIES"
    )


def _instant(value: date | datetime, timezone: str, where: str, warnings: list[str]) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    try:
        instant, warning = local_to_utc(value, zone(timezone), ambiguous="first")
    except TimeError as error:
        raise RotaFileError(f"{where}: {error}") from None
    if warning:
        warnings.append(f"{where}: {warning}")
    return instant


_SUMMARY_LEVEL = re.compile(r"\s*\((?:level\s*(\d+)|(backup))\)\s*$", re.IGNORECASE)


def _role_level(role: str, level_text: str) -> tuple[str, int]:
    """The level from X-STANDBY-LEVEL, else from ``(backup)`` or ``(level N)`` after the role."""
    if level_text:
        return role, int(level_text) if level_text.isdigit() and int(level_text) > 0 else 1
    match = _SUMMARY_LEVEL.search(role)
    if not match:
        return role, 1
    return role[: match.start()].strip(), int(match.group(1)) if match.group(1) else 2


def _event_notes(event: Any) -> str | None:
    description = _text(event, "DESCRIPTION")
    if _text(event, "X-STANDBY-ROLE"):
        return _notes(description, _text(event, "X-STANDBY-PHONE-SHOWN") or None)
    return description or None


def _shift(event: Any, path: Path, timezone: str, warnings: list[str]) -> Shift:
    role, person = _who(event, path)
    uid = _text(event, "UID")
    where = _where(path, event)
    start_value = event.decoded("DTSTART")
    start = _instant(start_value, timezone, where, warnings)
    if "DTEND" in event:
        end = _instant(event.decoded("DTEND"), timezone, where, warnings)
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    elif not isinstance(start_value, datetime):
        end = start + timedelta(days=1)
    else:
        end = start
    check_order(
        start,
        end,
        where=where,
        start_text=f"{start:%Y-%m-%d %H:%MZ}",
        end_text=f"{end:%Y-%m-%d %H:%MZ}",
    )
    level_text = _text(event, "X-STANDBY-LEVEL")
    role, level = _role_level(role, level_text)
    return Shift(
        person=person,
        role=role,
        start=start,
        end=end,
        level=level,
        source=f"{path.name}:{uid}" if uid else path.name,
        phone=_text(event, "X-STANDBY-PHONE") or None,
        notes=_event_notes(event),
    )


# --------------------------------------------------------------------------- writer


def _uid(shift: Shift) -> str:
    key = "\x1f".join(
        (shift.person, shift.role, shift.start.isoformat(), shift.end.isoformat(), str(shift.level))
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@standby"


def _local(instant: datetime, timezone: str) -> datetime:
    """Local time with TZID, except in the repeated autumn hour, where only UTC is exact."""
    tz = zone(timezone)
    local = instant.astimezone(tz)
    if is_ambiguous(local.replace(tzinfo=None), tz):
        return instant.astimezone(UTC)
    return local


def level_suffix(level: int) -> str:
    """`` (backup)`` for level 2, `` (level 3)`` and so on, nothing for the primary."""
    if level == 1:
        return ""
    return " (backup)" if level == 2 else f" (level {level})"


PHONE_LINE = "Phone: "


def _description(notes: str | None, phone: str | None) -> str:
    """The notes, then the phone to ring on a line of its own, as a calendar shows them."""
    lines = [notes] if notes else []
    if phone:
        lines.append(f"{PHONE_LINE}{phone}")
    return "\n\n".join(lines)


def _notes(description: str, phone: str | None) -> str | None:
    """The notes in a DESCRIPTION that :func:`_description` wrote (the phone line left out)."""
    if phone:
        line = f"{PHONE_LINE}{phone}"
        if description == line:
            return None
        description = description.removesuffix(f"\n\n{line}")
    return description or None


def write_ics(rota: Rota) -> bytes:
    """The rota's shifts as iCalendar bytes (VEVENT per shift, VTIMEZONE included).

    SUMMARY is what a calendar shows: ``role (backup): name``, the person's name from the
    people list; DESCRIPTION holds the notes and the phone to ring (the shift's, else the
    person's; ``X-STANDBY-PHONE-SHOWN`` says which, so the reader takes the notes back
    exactly). The ``X-STANDBY-`` properties keep the ids and values for an exact round trip.
    """
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Standby//rota export//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("X-WR-TIMEZONE", rota.timezone)
    seen: dict[str, int] = {}
    for shift in rota.shifts:
        uid = _uid(shift)
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:
            uid = f"{uid.removesuffix('@standby')}-{seen[uid]}@standby"
        event = icalendar.Event()
        event.add("UID", uid)
        event.add("DTSTAMP", shift.start.astimezone(UTC))
        event.add("DTSTART", _local(shift.start, rota.timezone))
        event.add("DTEND", _local(shift.end, rota.timezone))
        person = rota.people.get(shift.person)
        name = person.name if person else shift.person
        phone = shift.phone or (person.phone if person else None)
        event.add("SUMMARY", f"{shift.role}{level_suffix(shift.level)}: {name}")
        event.add("X-STANDBY-ROLE", shift.role)
        event.add("X-STANDBY-PERSON", shift.person)
        event.add("X-STANDBY-LEVEL", str(shift.level))
        if shift.phone:
            event.add("X-STANDBY-PHONE", shift.phone)
        description = _description(shift.notes, phone)
        if description:
            event.add("DESCRIPTION", description)
        if phone:
            event.add("X-STANDBY-PHONE-SHOWN", phone)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
