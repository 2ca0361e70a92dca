"""Reading the rota files councils keep, and writing rotas back out.

This module is the entry point: :func:`read_rota` picks a reader by the file's suffix and
:func:`read_requirements_file` reads the coverage requirements and the working-time settings
per role (:func:`read_requirements`, the requirements alone). The CSV reader and the CSV and
JSON writers live here; spreadsheets, calendars and YAML rotas have their own modules
(``rota.io_xlsx``, ``rota.io_ics``, ``rota.io_yaml``), imported only when such a file is read
so that ``standby --help`` stays quick.

Every time in a file is local wall-clock time in the rota's timezone unless it carries an
offset; every time that leaves a reader is an aware UTC ``datetime``. Every problem a user
can fix is a :class:`RotaFileError` naming the file, the row or cell, the value and the fix.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from standby.clock import TimeError, parse_instant_with_warning, zone
from standby.errors import StandbyError
from standby.files import csv_text, unneutralise
from standby.rota.model import Override, Person, Requirement, RoleRules, Rota, Shift

READERS = (".csv", ".xlsx", ".yaml", ".yml", ".ics", ".json")
CSV_REQUIRED = ("person", "role", "start", "end")
CSV_OPTIONAL = ("level", "phone", "notes")
_UK_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$")


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


# --------------------------------------------------------------------------- entry points


def read_rota(
    path: Path,
    *,
    timezone: str = "Europe/London",
    handover: str | None = None,
    shift_length: str | None = None,
) -> Rota:
    """Read a rota from a CSV, XLSX, YAML, ICS or JSON file (chosen by suffix).

    ``timezone`` is the zone of local times in the file; a YAML file's own ``timezone:``
    key takes precedence. ``handover`` (``09:00``) and ``shift_length`` (``1d``) describe
    the shifts of a spreadsheet grid, which has only dates and names.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise RotaFileError(
            f"{path}: '{suffix or '(no suffix)'}' is not a rota format Standby reads; "
            f"use one of {', '.join(READERS)}"
        )
    check_timezone(path, timezone)
    if suffix == ".xlsx":
        from standby.rota.io_xlsx import read_xlsx

        return read_xlsx(path, timezone, handover=handover, shift_length=shift_length)
    reader = _reader_for(suffix)
    return reader(path, timezone)


def read_requirements(path: Path, *, timezone: str = "Europe/London") -> list[Requirement]:
    """Read coverage requirements from a requirements YAML (or a YAML rota's section)."""
    return read_requirements_file(path, timezone=timezone).requirements


