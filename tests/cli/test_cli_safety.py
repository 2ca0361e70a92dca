"""The command line never loses or destroys a file: interrupts, closed pipes, folders, races.

These run the real ``standby`` process (``python -m standby``), because signals, pipes and
exit codes are what is being tested; each has a timeout, so a regression fails, not hangs.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli

EPO = "Duty Emergency Planning Officer"
FULL = f"person,role,start,end\nA. Jones,{EPO},2031-01-06 09:00,2031-01-13 09:00\n"
ROOT = Path(__file__).resolve().parents[2]
# the checkout under test, whatever the current folder (each test runs in its own)
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def _standby(*args: str, cwd: Path, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "standby", *args], cwd=cwd, env=ENV, **popen
    )


def _wait_for_temporary_file(folder: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(path.name.startswith(".") for path in folder.iterdir()):
            return
        if process.poll() is not None:
            pytest.fail(f"finished before any output was begun: {process.communicate()}")
        time.sleep(0.05)
    process.kill()
    pytest.fail("no output file was begun within 120 s: runs are not written as they finish")


@pytest.mark.parametrize(
    ("sent", "code", "line"),
    [
        (signal.SIGINT, 130, "Stopped (Ctrl-C); no output file was left half-written."),
        (signal.SIGTERM, 143, "Stopped (SIGTERM); no output file was left half-written."),
    ],
)
def test_an_interrupted_simulation_says_so_in_one_line_and_leaves_no_file(
    tmp_path: Path, sent: signal.Signals, code: int, line: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    process = _standby(
        "simulate",
        "chlorine-riverside",
        "--runs",
        "100000",
        "--json",
        str(out / "runs.json"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_for_temporary_file(out, process)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.decode().strip().splitlines() == [line]
    assert list(out.iterdir()) == []


def _closed_pipe() -> int:
    """The writing end of a pipe whose reader has already gone (as after ``| head -1``)."""
    reader, writer = os.pipe()
    os.close(reader)
    return writer


def test_a_closed_pipe_keeps_the_checks_exit_code(tmp_path: Path) -> None:
    rota = tmp_path / "rota.csv"
    rota.write_text(FULL, encoding="utf-8")
    writer = _closed_pipe()
    process = _standby("rota", "check", str(rota), cwd=tmp_path, stdout=writer)
    os.close(writer)
    assert process.wait(timeout=60) == 0  # every requirement met, as without the pipe


def test_a_closed_pipe_loses_no_file(tmp_path: Path) -> None:
    writer = _closed_pipe()
    process = _standby(
        "simulate",
        "chlorine-riverside",
        "--json",
        "r.json",
        "--out",
        "o",
        cwd=tmp_path,
        stdout=writer,
        stderr=subprocess.PIPE,
    )
    os.close(writer)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert b"Error" not in stderr and b"Traceback" not in stderr
    assert (tmp_path / "r.json").stat().st_size > 1000
    names = {"summary.json", "runs.csv", "report.html", "targets.png", "end-times.png"}
    names |= {"timeline.txt", "plume-map.png", "chemet-map.png", "sector-map.png"}
    assert {path.name for path in (tmp_path / "o").iterdir()} == names


def _peak_memory_mb(*args: str, cwd: Path) -> float:
    """The peak resident memory of one ``standby`` process (killed after 300 s)."""
    process = _standby(*args, cwd=cwd, stdout=subprocess.DEVNULL)
    timer = threading.Timer(300, process.kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, f"standby {' '.join(args)} failed or took over 300 s"
    return usage.ru_maxrss / 1024


def test_memory_stays_flat_however_many_runs_are_written(tmp_path: Path) -> None:
    few = _peak_memory_mb(
        "simulate", "chlorine-riverside", "--runs", "20", "--json", "few.json", cwd=tmp_path
    )
    many = _peak_memory_mb(
        "simulate", "chlorine-riverside", "--runs", "400", "--json", "many.json", cwd=tmp_path
    )
    # holding every run cost about 390 KB a run: 150 MB more for 380 more runs
    assert many - few < 40, (few, many)
    assert (tmp_path / "many.json").stat().st_size > 15 * (tmp_path / "few.json").stat().st_size


# ------------------------------------------------------------------ folders and names


def _rota(tmp_path: Path) -> Path:
    rota = tmp_path / "rota.csv"
    rota.write_text(FULL, encoding="utf-8")
    return rota


def test_out_ending_in_a_slash_is_a_folder(tmp_path: Path) -> None:
    rota = _rota(tmp_path)
    result = CliRunner().invoke(
        cli, ["rota", "check", str(rota), "--format", "json", "--out", f"{tmp_path}/new/"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "rota-check.json").read_text(encoding="utf-8").startswith("{")
    exported = CliRunner().invoke(
        cli, ["rota", "export", str(rota), "--format", "ics", "--out", f"{tmp_path}/new/"]
    )
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "new" / "rota.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_an_output_name_at_the_length_limit_works(tmp_path: Path) -> None:
    rota = _rota(tmp_path)
    name = "x" * (os.pathconf(tmp_path, "PC_NAME_MAX") - 4) + ".ics"
    result = CliRunner().invoke(
        cli, ["rota", "export", str(rota), "--format", "ics", "--out", str(tmp_path / name)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["rota.csv", name])


def test_force_does_not_replace_a_named_pipe(tmp_path: Path) -> None:
    rota = _rota(tmp_path)
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["rota", "check", str(rota), "--out", str(fifo), "--force"])
    assert result.exit_code == 2
    assert "is a named pipe (FIFO), not a regular file" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_simulate_refuses_a_folder_it_cannot_write_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from standby.simulator import experiment

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the simulation ran before the output folder was checked")

    monkeypatch.setattr(experiment, "replicate_files", must_not_run)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["simulate", "chlorine-riverside", "--out", str(tmp_path / "notes.txt" / "run")]
    )
    assert result.exit_code == 2, result.output
    assert "notes.txt is a file, not a folder" in result.output
    assert "(--out)" in result.output


def test_simulate_without_force_replaces_no_map(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "chemet-map.png").write_bytes(b"keep me")
    result = CliRunner().invoke(cli, ["simulate", "chlorine-riverside", "--out", str(out)])
    assert result.exit_code == 2
    assert "chemet-map.png: already exists" in result.output
    assert (out / "chemet-map.png").read_bytes() == b"keep me"
    assert sorted(p.name for p in out.iterdir()) == ["chemet-map.png"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (
            ["simulate", "chlorine-riverside", "--runs", "2", "--json", "{file}"],
            "(--json, --force)",
        ),
        (
            ["simulate", "chlorine-riverside", "--runs", "2", "--out", "{folder}"],
            "(--out, --force)",
        ),
    ],
)
def test_a_refused_output_names_the_option_that_gave_it(
    tmp_path: Path, args: list[str], option: str
) -> None:
    """Not always --out: the message says which option to change."""
    folder = tmp_path / "o"
    folder.mkdir()
    (folder / "runs.csv").write_text("keep me", encoding="utf-8")
    taken = tmp_path / "runs.json"
    taken.write_text("keep me", encoding="utf-8")
    filled = [arg.format(file=taken, folder=folder) for arg in args]
    result = CliRunner().invoke(cli, filled)
    assert result.exit_code == 2, result.output
    assert "already exists" in result.output and option in result.output
    assert taken.read_text(encoding="utf-8") == "keep me"
