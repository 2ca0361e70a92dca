"""Spreadsheet rotas: the long format (one shift a row) and the grid most councils keep.

The grid has dates down column A (or the column headed ``Date``), roles across a header row
and a name in each cell. Each day's shift starts at the handover time and lasts the shift
length, on the local wall clock; both come from keyword options or from a cell such as
``handover: 09:00`` / ``shift length: 1d`` above the header. A name merged across several
date rows is one shift from the first day's handover to the end of the last day's, as the
planner drew it (a merged week of daily handovers is one weekly shift); with shifts shorter
than the step between handovers it is that person's shift on each of those days. A
``People`` sheet, when there is one, lists who may appear in the grid.

Nothing in a grid is taken silently: a ``Day`` column (``Mon``, ``Tue``) is recognised and
checked against the dates, a ``Notes`` column becomes the row's notes, an option cell that
is almost an option (``hand over: 9am``) is an error with "did you mean", a date written on
two rows is an error naming both, and a handover that falls in the spring clock-change gap
is moved to the change itself with a warning saying so. Workbooks are read with
python-calamine (a Rust reader: a year of 58,000 shifts in well under a second, where
openpyxl took several), imported inside :func:`read_xlsx`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from standby.clock import DEFAULT_TIMEZONE, is_nonexistent, zone
from standby.files import unneutralise
from standby.hints import closest
from standby.rota.io_common import (
    CSV_OPTIONAL,
    CSV_REQUIRED,
    RotaFileError,
    TimeReader,
    check_order,
    parse_level,
    people_from_ids,
    shift_limit,
)
from standby.rota.io_sheet import check_workbook
from standby.rota.model import Person, Rota, Shift
from standby.rota.patterns import parse_handover, parse_length, wall_clock_to_utc

_OPTION = re.compile(r"^\s*(handover|shift[ _]?length|length)\s*[:=]\s*(.+?)\s*$", re.IGNORECASE)
#: A cell that looks like ``key: value``, to catch options that are almost right.
_OPTION_LIKE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{1,30}?)\s*[:=]\s*(.+?)\s*$")
OPTION_NAMES = ("handover", "shift length")
#: Header names of grid columns that are not roles.
DAY_HEADERS = ("day", "weekday", "day of week", "dow")
NOTES_HEADERS = ("notes", "note", "comments", "comment", "remarks")
DAY_NAMES = {
    **{name: index for index, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: index
        for index, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_LEVEL = re.compile(r"\s*\((?:level|lvl)\s*(\d+)\)\s*$|\s*\((backup)\)\s*$", re.IGNORECASE)
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def read_xlsx(
    path: Path,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    handover: str | None = None,
    shift_length: str | None = None,
    max_shifts: int | None = None,
) -> Rota:
    """Read a workbook rota; long or grid format is detected from the header.

    The workbook's size is checked first (``rota.io_sheet``), so one that declares a cell
    at XFD1048576, or unpacks to gigabytes, is an error, not a crash.
    """
    workbook = _open(path, shift_limit(max_shifts))
    names = list(workbook.sheet_names)
    sheets = [name for name in names if not _is_people(name)]
    if not sheets:
        raise RotaFileError(
            f"{path}: the workbook has no rota sheet; put the rota on the first sheet"
        )
    title = sheets[0]
    ranges: dict[tuple[int, int], int] = {}
    grid = _cell_values(_sheet(workbook, title, path), ranges)
    rota = Rota(timezone=timezone, sources=[str(path)])
    people = next((name for name in names if _is_people(name)), None)
    if people is not None:
        rota.people = _people(_cell_values(_sheet(workbook, people, path), {}))
    header_row = _find_header(grid)
    if header_row is None:
        raise RotaFileError(
            f"{path}: sheet '{title}' has no rows; put a header row 'person, role, start, "
            "end' (one shift a row) or a grid with 'Date' and role names across the top"
        )
    header = [_text(value).lower() for value in grid[header_row]]
    if all(name in header for name in CSV_REQUIRED):
        _read_long(grid, header_row, header, title, path, rota)
        return rota
    options = _options(grid[: header_row + 1], handover, shift_length, path, title)
    _read_grid(grid, header_row, options, (title, ranges), path, rota)
    return rota


def _is_people(title: str) -> bool:
    return title.strip().lower() == "people"


def _open(path: Path, max_shifts: int) -> Any:
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise RotaFileError(f"{path}: no such file; check the name and folder")
    check_workbook(path, max_shifts)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine reports zip, XML and format errors alike
        raise RotaFileError(
            f"{path}: not a readable .xlsx workbook ({type(error).__name__}); save it from "
            "Excel or LibreOffice as 'Excel Workbook (.xlsx)'"
        ) from None


def _sheet(workbook: Any, title: str, path: Path) -> Any:
    try:
        return workbook.get_sheet_by_name(title)
    except Exception as error:  # a sheet whose XML cannot be read
        raise RotaFileError(
            f"{path}: sheet '{title}' cannot be read ({type(error).__name__}); save the "
            "workbook again from Excel or LibreOffice"
        ) from None


def _cell_values(sheet: Any, ranges: dict[tuple[int, int], int]) -> list[list[Any]]:
    """The sheet's values (None where empty) at their own row and column, every merged range
    filled from its top-left cell.

    ``ranges`` gets the (row, column), 0-based, of every cell in a merged range, mapped to
    the range's number, so a reader can tell one merged block from two equal cells.
    """
    top, left = sheet.start or (0, 0)
    rows: list[list[Any]] = [[] for _ in range(top)]
    for values in sheet.to_python():
        rows.append([None] * left + [None if value == "" else value for value in values])
    for number, ((first_row, first_col), (last_row, last_col)) in enumerate(
        sheet.merged_cell_ranges or ()
    ):
        if first_row >= len(rows) or first_col >= len(rows[first_row]):
            continue
        value = rows[first_row][first_col]
        for row in range(first_row, min(last_row, len(rows) - 1) + 1):
            for column in range(first_col, min(last_col, len(rows[row]) - 1) + 1):
                rows[row][column] = value
                ranges[(row, column)] = number
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).strip())


def _ref(column: int, row: int) -> str:
    """``C14``: a 0-based cell as the spreadsheet names it."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def _find_header(grid: list[list[Any]]) -> int | None:
    """The header row: the first with two or more cells that are not options such as
    ``handover: 09:00`` (so a title row above it is passed over)."""
    first = None
    for index, row in enumerate(grid):
        texts = [_text(value) for value in row if _text(value) and not _OPTION.match(_text(value))]
        if texts and first is None:
            first = index
        if len(texts) >= 2:
            return index
    return first


