"""Shared test set-up: the Agg backend for matplotlib, Hypothesis profiles and a CLI runner.

Hypothesis draws new examples on every local run (its default profile). CI selects the
``ci`` profile (``HYPOTHESIS_PROFILE=ci`` in ``.ci/run``): the same examples on every run, no
example database and no per-example deadline, so a CI result can be reproduced exactly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def runner() -> object:
    """A click CliRunner that keeps stderr apart from stdout."""
    from click.testing import CliRunner

    return CliRunner()


ROOT = str(Path(__file__).resolve().parents[1])


class Bounded:
    """What a Python snippet did when run in a fresh process with limits on it."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def bounded() -> object:
    """Run Python code in a subprocess with a time limit and a memory limit.

    A hostile input that takes the machine (hours, gigabytes) fails the test, with the limit
    named, instead of hanging it: ``bounded(code, seconds=60, memory_mb=1500)``.
    """
    import resource
    import subprocess
    import sys

    def run(code: str, *, seconds: float = 60, memory_mb: int = 1500) -> Bounded:
        def limit() -> None:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

        env = {**os.environ, "PYTHONPATH": ROOT, "OPENBLAS_NUM_THREADS": "1"}
        try:
            done = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=seconds,
                preexec_fn=limit,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"took more than {seconds} s (the test's time limit)")
        if "MemoryError" in done.stderr:
            pytest.fail(f"needed more than {memory_mb} MB (the test's memory limit)")
        return Bounded(done.returncode, done.stdout, done.stderr)

    return run
