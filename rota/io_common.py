"""What every rota reader shares: the error type, reading text, times, levels and CSV columns.

The readers (``rota.io`` for CSV and JSON, ``rota.io_xlsx``, ``rota.io_ics``, ``rota.io_yaml``)
import from here and never from each other's entry point, so the modules form no circle.
Every problem a user can fix is a :class:`RotaFileError` naming the file, the row or cell, the
value and the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from standby import limits
from standby.clock import TimeError, parse_instant_with_warning, zone
from standby.errors import StandbyError
from standby.rota.model import FillWeights, Person, Requirement, RoleRules, Rota
from standby.textfile import NotUtf8Error, read_utf8

CSV_REQUIRED = ("person", "role", "start", "end")
CSV_OPTIONAL = ("level", "phone", "notes", "person_id")


def people_from_ids(rota: Rota, names: dict[str, str]) -> None:
    """Fill ``rota.people`` from a ``person_id`` column: each id with the name written beside it.

    Standby's CSV export writes the person's name (what the planner entered) in ``person``
    and the id in ``person_id``, so that reading it back gives the same people and ids.
    """
    for person_id, name in names.items():
        rota.people.setdefault(person_id, Person(id=person_id, name=name))


class RotaFileError(StandbyError):
    """A rota or requirements file that cannot be read as it stands."""


@dataclass(frozen=True)
class RequirementsSet:
    """What a requirements file holds: the requirements and working-time settings per role.

    ``warnings`` names settings for roles the file does not otherwise mention (they may be in
    the rota, so they are kept).
    """

    requirements: list[Requirement]
    role_rules: dict[str, RoleRules] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The ``fill:`` section's weights (``rota fill``), None when the file has none.
    fill_weights: FillWeights | None = None


def shift_limit(max_shifts: int | None) -> int:
    """The most shifts one rota may hold: ``max_shifts``, or :data:`limits.MAX_SHIFTS`."""
    return limits.MAX_SHIFTS if max_shifts is None else max_shifts


def too_many_shifts(where: str, limit: int, what: str = "holds") -> RotaFileError:
    """The error for a rota over the shift limit; the command line adds ``--max-shifts``."""
    return RotaFileError(
        f"{where}: {what} more than {limit:,} shifts, the most Standby reads from one rota; "
        "check the dates and lengths, split the rota, or allow more shifts",
        parameters=("max_shifts",),
    )


def check_shift_count(path: Path, count: int, limit: int) -> None:
    """Raise :func:`too_many_shifts` when ``count`` is over ``limit``."""
    if count > limit:
        raise too_many_shifts(str(path), limit)


def check_timezone(path: Path, timezone: str) -> None:
    """Raise :class:`RotaFileError` unless ``timezone`` is a known IANA zone."""
    try:
        zone(timezone)
    except TimeError as error:
        raise RotaFileError(f"{path}: {error}") from None


def check_given_timezone(timezone: str) -> None:
    """Raise unless ``timezone``, given by the caller (not read from a file), is a zone."""
    try:
        zone(timezone)
    except TimeError as error:
        raise RotaFileError(error.message, parameters=("timezone",)) from None


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or a clear error."""
    try:
        return read_utf8(path)
    except FileNotFoundError:
        raise RotaFileError(f"{path}: no such file; check the name and folder") from None
    except OSError as error:
        raise RotaFileError(f"{path}: cannot be read ({error.strerror})") from None
    except NotUtf8Error as error:
        saved_as = "'CSV UTF-8'" if path.suffix.lower() == ".csv" else "UTF-8 text"
        raise RotaFileError(f"{path}: {error}; save it as {saved_as} and try again") from None


def parse_time(
    value: str | datetime | date,
    *,
    timezone: str,
    where: str | Callable[[], str],
    warnings: list[str],
) -> datetime:
    """A local or offset time as aware UTC; ``where`` names file and row for messages.

    ``where`` may be a function that makes the text, so a reader of a million shifts
    makes it only for the few that need a message. A nonexistent local time is an error;
    an ambiguous one takes the first occurrence and adds a warning naming ``where``.
    """
    try:
        instant, warning = parse_instant_with_warning(value, timezone, ambiguous="first")
    except TimeError as error:
        place = where if isinstance(where, str) else where()
        quoted = error.message.startswith("'")
        raise RotaFileError(
            f"{place}: {error}" if quoted else f"{place}: '{value}': {error}"
        ) from None
    if warning:
        warnings.append(f"{where if isinstance(where, str) else where()}: {warning}")
    return instant


class TimeReader:
    """Reads the local times of one file, each distinct text once.

    A year's rota repeats the same few thousand handover times across its roles and levels,
    so caching the text's instant (and its warning) makes reading a 50,000-shift file
    several times quicker; every row still gets its own warning.
    """

    def __init__(self, timezone: str, warnings: list[str]) -> None:
        self.timezone = timezone
        self.warnings = warnings
        self._seen: dict[str | datetime | date, tuple[datetime, str | None]] = {}
        #: The instant of each text read before without a warning: a reader's loop over
        #: many rows looks a text up here (``plain.get(text) or reader(text, where)``).
        self.plain: dict[str | datetime | date, datetime] = {}

    def __call__(self, text: str | datetime | date, where: Callable[[], str]) -> datetime:
        """The instant ``text`` (or a spreadsheet's naive local time) means; ``where()``
        names the file and row for messages."""
        known = self._seen.get(text)
        if known is None:
            try:
                known = parse_instant_with_warning(text, self.timezone, ambiguous="first")
            except TimeError:
                parse_time(text, timezone=self.timezone, where=where(), warnings=[])
                raise
            self._seen[text] = known
            if known[1] is None:
                self.plain[text] = known[0]
        if known[1]:
            self.warnings.append(f"{where()}: {known[1]}")
        return known[0]


def check_order(
    start: datetime, end: datetime, *, where: str, start_text: str, end_text: str
) -> None:
    """Raise unless ``start`` is before ``end``."""
    if end <= start:
        raise RotaFileError(
            f"{where}: end '{end_text}' is not after start '{start_text}'; swap them, or give "
            "the next day's date for a shift that runs past midnight"
        )


def parse_level(text: str, *, where: str) -> int:
    """An escalation level: 1 primary, 2 first backup and so on."""
    try:
        level = int(text)
    except ValueError:
        level = 0
    if level < 1:
        raise RotaFileError(
            f"{where}: '{text}' is not a level; use 1 for the primary, 2 for the first "
            "backup and so on"
        )
    return level