def _people(rows: list[list[Any]]) -> dict[str, Person]:
    """People from a ``People`` sheet: names in the first column (a header 'name' skipped)."""
    people: dict[str, Person] = {}
    header = [_text(value).lower() for value in rows[0]] if rows else []
    has_header = bool(header) and header[0] in ("name", "person", "people", "id")
    column = {name: index for index, name in enumerate(header)} if has_header else {}
    for row in rows[1 if has_header else 0 :]:
        name = _text(row[0]) if row else ""
        if not name:
            continue
        people[name] = Person(
            id=name,
            name=name,
            phone=_field(row, column, "phone"),
            home_base=_field(row, column, "home_base"),
        )
    return people


def _field(row: list[Any], columns: dict[str, int], key: str) -> str | None:
    index = columns.get(key)
    if index is None or index >= len(row):
        return None
    return _text(row[index]) or None


def _read_long(
    grid: list[list[Any]], header_row: int, header: list[str], title: str, path: Path, rota: Rota
) -> None:
    unknown = [name for name in header if name and name not in CSV_REQUIRED + CSV_OPTIONAL]
    if unknown:
        rota.warnings.append(
            f"{path}: sheet '{title}': column(s) {', '.join(repr(n) for n in unknown)} not used "
            f"and ignored; Standby reads {', '.join(CSV_REQUIRED + CSV_OPTIONAL)}"
        )
    columns = {name: index for index, name in enumerate(header) if name}
    wanted = [columns.get(name, -1) for name in CSV_REQUIRED + CSV_OPTIONAL]
    reach = max(wanted) + 1
    read_time = TimeReader(rota.timezone, rota.warnings)
    names: dict[str, str] = {}
    prefix = f"{path.name}:{title}!"
    times = (datetime, date)

    def where(name: str, row_index: int) -> str:
        return f"{path}: {title}!{_ref(columns[name], row_index)} (column '{name}')"

    # One loop, no call per cell where it can be helped: a year has tens of thousands of rows.
    for row_index in range(header_row + 1, len(grid)):
        row = grid[row_index]
        if len(row) < reach:
            row = [*row, *[None] * (reach - len(row))]
        person, role, start_value, end_value, level_value, phone, notes, person_id = (
            None if index < 0 else row[index] for index in wanted
        )
        name, role_text = _text(person), _text(role)
        if not (name and role_text and start_value is not None and end_value is not None):
            if not any(value is not None and _text(value) for value in row):
                continue  # a blank row
            for column, value in zip(
                CSV_REQUIRED, (name, role_text, start_value, end_value), strict=True
            ):
                if value is None or not _text(value):
                    raise RotaFileError(
                        f"{where(column, row_index)} is empty; every shift needs a person, a "
                        "role, a start and an end"
                    )
        start = read_time(
            start_value if isinstance(start_value, times) else _text(start_value),
            partial(where, "start", row_index),
        )
        end = read_time(
            end_value if isinstance(end_value, times) else _text(end_value),
            partial(where, "end", row_index),
        )
        if end <= start:
            check_order(
                start,
                end,
                where=f"{path}: {title} row {row_index + 1}",
                start_text=_local_text(start_value),
                end_text=_local_text(end_value),
            )
        if rota.people and name not in rota.people:
            raise _unknown_person(path, f"{title}!{_ref(columns['person'], row_index)}", name)
        if person_id is not None and _text(person_id):
            names.setdefault(_text(person_id), name)
            name = _text(person_id)
        level = 1
        if level_value is not None and level_value != 1:
            level_text = _text(level_value)
            level = parse_level(level_text, where=where("level", row_index)) if level_text else 1
        rota.shifts.append(
            Shift(
                name,
                role_text,
                start,
                end,
                level,
                f"{prefix}{row_index + 1}",
                (_text(phone) or None) if phone is not None else None,
                (_text(notes) or None) if notes is not None else None,
            )
        )
    people_from_ids(rota, names)


