"""Benchmark `standby rota fill`: the bundled rota's year, and a 300-person, 30-role year.

* **bundled**: ``standby rota fill rota/data/council-2026.yaml --requirements ... --from
  2026-01-01 --to 2027-01-01 --format json --out proposal.csv`` as a user runs it (reading,
  checking, solving, checking the proposal, writing); goal under 10 s. Wall and CPU seconds
  (user + system of the child, which a shared machine does not inflate), best of a few.
* **300 people, 30 roles**: the year ``bench_rota.build_rota`` makes (about 58,000 shifts,
  2 % of slots left empty, some handed over late, leave for everyone), with stand-by
  counted as work in every role, the harshest setting: most gaps sit next to someone's
  12-hour shift, so the working-time rules rule out most people. ``rota.fill.fill`` with
  the default time limit (30 s); the solver's status is printed, with the gaps before and
  after and the time outside the solver (candidates, the checks before and after).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time as clock
from datetime import UTC, datetime
from pathlib import Path

from bench_rota import YEAR, build_rota

from standby.rota.fill import DEFAULT_TIME_LIMIT, fill

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "rota" / "data"
STANDBY = Path(sys.executable).with_name("standby")
BUNDLED_GOAL_S = 10.0


def bundled(repeats: int = 3) -> tuple[float, float, dict[str, object]]:
    """Best wall and CPU seconds of the bundled year's fill, and its JSON."""
    best = best_cpu = float("inf")
    document: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name:
        out = Path(name) / "proposal.csv"
        command = [
            str(STANDBY),
            "rota",
            "fill",
            str(DATA / "council-2026.yaml"),
            "--requirements",
            str(DATA / "council-2026-requirements.yaml"),
            "--from",
            "2026-01-01",
            "--to",
            "2027-01-01",
            "--format",
            "json",
            "--out",
            str(out),
            "--force",
        ]
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = clock.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            best = min(best, clock.perf_counter() - began)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best_cpu = min(best_cpu, cpu)
            if result.returncode not in (0, 1):
                raise RuntimeError(result.stderr[-2000:])
            document = json.loads(result.stdout)
    return best, best_cpu, document


def main() -> None:
    """Print the figures."""
    wall, cpu, document = bundled()
    solver = document["solver"]
    assert isinstance(solver, dict)
    print(
        f"bundled rota, year 2026: `standby rota fill ... --out proposal.csv` {wall:.2f} s "
        f"({cpu:.2f} s CPU; goal < {BUNDLED_GOAL_S:g} s); status {document['status']}, "
        f"gaps {document['gaps_before']} -> {document['gaps_after']}, "
        f"solver {solver['seconds']:.2f} s"
    )
    rota = build_rota()
    year = (datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC))
    began = clock.perf_counter()
    proposal = fill(rota, rota.requirements, year, time_limit=DEFAULT_TIME_LIMIT)
    total = clock.perf_counter() - began
    result = proposal.solve
    clock_note = ", stopped by the wall clock" if result.stopped_by_clock else ""
    print(
        f"300 people, 30 roles, {len(rota.shifts)} shifts, stand-by as work: fill {total:.1f} s "
        f"(solver {result.wall_seconds:.1f} s of the {DEFAULT_TIME_LIMIT:g} s limit, goal: "
        f"within it; {total - result.wall_seconds:.1f} s finding candidates and checking); "
        f"status {proposal.status}{clock_note}; gaps {len(proposal.before.gaps)} -> "
        f"{len(proposal.after.gaps)}, {len(proposal.proposed)} shifts proposed, "
        f"{len(proposal.new_findings)} new findings"
    )


if __name__ == "__main__":
    main()
