"""docs/scenario-format.md stays true: its examples load, and it documents every field."""

from __future__ import annotations

import re
import shlex
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from standby.cli import cli
from standby.scenarios import Scenario, ScenarioError, bundled_names, parse_scenario
from standby.scenarios.substances import SUBSTANCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(info: str) -> list[str]:
    return [body for tag, body in FENCE.findall(TEXT) if tag.strip() == info]


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    """``model`` and every model nested in its fields (through lists, unions, Optional)."""
    if model not in seen:
        seen.append(model)
        for field in model.model_fields.values():
            for nested in _nested(field.annotation):
                _models(nested, seen)
    return seen


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested(arg)]


def _literals(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is Literal:
        return [str(value) for value in typing.get_args(annotation)]
    return [v for arg in typing.get_args(annotation) for v in _literals(arg)]


MODELS = _models(Scenario, [])


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def test_the_minimal_example_validates() -> None:
    (example,) = _blocks("yaml")
    scenario = parse_scenario(example, "docs/scenario-format.md example")
    assert scenario.name == "minimal-example"


def test_the_invalid_example_gives_the_documented_problems() -> None:
    (invalid,) = _blocks("yaml invalid")
    after = TEXT.split("```yaml invalid", 1)[1].split("```", 1)[1]
    expected = FENCE.search(after)
    assert expected is not None and expected.group(1).strip() == "text"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(invalid, "broken.yaml")
    assert str(caught.value) == expected.group(2).rstrip("\n")


def test_the_walk_finds_every_model() -> None:
    names = {model.__name__ for model in MODELS}
    assert {"Scenario", "Task", "Target", "LogNormal", "ExtraDemand", "Location"} <= names


def test_every_model_field_name_appears_in_the_doc() -> None:
    missing = [
        f"{model.__name__}.{key}"
        for model in MODELS
        for key in _keys(model)
        if f"`{key}`" not in TEXT
    ]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_has_a_table_row_in_its_models_section(model: type[BaseModel]) -> None:
    marker = f"(`{model.__name__}`)"
    assert marker in TEXT, f"no section or row names {marker}"
    section = TEXT.split(marker, 1)[1].split("\n#", 1)[0]
    missing = [key for key in _keys(model) if f"| `{key}` |" not in section]
    assert missing == []


def test_every_choice_of_every_field_is_documented() -> None:
    missing = [
        f"{model.__name__}.{name}: {choice}"
        for model in MODELS
        for name, field in model.model_fields.items()
        for choice in _literals(field.annotation)
        if f"`{choice}`" not in TEXT
    ]
    assert missing == []


def test_every_substance_is_listed() -> None:
    assert [s for s in SUBSTANCES if f"`{s}`" not in TEXT] == []


def test_every_bundled_scenario_is_listed() -> None:
    assert [name for name in bundled_names() if f"`{name}`" not in TEXT] == []


def _console_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ standby ...`` line of the console blocks with the output lines shown after it."""
    examples: list[tuple[str, list[str]]] = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif line.strip():
                examples[-1][1].append(line)
    return examples


@pytest.mark.parametrize(("command", "shown"), _console_examples(), ids=lambda v: str(v))
def test_console_examples_run_and_print_what_the_doc_shows(command: str, shown: list[str]) -> None:
    program, *arguments = shlex.split(command)
    assert program == "standby"
    result = CliRunner().invoke(cli, arguments, terminal_width=200)
    assert result.exit_code == 0, result.output
    for line in shown:
        assert line in result.stdout.splitlines()
