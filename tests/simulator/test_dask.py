"""A real Dask LocalCluster gives the bytes of a serial run (the dask extra is in the test
extras, so CI has it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_experiment import run_files

from standby.simulator.executors import Executor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def test_a_dask_cluster_gives_the_bytes_of_one_serial_run(scheduler: str) -> None:
    summary, runs_csv, _ = run_files(Executor("dask", workers=2, scheduler=scheduler))
    serial_summary, serial_csv, _ = run_files(Executor("serial"))
    assert summary == serial_summary
    assert runs_csv == serial_csv
