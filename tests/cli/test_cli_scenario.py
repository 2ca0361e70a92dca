"""The `standby scenario` commands: list, show, validate, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from standby.cli import cli
from standby.scenarios import bundled_names
from standby.scenarios.load import library_dir


def test_list_names_every_bundled_scenario() -> None:
    result = CliRunner().invoke(cli, ["scenario", "list"], terminal_width=200)
    assert result.exit_code == 0
    for name in bundled_names():
        assert name in result.output


def test_show_prints_the_bundled_file() -> None:
    result = CliRunner().invoke(cli, ["scenario", "show", "chlorine-riverside"])
    assert result.exit_code == 0
    assert result.output == (library_dir() / "chlorine-riverside.yaml").read_text("utf-8")


def test_validate_accepts_every_bundled_scenario() -> None:
    result = CliRunner().invoke(cli, ["scenario", "validate", *bundled_names()])
    assert result.exit_code == 0, result.output
    assert result.output.count(": valid (") == len(bundled_names())


def test_validate_reports_each_bad_file_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsite: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scenario", "validate", "chlorine-riverside", str(bad)])
    assert result.exit_code == 2
    assert "chlorine-riverside: valid" in result.stdout
    assert f"{bad}:" in result.stderr
    assert "YAML syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_show_of_an_unknown_name_suggests_the_closest() -> None:
    result = CliRunner().invoke(cli, ["scenario", "show", "chlorine-riversid"])
    assert result.exit_code == 2
    assert "did you mean 'chlorine-riverside'?" in result.stderr


def test_schema_is_json_schema_that_accepts_the_bundled_files() -> None:
    result = CliRunner().invoke(cli, ["scenario", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(library_dir().glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
        errors = list(validator.iter_errors(data))
        assert errors == [], f"{path.name}: {errors[0].message if errors else ''}"


def test_schema_rejects_an_unknown_key() -> None:
    schema = json.loads(CliRunner().invoke(cli, ["scenario", "schema"]).output)
    data = yaml.safe_load((library_dir() / "chlorine-riverside.yaml").read_text("utf-8"))
    data = json.loads(json.dumps(data, default=str))
    data["sitee"] = {}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
