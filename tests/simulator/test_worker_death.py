"""A worker process killed in the middle of an experiment: its chunks are reported and run
again on new workers, and the result is the clean run's, byte for byte."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal

import pytest

from standby.scenarios import load_scenario
from standby.simulator.executors import Executor
from standby.simulator.experiment import Outputs, replicate

pytestmark = pytest.mark.slow


def _experiment(
    executor: Executor, progress: object = None
) -> tuple[bytes, bytes, tuple[str, ...]]:
    runs_csv = io.BytesIO()
    experiment = replicate(
        load_scenario("chlorine-riverside"),
        seed=4,
        runs=240,
        executor=executor,
        outputs=Outputs(runs_csv=runs_csv),
        progress=progress,  # type: ignore[arg-type]
    )
    summary = json.dumps(experiment.summary.to_json_dict()).encode()
    return summary, runs_csv.getvalue(), experiment.warnings


def test_a_killed_workers_chunks_are_run_again_and_the_result_is_unchanged() -> None:
    killed: list[int] = []

    def kill_a_worker(done: int) -> None:
        if not killed:
            workers = multiprocessing.active_children()
            assert workers, "the pool has worker processes"
            os.kill(workers[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
            killed.append(done)

    summary, runs_csv, warnings = _experiment(Executor("processes", workers=2), kill_a_worker)
    assert killed and killed[0] < 240  # killed while chunks were still out
    clean_summary, clean_csv, clean_warnings = _experiment(Executor("serial"))
    (death,) = set(warnings) - set(clean_warnings)  # the rest are about the scenario
    assert "stopped unexpectedly" in death and "again on new workers" in death
    assert summary == clean_summary
    assert runs_csv == clean_csv
