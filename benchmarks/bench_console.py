"""Time the exercise console under load: 20 browsers post 1,000 log entries between them.

Each client posts on its own keep-alive connection and, as its page does, polls for updates
twice a second; one post in ten is sent twice (a retry). The clients run on the same machine
as the server, so on 2 cores they take CPU from it: the figures are an upper bound of what
laptops on a network would see. Goal: 95th percentile of the posts under 100 ms with SQLite.
With ``STANDBY_TEST_POSTGRES_URL`` set the same run is made against PostgreSQL. Run
``python benchmarks/bench_console.py``; ``main()`` prints one line per run and returns the
figures as a dict.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from console_kit import LoadResult, Server, load

P95_GOAL_MS = 100.0
CLIENTS = 20
ENTRIES = 1000
REPEATS = 3


def _postgres_database(server_url: str) -> str:
    """A fresh database on the PostgreSQL server for one run."""
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "standby_bench_" + secrets.token_hex(4)
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path="/" + name))


def _drop(server_url: str, database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(db: str, folder: Path) -> LoadResult:
    with Server(db, cwd=folder) as server:
        result = load(server, clients=CLIENTS, total=ENTRIES, repeat_every=10, poll=True)
    if len(result.acknowledged) != ENTRIES or set(result.statuses) != {201}:
        raise RuntimeError(f"entries lost or refused: {result.statuses}")
    return result


def _report(backend: str, results: list[LoadResult]) -> dict[str, float]:
    p95s = [LoadResult.percentile(r.post_ms, 0.95) for r in results]
    median_p95 = statistics.median(p95s)
    best = results[p95s.index(min(p95s))]
    rate = statistics.median(ENTRIES / r.seconds for r in results)
    polls = statistics.median(LoadResult.percentile(r.poll_ms, 0.95) for r in results)
    verdict = "ok" if median_p95 < P95_GOAL_MS else "SLOW"
    goal = f"goal < {P95_GOAL_MS:g} ms " if backend == "SQLite" else ""
    print(
        f"console, {CLIENTS} clients posting {ENTRIES} entries ({backend}): post p95 median "
        f"{median_p95:.1f} ms over {len(results)} runs (runs: "
        f"{', '.join(f'{p:.0f}' for p in p95s)} ms; {goal}{verdict if goal else ''})".rstrip()
    )
    print(
        f"  best run: p50 {LoadResult.percentile(best.post_ms, 0.5):.1f} ms, "
        f"p99 {LoadResult.percentile(best.post_ms, 0.99):.1f} ms, max {max(best.post_ms):.1f} ms; "
        f"{rate:.0f} entries/s; poll p95 {polls:.1f} ms"
    )
    key = backend.lower()
    return {
        f"{key}_post_p95_ms": median_p95,
        f"{key}_entries_per_s": rate,
        f"{key}_poll_p95_ms": polls,
    }


def _in_process_ms(folder: Path, entries: int = 500) -> float:
    """Median time the console takes to record one entry, called directly (no HTTP)."""
    import time

    from standby.reports.console.service import ExerciseConsole
    from standby.reports.exercise_db import open_log
    from standby.scenarios import load_scenario

    scenario = load_scenario("chlorine-riverside")
    times = []
    with open_log(folder / "direct.db") as database:
        console = ExerciseConsole(scenario, database)
        for index in range(entries):
            started = time.perf_counter()
            console.record({"kind": "action", "text": f"Action {index}", "who": "EPO"})
            times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def _commit_ms(folder: Path, commits: int = 200) -> float:
    """Median time of one bare SQLite commit in WAL mode with synchronous=FULL: the disk's
    fsync, which every entry waits for (it varies with what else uses the disk)."""
    import sqlite3
    import time

    connection = sqlite3.connect(folder / "fsync.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (x INTEGER)")
    times = []
    for index in range(commits):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t VALUES (?)", (index,))
        connection.execute("COMMIT")
        times.append((time.perf_counter() - started) * 1000.0)
    connection.close()
    return statistics.median(times)


def main() -> dict[str, float]:
    """Load the console on SQLite (and PostgreSQL when a server is given); print figures."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="standby-bench-") as folder:
        commit = _commit_ms(Path(folder))
        direct = _in_process_ms(Path(folder))
        figures["sqlite_commit_ms"] = commit
        figures["sqlite_record_ms"] = direct
        print(
            f"console, one entry recorded in process (validation and one SQLite transaction, "
            f"synchronous=FULL): median {direct:.2f} ms, of which the disk's fsync "
            f"{commit:.2f} ms"
        )
        runs = [_run(str(Path(folder) / f"load-{n}.db"), Path(folder)) for n in range(REPEATS)]
        figures.update(_report("SQLite", runs))
        server_url = os.environ.get("STANDBY_TEST_POSTGRES_URL")
        if server_url:
            results = []
            for _ in range(REPEATS):
                database = _postgres_database(server_url)
                try:
                    results.append(_run(database, Path(folder)))
                finally:
                    _drop(server_url, database)
            figures.update(_report("PostgreSQL", results))
        else:
            print("console on PostgreSQL: skipped (set STANDBY_TEST_POSTGRES_URL)")
    return figures


if __name__ == "__main__":
    main()
