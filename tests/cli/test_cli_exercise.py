"""`standby exercise serve` and `standby exercise log export|import|schema` as a planner runs
them, and every example in docs/exercises.md (planning and running an exercise) and
docs/exercise-log.md, run as shown."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmarks.console_kit import free_port
from standby.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "exercises.md"
FORMAT_GUIDE = ROOT / "docs" / "exercise-log.md"
BLOCK = re.compile(r"```console\n(?P<body>.*?)```", re.DOTALL)


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, expected lines) for every ``$`` line of the guide's console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for block in BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        for line in block["body"].splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return examples


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    (tmp_path / "rota").symlink_to(ROOT / "rota")  # the planning guide's bundled rota
    monkeypatch.chdir(tmp_path)
    return tmp_path


def import_paper_log(db: str) -> Any:
    """Import the guide's typed-up log of the chlorine scenario into ``db``."""
    args = ["exercise", "log", "import", "docs/examples/paper-log.csv", "--db", db]
    return CliRunner().invoke(cli, [*args, "--scenario", "chlorine-riverside"])


def test_the_guide_shows_serve_import_and_export() -> None:
    commands = [command for command, _ in console_examples()]
    assert any(c.startswith("standby exercise serve") for c in commands)
    assert any(c.startswith("standby exercise log import") for c in commands)
    assert any(c.startswith("standby exercise log export") for c in commands)


def test_the_guide_walks_through_planning_an_exercise() -> None:
    commands = [command for command, _ in console_examples()]
    for step in ("scenario show", "exercise pack", "exercise msel export", "exercise msel import"):
        assert any(c.startswith(f"standby {step}") for c in commands), step
    assert any("--stress" in c for c in commands)


@pytest.mark.slow  # the planning part simulates the response 100 times
def test_the_guides_commands_print_what_it_shows(workdir: Path) -> None:
    for command, expected in console_examples():
        args = shlex.split(command)[1:]
        if args[:2] == ["exercise", "serve"]:
            continue
        redirect = None
        if ">" in args:  # `standby scenario show NAME > FILE`
            args, redirect = args[: args.index(">")], args[args.index(">") + 1]
        result = CliRunner().invoke(cli, args)
        if redirect is not None:
            assert (result.exit_code, expected) == (0, []), command
            Path(redirect).write_text(result.stdout, encoding="utf-8")
            continue
        shown = result.output.splitlines()
        assert shown == expected, command
        assert result.exit_code == (2 if shown[0].startswith("Error:") else 0), command
    exported = json.loads((workdir / "paper-log.json").read_text(encoding="utf-8"))
    assert [r["task"] for r in exported["records"] if r["kind"] == "milestone"] == [
        "declare_major_incident",
        "public_warning",
        "convene_tcg",
        "shelter_decision",
    ]


def test_the_guides_serve_command_prints_what_it_shows(workdir: Path) -> None:
    command, expected = next(
        c for c in console_examples() if c[0].startswith("standby exercise serve")
    )
    port = free_port()
    args = [*shlex.split(command)[1:], "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "standby", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=workdir,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/login", process)
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C
        output, _ = process.communicate(timeout=20)
    *shown, stopped = output.splitlines()
    assert shown == [line.replace("8765", str(port)) for line in expected]
    assert stopped == (
        "Console stopped. The log is kept in exercise.db; run the same command to carry on."
    )
    assert process.returncode == 0
    assert (workdir / "exercise.db").is_file()


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    for _ in range(300):
        assert process.poll() is None, "the console stopped"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the console did not answer")


def test_the_format_guides_python_example_runs(workdir: Path) -> None:
    result = import_paper_log("exercise.db")
    assert result.exit_code == 0, result.output
    code = re.search(r"```python\n(.*?)```", FORMAT_GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert code is not None
    run = subprocess.run(
        [sys.executable, "-c", code[1]], capture_output=True, text=True, cwd=workdir, check=True
    )
    assert run.stdout.splitlines() == [
        "declare_major_incident 14.0 2026-11-12 02:24",
        "public_warning 48.0 2026-11-12 02:58",
        "convene_tcg 67.0 2026-11-12 03:17",
        "shelter_decision 76.0 2026-11-12 03:26",
    ]


def test_the_format_guides_json_example_fits_the_schema() -> None:
    import jsonschema

    text = FORMAT_GUIDE.read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    assert example is not None
    schema = json.loads((ROOT / "docs" / "exercise-log.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(example[1]), schema)


def test_schema_command_prints_the_published_schema() -> None:
    result = CliRunner().invoke(cli, ["exercise", "log", "schema"])
    assert result.exit_code == 0
    published = json.loads((ROOT / "docs" / "exercise-log.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == published


def test_export_never_replaces_a_file_without_force(workdir: Path) -> None:
    runner = CliRunner()
    import_paper_log("x.db")
    (workdir / "out.csv").write_text("keep me", encoding="utf-8")
    refused = runner.invoke(
        cli, ["exercise", "log", "export", "x.db", "--format", "csv", "--out", "out.csv"]
    )
    assert refused.exit_code == 2
    assert "out.csv: already exists and was left untouched" in refused.output
    assert (workdir / "out.csv").read_text(encoding="utf-8") == "keep me"
    forced = runner.invoke(
        cli, ["exercise", "log", "export", "x.db", "--format", "csv", "--out", "out.csv", "--force"]
    )
    assert forced.output == "wrote out.csv: 12 entries\n"


def test_export_of_a_missing_log_is_an_error_not_a_traceback(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["exercise", "log", "export", "nothing.db", "--format", "json", "--out", "x.json"]
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: nothing.db: no such file; give an exported log (.json, .csv, .xlsx) or the "
        "console's database\n"
    )
    assert not (workdir / "nothing.db").exists()


def test_import_of_a_log_for_another_scenario_is_refused(workdir: Path) -> None:
    assert import_paper_log("x.db").exit_code == 0
    args = ["exercise", "log", "import", "docs/examples/paper-log.csv", "--db", "x.db"]
    other = CliRunner().invoke(cli, [*args, "--scenario", "smoke-distribution"])
    assert other.exit_code == 2
    assert other.output == (
        "Error: x.db: this exercise log belongs to scenario 'chlorine-riverside', not "
        "'smoke-distribution'; import into another database, or name 'chlorine-riverside'\n"
    )


def test_serve_on_a_port_in_use_says_so(workdir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["exercise", "serve", "chlorine-riverside", "--port", str(port)]
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "choose another port" in result.output


def test_serve_with_an_unknown_scenario_is_an_error(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["exercise", "serve", "chlorine-riversid", "--port", str(free_port())]
    )
    assert result.exit_code == 2
    assert "chlorine-riverside" in result.output  # the suggestion


def test_exercise_help_loads_no_web_or_database_library() -> None:
    code = (
        "import sys\nfrom standby import cli\n"
        "for args in (['exercise', '--help'], ['exercise', 'serve', '--help'],\n"
        "             ['exercise', 'log', 'export', '--help']):\n"
        "    try:\n        cli.cli(args)\n    except SystemExit:\n        pass\n"
        "heavy = [m for m in ('sqlalchemy', 'starlette', 'uvicorn', 'jinja2', 'pydantic', "
        "'psycopg', 'playwright', 'openpyxl', 'numpy') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY:"
