"""Exports keep what the planner entered: names, phones, levels, a merged week as one event."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import openpyxl

from standby.rota.api import export_file
from standby.rota.io import read_rota, rota_to_csv, rota_to_ics

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "rota" / "data" / "council-2026.yaml"
EPO = "Duty Emergency Planning Officer"


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_csv_export_has_names_phones_and_the_ids_to_read_it_back(tmp_path: Path) -> None:
    rota = read_rota(SAMPLE)
    rows = list(csv.DictReader(io.StringIO(rota_to_csv(rota))))
    backup = next(row for row in rows if row["role"] == EPO and row["level"] == "2")
    # Gwen Penhale (gpenhale, 07700 900142 in the people list) is the first backup.
    assert (backup["person"], backup["person_id"], backup["phone"]) == (
        "Gwen Penhale",
        "gpenhale",
        "07700 900142",
    )
    path = tmp_path / "export.csv"
    path.write_text(rota_to_csv(rota), encoding="utf-8")
    again = read_rota(path)
    assert [s.person for s in again.shifts] == [s.person for s in rota.shifts]
    assert again.people["gpenhale"].name == "Gwen Penhale"
    assert again.warnings == []


def test_ics_summary_names_the_level_and_the_person_and_the_phone_is_shown() -> None:
    rota = read_rota(SAMPLE)
    exported = rota_to_ics(rota)
    first_backup = next(e for e in events(exported) if str(e.get("X-STANDBY-LEVEL")) == "2")
    assert str(first_backup.get("SUMMARY")) == f"{EPO} (backup): Gwen Penhale"
    assert str(first_backup.get("DESCRIPTION")) == "Phone: 07700 900142"
    assert str(first_backup.get("X-STANDBY-PERSON")) == "gpenhale"
    noted = next(e for e in events(exported) if "weekend" in str(e.get("DESCRIPTION", "")))
    assert str(noted.get("DESCRIPTION")).startswith("weekend Fri 16:45-Mon 08:45\n\nPhone: 07700")


def test_ics_round_trip_keeps_notes_phones_and_levels(tmp_path: Path) -> None:
    rota = read_rota(SAMPLE)
    path = tmp_path / "rota.ics"
    path.write_bytes(rota_to_ics(rota))
    again = read_rota(path)

    def essentials(shifts: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
        return sorted((s.person, s.role, s.start, s.end, s.level, s.phone, s.notes) for s in shifts)

    assert essentials(again.shifts) == essentials(rota.shifts)


def test_a_foreign_calendars_backup_summary_is_read_as_level_2(tmp_path: Path) -> None:
    path = tmp_path / "teams.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Other//EN\nBEGIN:VEVENT\nUID:1\n"
        "DTSTAMP:20260101T000000Z\nDTSTART:20260105T090000Z\nDTEND:20260112T090000Z\n"
        "SUMMARY:Duty EPO (backup): A. Jones\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\n"
        "DTSTAMP:20260101T000000Z\nDTSTART:20260105T090000Z\nDTEND:20260112T090000Z\n"
        "SUMMARY:Duty EPO (level 3): B. Khan\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    assert [(s.role, s.level, s.person) for s in read_rota(path).shifts] == [
        ("Duty EPO", 2, "A. Jones"),
        ("Duty EPO", 3, "B. Khan"),
    ]


def test_a_week_merged_in_the_grid_is_one_weekly_event(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Date", EPO])
    for n in range(14):
        sheet.append([date(2026, 1, 5) + timedelta(days=n), "A. Jones" if n == 0 else None])
    sheet.merge_cells("B2:B8")
    sheet["B9"] = "B. Khan"
    path = tmp_path / "grid.xlsx"
    workbook.save(path)
    exported = export_file(path, "ics").data
    found = sorted(
        (str(e.get("SUMMARY")), e.decoded("DTSTART"), e.decoded("DTEND")) for e in events(exported)
    )
    london = found[0][1].tzinfo
    week = (datetime(2026, 1, 5, 9, tzinfo=london), datetime(2026, 1, 12, 9, tzinfo=london))
    assert found[0] == (f"{EPO}: A. Jones", *week)
    assert [summary for summary, _start, _end in found] == [f"{EPO}: A. Jones", f"{EPO}: B. Khan"]
    assert found[1][2] - found[1][1] == timedelta(days=1)
    assert week[0].astimezone(UTC) == datetime(2026, 1, 5, 9, tzinfo=UTC)
