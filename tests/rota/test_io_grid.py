"""A council's spreadsheet grid, as kept: a title, option cells, a Day column, a misspelt role,
a blank primary, a notes column and a week merged down. Nothing in it is taken silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from standby.rota.api import check_files
from standby.rota.io import RotaFileError, read_rota

EPO = "Duty Emergency Planning Officer"
RCM = "Rest Centre Manager"
MONDAY = date(2026, 1, 5)
REQUIREMENTS = f"""\
timezone: Europe/London
requirements:
  - {{role: {EPO}, min: 1}}
  - {{role: {RCM}, min: 1}}
"""


def council_grid(
    *,
    options: tuple[str, ...] = ("handover: 09:00", "shift length: 1d"),
    days: list[date] | None = None,
    day_names: list[str] | None = None,
) -> openpyxl.Workbook:
    """Two weeks from Monday 5 January 2026, laid out as a council keeps it.

    A. Jones is merged down the first week as the primary duty officer; the second week
    names a primary each day but leaves Wednesday's primary blank with the backup filled.
    The rest centre column is headed with a typo, "Rest Centre Manger".
    """
    days = days or [MONDAY + timedelta(days=n) for n in range(14)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "On call Jan 2026"
    sheet.append(["Emergency planning on-call rota, January 2026"])
    sheet.append(list(options))
    sheet.append(["Date", "Day", EPO, f"{EPO} (backup)", "Rest Centre Manger", "Notes"])
    names = day_names or [f"{day:%a}" for day in days]
    for number, (day, name) in enumerate(zip(days, names, strict=True)):
        primary = None if number == 9 else ("A. Jones" if number < 7 else "D. Ng")
        note = "cover swapped with D. Ng" if number == 8 else None
        sheet.append([day, name, primary, "B. Khan", "C. Wu", note])
    sheet.merge_cells(start_row=4, start_column=3, end_row=10, end_column=3)
    return workbook


def save(workbook: openpyxl.Workbook, tmp_path: Path) -> Path:
    path = tmp_path / "on-call.xlsx"
    workbook.save(path)
    return path


def test_day_column_is_checked_against_the_dates_and_is_not_a_role(tmp_path: Path) -> None:
    rota = read_rota(save(council_grid(), tmp_path))
    assert set(rota.roles) == {EPO, "Rest Centre Manger"}
    assert not any(shift.person in ("Mon", "Tue", "Wed") for shift in rota.shifts)
    assert rota.warnings == []


def test_a_day_name_that_has_slipped_from_its_date_is_an_error(tmp_path: Path) -> None:
    days = [MONDAY + timedelta(days=n) for n in range(14)]
    names = [f"{day:%a}" for day in days]
    names[3] = "Wed"  # Thursday 8 January written as Wednesday
    with pytest.raises(RotaFileError) as caught:
        read_rota(save(council_grid(day_names=names), tmp_path))
    assert str(caught.value).endswith(
        "on-call.xlsx: On call Jan 2026!B7: 'Wed' but 08 January 2026 is a Thursday; the days "
        "and dates have slipped apart here, so check which one is right"
    )


def test_a_column_of_day_names_under_another_header_is_still_not_a_role(tmp_path: Path) -> None:
    workbook = council_grid()
    workbook.active["B3"] = "Weekday name"  # type: ignore[index]
    rota = read_rota(save(workbook, tmp_path))
    assert "Weekday name" not in rota.roles


def test_an_option_cell_that_is_almost_an_option_is_an_error(tmp_path: Path) -> None:
    workbook = council_grid(options=("hand over: 9am", "shift length: 1d"))
    with pytest.raises(RotaFileError) as caught:
        read_rota(save(workbook, tmp_path))
    assert str(caught.value).endswith(
        "On call Jan 2026!A2: 'hand over' is not an option; did you mean 'handover'? Write it "
        "as 'handover: 09:00' or 'shift length: 1d'"
    )


def test_a_title_with_a_colon_is_not_taken_for_an_option(tmp_path: Path) -> None:
    workbook = council_grid(options=("Prepared by: Emergency Planning Unit", "handover: 09:00"))
    assert len(read_rota(save(workbook, tmp_path)).shifts) > 0


def test_a_date_on_two_rows_is_an_error_naming_both(tmp_path: Path) -> None:
    days = [MONDAY + timedelta(days=n) for n in range(14)]
    days[5] = days[4]  # Friday 9 January typed twice
    names = [f"{day:%a}" for day in days]
    with pytest.raises(RotaFileError) as caught:
        read_rota(save(council_grid(days=days, day_names=names), tmp_path))
    assert str(caught.value).endswith(
        "On call Jan 2026!A9 and On call Jan 2026!A8 both hold 09 January 2026; keep one row "
        "per date and put everyone for that day on it"
    )


def test_a_handover_in_the_spring_gap_moves_to_the_change_and_says_so(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rota"
    sheet.append(["handover: 01:30"])
    sheet.append(["Date", EPO])
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)):
        sheet.append([day, "A. Jones"])
    rota = read_rota(save(workbook, tmp_path))
    saturday, sunday, monday = rota.shifts
    # 01:30 on Sunday 29 March does not exist: the clocks jump from 01:00 GMT to 02:00 BST.
    assert saturday.end == sunday.start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert sunday.end == monday.start == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)
    (warning,) = rota.warnings
    assert warning.endswith(
        "on-call.xlsx: Rota!A4: the 01:30 handover (Rota!A1) does not exist on 29 March 2026 "
        "(the clocks go forward); that day's shift starts at 02:00 BST (01:00 UTC), when the "
        "clocks change, instead"
    )


def test_notes_column_goes_with_the_day_and_the_merged_week_is_one_shift(tmp_path: Path) -> None:
    rota = read_rota(save(council_grid(), tmp_path))
    (week,) = [s for s in rota.shifts if s.person == "A. Jones"]
    assert (week.start, week.end) == (
        datetime(2026, 1, 5, 9, tzinfo=UTC),
        datetime(2026, 1, 12, 9, tzinfo=UTC),
    )
    noted = [s for s in rota.shifts if s.notes]
    assert {s.start.date() for s in noted} == {date(2026, 1, 13)}
    assert {s.notes for s in noted} == {"cover swapped with D. Ng"}


def test_check_reports_the_misspelt_role_both_ways_and_the_blank_primary(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.yaml"
    requirements.write_text(REQUIREMENTS, encoding="utf-8")
    checked = check_files(save(council_grid(), tmp_path), requirements)
    report = checked.report
    epo, rest_centre = report.roles
    assert epo.coverage_pct == 100.0  # the backup is there all fortnight
    assert rest_centre.coverage_pct == 0.0  # nothing in the rota is for the real role name
    unmatched = [f for f in report.findings if f.kind == "unmatched_role"]
    assert [(f.role, f.detail.rsplit(";", 1)[1]) for f in unmatched] == [
        ("Rest Centre Manger", f" did you mean '{RCM}' (required)?"),
        (RCM, " did you mean 'Rest Centre Manger' (in the rota, 14 shift(s))?"),
    ]
    (blank,) = [f for f in report.findings if f.kind == "no_primary"]
    assert blank.role == EPO
    assert (blank.start, blank.end) == (
        datetime(2026, 1, 14, 9, tzinfo=UTC),
        datetime(2026, 1, 15, 9, tzinfo=UTC),
    )
    assert "while B. Khan covers as backup" in blank.detail


def test_a_yaml_rotas_own_requirements_also_catch_a_misspelt_role(tmp_path: Path) -> None:
    rota = tmp_path / "rota.yaml"
    rota.write_text(
        "timezone: Europe/London\n"
        "shifts:\n"
        "  - {person: C. Wu, role: Rest Centre Manger, start: 2026-01-05 09:00, "
        "end: 2026-01-12 09:00}\n"
        f"requirements:\n  - {{role: {RCM}, min: 1}}\n",
        encoding="utf-8",
    )
    found = [f for f in check_files(rota).report.findings if f.kind != "working_time"]
    assert [(f.kind, f.role) for f in found] == [
        ("unmatched_role", "Rest Centre Manger"),
        ("unmatched_role", RCM),
    ]
