"""The MSEL in a spreadsheet: CSV and XLSX round trips, a planner's edits, every row checked,
times in three forms, a moved start, formula cells neutralised, old files never replaced."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from packkit import SCENARIO_FILE

from standby.errors import OutputExistsError
from standby.reports.msel import HEADERS, MselError, export_msel
from standby.reports.msel_import import import_msel
from standby.scenarios import load_scenario

SCENARIO = "chlorine-riverside"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HEADERS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cells(path: Path) -> list[list[list[object]]]:
    workbook = load_workbook(path)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook]


def test_csv_round_trip_export_import_export_gives_the_same_sheet(tmp_path: Path) -> None:
    first = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", first)
    import_msel(first, SCENARIO, tmp_path / "new.yaml")
    second = tmp_path / "again.csv"
    export_msel(tmp_path / "new.yaml", "csv", second)
    assert second.read_bytes() == first.read_bytes()
    assert len(_csv_rows(first)) == 12


def test_xlsx_round_trip_export_import_export_gives_the_same_sheet(tmp_path: Path) -> None:
    first = tmp_path / "msel.xlsx"
    export_msel(SCENARIO, "xlsx", first)
    import_msel(first, SCENARIO, tmp_path / "new.yaml")
    second = tmp_path / "again.xlsx"
    export_msel(tmp_path / "new.yaml", "xlsx", second)
    assert _cells(second) == _cells(first)
    msel, about = _cells(first)
    assert tuple(msel[0]) == HEADERS
    assert ["start", "2026-11-12 02:10"] in about


def test_a_planners_edits_come_back_and_the_rest_of_the_file_is_kept(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", sheet)
    rows = _csv_rows(sheet)
    i05 = next(row for row in rows if row["Inject"] == "i05")
    i05["Time"] = "03:00"  # moved by its clock time; the Minute column still says +35
    i06 = next(row for row in rows if row["Inject"] == "i06")
    i06["Message"] = "TCG first meeting: shelter, or evacuate the care home?"
    new = dict.fromkeys(HEADERS, "")
    new.update(
        {
            "Time": "+50",
            "Type": "information",
            "Mode": "email",
            "From": "Met Office",
            "To": "TCG",
            "Message": "Rain is forecast from 04:00.",
            "Expected player response": "Note it for the shelter review.",
            "Objective": "obj_public",
            "Contingency": "yes",
        }
    )
    rows = [row for row in rows if row["Inject"] != "i12"] + [new]
    result = import_msel(_write_csv(sheet, rows), SCENARIO, tmp_path / "new.yaml")
    assert result.added == ("i13",)
    assert result.removed == ("i12",)
    assert set(result.changed) == {"i05", "i06"}
    injects = {inject.id: inject for inject in load_scenario(tmp_path / "new.yaml").injects}
    assert injects["i05"].minute == 50  # 03:00 is 50 minutes after 02:10
    assert injects["i13"].minute == 50 and injects["i13"].contingency
    assert injects["i06"].text.endswith("evacuate the care home?")
    text = (tmp_path / "new.yaml").read_text(encoding="utf-8")
    original = SCENARIO_FILE.read_text(encoding="utf-8")
    assert text.startswith(original.split("injects:")[0])  # comments and layout kept
    assert text.endswith(original[original.index("objectives:") :])


def test_times_as_minutes_clock_time_or_local_date_time(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", sheet)
    rows = _csv_rows(sheet)
    for row, time in zip(rows[:3], ("+45", "02:55", "2026-11-12 02:55"), strict=True):
        row["Time"], row["Minute"] = time, ""
    import_msel(_write_csv(sheet, rows), SCENARIO, tmp_path / "new.yaml")
    injects = {i.id: i.minute for i in load_scenario(tmp_path / "new.yaml").injects}
    assert [injects[i] for i in ("i01", "i02", "i03")] == [45, 45, 45]


def test_every_bad_row_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", sheet)
    rows = _csv_rows(sheet)
    rows[0]["Type"] = "rumour"
    rows[1]["Time"], rows[1]["Minute"] = "25:99", ""
    rows[2]["Contingency"] = "maybe"
    rows[3]["Objective"] = "obj_alrt"
    rows[4]["Message"] = ""
    with pytest.raises(MselError) as caught:
        import_msel(_write_csv(tmp_path / "bad.csv", rows), SCENARIO, tmp_path / "new.yaml")
    message = caught.value.message
    assert "row 2, column Type" in message and "'rumour'" in message
    assert "row 3, column Time: '25:99' is not a clock time" in message
    assert "row 4, column Contingency: 'maybe' is not yes or no" in message
    assert "row 6, column Message: empty" in message
    assert not (tmp_path / "new.yaml").exists()
    rows = _csv_rows(sheet)
    rows[3]["Objective"] = "obj_alrt"
    with pytest.raises(MselError) as caught:
        import_msel(_write_csv(tmp_path / "bad2.csv", rows), SCENARIO, tmp_path / "new.yaml")
    assert "row 5, column Objective: no objective 'obj_alrt'; did you mean 'obj_alert'?" in (
        caught.value.message
    )
    rows = _csv_rows(sheet)
    rows[3]["Depends on"] = "i99"
    with pytest.raises(MselError) as caught:
        import_msel(_write_csv(tmp_path / "bad3.csv", rows), SCENARIO, tmp_path / "new.yaml")
    assert "inject i04, column Depends on: unknown inject 'i99'" in caught.value.message


def test_an_exercise_moved_to_another_start_keeps_minutes_and_moves_clock_times(
    tmp_path: Path,
) -> None:
    workbook = tmp_path / "msel.xlsx"
    export_msel(SCENARIO, "xlsx", workbook, start_text="2027-03-10 09:30")
    rows = _cells(workbook)[0]
    assert rows[1][2:4] == ["09:30", "+0"]
    import_msel(workbook, SCENARIO, tmp_path / "new.yaml")  # the workbook knows its start
    assert load_scenario(tmp_path / "new.yaml").injects == load_scenario(SCENARIO).injects
    sheet = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", sheet, start_text="2026-11-12 03:10")
    with pytest.raises(MselError, match=r"made for a start of 2026-11-12 03:10"):
        import_msel(sheet, SCENARIO, tmp_path / "other.yaml")
    import_msel(sheet, SCENARIO, tmp_path / "other.yaml", start_text="2026-11-12 03:10")
    assert load_scenario(tmp_path / "other.yaml").injects == load_scenario(SCENARIO).injects


def test_a_cell_starting_with_equals_is_neutralised_in_both_formats(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.csv"
    export_msel(SCENARIO, "csv", sheet)
    rows = _csv_rows(sheet)
    rows[0]["Message"] = '=HYPERLINK("http://example.invalid","click")'
    import_msel(_write_csv(sheet, rows), SCENARIO, tmp_path / "new.yaml")
    export_msel(tmp_path / "new.yaml", "csv", tmp_path / "out.csv")
    line = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1]
    assert """'=HYPERLINK(""http://example.invalid"",""click"")""" in line
    export_msel(tmp_path / "new.yaml", "xlsx", tmp_path / "out.xlsx")
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml  # no formula: the text is a string cell
    assert re.search(r'<c r="J2"[^>]* t="inlineStr"><is><t>=HYPERLINK\(', xml)
    import_msel(tmp_path / "out.csv", SCENARIO, tmp_path / "back.yaml")
    first = load_scenario(tmp_path / "back.yaml").injects[0]
    assert first.text == '=HYPERLINK("http://example.invalid","click")'


