"""Every command has help text, and the basics of the command line behave."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from standby import __version__
from standby.cli import cli


def _walk(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            paths += _walk(sub, (*path, name))
    return paths


def test_every_command_has_help_text() -> None:
    commands = _walk(cli)
    assert len(commands) >= 5
    for path in commands:
        command: click.Command = cli
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        assert command.help and len(command.help.strip()) > 15, f"no help for {path}"
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"standby, version {__version__}"


def test_unknown_command_is_a_usage_error_with_exit_2() -> None:
    result = CliRunner().invoke(cli, ["simulat"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\nfrom standby import cli\n"
        "try:\n    cli.cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('matplotlib', 'openpyxl', 'networkx', 'simpy', 'pydantic', "
        "'numpy', 'dask') if m in sys.modules]; print('HEAVY:' + ','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY:"


def test_a_groups_help_names_only_commands_it_has() -> None:
    # The scenario group's help once promised a `describe` command that did not exist.
    verbs = {"list", "show", "validate", "schema", "describe", "check", "who", "export", "fill"}
    for name, group in cli.commands.items():
        if not isinstance(group, click.Group):
            continue
        words = {word.strip(",.") for word in (group.help or "").lower().split()}
        for verb in sorted(words & verbs):
            promised = {"schema": "schema"}.get(verb, verb)
            assert promised in group.commands, f"'{name}' help mentions '{verb}'"


def test_region_help_says_it_opens_bank_holiday_windows_too() -> None:
    result = CliRunner().invoke(cli, ["rota", "check", "--help"], env={"COLUMNS": "200"})
    assert "bank_holiday window" in " ".join(result.output.split())
