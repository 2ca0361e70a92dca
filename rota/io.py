"""Reading the rota files councils keep, and writing rotas back out.

This module is the entry point: :func:`read_rota` picks a reader by the file's suffix and
:func:`read_requirements_file` reads the coverage requirements and the working-time settings
per role (:func:`read_requirements`, the requirements alone). The CSV reader and the CSV and
JSON writers live here; spreadsheets, calendars and YAML rotas have their own modules
(``rota.io_xlsx``, ``rota.io_ics``, ``rota.io_yaml``), imported only when such a file is read
so that ``standby --help`` stays quick. What the readers share is in ``rota.io_common``.

Instants are written exactly (``standby.clock.iso_z`` and ``iso_local``): JSON in UTC with
``Z``, CSV in local time with its offset.

Every time in a file is local wall-clock time in the rota's timezone unless it carries an
offset; every time that leaves a reader is an aware UTC ``datetime``. Every problem a user
can fix is a :class:`RotaFileError` naming the file, the row or cell, the value and the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path

from standby import limits
from standby.clock import DEFAULT_TIMEZONE, iso_local, iso_z
from standby.files import csv_text, unneutralise
from standby.hints import did_you_mean
from standby.rota.epoch import collector_paused
from standby.rota.io_common import (
    CSV_OPTIONAL,
    CSV_REQUIRED,
    RequirementsSet,
    RotaFileError,
    TimeReader,
    check_given_timezone,
    check_order,
    check_shift_count,
    parse_level,
    people_from_ids,
    read_text,
    shift_limit,
)
from standby.rota.model import (
    Callout,
    Override,
    Person,
    Requirement,
    RoleRules,
    Rota,
    Shift,
    TimeWindow,
)
from standby.textfile import CsvError, csv_rows

#: The columns a CSV shift is read from, in the order :func:`parse_csv` unpacks them.
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL
READERS = (".csv", ".xlsx", ".yaml", ".yml", ".ics", ".json")


# --------------------------------------------------------------------------- entry points


def read_rota(
    path: Path,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    handover: str | None = None,
    shift_length: str | None = None,
    max_shifts: int | None = None,
) -> Rota:
    """Read a rota from a CSV, XLSX, YAML, ICS or JSON file (chosen by suffix).

    ``timezone`` is the zone of local times in the file; a YAML file's own ``timezone:``
    key takes precedence. ``handover`` (``09:00``) and ``shift_length`` (``1d``) describe
    the shifts of a spreadsheet grid, which has only dates and names. A rota may hold at
    most ``max_shifts`` shifts (default ``standby.limits.MAX_SHIFTS``); patterns, repeating
    calendar events and spreadsheets stop as soon as they would make more.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise RotaFileError(
            f"{path}: '{suffix or '(no suffix)'}' is not a rota format Standby reads; "
            f"use one of {', '.join(READERS)}"
        )
    check_given_timezone(timezone)
    limit = shift_limit(max_shifts)
    with collector_paused():  # a rota is a million small objects and no cycles
        rota = _read_by_suffix(path, suffix, timezone, handover, shift_length, limit)
    check_shift_count(path, len(rota.shifts), limit)
    return rota


def _read_by_suffix(
    path: Path,
    suffix: str,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    limit: int,
) -> Rota:
    if suffix == ".xlsx":
        from standby.rota.io_xlsx import read_xlsx

        return read_xlsx(
            path, timezone, handover=handover, shift_length=shift_length, max_shifts=limit
        )
    if suffix == ".ics":
        from standby.rota.io_ics import read_ics

        return read_ics(path, timezone, max_shifts=limit)
    if suffix in (".yaml", ".yml"):
        from standby.rota.io_yaml import read_yaml

        return read_yaml(path, timezone, max_shifts=limit)
    return (read_csv if suffix == ".csv" else read_json)(path, timezone)


def read_requirements(path: Path, *, timezone: str = DEFAULT_TIMEZONE) -> list[Requirement]:
    """Read coverage requirements from a requirements YAML (or a YAML rota's section)."""
    return read_requirements_file(path, timezone=timezone).requirements


