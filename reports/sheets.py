"""Tables typed up by people: the cells of a CSV file or of a workbook's sheets, row numbered.

The exercise log and the debrief's observations are both read from spreadsheets a planner
filled in. This module only gets the cells out (rows numbered as the spreadsheet numbers
them, header = row 1) and says plainly what is wrong with a file it cannot read; each reader
then checks its own columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from standby.errors import StandbyError
from standby.textfile import CsvError, NotUtf8Error, csv_rows, read_utf8
from standby.workbook import first_unsaved_formula, not_a_workbook

Rows = list[tuple[int, Sequence[object]]]
"""``(row number, cells)`` for every row under the header."""


class SheetError(StandbyError):
    """A spreadsheet that cannot be read at all (not its rows: those are the reader's)."""


def column_key(header: object) -> str:
    """A header cell as a key: ``Root cause`` and ``root-cause`` are both ``root_cause``."""
    return re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())


def csv_table(path: Path) -> tuple[list[object], Rows]:
    """The header and the numbered rows of a UTF-8 CSV file."""
    try:
        text = read_utf8(path)
    except NotUtf8Error as error:
        raise SheetError(f"{path}: {error}; save the sheet as 'CSV UTF-8'") from None
    try:
        table = csv_rows(text)
    except CsvError as error:
        raise SheetError(f"{path}: {error}") from None
    if not table:
        raise SheetError(f"{path}: the file is empty; put a header row first")
    return list(table[0]), [(number, row) for number, row in enumerate(table[1:], start=2)]


def xlsx_sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of a workbook, by name in workbook order, as rows of cell values."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl errors alike
        raise SheetError(not_a_workbook(path)) from None
    unsaved = first_unsaved_formula(path)
    if unsaved is not None:
        workbook.close()
        raise SheetError(unsaved)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def numbered(table: list[list[object]], path: Path, sheet: str) -> tuple[list[object], Rows]:
    """A sheet's header and numbered rows; an empty sheet is an error."""
    if not table:
        raise SheetError(f"{path}: sheet '{sheet}' is empty; put a header row first")
    return table[0], [(number, row) for number, row in enumerate(table[1:], start=2)]


def is_blank(cell: object) -> bool:
    """An empty cell (None, or text of spaces only)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())
