"""Benchmark experiments at scale: many runs on the command line, workers, a year's sweep, memory.

Goals (a 2-core machine): 1,000 replications of the chlorine scenario with the bundled rota,
end to end on the command line with ``--out``, under 5 s with 2 workers; 2 workers at least
1.7x one worker; a full-year sweep (8,760 hourly slots, 1 run each) under 30 s; peak memory
flat as runs grow (1,000 against 10,000 runs). Each figure is taken several times and the
best and the median printed with the machine's load average, because the machine may be
shared. ``STANDBY_BENCH_QUICK=1`` shrinks every size (the test suite's smoke run).
Run ``python benchmarks/bench_experiment.py``.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
QUICK = os.environ.get("STANDBY_BENCH_QUICK") == "1"
REPEATS = 1 if QUICK else 3

RUNS_GOAL_S = 5.0
SCALING_GOAL = 1.7
YEAR_GOAL_S = 30.0

# runs the command line in a fresh interpreter and reports its peak memory and its workers'
_RUNNER = """
import json, resource, sys
from standby.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="standby", standalone_mode=False)
finally:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write("\\nRSS " + json.dumps({"main_kb": me, "worker_kb": workers}) + "\\n")
"""


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy

    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"NumPy {numpy.__version__}"
    )


def _children() -> dict[int, int]:
    """Every process's parent, from /proc (empty where there is no /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else ():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    return parents


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _command(args: list[str]) -> tuple[float, dict[str, int]]:
    """Seconds a ``standby`` command took end to end, and its peak memory (kB): its own and
    its largest worker's (read from /proc while it runs: workers are the fork server's
    children, not the command's)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    worker_kb = 0
    while process.poll() is None:
        parents = _children()
        family = {process.pid}
        for _ in range(3):  # the command, its fork server, the workers
            family |= {child for child, parent in parents.items() if parent in family}
        for pid in family - {process.pid}:
            worker_kb = max(worker_kb, _peak_kb(pid))
        time.sleep(0.2)
    stderr = process.stderr.read() if process.stderr else ""
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"standby {' '.join(args)} failed:\n{stderr[-2000:]}")
    line = next(x for x in reversed(stderr.splitlines()) if x.startswith("RSS "))
    rss = json.loads(line[4:])
    rss["worker_kb"] = max(worker_kb, rss["worker_kb"])
    return seconds, rss


def _times(label: str, args: list[str], goal: float | None) -> dict[str, float]:
    seconds = []
    for _ in range(REPEATS):
        load = _load()
        took, _rss = _command(args)
        seconds.append(took)
        print(f"  {label}: {took:.2f} s ({load})")
    best, median = min(seconds), statistics.median(seconds)
    verdict = (
        "" if goal is None else (" meets" if best < goal else " MISSES") + f" goal < {goal:g} s"
    )
    print(f"{label}: best {best:.2f} s, median {median:.2f} s;{verdict}")
    return {"best_s": best, "median_s": median}


def runs_on_the_command_line(folder: Path) -> dict[str, float]:
    runs = "100" if QUICK else "1000"
    args = ["simulate", "chlorine-riverside", "--rota", str(ROTA), "--runs", runs]
    args += ["--out", str(folder / "runs"), "--force", "--quiet"]
    figures = _times(
        f"{runs} runs, 2 workers, --out, end to end", [*args, "--workers", "2"], RUNS_GOAL_S
    )
    # the same on one process: its CPU time is the work to share out, whatever the load
    began = resource.getrusage(resource.RUSAGE_CHILDREN)
    took, _rss = _command([*args, "--workers", "1"])
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ended.ru_utime - began.ru_utime) + (ended.ru_stime - began.ru_stime)
    print(
        f"{runs} runs, 1 worker, --out, end to end: {took:.2f} s, CPU {cpu:.2f} s "
        f"(the work two workers share; {_load()})"
    )
    figures["one_process_cpu_s"] = cpu
    return figures


def _mark(marks: list[tuple[float, int]], done: int) -> None:
    marks.append((time.perf_counter(), done))


def scaling() -> dict[str, float]:
    """The same runs on one worker (this process) and on two worker processes.

    Two figures: the whole call (a new pool: two workers forked from the warm fork server,
    each compiling the scenario), and the steady rate once the first chunk is back.
    """
    from standby.rota.io import read_rota
    from standby.scenarios import load_scenario
    from standby.simulator.executors import Executor
    from standby.simulator.experiment import replicate

    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    runs = 200 if QUICK else 3000
    pool = Executor("processes", workers=2)
    replicate(scenario, rota, runs=50, executor=pool)  # starts the fork server, once
    whole: dict[int, float] = {}
    steady: dict[int, float] = {}
    for workers in (1, 2) * (1 if QUICK else 2):
        executor = Executor("serial") if workers == 1 else pool
        marks: list[tuple[float, int]] = []
        load = _load()
        started = time.perf_counter()
        replicate(
            scenario,
            rota,
            runs=runs,
            seed=workers,
            executor=executor,
            progress=partial(_mark, marks),
        )
        took = time.perf_counter() - started
        rate = (runs - marks[0][1]) / (marks[-1][0] - marks[0][0])
        whole[workers] = min(whole.get(workers, took), took)
        steady[workers] = max(steady.get(workers, rate), rate)
        print(
            f"  {runs} runs on {workers} worker(s): {took:.2f} s, {rate:,.0f} runs/s once "
            f"started ({load})"
        )
    ratio = whole[1] / whole[2]
    steady_ratio = steady[2] / steady[1]
    verdict = "meets" if steady_ratio >= SCALING_GOAL else "MISSES"
    print(
        f"2 workers against 1: x{steady_ratio:.2f} once started, x{ratio:.2f} with the pool's "
        f"start-up (best of each); {verdict} goal >= {SCALING_GOAL:g}"
    )
    return {
        "one_worker_s": whole[1],
        "two_workers_s": whole[2],
        "ratio": ratio,
        "steady_ratio": steady_ratio,
    }


def year_sweep(folder: Path) -> dict[str, float]:
    window = ["--from", "2026-01-01", "--to", "2026-01-08" if QUICK else "2027-01-01"]
    args = ["sweep", "chlorine-riverside", "--rota", str(ROTA), *window]
    args += ["--workers", "2", "--out", str(folder / "sweep"), "--force", "--quiet"]
    label = "sweep of a week (quick)" if QUICK else "full-year sweep, 8,760 slots x 1 run, --out"
    return _times(label, args, None if QUICK else YEAR_GOAL_S)


def memory(folder: Path) -> dict[str, float]:
    """Peak memory of ``simulate --runs N --out`` for a small and a ten-times-larger N."""
    figures = {}
    sizes = (100, 1000) if QUICK else (1000, 10_000)
    for runs in sizes:
        args = ["simulate", "chlorine-riverside", "--rota", str(ROTA), "--runs", str(runs)]
        args += ["--workers", "2", "--out", str(folder / f"memory-{runs}"), "--force", "--quiet"]
        load = _load()
        took, rss = _command(args)
        figures[f"main_mb_{runs}"] = rss["main_kb"] / 1024
        figures[f"worker_mb_{runs}"] = rss["worker_kb"] / 1024
        print(
            f"peak memory, {runs:,} runs with --out: main process {rss['main_kb'] / 1024:.0f} MB, "
            f"largest worker {rss['worker_kb'] / 1024:.0f} MB ({took:.1f} s, {load})"
        )
    small, large = sizes
    growth = figures[f"main_mb_{large}"] / figures[f"main_mb_{small}"]
    print(f"memory x{growth:.2f} for x{large // small} the runs (goal: flat, about x1)")
    figures["growth"] = growth
    return figures


def main() -> dict[str, float]:
    """Print and return the figures."""
    print(f"machine: {_machine()}; {_load()} at the start")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for key, value in runs_on_the_command_line(folder).items():
            figures[f"runs_{key}"] = value
        for key, value in scaling().items():
            figures[f"scaling_{key}"] = value
        for key, value in year_sweep(folder).items():
            figures[f"sweep_{key}"] = value
        figures.update(memory(folder))
    print(f"{_load()} at the end")
    return figures


if __name__ == "__main__":
    main()