def read_requirements_file(path: Path, *, timezone: str = DEFAULT_TIMEZONE) -> RequirementsSet:
    """Read requirements and ``working_time:`` settings from a requirements YAML or YAML rota."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise RotaFileError(
            f"{path}: requirements are read from YAML; use a .yaml or .yml file "
            "with a 'requirements:' list"
        )
    check_given_timezone(timezone)
    from standby.rota.io_requirements import plain_requirements
    from standby.rota.io_yaml_load import load_yaml

    loaded = load_yaml(path)
    plain = plain_requirements(loaded[0], path, timezone)
    if plain is not None:
        return plain
    from standby.rota.io_yaml import read_requirements_set

    return read_requirements_set(path, timezone, loaded=loaded)


# --------------------------------------------------------------------------- CSV


def read_csv(path: Path, timezone: str = DEFAULT_TIMEZONE) -> Rota:
    """Read a CSV rota: one shift a row, columns ``person,role,start,end`` (header required)."""
    text = read_text(path)
    with collector_paused():
        return parse_csv(text, path=path, timezone=timezone)


def parse_csv(text: str, *, path: Path, timezone: str = DEFAULT_TIMEZONE) -> Rota:
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
    read_time = TimeReader(timezone, rota.warnings)
    known_time = read_time.plain.get
    width = len(header)
    names: dict[str, str] = {}
    # Where each of CSV_COLUMNS is in a row; -1 (no such column) reads the empty cell
    # put at the end of each row.
    indices = tuple(columns.get(name, -1) for name in CSV_COLUMNS)
    cells = itemgetter(*indices)
    reach = max(indices) + 1
    prefix = f"{path.name}:"
    shifts = rota.shifts
    quoted = "'" in text  # a cell neutralised on export starts with one
    strip = str.strip
    # One loop, no call per row: a year's rota has tens of thousands of rows.
    for number, row in enumerate(islice(rows, 1, None), start=2):
        if len(row) > width:
            raise RotaFileError(
                f"{path}: row {number} has {len(row)} cells but the header has "
                f"{width}; quote cells that contain commas"
            )
        if len(row) < reach:
            row = [*row, *[""] * (reach - len(row))]
        row.append("")
        values = list(map(strip, cells(row)))
        person, role, start_text, end_text, level_text, phone, notes, person_id = values
        if not (person and role and start_text and end_text):
            if not any(cell.strip() for cell in row):
                continue  # a blank row
            _missing_cell(values, path, number)
        if quoted and "'" in (person[:1], role[:1], phone[:1], notes[:1], person_id[:1]):
            person, role, phone, notes, person_id = (
                unneutralise(value) for value in (person, role, phone, notes, person_id)
            )
        if person_id:
            names.setdefault(person_id, person)
            person = person_id
        start = known_time(start_text) or read_time(
            start_text, partial(_cell_where, path, number, "start")
        )
        end = known_time(end_text) or read_time(end_text, partial(_cell_where, path, number, "end"))
        if end <= start:
            check_order(
                start, end, where=f"{path}: row {number}", start_text=start_text, end_text=end_text
            )
        level = 1 if level_text in ("", "1") else _level(level_text, path, number)
        shifts.append(
            Shift(
                person, role, start, end, level, f"{prefix}{number}", phone or None, notes or None
            )
        )
    people_from_ids(rota, names)
    if not rota.shifts:
        rota.warnings.append(f"{path}: no shifts below the header; add one shift a row")
    return rota


def _level(text: str, path: Path, number: int) -> int:
    """The level in ``text`` (not 1); the place is written only for a message."""
    try:
        level = int(text)
    except ValueError:
        level = 0
    return level if level >= 1 else parse_level(text, where=_cell_where(path, number, "level"))


def _missing_cell(values: list[str], path: Path, number: int) -> None:
    name = next(name for name, value in zip(CSV_REQUIRED, values, strict=False) if not value)
    raise RotaFileError(
        f"{path}: row {number}, column '{name}' is empty; every shift needs a "
        "person, a role, a start and an end"
    )


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    try:
        rows = csv_rows(text)
    except CsvError as error:
        raise RotaFileError(f"{path}: {error}") from None
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


def _cell_where(path: Path, number: int, column: str) -> str:
    return f"{path}: row {number}, column '{column}'"


# --------------------------------------------------------------------------- small tables


@dataclass(frozen=True)
class _Row:
    """A row of a small CSV table (a call-out log, an events file), cells by column name."""

    number: int
    cells: dict[str, str]
    where: str


def _table(path: Path, required: tuple[str, ...], what: str, needs: str) -> list[_Row]:
    """The non-blank rows of a CSV table whose header names ``required``.

    ``what`` names the file in messages ("a call-out log"); ``needs`` says what each row
    must have ("a person, a start and an end").
    """
    path = Path(path)
    columns = ",".join(required)
    if path.suffix.lower() != ".csv":
        raise RotaFileError(
            f"{path}: {what} is read from CSV; use a .csv file with the columns {columns}"
        )
    rows = _csv_rows(read_text(path), path)
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    missing = [name for name in required if name not in header]
    if missing:
        raise RotaFileError(
            f"{path}: row 1 (the header) has no column {', '.join(repr(m) for m in missing)}; "
            f"{what} names {columns} (found: {','.join(header)})"
        )
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[i].strip() if i < len(row) else "" for i, name in enumerate(header)}
        where = f"{path}: row {number}"
        for name in required:
            if not cells.get(name):
                raise RotaFileError(f"{where}, column '{name}' is empty; every row needs {needs}")
        found.append(_Row(number, cells, where))
    if not found:
        raise RotaFileError(f"{path}: nothing below the header; add one a row")
    return found


def _span(row: _Row, read_time: TimeReader) -> tuple[datetime, datetime]:
    """A row's ``start`` and ``end`` as UTC, the end after the start."""
    start = read_time(row.cells["start"], partial(_where, row.where, "start"))
    end = read_time(row.cells["end"], partial(_where, row.where, "end"))
    check_order(
        start, end, where=row.where, start_text=row.cells["start"], end_text=row.cells["end"]
    )
    return start, end


