"""Text from files is printed literally: no rich markup, no terminal control sequences.

The names and values here are what a hostile (or unlucky) rota or scenario can hold; the
terminal must show them as text and never act on them.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from standby.cli import cli
from standby.reports.plain import CELL_LIMIT, LINE_LIMIT, cell_text, markup, printable

EPO = "Duty Emergency Planning Officer"
CLEAR_SCREEN = "\x1b[2J"
WINDOW_TITLE = "\x1b]0;pwned\x07"
OSC8_LINK = "\x1b]8;;https://example.invalid/\x1b\\click\x1b]8;;\x1b\\"


def _who(tmp_path: Path, person: str, phone: str = "07700 900001") -> str:
    rota = tmp_path / "rota.csv"
    rota.write_text(
        "person,role,start,end,phone\n"
        f'"{person}",{EPO},2026-01-05 09:00,2026-01-12 09:00,"{phone}"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["rota", "who", str(rota), "--role", EPO, "--at", "2026-01-06 12:00"],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "name", ["A. Jones [backup]", "[/bold]", "[link=https://example.invalid]J. Doe[/link]"]
)
def test_a_name_that_looks_like_markup_is_printed_as_written(tmp_path: Path, name: str) -> None:
    assert name in _who(tmp_path, name)


@pytest.mark.parametrize("sequence", [CLEAR_SCREEN, WINDOW_TITLE, OSC8_LINK, "\u202e", "\x9b"])
def test_control_sequences_in_a_name_or_phone_are_shown_escaped(
    tmp_path: Path, sequence: str
) -> None:
    output = _who(tmp_path, f"Eve{sequence}", phone=f"0{sequence}")
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "\x9b" not in output
    assert "Eve\\" in output


def test_an_error_message_shows_a_files_control_characters_escaped(tmp_path: Path) -> None:
    rota = tmp_path / "rota.csv"
    rota.write_text(
        f"person,role,start,end\nEve,{EPO},2026-01-05{CLEAR_SCREEN},2026-01-12 09:00\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["rota", "check", str(rota)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "2026-01-05\\x1b[2J" in result.output


def test_a_huge_cell_is_cut_with_an_ellipsis(tmp_path: Path) -> None:
    output = _who(tmp_path, "A" * 100_000)
    assert "…" in output
    assert len(output) < 6 * 300  # six lines of the table, not 100,000 characters


@given(st.text())
def test_printable_text_holds_no_control_character_but_newline_and_tab(text: str) -> None:
    shown = printable(text)
    unsafe = [
        char
        for char in shown
        if (unicodedata.category(char) == "Cc" and char not in "\n\t")
        or unicodedata.bidirectional(char) in ("LRE", "RLE", "LRO", "RLO", "PDF")
        or unicodedata.bidirectional(char) in ("LRI", "RLI", "FSI", "PDI")
    ]
    assert unsafe == []


@given(st.text())
def test_a_cell_is_one_line_within_the_limit(text: str) -> None:
    shown = cell_text(text)
    assert "\n" not in shown and "\r" not in shown
    assert len(shown) <= CELL_LIMIT


def test_long_lines_are_cut_but_short_ones_kept() -> None:
    shown = printable("short\n" + "x" * (LINE_LIMIT + 50))
    first, second = shown.split("\n")
    assert first == "short"
    assert len(second) == LINE_LIMIT and second.endswith("…")


def test_markup_inside_our_own_markup_is_escaped() -> None:
    from rich.text import Text

    assert Text.from_markup(f"[bold]{markup('[/bold] x [red]y')}[/bold]").plain == (
        "[/bold] x [red]y"
    )
