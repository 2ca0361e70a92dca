"""The MSEL as a spreadsheet: exported for planners to edit in Excel, imported back, checked.

:func:`export_msel` writes a scenario's injects as CSV or XLSX, one inject a row, in time
order, with the designated time both as a local clock time and as minutes from the start.
:func:`import_msel` reads such a sheet back, checks every row (each problem names the file,
the row, the column and the fix) and writes a new scenario file with the sheet's injects in
place of the old ones: the rest of the file, comments included, is kept as it was, and the
old file is never replaced unless forced. Export, import, export gives the same sheet.

Times in the sheet may be minutes from the start (``+45``), a clock time (``02:55``) or a
local date and time (``2026-11-12 02:55``). Clock times are read against the start the sheet
was made for (kept in the workbook's ``about`` sheet, else given, else the scenario's), so an
exercise moved to another start keeps its injects' minutes, and their clock times move.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from standby.clock import to_local
from standby.errors import StandbyError
from standby.files import csv_text, unneutralise
from standby.reports.exercise import effect_text, instant_parameter
from standby.textfile import CsvError, NotUtf8Error, csv_rows, read_utf8
from standby.workbook import first_unsaved_formula, not_a_workbook

if TYPE_CHECKING:
    from standby.scenarios.model import Inject, Scenario

FORMAT = "standby-msel"
FORMAT_VERSION = "1"
SHEET = "MSEL"
# Column header -> the inject's key in the scenario file ("" for columns only shown).
COLUMNS = {
    "Event": "",
    "Inject": "id",
    "Time": "",
    "Minute": "",
    "Phase": "phase",
    "Type": "type",
    "Mode": "method",
    "From": "from",
    "To": "to",
    "Message": "text",
    "Expected player response": "expected_action",
    "Objective": "objective",
    "Controller": "controller",
    "Status": "status",
    "Contingency": "contingency",
    "Depends on": "after",
    "Notes": "notes",
    "Effect": "effect",
}
HEADERS = tuple(COLUMNS)
ALIASES = {
    "no": "Event",
    "no.": "Event",
    "event number": "Event",
    "#": "Event",
    "id": "Inject",
    "inject id": "Inject",
    "scenario time": "Time",
    "clock": "Time",
    "minutes": "Minute",
    "min": "Minute",
    "move": "Phase",
    "move / phase": "Phase",
    "event type": "Type",
    "inject mode": "Mode",
    "method": "Mode",
    "description": "Message",
    "text": "Message",
    "expected action": "Expected player response",
    "expected response": "Expected player response",
    "exercise objective": "Objective",
    "dependency": "Depends on",
    "after": "Depends on",
}
REQUIRED = ("From", "To", "Message", "Expected player response")
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


class MselError(StandbyError):
    """A sheet that cannot be imported: every problem, each with file, row, column and fix."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        head = f"{source}: {len(problems)} problem(s) in the MSEL; nothing was imported:"
        super().__init__("\n".join([head, *problems]) if len(problems) > 1 else problems[0])


# --- export --------------------------------------------------------------------------------


def _minute_text(minute: float) -> str:
    return f"+{minute:g}"


def _clock_text(start: datetime, minute: float, timezone: str) -> str:
    local_start = to_local(start, timezone)
    local = to_local(start + timedelta(minutes=minute), timezone)
    return local.strftime("%H:%M" if local.date() == local_start.date() else "%Y-%m-%d %H:%M")


def ordered_injects(scenario: Scenario) -> list[Inject]:
    """The injects in time order (equal times keep the file's order): the MSEL's order."""
    return sorted(scenario.injects, key=lambda inject: inject.minute)


def sheet_rows(scenario: Scenario, start: datetime | None = None) -> list[list[str]]:
    """The MSEL as rows of text under :data:`HEADERS`, from ``start`` (default the scenario's)."""
    begin = scenario.start_utc if start is None else start
    rows = []
    for number, inject in enumerate(ordered_injects(scenario), start=1):
        rows.append(
            [
                str(number),
                inject.id,
                _clock_text(begin, inject.minute, scenario.timezone),
                _minute_text(inject.minute),
                inject.phase or "",
                inject.type,
                inject.method,
                inject.from_,
                inject.to,
                inject.text,
                inject.expected_action,
                inject.objective or "",
                inject.controller or "",
                inject.status,
                "yes" if inject.contingency else "no",
                inject.after or "",
                inject.notes or "",
                effect_text(inject) or "",
            ]
        )
    return rows