def _local_text(value: Any) -> str:
    """A cell's time as text, for messages."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def _unknown_person(path: Path, ref: str, name: str) -> RotaFileError:
    return RotaFileError(
        f"{path}: {ref}: '{name}' is not on the People sheet; correct the spelling or add "
        "them to the People sheet"
    )


def _options(
    rows: list[list[Any]], handover: str | None, shift_length: str | None, path: Path, title: str
) -> tuple[time, timedelta, str]:
    """Handover time and shift length (keyword options first, then cells above the header),
    and where the handover came from, for messages.

    A ``key: value`` cell whose key is close to an option (``hand over: 9am``) is an error
    with "did you mean"; any other is a title and left alone.
    """
    found: dict[str, tuple[str, str]] = {}
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            text = _text(value)
            match = _OPTION.match(text)
            ref = f"{title}!{_ref(column, row_index)}"
            if match:
                key = "handover" if match.group(1).lower() == "handover" else "length"
                found[key] = (match.group(2), ref)
                continue
            like = _OPTION_LIKE.match(text)
            if like:
                _check_option_name(like.group(1), path, ref)
    handover_text, handover_at = (
        (handover, "the handover option") if handover else found.get("handover", ("09:00", ""))
    )
    length_text, length_at = (
        (shift_length, "the shift_length option")
        if shift_length
        else found.get("length", ("1d", ""))
    )
    try:
        day, handover_time = parse_handover(handover_text)
        if day is not None:
            raise ValueError(
                f"'{handover_text}' names a day; a grid's handover is a time such as 09:00"
            )
    except ValueError as error:
        raise RotaFileError(f"{path}: {handover_at}: {error}") from None
    try:
        length = parse_length(length_text)
    except ValueError as error:
        raise RotaFileError(f"{path}: {length_at}: {error}") from None
    return handover_time, length, handover_at or "the default handover"


def _check_option_name(key: str, path: Path, ref: str) -> None:
    """Raise when ``key`` is nearly an option's name (a typo), else let it be."""
    written = " ".join(key.lower().replace("_", " ").replace("-", " ").split())
    squashed = written.replace(" ", "")
    match = closest(written, OPTION_NAMES) or next(
        (name for name in OPTION_NAMES if name.replace(" ", "") == squashed), None
    )
    if match is not None:
        raise RotaFileError(
            f"{path}: {ref}: '{key}' is not an option; did you mean '{match}'? Write it as "
            "'handover: 09:00' or 'shift length: 1d'"
        )


