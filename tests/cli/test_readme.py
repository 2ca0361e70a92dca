"""Every command shown in the README runs, exits as the README says, and prints what it shows.

Lines shown as ``...`` stand for output left out. The rota check's last column ("next gap")
is measured from today, so it is not compared.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.DOTALL)
EXIT_CODES = {"scenario validate": 2, "rota check": 1}


def _examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(m["command"], m["output"]) for m in BLOCK.finditer(text)]


def test_the_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


#: The cover table's last column, the next gap from today, at the end of a row.
NEXT_GAP = re.compile(r"\s{2,}(\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z]+|-)$")


def _comparable(line: str, command: str) -> str:
    line = line.rstrip()
    if command.startswith("rota check") and line.count("│") >= 3:
        return line.rsplit("│", 2)[0]
    if command.startswith("rota check"):
        return NEXT_GAP.sub("", line)
    return line


@pytest.mark.slow  # `make demo` simulates 500 runs
@pytest.mark.parametrize(("command", "output"), _examples(), ids=lambda v: str(v)[:40])
def test_readme_example_runs_as_shown(
    command: str, output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    if command == "make demo":  # `make demo` runs `standby demo --out out --force`
        args = ["demo", "--out", str(tmp_path / "out"), "--force"]
    else:
        assert command.startswith("standby ")
        args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "100"})
    expected_code = next((c for p, c in EXIT_CODES.items() if " ".join(args).startswith(p)), 0)
    assert result.exit_code == expected_code, result.output
    shown = " ".join(args)
    actual = {_comparable(line, shown) for line in result.output.splitlines()}
    for line in output.splitlines():
        if line.strip() in ("", "...") or "files in" in line:
            continue
        assert _comparable(line, shown) in actual, f"not printed: {line!r}"
