"""The CSV rota reader: what it accepts and every message it gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from standby.rota.io import RotaFileError, read_rota

HEADER = "person,role,start,end\n"


def write(tmp_path: Path, text: str, name: str = "rota.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_local_times_as_utc_with_row_sources(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "A. Jones,Duty Emergency Planning Officer,2026-03-27 09:00,2026-04-03T09:00\n"
        + "B. Khan,Duty Emergency Planning Officer,2026-04-03T09:00+01:00,2026-04-10 09:00\n",
    )
    rota = read_rota(path)
    first, second = rota.shifts
    assert first.start == datetime(2026, 3, 27, 9, tzinfo=UTC)
    assert first.end == datetime(2026, 4, 3, 8, tzinfo=UTC)
    assert second.start == datetime(2026, 4, 3, 8, tzinfo=UTC)
    assert (first.source, second.source) == ("rota.csv:2", "rota.csv:3")
    assert rota.warnings == []


def test_optional_columns_and_unknown_column_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Person, Role ,start,end,level,phone,notes,team\n"
        "A. Jones,DEPO,2026-01-05 09:00,2026-01-12 09:00,2,07700 900123,cover,North\n",
    )
    rota = read_rota(path)
    (shift,) = rota.shifts
    assert (shift.level, shift.phone, shift.notes) == (2, "07700 900123", "cover")
    assert len(rota.warnings) == 1
    assert "'team'" in rota.warnings[0] and "rota.csv" in rota.warnings[0]


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n,,,\nA,R,2026-01-05 09:00,2026-01-05 17:00\n")
    assert len(read_rota(path).shifts) == 1


def test_other_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,R,2026-01-05 09:00,2026-01-05 17:00\n")
    rota = read_rota(path, timezone="America/New_York")
    assert rota.shifts[0].start == datetime(2026, 1, 5, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["rota.csv", "empty", "person,role,start,end"]),
        ("\n\n", ["rota.csv", "empty", "person,role,start,end"]),
        ("person,role,begin,end\nA,R,x,y\n", ["rota.csv", "row 1", "'start'", "header"]),
        (
            HEADER + "A,R,2026-13-01 09:00,2026-01-05 17:00\n",
            ["rota.csv", "row 2", "'start'", "2026-13-01 09:00", "there is no month 13"],
        ),
        (
            HEADER + "A,R,2026-01-05 09:00,2026-01-05 08:00\n",
            ["rota.csv", "row 2", "2026-01-05 08:00", "not after start", "next day"],
        ),
        (
            HEADER + "A,R,2026-03-29 01:30,2026-03-29 09:00\n",
            ["rota.csv", "row 2", "'start'", "2026-03-29 01:30", "does not exist", "03:00"],
        ),
        (HEADER + ",R,2026-01-05 09:00,2026-01-05 17:00\n", ["rota.csv", "row 2", "'person'"]),
        (
            "person,role,start,end,level\nA,R,2026-01-05 09:00,2026-01-05 17:00,0\n",
            ["rota.csv", "row 2", "'level'", "'0'", "1 for the primary"],
        ),
        (HEADER + "A,R,2026-01-05 09:00,2026-01-05 17:00,extra\n", ["rota.csv", "row 2", "quote"]),
        ("person,role,role,start,end\n", ["rota.csv", "row 1", "'role' twice"]),
    ],
)
def test_error_messages_name_file_row_value_and_fix(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    for fragment in expected:
        assert fragment in str(caught.value)


def test_ambiguous_local_time_takes_first_occurrence_with_warning(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,R,2026-10-25 01:30,2026-10-25 09:00\n")
    rota = read_rota(path)
    assert rota.shifts[0].start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    (warning,) = rota.warnings
    assert "rota.csv" in warning and "row 2" in warning and "first occurrence" in warning


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rota.csv"
    path.write_bytes(HEADER.encode() + b"J\xf6nes,R,2026-01-05 09:00,2026-01-05 17:00\n")
    with pytest.raises(RotaFileError, match=r"rota\.csv.*UTF-8"):
        read_rota(path)


def test_unknown_suffix_lists_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, name="rota.txt")
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    message = str(caught.value)
    assert "rota.txt" in message and "'.txt'" in message
    for suffix in (".csv", ".xlsx", ".yaml", ".ics"):
        assert suffix in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RotaFileError, match=r"nope\.csv: no such file"):
        read_rota(tmp_path / "nope.csv")


def test_header_only_reads_no_shifts_with_a_warning(tmp_path: Path) -> None:
    rota = read_rota(write(tmp_path, HEADER))
    assert rota.shifts == []
    assert rota.warnings == [
        f"{tmp_path / 'rota.csv'}: no shifts below the header; add one shift a row"
    ]


def test_uk_dates_as_excel_saves_them(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,R,27/03/2026 09:00,3/4/2026 9:00\n")
    (shift,) = read_rota(path).shifts
    assert shift.start == datetime(2026, 3, 27, 9, tzinfo=UTC)
    assert shift.end == datetime(2026, 4, 3, 8, tzinfo=UTC)


def test_bad_uk_date_is_quoted_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,R,31/02/2026 09:00,01/03/2026 09:00\n")
    with pytest.raises(RotaFileError, match=r"row 2, column 'start': '31/02/2026 09:00'"):
        read_rota(path)
