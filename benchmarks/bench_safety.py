"""Time and peak memory of the inputs that used to take the machine, and the rota formats.

Each figure is measured in a fresh process (so its peak memory is its own), with a time
and memory cap so that a slow checkout is reported, not waited for:

- a rota of 500,000 shifts read from CSV, YAML and ICS, and written as CSV and ICS; goal:
  YAML and ICS within 3x of CSV (CPU time, the best of the repeats);
- ``standby simulate --runs 10000 --json``: time and peak memory, against 100 runs, to show
  memory stays flat;
- hostile workbooks of a few kilobytes: a cell at XFD1048576, a merged range down a whole
  column, and one over the whole sheet.

``STANDBY_BENCH_QUICK=1`` shrinks every size (the test suite's smoke run);
``STANDBY_BENCH_CODE=/other/checkout`` measures another checkout with this script (a
before and after). Run: ``python benchmarks/bench_safety.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from workbook_kit import hostile_workbook

HERE = Path(__file__).resolve().parent
CODE = Path(os.environ.get("STANDBY_BENCH_CODE", HERE.parent))
QUICK = os.environ.get("STANDBY_BENCH_QUICK") == "1"
SHIFTS = 5_000 if QUICK else 500_000
RUNS = 100 if QUICK else 10_000
FEW_RUNS = 20 if QUICK else 100
REPEATS = int(os.environ.get("STANDBY_BENCH_REPEATS", 1 if QUICK else 2))
RATIO_GOAL = 3.0
SECONDS_CAP = 900
MEMORY_CAP_MB = 8_000


@dataclass(frozen=True)
class Measured:
    """One process: wall seconds, CPU seconds, peak memory, and what it printed."""

    seconds: float
    cpu: float
    peak_mb: float
    output: str
    stopped: str = ""  # why it was stopped early, if it was

    def text(self) -> str:
        figures = f"{self.seconds:7.1f} s wall, {self.cpu:7.1f} s CPU, {self.peak_mb:6.0f} MB"
        return figures + (f"  ({self.stopped})" if self.stopped else "")


def measure(code: str, *args: str, cwd: Path) -> Measured:
    """Run ``python -c code`` (or ``-m standby`` with ``args``) against :data:`CODE`."""

    # The cap is set by a small shell that then becomes Python. The peak is read from the
    # command's own /proc status (VmHWM, which starts again at exec): the rusage peak of a
    # child also counts the memory of the process it was started from.
    python = [sys.executable, "-m", "standby", *args] if args else [sys.executable, "-c", code]
    cap_kb = MEMORY_CAP_MB * 1024
    command = ["/bin/sh", "-c", f'ulimit -v {cap_kb} && exec "$@"', "sh", *python]
    env = {**os.environ, "PYTHONPATH": str(CODE), "OPENBLAS_NUM_THREADS": "1"}
    started = datetime.now()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    timer = threading.Timer(SECONDS_CAP, process.kill)
    timer.start()
    peak_kb = [0]
    watcher = threading.Thread(target=_watch_peak, args=(process, peak_kb), daemon=True)
    watcher.start()
    output = ""
    if process.stdout is not None:
        with process.stdout:
            output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = (datetime.now() - started).total_seconds()
    stopped = ""
    if seconds >= SECONDS_CAP:
        stopped = f"killed after {SECONDS_CAP} s"
    elif "MemoryError" in output:
        stopped = f"out of memory at the {MEMORY_CAP_MB:,} MB cap"
    elif process.returncode not in (0, 1, 2):
        stopped = f"exit {process.returncode}"
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu, peak_kb[0] / 1024, output.strip()[-300:], stopped)


def _watch_peak(process: subprocess.Popen[bytes], peak_kb: list[int]) -> None:
    """Keep in ``peak_kb[0]`` the highest VmHWM the running command's status shows."""
    status = Path(f"/proc/{process.pid}/status")
    while process.returncode is None:
        try:
            text = status.read_text()
        except OSError:
            return  # it has ended and been reaped
        for line in text.splitlines():
            if line.startswith("VmHWM:"):
                peak_kb[0] = max(peak_kb[0], int(line.split()[1]))
        if "State:\tZ" in text:
            return  # a zombie: its memory is gone, its peak read
        time.sleep(0.01)


def best(code: str, cwd: Path) -> Measured:
    """The repeat with the least CPU time."""
    return min((measure(code, cwd=cwd) for _ in range(REPEATS)), key=lambda m: m.cpu)


# --------------------------------------------------------------------------- rota formats


