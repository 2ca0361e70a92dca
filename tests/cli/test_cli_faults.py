"""Faults outside the input: a full disc, a full stdout, a read-only folder, an ASCII terminal.

Each ends in one clear line and exit code 2 (or, for the terminal, the command's own output
in plain characters), never a traceback, with no temporary file left behind and any file
that was there before intact. The disc is filled in-process, by a file handle that takes a
few bytes and then reports ENOSPC as a full disc does; the others run the real ``standby``
process: ``> /dev/full``, an unprivileged user (``setpriv``, when the tests run as root, as
CI does), ``LC_ALL=C PYTHONIOENCODING=ascii``.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from standby import files
from standby.cli import cli

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
EPO = "Duty Emergency Planning Officer"
# an accented name, and one long enough to be cut with an ellipsis in a table
ROTA = (
    "person,role,start,end,phone\n"
    f"Renée Dupré,{EPO},2026-03-27 09:00,2026-04-03 09:00,07700 900100\n"
    f"{'Bartholomew-Ångström ' * 12},{EPO},2026-04-03 09:00,2026-04-10 09:00,07700 900101\n"
)
REQUIREMENTS = f"requirements:\n  - {{role: {EPO}, min: 2}}\n"
EXAMPLES = ROOT / "reports" / "examples"
MSEL_CSV = ["exercise", "msel", "export", "chlorine-riverside", "--format", "csv", "--out"]


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "rota.csv").write_text(ROTA, encoding="utf-8")
    (tmp_path / "req.yaml").write_text(REQUIREMENTS, encoding="utf-8")
    return tmp_path


def _standby(
    args: list[str], cwd: Path, *, env: dict[str, str] | None = None, **run: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "standby", *args],
        cwd=cwd,
        env=env or ENV,
        capture_output="stdout" not in run,
        text=True,
        timeout=300,
        check=False,
        **run,
    )


# ------------------------------------------------------------------ a full disc


class _FullDisc:
    """A file handle that takes ``room`` bytes, then fails as a full disc does."""

    def __init__(self, handle: Any, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.handle.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> _FullDisc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


@pytest.fixture
def full_disc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every output Standby writes meets a full disc after its first 100 bytes."""
    real = os.fdopen

    def fdopen(descriptor: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real(descriptor, mode, *args, **kwargs)
        return _FullDisc(handle, 100) if "w" in mode else handle

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    yield


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["rota", "export", "rota.csv", "--format", "ics", "--out", "kept.out", "--force"], None),
        (["rota", "check", "rota.csv", "--format", "html", "--out", "kept.out", "--force"], None),
        (["rota", "fill", "rota.csv", "--requirements", "req.yaml", "--out", "kept.out.csv"], None),
        (["simulate", "chlorine-riverside", "--runs", "3", "--json", "kept.out", "--force"], None),
        (["exercise", "msel", "export", "chlorine-riverside", "--format", "xlsx"], "kept.xlsx"),
    ],
    ids=["rota-export", "rota-check-html", "rota-fill", "simulate-json", "msel-export"],
)
def test_a_full_disc_is_one_line_exit_2_and_the_old_file_kept(
    tmp_path: Path, full_disc: None, monkeypatch: pytest.MonkeyPatch, args: list[str], output: str
) -> None:
    folder = _folder(tmp_path)
    target = output or next(arg for arg in args if arg.startswith("kept."))
    if output:
        args = [*args, "--out", output, "--force"]
    if target.endswith(".csv"):
        args = [*args, "--force"]
    (folder / target).write_bytes(b"the report from last week\n")
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Error: {target}: could not be written (no space left on device)" in result.stderr
    assert "the disc is full" in result.stderr
    assert (folder / target).read_bytes() == b"the report from last week\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["rota.csv", "req.yaml", target])


def test_a_full_disc_while_a_new_file_is_written_leaves_nothing(
    tmp_path: Path, full_disc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_folder(tmp_path))
    result = CliRunner().invoke(
        cli, ["rota", "export", "rota.csv", "--format", "json", "--out", "new.json"]
    )
    assert result.exit_code == 2
    assert "new.json: could not be written (no space left on device)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["req.yaml", "rota.csv"]


# ------------------------------------------------------------------ a full stdout


@pytest.mark.parametrize(
    "args",
    [
        ["rota", "export", "rota.csv", "--format", "ics"],
        ["rota", "check", "rota.csv"],
        ["rota", "check", "rota.csv", "--format", "json"],
        ["rota", "who", "rota.csv", "--all", "--at", "2026-03-28"],
        ["scenario", "show", "chlorine-riverside"],
        ["scenario", "schema"],
        ["exercise", "log", "schema"],
    ],
    ids=lambda args: "-".join(args[:2] + args[3:4]),
)
def test_stdout_on_a_full_device_is_an_error_not_a_traceback(
    tmp_path: Path, args: list[str]
) -> None:
    with Path("/dev/full").open("w") as full:
        done = _standby(args, _folder(tmp_path), stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "Error: the output could not be written to where it was sent (no space left on "
        "device); free some space or send it somewhere else (a file on another drive)"
    )


