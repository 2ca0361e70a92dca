"""The bad-input catalogue: cases as data, and the one way each is run through the CLI.

Each ``*.yaml`` file beside this one holds the cases of one loader: the input files (text,
text in another encoding, bytes, or a workbook built by :mod:`builders`), the command line,
and the fragments the message must contain (where the problem is and how to fix it). Every
case runs through the real command line (click's runner, in a fresh folder) and must end
with exit code 2, a message holding each fragment, no traceback, and the folder exactly as
it was: no output made, nothing changed.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import os
import shlex
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@dataclasses.dataclass(frozen=True, eq=False)
class Case:
    """One bad input: what it is, the files, the command, what the message must say."""

    loader: str
    id: str
    what: str
    files: dict[str, Any]
    command: str
    expect: tuple[str, ...]
    slow: bool = False

    @property
    def args(self) -> list[str]:
        return shlex.split(self.command)


@dataclasses.dataclass(frozen=True)
class Loader:
    """One catalogue file: a loader (or a family of command-line values) and its cases."""

    name: str
    title: str
    about: str
    cases: tuple[Case, ...]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What running a case did."""

    exit_code: int
    stdout: str
    stderr: str
    crash: str | None  # the exception's type and text, when it was not a clean exit
    changed: tuple[str, ...]  # files made, changed or removed in the case's folder


#: The catalogue files in the order the docs list them (rotas first); others follow by name.
ORDER = (
    "rota_csv", "rota_xlsx", "rota_yaml", "rota_ics", "rota_json", "requirements",
    "scenarios", "weather", "msel", "exercise_logs", "command_line",
)  # fmt: skip


def _place(path: Path) -> tuple[int, str]:
    return (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem)


@functools.cache
def loaders() -> tuple[Loader, ...]:
    """Every catalogue file, in :data:`ORDER`."""
    found = []
    for path in sorted(HERE.glob("*.yaml"), key=_place):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = tuple(
            Case(
                loader=path.stem,
                id=item["id"],
                what=item["what"],
                files=item.get("files") or {},
                command=item["run"],
                expect=tuple(item["expect"]),
                slow=bool(item.get("slow", False)),
            )
            for item in data["cases"]
        )
        found.append(Loader(path.stem, data["title"], data.get("about", ""), cases))
    return tuple(found)


def all_cases() -> list[Case]:
    return [case for loader in loaders() for case in loader.cases]


def _content(spec: Any) -> bytes:
    """The bytes of one input file from its description in the catalogue."""
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "text" in spec:
        return str(spec["text"]).encode(spec.get("encoding", "utf-8"))
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    if "copy" in spec:
        return (ROOT / spec["copy"]).read_bytes()
    if "build" in spec:
        from builders import BUILDERS

        return BUILDERS[spec["build"]](**spec.get("with", {}))
    raise ValueError(f"cannot make a file from {spec!r}")


def make_files(case: Case, folder: Path) -> None:
    for name, spec in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if spec == "folder":
            target.mkdir(exist_ok=True)
            continue
        target.write_bytes(_content(spec))


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder``, with its bytes (None for a folder)."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = None if path.is_dir() else path.read_bytes()
    return found


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@functools.cache
def run(case: Case) -> Outcome:
    """Run ``case`` through the command line in a fresh folder of its own."""
    from click.testing import CliRunner

    from standby.cli import cli

    with tempfile.TemporaryDirectory(prefix="standby-bad-") as name:
        folder = Path(name)
        make_files(case, folder)
        before = snapshot(folder)
        with _inside(folder):
            result = CliRunner().invoke(cli, case.args, prog_name="standby")
        after = snapshot(folder)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = f"{type(result.exception).__name__}: {result.exception}"
    changed = tuple(
        sorted(n for n in set(before) | set(after) if before.get(n, b"") != after.get(n, b""))
    )
    return Outcome(result.exit_code, result.stdout, result.stderr, crash, changed)


def message(outcome: Outcome) -> str:
    """The message a user sees, on one line per line of stderr, without the usage lines."""
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    usage = [line for line in lines if not line.startswith(("Usage:", "Try '"))]
    return "\n".join(usage)


def problems(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with how ``case`` ended; empty when it ended as it must."""
    found = []
    if outcome.crash is not None:
        found.append(f"crashed: {outcome.crash}")
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        found.append("printed a traceback")
    if outcome.exit_code != 2:
        found.append(f"exit code {outcome.exit_code}, not 2")
    text = message(outcome)
    missing = [part for part in case.expect if part not in text]
    if missing:
        found.append(f"message lacks {missing}")
    if outcome.changed:
        found.append(f"changed files: {list(outcome.changed)}")
    return found
