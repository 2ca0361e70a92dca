"""Rota and requirements files that would lose shifts or take the machine are refused.

Each hostile file is read in a fresh process with a time and a memory limit (the
``bounded`` fixture), so a regression fails with the limit named instead of hanging.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.workbook_kit import hostile_workbook
from standby.rota.io import read_requirements_file, read_rota
from standby.rota.io_common import RotaFileError

EPO = "Duty Emergency Planning Officer"
#: A snippet that reads a rota in a bounded process and prints its size or its error.
_READ = (
    "from pathlib import Path\nfrom standby.rota.io import read_rota, RotaFileError\n"
    "try:\n    rota = read_rota(Path({path!r}))\n    print(len(rota.shifts), 'shifts')\n"
    "except RotaFileError as error:\n    print(error)\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ duplicate keys


def test_a_second_shifts_section_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rota.yaml",
        "shifts:\n"
        f"  - {{person: A, role: {EPO}, start: 2026-01-05 09:00, end: 2026-01-12 09:00}}\n"
        "people: []\n"
        "shifts:\n"
        f"  - {{person: B, role: {EPO}, start: 2026-01-12 09:00, end: 2026-01-19 09:00}}\n",
    )
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    assert str(caught.value) == (
        f"{path}: line 4: the key 'shifts' is written twice in one mapping, at line 1 and "
        "line 4; YAML would keep only the second: keep one (or merge them)"
    )


def test_a_key_twice_in_one_shift_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rota.yaml",
        "shifts:\n  - person: A\n    role: R\n    start: 2026-01-05 09:00\n"
        "    end: 2026-01-12 09:00\n    person: B\n",
    )
    with pytest.raises(RotaFileError, match=r"'person' is written twice.*line 2 and line 6"):
        read_rota(path)


def test_a_requirements_file_with_a_key_twice_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "req.yaml",
        f"requirements:\n  - {{role: {EPO}, min: 1}}\nrequirements:\n  - {{role: CCTV, min: 2}}\n",
    )
    with pytest.raises(RotaFileError, match=r"'requirements' is written twice.*line 1 and line 3"):
        read_requirements_file(path)


# ------------------------------------------------------------------ nesting and aliases


def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path: Path, bounded: Any) -> None:
    path = write(tmp_path, "rota.yaml", "shifts:\n  - notes: " + "[" * 50_000 + "]" * 50_000)
    done = bounded(_READ.format(path=str(path)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{path}: line 2" in done.stdout
    assert "nest" in done.stdout


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path, bounded: Any) -> None:
    path = write(tmp_path, "rota.json", '{"shifts": ' + "[" * 200_000 + "]" * 200_000 + "}")
    done = bounded(_READ.format(path=str(path)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "nested" in done.stdout


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path, bounded: Any) -> None:
    lines = [f"a0: &a0 [{EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    shift = "{person: A, role: R, start: 2026-01-05 09:00, end: 2026-01-12 09:00, notes: *a8}"
    path = write(tmp_path, "rota.yaml", "\n".join(lines) + f"\nshifts:\n  - {shift}\n")
    done = bounded(
        _READ.format(path=str(path)),
        seconds=30,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "repeat more than 1,000,000 values" in done.stdout


# ------------------------------------------------------------------ the shift limit


def test_a_hundred_patterns_each_under_the_limit_are_capped_in_all(
    tmp_path: Path,
    bounded: Any,
) -> None:
    # each pattern makes 199,728 hourly shifts (2026 to 2049): 19.9 million in all
    pattern = (
        "  - {{role: Role {n}, people: [A, B], handover: '00:00', length: 1h, "
        "start: 2026-01-01, end: 2048-10-14}}\n"
    )
    text = "patterns:\n" + "".join(pattern.format(n=n) for n in range(100))
    path = write(tmp_path, "rota.yaml", text)
    done = bounded(_READ.format(path=str(path)), seconds=120, memory_mb=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "patterns.5 (line 7): makes, with the shifts before it, more than 1,000,000" in (
        done.stdout
    )


def test_max_shifts_is_the_limit_and_the_message_names_the_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from standby.cli import cli

    path = write(
        tmp_path,
        "rota.yaml",
        "patterns:\n  - {role: R, people: [A, B], handover: '09:00', length: 1d, "
        "start: 2026-01-01, end: 2026-02-01}\n",
    )
    assert len(read_rota(path, max_shifts=31).shifts) == 31
    with pytest.raises(RotaFileError, match="more than 30 shifts") as caught:
        read_rota(path, max_shifts=30)
    assert caught.value.parameters == ("max_shifts",)
    result = CliRunner().invoke(cli, ["rota", "check", str(path), "--max-shifts", "30"])
    assert result.exit_code == 2
    assert "allow more shifts (--max-shifts)" in result.output
    assert CliRunner().invoke(cli, ["rota", "check", str(path)]).exit_code == 0


def test_a_csv_over_the_limit_is_refused_too(tmp_path: Path) -> None:
    rows = "".join(
        f"A,R,2026-01-{day:02d} 09:00,2026-01-{day + 1:02d} 09:00\n" for day in range(1, 11)
    )
    path = write(tmp_path, "rota.csv", "person,role,start,end\n" + rows)
    with pytest.raises(RotaFileError, match="holds more than 9 shifts"):
        read_rota(path, max_shifts=9)


# ------------------------------------------------------------------ windows


def test_a_shift_of_160_years_is_named_instead_of_checked(tmp_path: Path) -> None:
    from standby.rota.api import check_files

    path = write(
        tmp_path, "rota.csv", f"person,role,start,end\nA,{EPO},2026-01-05 09:00,2190-01-05 09:00\n"
    )
    with pytest.raises(Exception, match="longer than the 3,653 days") as caught:
        check_files(path)
    assert "the shift at rota.csv:2 runs from 2026-01-05 to 2190-01-05" in str(caught.value)
    assert caught.value.parameters == ("window_start", "window_end")  # type: ignore[attr-defined]
    # a window of a month over the same shift is checked as usual
    assert check_files(path, None, "2026-02-01", "2026-03-01").all_met


def test_a_window_of_160_years_is_refused_quickly(tmp_path: Path, bounded: Any) -> None:
    path = write(
        tmp_path, "rota.csv", f"person,role,start,end\nA,{EPO},2026-01-05 09:00,2026-02-05 09:00\n"
    )
    done = bounded(
        "from pathlib import Path\nfrom standby.rota.api import check_files\n"
        "from standby.reports.coverage import render\nfrom standby import StandbyError\n"
        f"try:\n    render(check_files(Path({str(path)!r}), None, '2026-01-01', '2190-01-01')"
        ".report, 'html')\nexcept StandbyError as error:\n    print(error)\n",
        seconds=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "longer than the 3,653 days (ten years)" in done.stdout


# ------------------------------------------------------------------ spreadsheets


def _workbook(tmp_path: Path, *, corner: bool = False, merge: str | None = None) -> Path:
    path = hostile_workbook(tmp_path / "rota.xlsx", corner=corner, merge=merge)
    assert path.stat().st_size < 10_000
    return path


def test_a_workbook_with_a_cell_at_the_sheets_far_corner_is_refused(
    tmp_path: Path,
    bounded: Any,
) -> None:
    path = _workbook(tmp_path, corner=True)
    done = bounded(_READ.format(path=str(path)), seconds=60, memory_mb=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Rota!XFD1048576 holds something, past column ALL" in done.stdout


@pytest.mark.parametrize(
    ("merge", "shifts"),
    [
        ("B2:B1048576", 1),  # A. Jones merged down the 5th and 6th: one shift
        ("A2:XFD1048576", 1),  # the 5th's row only: the 6th is all merged cells
    ],
)
def test_a_merged_range_to_the_sheets_end_fills_only_the_rows_there_are(
    tmp_path: Path, bounded: Any, merge: str, shifts: int
) -> None:
    path = _workbook(tmp_path, merge=merge)
    # filling every cell of the range took 56 s and 890 MB for one column, and all the
    # memory there was for the whole sheet; the sheet's own rows take a second or two
    done = bounded(_READ.format(path=str(path)), seconds=30, memory_mb=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"{shifts} shifts"


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_reading(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "rota.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", b" " * (300 * 2**20))
    assert path.stat().st_size < 2_000_000
    with pytest.raises(RotaFileError, match="unpacks to 300 MB, more than the 256 MB"):
        read_rota(path)
