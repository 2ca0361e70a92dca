"""Spreadsheet rotas: long format, the date-by-role grid, merged cells and the People sheet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from standby.rota.io import RotaFileError, read_rota

ROLES = ["Date", "Duty Emergency Planning Officer", "Duty EPO (backup)", "Rest Centre Manager"]


def save(workbook: openpyxl.Workbook, tmp_path: Path, name: str = "rota.xlsx") -> Path:
    path = tmp_path / name
    workbook.save(path)
    return path


def grid_workbook(
    *, people: list[str] | None = None, option: str | None = None
) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rota"
    if option:
        sheet.append([option])
    sheet.append(ROLES)
    # 2026-03-27 .. 2026-04-02 spans the spring clock change (Sunday 29 March), with a
    # blank separator row after the third day and A. Jones merged down the whole week.
    days = [date(2026, 3, 27), date(2026, 3, 28), date(2026, 3, 29), None]
    days += [date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2)]
    for day in days:
        sheet.append([day])
    first = 3 if option else 2
    sheet.cell(first, 2, "A. Jones")
    sheet.merge_cells(start_row=first, start_column=2, end_row=first + 7, end_column=2)
    sheet.cell(first, 3, "B. Khan")
    sheet.cell(first + 1, 3, "B. Khan")
    sheet.cell(first + 2, 4, "C. Wu")
    if people is not None:
        people_sheet = workbook.create_sheet("People")
        people_sheet.append(["name", "phone"])
        for person in people:
            people_sheet.append([person, "07700 900001"])
    return workbook


def test_grid_with_a_name_merged_down_a_week_gives_one_weekly_shift(tmp_path: Path) -> None:
    rota = read_rota(save(grid_workbook(), tmp_path), handover="09:00", shift_length="1d")
    (depo,) = [s for s in rota.shifts if s.role == "Duty Emergency Planning Officer"]
    assert depo.person == "A. Jones" and depo.source == "rota.xlsx:Rota!B2"
    # Friday 27 March 09:00 GMT to Friday 3 April 09:00 BST: 7 x 24 h less the lost hour.
    assert (depo.start, depo.end) == (
        datetime(2026, 3, 27, 9, tzinfo=UTC),
        datetime(2026, 4, 3, 8, tzinfo=UTC),
    )
    assert depo.hours == 167
    backup = [s for s in rota.shifts if s.level == 2]
    assert [(s.role, s.person) for s in backup] == [("Duty EPO", "B. Khan")] * 2
    (rest_centre,) = [s for s in rota.shifts if s.role == "Rest Centre Manager"]
    assert rest_centre.source == "rota.xlsx:Rota!D4"


def test_handover_cell_above_the_header(tmp_path: Path) -> None:
    rota = read_rota(save(grid_workbook(option="handover: 08:00"), tmp_path))
    assert rota.shifts[0].start == datetime(2026, 3, 27, 8, tzinfo=UTC)


def test_shift_length_option_and_a_merged_name_on_night_shifts(tmp_path: Path) -> None:
    rota = read_rota(save(grid_workbook(), tmp_path), handover="20:00", shift_length="12h")
    depo = [s for s in rota.shifts if s.role == "Duty Emergency Planning Officer"]
    # The merged name is A. Jones's night on each of the seven days, not one long shift;
    # Saturday's night is 11 h (20:00 GMT to 08:00 BST).
    assert [s.hours for s in depo] == [12, 11, 12, 12, 12, 12, 12]
    assert depo[2].start == datetime(2026, 3, 29, 19, tzinfo=UTC)  # 20:00 BST


def test_people_sheet_accepts_known_people(tmp_path: Path) -> None:
    path = save(grid_workbook(people=["A. Jones", "B. Khan", "C. Wu"]), tmp_path)
    rota = read_rota(path)
    assert set(rota.people) == {"A. Jones", "B. Khan", "C. Wu"}
    assert rota.people["C. Wu"].phone == "07700 900001"


def test_unknown_person_in_grid_names_sheet_and_cell(tmp_path: Path) -> None:
    path = save(grid_workbook(people=["A. Jones", "B. Khan"]), tmp_path)
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    message = str(caught.value)
    assert "rota.xlsx" in message and "Rota!D4" in message and "'C. Wu'" in message
    assert "People sheet" in message


def test_not_a_date_in_column_a(tmp_path: Path) -> None:
    workbook = grid_workbook()
    workbook["Rota"]["A5"] = "Easter"
    with pytest.raises(RotaFileError, match=r"Rota!A5: 'Easter' is not a date.*2026-01-05"):
        read_rota(save(workbook, tmp_path))


def test_bad_handover_option(tmp_path: Path) -> None:
    with pytest.raises(RotaFileError, match=r"rota\.xlsx: Rota!A1: 'nine' is not a handover"):
        read_rota(save(grid_workbook(option="handover: nine"), tmp_path))


def test_long_format_on_first_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Shifts"
    sheet.append(["Person", "Role", "Start", "End", "Level", "Team"])
    sheet.append(["A. Jones", "DEPO", datetime(2026, 3, 27, 9), "2026-04-03 09:00", 2, "North"])
    sheet.append([])
    sheet.append(["B. Khan", "DEPO", datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 26, 9), 1])
    rota = read_rota(save(workbook, tmp_path))
    first, second = rota.shifts
    assert first.end == datetime(2026, 4, 3, 8, tzinfo=UTC) and first.level == 2
    assert first.source == "rota.xlsx:Shifts!2"
    assert second.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert any("'team'" in w for w in rota.warnings)
    assert any("Shifts!C4" in w and "first occurrence" in w for w in rota.warnings)


def test_long_format_errors_name_the_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["person", "role", "start", "end"])
    sheet.append(["A. Jones", "DEPO", "2026-03-29 01:30", "2026-03-30 09:00"])
    with pytest.raises(RotaFileError) as caught:
        read_rota(save(workbook, tmp_path))
    assert "Sheet!C2" in str(caught.value) and "does not exist" in str(caught.value)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "rota.xlsx"
    path.write_bytes(b"person,role,start,end\n")
    with pytest.raises(RotaFileError, match=r"rota\.xlsx: not a readable \.xlsx workbook"):
        read_rota(path)


def test_title_row_and_handover_cell_in_header_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Emergency planning on-call rota 2026"])
    sheet.append(["Date", "Duty Emergency Planning Officer", None, "handover: 08:30"])
    sheet.append([datetime(2026, 1, 5), "A. Jones"])
    rota = read_rota(save(workbook, tmp_path))
    (shift,) = rota.shifts
    assert shift.role == "Duty Emergency Planning Officer"
    assert shift.start == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


def test_uk_style_text_dates(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Date", "Rest Centre Manager"])
    sheet.append(["05/01/2026", "C. Wu"])
    (shift,) = read_rota(save(workbook, tmp_path), handover="20:00", shift_length="12h").shifts
    assert shift.start == datetime(2026, 1, 5, 20, tzinfo=UTC)
