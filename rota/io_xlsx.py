"""Spreadsheet rotas: the long format (one shift a row) and the grid most councils keep.

The grid has dates down column A, roles across a header row and a name in each cell; a name
merged across several date rows is that person on each of those days. Each day's shift starts
at the handover time and lasts the shift length, on the local wall clock; both come from
keyword options or from a cell such as ``handover: 09:00`` / ``shift length: 1d`` above the
header. A ``People`` sheet, when there is one, lists who may appear in the grid. openpyxl is
imported inside :func:`read_xlsx` because it is slow to import.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from standby.clock import DEFAULT_TIMEZONE, zone
from standby.files import unneutralise
from standby.rota.io_common import (
    CSV_OPTIONAL,
    CSV_REQUIRED,
    RotaFileError,
    check_order,
    parse_level,
    parse_time,
)
from standby.rota.model import Person, Rota, Shift
from standby.rota.patterns import parse_handover, parse_length, wall_clock_to_utc

_OPTION = re.compile(r"^\s*(handover|shift[ _]?length|length)\s*[:=]\s*(.+?)\s*$", re.IGNORECASE)
_LEVEL = re.compile(r"\s*\((?:level|lvl)\s*(\d+)\)\s*$|\s*\((backup)\)\s*$", re.IGNORECASE)
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def read_xlsx(
    path: Path,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    handover: str | None = None,
    shift_length: str | None = None,
) -> Rota:
    """Read a workbook rota; long or grid format is detected from the header."""
    workbook = _open(path)
    sheets = [sheet for sheet in workbook.worksheets if sheet.title.strip().lower() != "people"]
    if not sheets:
        raise RotaFileError(
            f"{path}: the workbook has no rota sheet; put the rota on the first sheet"
        )
    sheet = sheets[0]
    merged: set[tuple[int, int]] = set()
    grid = _cell_values(sheet, merged)
    rota = Rota(timezone=timezone, sources=[str(path)])
    rota.people = _people(workbook, path)
    header_row = _find_header(grid)
    if header_row is None:
        raise RotaFileError(
            f"{path}: sheet '{sheet.title}' has no rows; put a header row 'person, role, start, "
            "end' (one shift a row) or a grid with 'Date' and role names across the top"
        )
    header = [_text(value).lower() for value in grid[header_row]]
    if all(name in header for name in CSV_REQUIRED):
        _read_long(grid, header_row, header, sheet.title, path, rota)
    else:
        options = _options(grid[: header_row + 1], handover, shift_length, path, sheet.title)
        _read_grid(grid, header_row, options, (sheet.title, merged), path, rota)
    return rota


def _open(path: Path) -> Any:
    import openpyxl

    if not path.exists():
        raise RotaFileError(f"{path}: no such file; check the name and folder")
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors alike
        raise RotaFileError(
            f"{path}: not a readable .xlsx workbook ({type(error).__name__}); save it from "
            "Excel or LibreOffice as 'Excel Workbook (.xlsx)'"
        ) from None


def _cell_values(sheet: Any, filled: set[tuple[int, int]] | None = None) -> list[list[Any]]:
    """The sheet's values with every merged range filled from its top-left cell.

    ``filled`` collects the (row, column) of cells that took a merged range's value.
    """
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
                    rows[row - 1][column - 1] = value
                    if (row, column) != (merged.min_row, merged.min_col) and filled is not None:
                        filled.add((row - 1, column - 1))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).strip())


def _ref(column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column + 1)}{row + 1}"


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


def _people(workbook: Any, path: Path) -> dict[str, Person]:
    """People from a ``People`` sheet: names in the first column (a header 'name' skipped)."""
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() != "people":
            continue
        people: dict[str, Person] = {}
        rows = _cell_values(sheet)
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
    return {}


def _field(row: list[Any], columns: dict[str, int], key: str) -> str | None:
    index = columns.get(key)
    if index is None or index >= len(row):
        return None
    return _text(row[index]) or None


def _local_text(value: Any) -> str:
    """A cell's time as text the time parser reads (Excel dates are naive local times)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


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
    for row_index in range(header_row + 1, len(grid)):
        row = grid[row_index]
        if not any(_text(value) for value in row):
            continue

        def cell(name: str, row: list[Any] = row) -> str:
            index = columns.get(name)
            return "" if index is None or index >= len(row) else _local_text(row[index])

        def where(name: str, row_index: int = row_index) -> str:
            return f"{path}: {title}!{_ref(columns[name], row_index)} (column '{name}')"

        for name in CSV_REQUIRED:
            if not cell(name):
                raise RotaFileError(
                    f"{where(name)} is empty; every shift needs a person, a role, a start "
                    "and an end"
                )
        start = parse_time(
            cell("start"), timezone=rota.timezone, where=where("start"), warnings=rota.warnings
        )
        end = parse_time(
            cell("end"), timezone=rota.timezone, where=where("end"), warnings=rota.warnings
        )
        check_order(
            start,
            end,
            where=f"{path}: {title} row {row_index + 1}",
            start_text=cell("start"),
            end_text=cell("end"),
        )
        person = cell("person")
        if rota.people and person not in rota.people:
            raise _unknown_person(path, f"{title}!{_ref(columns['person'], row_index)}", person)
        rota.shifts.append(
            Shift(
                person=person,
                role=cell("role"),
                start=start,
                end=end,
                level=parse_level(cell("level"), where=where("level")) if cell("level") else 1,
                source=f"{path.name}:{title}!{row_index + 1}",
                phone=cell("phone") or None,
                notes=cell("notes") or None,
            )
        )


