"""`make bench` keeps working: every benchmark script runs to the end and prints its goals.

This checks that the scripts run, not how fast: speed is read from `make bench`, never
asserted in tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_every_benchmark_runs_and_reports_its_goal() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MPLBACKEND": "Agg", "STANDBY_BENCH_QUICK": "1"},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "failed" not in result.stdout
    for name in (
        "bench_experiment",
        "bench_hazard",
        "bench_rota",
        "bench_safety",
        "bench_simulator",
    ):
        assert f"== {name}" in result.stdout
    assert result.stdout.count("goal") >= 6
