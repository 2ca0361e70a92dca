"""Outputs are written atomically, never overwritten without --force, and CSV is formula-safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standby.errors import OutputExistsError
from standby.files import csv_text, safe_csv_cell, write_text_atomic


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="allow it to be replaced") as caught:
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "keep me"
    # the library names what to change in its own words; the CLI adds --out and --force
    assert "--" not in caught.value.message
    assert caught.value.parameters == ("output", "force")


def test_force_replaces_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "report.html"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_written_files_get_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    import os

    target = write_text_atomic(tmp_path / "page.html", "x")
    expected = 0o666 & ~_current_umask()
    assert target.stat().st_mode & 0o777 == expected
    assert os.access(target, os.R_OK)


def _current_umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.5", "-12.5"),
        ("A. Jones", "A. Jones"),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_cells_are_neutralised(cell: object, expected: str) -> None:
    assert safe_csv_cell(cell) == expected


@given(st.text())
def test_no_csv_cell_can_start_a_formula(text: str) -> None:
    cell = safe_csv_cell(text)
    # only plain numbers may start with a sign
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or _is_number(cell)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_text_neutralises_header_and_rows() -> None:
    assert csv_text(["person", "=x"], [["=1+1", 2]]) == "person,'=x\n'=1+1,2\n"
