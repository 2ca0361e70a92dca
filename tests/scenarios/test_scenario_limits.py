"""Scenario files with a key twice, deep nesting or an alias bomb are refused clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from standby.scenarios import ScenarioError, load_scenario, scenario_source


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    text = scenario_source("chlorine-riverside")
    path = tmp_path / "twice.yaml"
    path.write_text(text + "\nname: second-name\n", encoding="utf-8")
    first = 1 + next(i for i, line in enumerate(text.splitlines()) if line.startswith("name:"))
    second = len(text.splitlines()) + 2
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    ((where, message),) = caught.value.problems
    assert where == f"{path}:{second}"
    assert f"the key 'name' is written twice in one mapping, at line {first} and line {second}" in (
        message
    )


def test_deep_nesting_is_an_error_with_a_line(tmp_path: Path, bounded: Any) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = bounded(
        "from standby.scenarios import ScenarioError, load_scenario\n"
        f"try:\n    load_scenario({str(path)!r})\n"
        "except ScenarioError as error:\n    print(error)\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{path}:2:" in done.stdout
