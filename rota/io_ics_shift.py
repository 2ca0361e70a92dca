"""Shifts from the fields of iCalendar events, whichever road read them.

The role and person come from our own ``X-STANDBY-*`` properties, from CATEGORIES and
SUMMARY, or from a SUMMARY written ``role: person``; the level from ``X-STANDBY-LEVEL`` or
``(backup)``/``(level N)`` after the role. Times become UTC: floating ones (no zone) in the
rota's zone, the first of the two in the autumn hour that happens twice, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from standby.clock import TimeError, local_to_utc, zone
from standby.rota.io_common import RotaFileError, check_order
from standby.rota.io_ics_series import EventFields, event_where
from standby.rota.io_ics_write import notes_without_phone
from standby.rota.model import Shift


def who(fields: EventFields, path: Path) -> tuple[str, str]:
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


class Instants:
    """Each DTSTART or DTEND value as UTC, worked out once in a read (a rota's shifts
    start at a few times again and again): floating times in the rota's zone."""

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone
        self.known: dict[tuple[date | datetime, int], tuple[datetime, str | None]] = {}

    def __call__(
        self, value: date | datetime, where: Callable[[], str], warnings: list[str]
    ) -> datetime:
        # An aware time in one zone equals the same wall time of the other fold: keep both.
        key = (value, value.fold if type(value) is datetime else 0)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._utc(value, where)
        instant, warning = found
        if warning:
            warnings.append(f"{where()}: {warning}")
        return instant

    def _utc(self, value: date | datetime, where: Callable[[], str]) -> tuple[datetime, str | None]:
        if type(value) is not datetime:
            value = datetime.combine(value, time(0, 0))
        if value.tzinfo is not None:
            return value.astimezone(UTC), None
        try:
            return local_to_utc(value, zone(self.timezone), ambiguous="first")
        except TimeError as error:
            raise RotaFileError(f"{where()}: {error}") from None


def make_shift(
    fields: EventFields,
    path: Path,
    timezone: str,
    warnings: list[str],
    instants: Instants | None = None,
) -> Shift:
    role, person = who(fields, path)
    texts = fields.texts
    uid = texts.get("UID", "")
    instant = instants or Instants(timezone)

    def where() -> str:  # made only for a message
        return event_where(path, fields)

    start = instant(fields.start, where, warnings)
    stop = None if fields.end is None else instant(fields.end, where, warnings)
    end = shift_end(fields.start, start, stop, fields.duration)
    if end <= start:
        check_order(
            start,
            end,
            where=where(),
            start_text=f"{start:%Y-%m-%d %H:%MZ}",
            end_text=f"{end:%Y-%m-%d %H:%MZ}",
        )
    role, level = role_level(role, texts.get("X-STANDBY-LEVEL", ""))
    return Shift(
        person,
        role,
        start,
        end,
        level,
        f"{path.name}:{uid}" if uid else path.name,
        texts.get("X-STANDBY-PHONE") or None,
        event_notes(texts),
    )


def shift_end(
    start: date | datetime, begins: datetime, ends: datetime | None, duration: timedelta | None
) -> datetime:
    """When the shift of an event that starts at ``start`` (as written; ``begins`` in UTC)
    ends: at its DTEND (``ends``, UTC), else after its DURATION, else a day after a start
    that is a date, else at its start (which the caller refuses)."""
    if ends is not None:
        return ends
    if duration is not None:
        return begins + duration
    return begins + _DAY if type(start) is date else begins


_DAY = timedelta(days=1)
_SUMMARY_LEVEL = re.compile(r"\s*\((?:level\s*(\d+)|(backup))\)\s*$", re.IGNORECASE)


def role_level(role: str, level_text: str) -> tuple[str, int]:
    """The level from X-STANDBY-LEVEL, else from ``(backup)`` or ``(level N)`` after the role."""
    if level_text:
        return role, int(level_text) if level_text.isdigit() and int(level_text) > 0 else 1
    match = _SUMMARY_LEVEL.search(role)
    if not match:
        return role, 1
    return role[: match.start()].strip(), int(match.group(1)) if match.group(1) else 2


def event_notes(texts: dict[str, str]) -> str | None:
    description = texts.get("DESCRIPTION", "")
    if texts.get("X-STANDBY-ROLE"):
        return notes_without_phone(description, texts.get("X-STANDBY-PHONE-SHOWN") or None)
    return description or None