def test_the_old_scenario_file_is_never_replaced_without_force(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(SCENARIO_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    sheet = tmp_path / "msel.csv"
    export_msel(scenario, "csv", sheet)
    with pytest.raises(OutputExistsError):
        import_msel(sheet, scenario, scenario)
    with pytest.raises(OutputExistsError):
        export_msel(scenario, "csv", sheet)
    import_msel(sheet, scenario, scenario, force=True)
    assert load_scenario(scenario).injects == load_scenario(SCENARIO).injects


def test_a_workbook_from_excel_with_numbers_and_times_reads_back(tmp_path: Path) -> None:
    from datetime import time

    workbook_path = tmp_path / "msel.xlsx"
    export_msel(SCENARIO, "xlsx", workbook_path)
    workbook = load_workbook(workbook_path)
    sheet = workbook["MSEL"]
    sheet["C2"].value = time(2, 40)  # Excel turned 02:40 into a time cell
    sheet["D2"].value = None
    sheet["A3"].value = 2  # and the event numbers into numbers
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook_path.write_bytes(buffer.getvalue())
    import_msel(workbook_path, SCENARIO, tmp_path / "new.yaml")
    injects = {inject.id: inject for inject in load_scenario(tmp_path / "new.yaml").injects}
    assert injects["i01"].minute == 30