def read_requirements_file(path: Path, *, timezone: str = "Europe/London") -> RequirementsSet:
    """Read requirements and ``working_time:`` settings from a requirements YAML or YAML rota."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise RotaFileError(
            f"{path}: requirements are read from YAML; use a .yaml or .yml file "
            "with a 'requirements:' list"
        )
    check_timezone(path, timezone)
    from standby.rota.io_yaml import read_requirements_set

    return read_requirements_set(path, timezone)


def _reader_for(suffix: str) -> Callable[[Path, str], Rota]:
    if suffix == ".csv":
        return read_csv
    if suffix == ".json":
        return read_json
    if suffix == ".ics":
        from standby.rota.io_ics import read_ics

        return read_ics
    from standby.rota.io_yaml import read_yaml

    return read_yaml


# --------------------------------------------------------------------------- shared helpers


def check_timezone(path: Path, timezone: str) -> None:
    """Raise :class:`RotaFileError` unless ``timezone`` is a known IANA zone."""
    try:
        zone(timezone)
    except TimeError as error:
        raise RotaFileError(f"{path}: {error}") from None


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RotaFileError(f"{path}: no such file; check the name and folder") from None
    except OSError as error:
        raise RotaFileError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RotaFileError(
            f"{path}: byte {error.start} is not UTF-8 text; save the file as "
            "'CSV UTF-8' (or UTF-8 text) and try again"
        ) from None


def parse_time(
    value: str | datetime | date,
    *,
    timezone: str,
    where: str,
    warnings: list[str],
) -> datetime:
    """A local or offset time as aware UTC; ``where`` names file and row for messages.

    A nonexistent local time is an error; an ambiguous one takes the first occurrence and
    adds a warning naming ``where``.
    """
    try:
        instant, warning = parse_instant_with_warning(
            uk_to_iso(value) if isinstance(value, str) else value, timezone, ambiguous="first"
        )
    except TimeError as error:
        raise RotaFileError(f"{where}: '{value}': {error}") from None
    if warning:
        warnings.append(f"{where}: {warning}")
    return instant


def uk_to_iso(text: str) -> str:
    """``27/03/2026 09:00`` (as Excel saves CSV in a UK locale) as ``2026-03-27 09:00``."""
    match = _UK_TIME.match(text.strip())
    if not match:
        return text
    day, month, year, hour, minute = match.groups()
    clock = f" {int(hour):02d}:{minute}" if hour else ""
    return f"{year}-{int(month):02d}-{int(day):02d}{clock}"


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


# --------------------------------------------------------------------------- CSV


def read_csv(path: Path, timezone: str = "Europe/London") -> Rota:
    """Read a CSV rota: one shift a row, columns ``person,role,start,end`` (header required)."""
    return parse_csv(read_text(path), path=path, timezone=timezone)


def parse_csv(text: str, *, path: Path, timezone: str = "Europe/London") -> Rota:
    """Parse CSV rota ``text``; ``path`` is used in messages and shift sources."""
    rows = _csv_rows(text, path)
    if not rows:
        raise RotaFileError(
            f"{path}: the file is empty; write a header row 'person,role,start,end' and "
            "then one shift a row"
        )
    header = [cell.strip().lower() for cell in rows[0]]
    columns = _check_header(header, path)
    rota = Rota(timezone=timezone, sources=[str(path)])
    unknown = [name for name in header if name and name not in CSV_REQUIRED + CSV_OPTIONAL]
    if unknown:
        rota.warnings.append(
            f"{path}: column(s) {', '.join(repr(name) for name in unknown)} not used and "
            f"ignored; Standby reads {', '.join(CSV_REQUIRED + CSV_OPTIONAL)}"
        )
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise RotaFileError(
                f"{path}: row {number} has {len(row)} cells but the header has "
                f"{len(header)}; quote cells that contain commas"
            )
        rota.shifts.append(_csv_shift(row, columns, path, number, timezone, rota.warnings))
    if not rota.shifts:
        rota.warnings.append(f"{path}: no shifts below the header; add one shift a row")
    return rota


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise RotaFileError(f"{path}: not readable as CSV ({error}); check the quotes") from None
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    return rows


def _check_header(header: list[str], path: Path) -> dict[str, int]:
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in seen and name:
            raise RotaFileError(f"{path}: row 1 names the column '{name}' twice; keep one of them")
        seen[name] = index
    missing = [name for name in CSV_REQUIRED if name not in seen]
    if missing:
        raise RotaFileError(
            f"{path}: row 1 (the header) has no column {', '.join(repr(m) for m in missing)}; "
            f"the header must name person,role,start,end (found: {','.join(header)})"
        )
    return seen


def _csv_shift(
    row: Sequence[str],
    columns: dict[str, int],
    path: Path,
    number: int,
    timezone: str,
    warnings: list[str],
) -> Shift:
    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        return unneutralise(row[index].strip())

    for name in CSV_REQUIRED:
        if not cell(name):
            raise RotaFileError(
                f"{path}: row {number}, column '{name}' is empty; every shift needs a "
                "person, a role, a start and an end"
            )

    def where(name: str) -> str:
        return f"{path}: row {number}, column '{name}'"

    start = parse_time(cell("start"), timezone=timezone, where=where("start"), warnings=warnings)
    end = parse_time(cell("end"), timezone=timezone, where=where("end"), warnings=warnings)
    check_order(
        start, end, where=f"{path}: row {number}", start_text=cell("start"), end_text=cell("end")
    )
    level = parse_level(cell("level"), where=where("level")) if cell("level") else 1
    return Shift(
        person=cell("person"),
        role=cell("role"),
        start=start,
        end=end,
        level=level,
        source=f"{path.name}:{number}",
        phone=cell("phone") or None,
        notes=cell("notes") or None,
    )


# --------------------------------------------------------------------------- writers


def local_iso(instant: datetime, timezone: str) -> str:
    """Local wall-clock time with its offset, e.g. ``2026-03-29T03:00+01:00``."""
    local = instant.astimezone(zone(timezone))
    spec = "minutes" if local.second == 0 and local.microsecond == 0 else "auto"
    return local.isoformat(timespec=spec)


def rota_to_csv(rota: Rota) -> str:
    """The shifts as CSV, local times with offsets, formula-like cells neutralised."""
    header = ("person", "role", "start", "end", "level", "phone", "notes")
    rows = (
        (
            shift.person,
            shift.role,
            local_iso(shift.start, rota.timezone),
            local_iso(shift.end, rota.timezone),
            shift.level,
            shift.phone or "",
            shift.notes or "",
        )
        for shift in rota.shifts
    )
    return csv_text(header, rows)


def rota_to_ics(rota: Rota) -> bytes:
    """The shifts as an iCalendar file (one VEVENT a shift); see :mod:`rota.io_ics`."""
    from standby.rota.io_ics import write_ics

    return write_ics(rota)


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="auto").replace("+00:00", "Z")


def rota_to_json(rota: Rota) -> str:
    """The whole rota as JSON: people, shifts, overrides, leave, requirements, working time.

    The shifts are the result of the overrides; ``overrides`` is their record (deliberate
    gaps included), read back by :func:`read_json` and never applied a second time.
    """
    document = {
        "timezone": rota.timezone,
        "people": [_person_json(person) for person in rota.people.values()],
        "shifts": [
            {
                "person": shift.person,
                "role": shift.role,
                "start": _utc(shift.start),
                "end": _utc(shift.end),
                "level": shift.level,
                "phone": shift.phone,
                "notes": shift.notes,
                "source": shift.source,
            }
            for shift in rota.shifts
        ],
        "overrides": [_override_json(override) for override in rota.overrides],
        "leave": [
            {
                "person": leave.person,
                "start": _utc(leave.start),
                "end": _utc(leave.end),
                "source": leave.source,
            }
            for leave in rota.leave
        ],
        "requirements": [_requirement_json(requirement) for requirement in rota.requirements],
        "working_time": [
            {
                "role": role,
                "on_call_is_work": rules.counts_as_work,
                "max_consecutive_days": rules.max_consecutive_days,
            }
            for role, rules in rota.role_rules.items()
        ],
        "warnings": list(rota.warnings),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _person_json(person: Person) -> dict[str, object]:
    return {
        "id": person.id,
        "name": person.name,
        "roles": list(person.roles),
        "qualifications": list(person.qualifications),
        "answer_probability": person.answer_probability,
        "home_base": person.home_base,
        "home_location": (
            None
            if person.home_location is None
            else {"lat": person.home_location[0], "lon": person.home_location[1]}
        ),
        "phone": person.phone,
    }


def _override_json(override: Override) -> dict[str, object]:
    return {
        "role": override.role,
        "start": _utc(override.start),
        "end": _utc(override.end),
        "person": override.person,
        "mode": override.mode,
        "level": override.level,
        "notes": override.notes,
        "source": override.source,
    }


def _requirement_json(requirement: Requirement) -> dict[str, object]:
    when = requirement.when
    return {
        "role": requirement.role,
        "min": requirement.minimum,
        "when": (
            None
            if when is None
            else {
                "days": list(when.days),
                "from": when.start.strftime("%H:%M"),
                "to": when.end.strftime("%H:%M"),
            }
        ),
        "qualification": requirement.qualification,
        "source": requirement.source,
    }


# --------------------------------------------------------------------------- JSON reader


def read_json(path: Path, timezone: str = "Europe/London") -> Rota:
    """Read a rota written by :func:`rota_to_json` (times UTC with ``Z``)."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RotaFileError(
            f"{path}: line {error.lineno}, column {error.colno}: not valid JSON "
            f"({error.msg}); export it again with 'standby rota export --format json'"
        ) from None
    from standby.rota.io_yaml import rota_from_document

    return rota_from_document(document, path=path, timezone=timezone, kind="json")


__all__ = [
    "RequirementsSet",
    "RotaFileError",
    "read_json",
    "read_requirements",
    "read_requirements_file",
    "read_rota",
    "rota_to_csv",
    "rota_to_ics",
    "rota_to_json",
]