def _unknown_person(path: Path, ref: str, name: str) -> RotaFileError:
    return RotaFileError(
        f"{path}: {ref}: '{name}' is not on the People sheet; correct the spelling or add "
        "them to the People sheet"
    )


def _options(
    rows: list[list[Any]], handover: str | None, shift_length: str | None, path: Path, title: str
) -> tuple[time, timedelta]:
    """Handover time and shift length: keyword options first, then cells above the header."""
    found: dict[str, tuple[str, str]] = {}
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            match = _OPTION.match(_text(value))
            if match:
                key = "handover" if match.group(1).lower() == "handover" else "length"
                found[key] = (match.group(2), f"{title}!{_ref(column, row_index)}")
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
    return handover_time, length


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


def _read_grid(
    grid: list[list[Any]],
    header_row: int,
    options: tuple[time, timedelta],
    sheet: tuple[str, set[tuple[int, int]]],
    path: Path,
    rota: Rota,
) -> None:
    handover, length = options
    title, merged = sheet
    tz = zone(rota.timezone)
    roles = {
        column: _role_level(_text(value))
        for column, value in enumerate(grid[header_row])
        if column > 0 and _text(value) and not _OPTION.match(_text(value))
    }
    if not roles:
        raise RotaFileError(
            f"{path}: {title} row {header_row + 1}: no role names across the header; put "
            "'Date' in A1 and a role in each column after it, or use the columns "
            "person, role, start, end"
        )
    for row_index in range(header_row + 1, len(grid)):
        row = grid[row_index]
        written = [col for col, value in enumerate(row) if _text(value)]
        if all((row_index, col) in merged for col in written):
            continue  # blank, or only a merged name running through a blank row
        day = _grid_date(row[0] if row else None)
        if day is None:
            raise RotaFileError(
                f"{path}: {title}!{_ref(0, row_index)}: '{_text(row[0])}' is not a date; "
                "write dates down column A as 2026-01-05 or 05/01/2026"
            )
        start_local = datetime.combine(day, handover)
        for column, (role, level) in roles.items():
            person = _text(row[column]) if column < len(row) else ""
            if not person:
                continue
            ref = f"{title}!{_ref(column, row_index)}"
            if rota.people and person not in rota.people:
                raise _unknown_person(path, ref, person)
            rota.shifts.append(
                Shift(
                    person=person,
                    role=role,
                    start=wall_clock_to_utc(start_local, tz),
                    end=wall_clock_to_utc(start_local + length, tz),
                    level=level,
                    source=f"{path.name}:{ref}",
                )
            )