def write_rotas(folder: Path) -> dict[str, Path]:
    """The same shifts as CSV and YAML: 50 roles, 300 people, 12-hour shifts."""
    start = datetime(2026, 1, 1, 9)
    csv_path, yaml_path = folder / "rota.csv", folder / "rota.yaml"
    with csv_path.open("w", encoding="utf-8") as csv, yaml_path.open("w", encoding="utf-8") as ya:
        csv.write("person,role,start,end\n")
        ya.write("shifts:\n")
        for n in range(SHIFTS):
            begin = start + timedelta(hours=12 * (n // 50))
            end = begin + timedelta(hours=12)
            person, role = f"Person {n % 300}", f"Role {n % 50}"
            csv.write(f"{person},{role},{begin:%Y-%m-%d %H:%M},{end:%Y-%m-%d %H:%M}\n")
            ya.write(
                f"  - {{person: {person}, role: {role}, start: {begin:%Y-%m-%d %H:%M}, "
                f"end: {end:%Y-%m-%d %H:%M}}}\n"
            )
    return {"csv": csv_path, "yaml": yaml_path, "ics": folder / "rota.ics"}


READ = (
    "import time\nfrom pathlib import Path\nfrom standby.rota.io import read_rota\n"
    "import standby.rota.io_yaml, standby.rota.io_ics  # imported before the clock starts\n"
    "start = time.process_time()\nrota = read_rota(Path({path!r}))\n"
    "print(len(rota.shifts), 'shifts', round(time.process_time() - start, 2), 's')\n"
)
WRITE = (
    "import time\nfrom pathlib import Path\nfrom standby.rota.io import read_rota, {writer}\n"
    "rota = read_rota(Path({source!r}))\nstart = time.process_time()\ndata = {writer}(rota)\n"
    "spent = time.process_time() - start\n"
    "Path({target!r}).write_bytes(data if isinstance(data, bytes) else data.encode())\n"
    "print('wrote', len(rota.shifts), 'shifts', round(spent, 2), 's')\n"
)


def _seconds(measured: Measured) -> float:
    """The CPU seconds the snippet itself reports for the read or write (not the start-up)."""
    try:
        return float(measured.output.split()[-2])
    except (IndexError, ValueError):
        return float("nan")


def rota_formats(folder: Path) -> dict[str, float]:
    paths = write_rotas(folder)
    figures: dict[str, float] = {}
    csv_write = best(
        WRITE.format(
            writer="rota_to_csv", source=str(paths["csv"]), target=str(folder / "written.csv")
        ),
        folder,
    )
    ics_write = best(
        WRITE.format(writer="rota_to_ics", source=str(paths["csv"]), target=str(paths["ics"])),
        folder,
    )
    print(f"  write {SHIFTS:,} shifts as CSV: {csv_write.text()}  [{_seconds(csv_write)} s]")
    print(f"  write {SHIFTS:,} shifts as ICS: {ics_write.text()}  [{_seconds(ics_write)} s]")
    reads = {}
    for kind in ("csv", "yaml", "ics"):
        reads[kind] = best(READ.format(path=str(paths[kind])), folder)
        print(
            f"  read {SHIFTS:,} shifts from {kind.upper():4}: {reads[kind].text()}  "
            f"[{reads[kind].output[-40:]}]"
        )
        figures[f"read_{kind}_s"] = _seconds(reads[kind])
        figures[f"read_{kind}_mb"] = reads[kind].peak_mb
    for kind in ("yaml", "ics"):
        ratio = figures[f"read_{kind}_s"] / figures["read_csv_s"]
        figures[f"read_{kind}_ratio"] = ratio
        print(f"  goal: {kind.upper()} read within {RATIO_GOAL:g}x of CSV: {ratio:.2f}x")
    ratio = _seconds(ics_write) / _seconds(csv_write)
    figures["write_ics_ratio"] = ratio
    print(f"  goal: ICS write within {RATIO_GOAL:g}x of CSV: {ratio:.2f}x")
    return figures


# --------------------------------------------------------------------------- many runs


def many_runs(folder: Path) -> dict[str, float]:
    figures = {}
    for runs in (FEW_RUNS, RUNS):
        done = measure(
            "",
            "simulate",
            "chlorine-riverside",
            "--runs",
            str(runs),
            "--json",
            f"runs-{runs}.json",
            "--force",
            cwd=folder,
        )
        written = folder / f"runs-{runs}.json"
        size = written.stat().st_size / 2**20 if written.exists() else 0.0
        print(f"  simulate --runs {runs:,} --json: {done.text()}, JSON {size:,.0f} MB")
        figures[f"runs_{runs}_s"], figures[f"runs_{runs}_mb"] = done.seconds, done.peak_mb
    growth = figures[f"runs_{RUNS}_mb"] - figures[f"runs_{FEW_RUNS}_mb"]
    per_run = growth * 1024 / (RUNS - FEW_RUNS)
    print(f"  goal: memory flat however many runs: {per_run:.1f} KB more a run")
    return figures


# --------------------------------------------------------------------------- hostile sheets


def hostile_sheets(folder: Path) -> dict[str, float]:
    figures = {}
    cases = {
        "cell at XFD1048576": hostile_workbook(folder / "corner.xlsx", corner=True),
        "merge B2:B1048576": hostile_workbook(folder / "column.xlsx", merge="B2:B1048576"),
        "merge A2:XFD1048576": hostile_workbook(folder / "sheet.xlsx", merge="A2:XFD1048576"),
    }
    for name, path in cases.items():
        done = measure(
            "from pathlib import Path\nfrom standby.rota.io import read_rota\n"
            f"try:\n    print(len(read_rota(Path({str(path)!r})).shifts), 'shifts')\n"
            "except Exception as error:\n    print(type(error).__name__, str(error)[:80])\n",
            cwd=folder,
        )
        size = path.stat().st_size / 1024
        print(f"  {name} ({size:.0f} KB): {done.text()}  [{done.output[-70:]}]")
        figures[f"{name} s"], figures[f"{name} mb"] = done.seconds, done.peak_mb
    print("  goal: each hostile workbook under 10 s and 500 MB")
    return figures


def main() -> dict[str, float]:
    """Print every figure; return them (for other scripts)."""
    print(f"  measuring {CODE}" + (" (quick sizes)" if QUICK else ""))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        figures |= rota_formats(base)
        figures |= many_runs(base)
        figures |= hostile_sheets(base)
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