def msel_csv(scenario: Scenario, start: datetime | None = None) -> str:
    """The MSEL as CSV text; cells that a spreadsheet would run as a formula are neutralised."""
    return csv_text(HEADERS, sheet_rows(scenario, start))


def msel_xlsx(scenario: Scenario, start: datetime | None = None) -> bytes:
    """The MSEL as a workbook: sheet ``MSEL`` and sheet ``about`` (the start it is read from)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    begin = scenario.start_utc if start is None else start
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(HEADERS))
    for row in sheet_rows(scenario, begin):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"  # text stays text, even when it starts with '='
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"Message": 50, "Expected player response": 45, "Notes": 30, "Effect": 30}
    for index, name in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    sheet.freeze_panes = "C2"
    about = workbook.create_sheet("about")
    for key, value in (
        ("format", FORMAT),
        ("version", FORMAT_VERSION),
        ("scenario", scenario.name),
        ("start", to_local(begin, scenario.timezone).strftime("%Y-%m-%d %H:%M")),
        ("timezone", scenario.timezone),
    ):
        about.append([key, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_msel(
    scenario_name: str | Path,
    output_format: str,
    out: Path,
    *,
    start_text: str | None = None,
    force: bool = False,
) -> Scenario:
    """Write the MSEL of a scenario (bundled name or file) to ``out`` as ``csv`` or ``xlsx``."""
    from standby.files import check_writable, write_bytes_atomic, write_text_atomic
    from standby.scenarios import load_scenario

    check_writable(out, force=force)
    scenario = load_scenario(scenario_name)
    start = instant_parameter(start_text, scenario.timezone, "start")
    if output_format == "csv":
        write_text_atomic(out, msel_csv(scenario, start), force=force)
    elif output_format == "xlsx":
        write_bytes_atomic(out, msel_xlsx(scenario, start), force=force)
    else:
        raise ValueError(f"no MSEL export as {output_format!r}; use csv or xlsx")
    return scenario


# --- reading a sheet -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A sheet as read: its header, its rows (with their row numbers) and its about cells."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[object]]]
    about: dict[str, str]


def read_sheet(path: Path) -> Sheet:
    """Read a CSV or XLSX MSEL (by suffix) into its header and rows of cells."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise MselError(str(path), [f"{path}: not a .csv or .xlsx file; export the MSEL as one"])


def _read_csv(path: Path) -> Sheet:
    try:
        text = read_utf8(path)
    except NotUtf8Error as error:
        raise MselError(str(path), [f"{path}: {error}; in Excel save it as 'CSV UTF-8'"]) from None
    try:
        lines = csv_rows(text)
    except CsvError as error:
        raise MselError(str(path), [f"{path}: {error}"]) from None
    if not lines:
        raise MselError(str(path), [f"{path}: the file is empty"])
    body = [(number, list[object](cells)) for number, cells in enumerate(lines[1:], start=2)]
    return Sheet(str(path), [unneutralise(cell) for cell in lines[0]], body, {})


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise MselError(str(path), [not_a_workbook(path)]) from None
    unsaved = first_unsaved_formula(path)
    if unsaved is not None:
        workbook.close()
        raise MselError(str(path), [unsaved])
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    about: dict[str, str] = {}
    if "about" in workbook.sheetnames:
        for row in workbook["about"].iter_rows(values_only=True):
            if len(row) >= 2 and row[0] is not None:
                about[str(row[0]).strip().lower()] = "" if row[1] is None else str(row[1])
    workbook.close()
    if not values:
        raise MselError(str(path), [f"{path}: sheet {sheet.title} is empty"])
    header = ["" if cell is None else str(cell) for cell in values[0]]
    return Sheet(str(path), header, list(enumerate(values[1:], start=2)), about)