def _where(where: str, column: str) -> str:
    return f"{where}, column '{column}'"


# --------------------------------------------------------------------------- call-out log

CALLOUT_REQUIRED = ("person", "start", "end")


def read_callouts(path: Path, rota: Rota) -> list[Callout]:
    """A call-out log CSV (``person,start,end`` and optional ``role,notes``) for ``rota``.

    Times are local to the rota's timezone. With a people list in the rota, each person
    must be on it (by id or name, in any case); the error names the row.
    """
    names = {
        key.casefold(): person.id
        for person in rota.people.values()
        for key in (person.id, person.name)
    }
    read_time = TimeReader(rota.timezone, rota.warnings)
    found = []
    for row in _table(path, CALLOUT_REQUIRED, "a call-out log", "a person, a start and an end"):
        person = row.cells["person"]
        if rota.people:
            if person.casefold() not in names:
                raise RotaFileError(
                    f"{row.where}, column 'person': '{person}' is not in the rota's people; "
                    f"{did_you_mean(person, [p.name for p in rota.people.values()])}"
                )
            person = names[person.casefold()]
        start, end = _span(row, read_time)
        found.append(
            Callout(
                person,
                start,
                end,
                role=row.cells.get("role") or None,
                source=f"{Path(path).name}:{row.number}",
                notes=row.cells.get("notes") or None,
            )
        )
    return found


# --------------------------------------------------------------------------- planned events

EVENT_REQUIRED = ("name", "start", "end", "role", "min")


def read_events(path: Path, timezone: str = DEFAULT_TIMEZONE) -> list[Requirement]:
    """Planned events from a CSV (``name,start,end,role,min`` and optional ``qualification``).

    Each row is a requirement for its role over its dates, named after the event; times are
    local in ``timezone``. An event needing two roles is two rows with the same name.
    """
    read_time = TimeReader(timezone, [])
    events = []
    needs = "a name, a start, an end, a role and the number of people (min)"
    for row in _table(path, EVENT_REQUIRED, "a planned-events file", needs):
        start, end = _span(row, read_time)
        if not row.cells["min"].isdigit() or int(row.cells["min"]) > limits.MAX_PEOPLE_REQUIRED:
            raise RotaFileError(
                f"{row.where}, column 'min': '{row.cells['min']}' is not a number of people; "
                f"write 1, 2 and so on (at most {limits.MAX_PEOPLE_REQUIRED:,})"
            )
        events.append(
            Requirement(
                role=row.cells["role"],
                minimum=int(row.cells["min"]),
                qualification=row.cells.get("qualification") or None,
                source=f"{Path(path).name}:{row.number}",
                name=row.cells["name"],
                dates=((start, end),),
            )
        )
    return events


