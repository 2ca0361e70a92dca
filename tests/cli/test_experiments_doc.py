"""Every command in docs/experiments.md runs and writes what the page says it writes."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "experiments.md"


def _commands() -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("standby ")]


def test_the_page_has_its_commands() -> None:
    assert len(_commands()) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c.split()[1:3]))
def test_every_command_on_the_page_runs(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "rota" / "data", tmp_path / "rota" / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    args = shlex.split(command)
    if "--out" in args:
        folder = tmp_path / args[args.index("--out") + 1]
        expected = (
            ["sweep.csv", "calendar.png", "sweep.html"]
            if args[1] == "sweep"
            else ["summary.json", "runs.csv", "report.html"]
        )
        if "--sensitivity" in args:
            expected += ["sensitivity.json", "tornado.png"]
        for name in expected:
            assert (folder / name).stat().st_size > 0, name


@pytest.mark.slow
def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    shutil.copytree(ROOT / "rota" / "data", tmp_path / "rota" / "data")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, str(DOC), "exec"), namespace)
    christmas = namespace["christmas"]
    assert len(christmas.slots) == 24  # type: ignore[attr-defined]