def _grid_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _UK_DATE.match(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _role_level(header: str) -> tuple[str, int]:
    match = _LEVEL.search(header)
    if not match:
        return header, 1
    level = int(match.group(1)) if match.group(1) else 2
    return header[: match.start()].strip(), level


@dataclass(frozen=True)
class _Columns:
    """What each grid column holds: the dates, the weekdays, notes, or a role and level."""

    date: int
    day: int | None
    notes: int | None
    roles: dict[int, tuple[str, int]]


def _grid_columns(grid: list[list[Any]], header_row: int, title: str, path: Path) -> _Columns:
    header = [_text(value) for value in grid[header_row]]
    lowered = [name.lower() for name in header]
    date_column = lowered.index("date") if "date" in lowered else 0
    day_column = notes_column = None
    roles: dict[int, tuple[str, int]] = {}
    for column, name in enumerate(header):
        if column == date_column or not name or _OPTION.match(name):
            continue
        if lowered[column] in DAY_HEADERS or _all_day_names(grid, header_row, column):
            day_column = column
        elif lowered[column] in NOTES_HEADERS:
            notes_column = column
        else:
            roles[column] = _role_level(name)
    if not roles:
        raise RotaFileError(
            f"{path}: {title} row {header_row + 1}: no role names across the header; put "
            "'Date' in A1 and a role in each column after it, or use the columns "
            "person, role, start, end"
        )
    return _Columns(date_column, day_column, notes_column, roles)


def _all_day_names(grid: list[list[Any]], header_row: int, column: int) -> bool:
    """True when every filled cell below the header in ``column`` is a weekday name."""
    cells = [_text(row[column]).lower() for row in grid[header_row + 1 :] if column < len(row)]
    filled = [cell.rstrip(".") for cell in cells if cell]
    return bool(filled) and all(cell in DAY_NAMES for cell in filled)


def _read_grid(
    grid: list[list[Any]],
    header_row: int,
    options: tuple[time, timedelta, str],
    sheet: tuple[str, dict[tuple[int, int], int]],
    path: Path,
    rota: Rota,
) -> None:
    handover, length, handover_from = options
    title, ranges = sheet
    tz = zone(rota.timezone)
    columns = _grid_columns(grid, header_row, title, path)
    dates: dict[date, int] = {}
    open_shift: dict[int, tuple[int, int]] = {}  # column -> (merged range, index in shifts)
    for row_index in range(header_row + 1, len(grid)):
        row = grid[row_index]
        written = [col for col, value in enumerate(row) if _text(value)]
        if all(
            (row_index, col) in ranges and _continues(ranges, row_index, col) for col in written
        ):
            continue  # blank, or only merged names running through a blank row
        cell = row[columns.date] if columns.date < len(row) else None
        day = _grid_date(cell)
        date_ref = f"{title}!{_ref(columns.date, row_index)}"
        if day is None:
            raise RotaFileError(
                f"{path}: {date_ref}: '{_text(cell)}' is not a date; "
                "write dates down the Date column as 2026-01-05 or 05/01/2026"
            )
        if day in dates:
            raise RotaFileError(
                f"{path}: {date_ref} and {title}!{_ref(columns.date, dates[day])} both hold "
                f"{day:%d %B %Y}; keep one row per date and put everyone for that day on it"
            )
        dates[day] = row_index
        _check_weekday(row, columns.day, day, path, title, row_index)
        start_local = datetime.combine(day, handover)
        start, end = wall_clock_to_utc(start_local, tz), wall_clock_to_utc(start_local + length, tz)
        _warn_if_moved(start_local, start, tz, f"{path}: {date_ref}", handover_from, rota.warnings)
        notes = (
            _text(row[columns.notes])
            if columns.notes is not None and columns.notes < len(row)
            else ""
        )
        for column, (role, level) in columns.roles.items():
            person = _text(row[column]) if column < len(row) else ""
            if not person:
                open_shift.pop(column, None)
                continue
            ref = f"{title}!{_ref(column, row_index)}"
            if rota.people and person not in rota.people:
                raise _unknown_person(path, ref, person)
            block = ranges.get((row_index, column))
            if block is not None and open_shift.get(column, (None, 0))[0] == block:
                index = open_shift[column][1]
                if rota.shifts[index].end == start:  # one merged block, shift after shift
                    rota.shifts[index] = replace(rota.shifts[index], end=end)
                    continue
            rota.shifts.append(
                Shift(
                    person=person,
                    role=role,
                    start=start,
                    end=end,
                    level=level,
                    source=f"{path.name}:{ref}",
                    notes=notes or None,
                )
            )
            if block is None:
                open_shift.pop(column, None)
            else:
                open_shift[column] = (block, len(rota.shifts) - 1)


def _continues(ranges: dict[tuple[int, int], int], row: int, column: int) -> bool:
    """True when the cell is part of the same merged range as the cell above it."""
    return ranges.get((row - 1, column), -1) == ranges[(row, column)]


def _check_weekday(
    row: list[Any], column: int | None, day: date, path: Path, title: str, row_index: int
) -> None:
    if column is None or column >= len(row) or not _text(row[column]):
        return
    written = _text(row[column])
    weekday = DAY_NAMES.get(written.lower().rstrip("."))
    ref = f"{title}!{_ref(column, row_index)}"
    if weekday is None:
        raise RotaFileError(
            f"{path}: {ref}: '{written}' is not a day of the week; the Day column holds "
            "Mon, Tue ... Sun (or leave it out: the dates say the day)"
        )
    if weekday != day.weekday():
        raise RotaFileError(
            f"{path}: {ref}: '{written}' but {day:%d %B %Y} is a {day:%A}; the days and dates "
            "have slipped apart here, so check which one is right"
        )


def _warn_if_moved(
    local: datetime, start: datetime, tz: Any, where: str, handover_from: str, warnings: list[str]
) -> None:
    """A warning when the handover falls in the spring gap and moved to the change."""
    if not is_nonexistent(local, tz):
        return
    moved = start.astimezone(tz)
    warnings.append(
        f"{where}: the {local:%H:%M} handover ({handover_from}) does not exist on "
        f"{local:%d %B %Y} (the clocks go forward); that day's shift starts at "
        f"{moved:%H:%M %Z} ({start:%H:%M} UTC), when the clocks change, instead"
    )