# ------------------------------------------------------------------ a read-only folder

NOBODY = 65534


def _as_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``standby`` as a user who is not root (root may write anywhere)."""
    if os.geteuid() != 0:
        return _standby(args, cwd)
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed to test as a non-root user"
    command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run(
        [*command, sys.executable, "-m", "standby", *args],
        cwd=cwd,
        env={**ENV, "HOME": str(cwd)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder the unprivileged user owns, holding rota.csv and a read-only ``ro/`` with
    last week's report in it. (pytest's tmp_path is root's own, closed to others.)"""
    folder = Path(tempfile.mkdtemp(prefix="standby-ro-"))
    try:
        _folder(folder)
        (folder / "ro").mkdir()
        (folder / "ro" / "report.txt").write_text("the report from last week\n")
        if os.geteuid() == 0:
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, NOBODY, NOBODY)
        (folder / "ro").chmod(0o555)
        yield folder
    finally:
        (folder / "ro").chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["rota", "check", "rota.csv", "--out", "ro/new.txt"],
            "ro/new.txt: the folder ro cannot be written in (permission denied); choose a "
            "folder you can write to (--out)",
        ),
        (
            ["rota", "check", "rota.csv", "--out", "ro/report.txt", "--force"],
            "ro/report.txt: could not be written (permission denied); you may not write "
            "there: choose a folder you can write to. Nothing was left half-written, and any "
            "file already there is as it was (--out)",
        ),
        (
            ["simulate", "chlorine-riverside", "--out", "ro/run"],
            "ro/run: the folder ro cannot be written in (permission denied)",
        ),
        (
            [*MSEL_CSV, "ro/msel.csv"],
            "ro/msel.csv: the folder ro cannot be written in (permission denied)",
        ),
    ],
    ids=["new-file", "replace-with-force", "simulate-folder", "msel-export"],
)
def test_a_read_only_folder_is_named_and_nothing_in_it_changes(
    read_only: Path, args: list[str], message: str
) -> None:
    done = _as_unprivileged(args, read_only)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert message in done.stderr
    assert [p.name for p in (read_only / "ro").iterdir()] == ["report.txt"]
    assert (read_only / "ro" / "report.txt").read_text() == "the report from last week\n"


# ------------------------------------------------------------------ an ASCII-only terminal

ASCII = {**ENV, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
LOG = str(EXAMPLES / "chlorine-riverside-log.json")
OBSERVATIONS = str(EXAMPLES / "chlorine-riverside-observations.yaml")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["scenario", "list"], 0),
        (["scenario", "show", "chlorine-riverside"], 0),
        (["scenario", "validate", "chlorine-riverside"], 0),
        (["rota", "check", "rota.csv", "--requirements", "req.yaml"], 1),
        (["rota", "check", "rota.csv", "--requirements", "req.yaml", "--summary"], 1),
        (["rota", "check", "rota.csv", "--requirements", "req.yaml", "--format", "csv"], 1),
        (["rota", "who", "rota.csv", "--all", "--at", "2026-04-04"], 0),
        (["rota", "who", "rota.csv", "--role", "depo", "--at", "2026-03-28"], 0),
        (["rota", "export", "rota.csv", "--format", "ics"], 0),
        (["rota", "fill", "rota.csv", "--requirements", "req.yaml", "--time-limit", "5"], 1),
        (["simulate", "chlorine-riverside", "--runs", "2"], 0),
        (
            [*MSEL_CSV, "m.csv"],
            0,
        ),
        (
            [
                "debrief",
                "chlorine-riverside",
                "--log",
                LOG,
                "--observations",
                OBSERVATIONS,
                "--runs",
                "2",
                "--out",
                "debrief",
            ],
            0,
        ),
        (["rota", "check", "rota.csv", "--timezone", "Europe/Zürich"], 2),
    ],
    ids=lambda value: "-".join(value[:2]) if isinstance(value, list) else str(value),
)
def test_an_ascii_terminal_prints_every_command_without_a_traceback(
    tmp_path: Path, args: list[str], code: int
) -> None:
    done = _standby(args, _folder(tmp_path), env=ASCII)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == code, done.stderr[-3000:]
    assert done.stdout.strip() or done.stderr.strip()


def test_an_ascii_terminal_gets_plain_characters_and_tables_keep_their_columns(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    for at, name in (("2026-03-28", "Renee Dupre"), ("2026-04-04", "Bartholomew-A~")):
        done = _standby(["rota", "who", "rota.csv", "--all", "--at", at], folder, env=ASCII)
        assert done.returncode == 0, done.stderr
        assert done.stdout.isascii()
        assert name in done.stdout  # an accent decomposed; rich's ellipsis as ~
        table = [line for line in done.stdout.splitlines() if line.startswith(("|", "+"))]
        assert len({len(line) for line in table}) == 1, done.stdout  # borders in line