# --------------------------------------------------------------------------- writers


def rota_to_csv(rota: Rota) -> str:
    """The shifts as CSV, local times with offsets, formula-like cells neutralised.

    ``person`` is the name from the people list (what the planner sees), ``person_id`` the
    id, ``phone`` the shift's phone or else the person's: what a payroll or a phone list
    needs, and read back to the same shifts and ids.
    """
    header = ("person", "role", "start", "end", "level", "phone", "notes", "person_id")
    people = rota.people

    def row(shift: Shift) -> tuple[object, ...]:
        known = people.get(shift.person)
        return (
            known.name if known else shift.person,
            shift.role,
            iso_local(shift.start, rota.timezone, short=True),
            iso_local(shift.end, rota.timezone, short=True),
            shift.level,
            shift.phone or (known.phone if known else None) or "",
            shift.notes or "",
            shift.person,
        )

    return csv_text(header, (row(shift) for shift in rota.shifts))


def rota_to_ics(rota: Rota) -> bytes:
    """The shifts as an iCalendar file (one VEVENT a shift); see :mod:`rota.io_ics_write`."""
    from standby.rota.io_ics_write import write_ics

    return write_ics(rota)


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
                "start": iso_z(shift.start),
                "end": iso_z(shift.end),
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
                "start": iso_z(leave.start),
                "end": iso_z(leave.end),
                "source": leave.source,
            }
            for leave in rota.leave
        ],
        "requirements": [_requirement_json(requirement) for requirement in rota.requirements],
        "callouts": [
            {
                "person": callout.person,
                "start": iso_z(callout.start),
                "end": iso_z(callout.end),
                "role": callout.role,
                "notes": callout.notes,
                "source": callout.source,
            }
            for callout in rota.callouts
        ],
        "working_time": [_rules_json(role, rules) for role, rules in rota.role_rules.items()],
        "warnings": list(rota.warnings),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rules_json(role: str, rules: RoleRules) -> dict[str, object]:
    return {
        "role": role,
        "standby": rules.standby,
        "response_minutes": rules.response_minutes,
        "callouts_per_week": rules.callouts_per_week,
        "reference_weeks": rules.reference_weeks,
        "weekly_rest": rules.weekly_rest,
        "weekly_rest_may_include_daily_rest": rules.weekly_rest_may_include_daily_rest,
        "hazardous_night_work": rules.hazardous_night_work,
        "max_consecutive_days": rules.max_consecutive_days,
    }


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
        "day_job": [_window_json(window) for window in person.day_job] or None,
    }


def _window_json(when: TimeWindow) -> dict[str, object]:
    return {"days": list(when.days), "from": f"{when.start:%H:%M}", "to": f"{when.end:%H:%M}"}


def _override_json(override: Override) -> dict[str, object]:
    return {
        "role": override.role,
        "start": iso_z(override.start),
        "end": iso_z(override.end),
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
        "when": None if when is None else _window_json(when),
        "qualification": requirement.qualification,
        "name": requirement.name,
        "dates": (
            None
            if requirement.dates is None
            else [{"start": iso_z(a), "end": iso_z(b)} for a, b in requirement.dates]
        ),
        "source": requirement.source,
    }


# --------------------------------------------------------------------------- JSON reader


def read_json(path: Path, timezone: str = DEFAULT_TIMEZONE) -> Rota:
    """Read a rota written by :func:`rota_to_json` (times UTC with ``Z``)."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RotaFileError(
            f"{path}: line {error.lineno}, column {error.colno}: not valid JSON "
            f"({error.msg}); export the rota again as JSON"
        ) from None
    except RecursionError:
        raise RotaFileError(
            f"{path}: lists or objects are nested too deeply to read (a rota export nests "
            "four levels); export the rota again as JSON"
        ) from None
    from standby.rota.io_yaml import rota_from_document

    return rota_from_document(document, path=path, timezone=timezone, kind="json")


__all__ = [
    "RequirementsSet",
    "RotaFileError",
    "read_callouts",
    "read_events",
    "read_json",
    "read_requirements",
    "read_requirements_file",
    "read_rota",
    "rota_to_csv",
    "rota_to_ics",
    "rota_to_json",
]
