"""Time the incident simulator: set-up, one replication, and the Pool against raw SimPy.

Goals: one replication of the chlorine scenario with the bundled rota under 3 ms (median)
after set-up, as many runs make it (no event log; each run drawing its own weather); an M/M/c
queue
built on :class:`simulator.plan.Pool` at least half the throughput of the same queue on
``simpy.Resource``. Run ``python benchmarks/bench_simulator.py``; ``main()`` prints one line
per figure and returns them as a dict.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy
from timing import timed

from standby.rota.io import read_rota
from standby.scenarios.load import load_scenario
from standby.simulator.model import prepare, run_once
from standby.simulator.pool import Pool

REPLICATION_GOAL_MS = 3.0
RATIO_GOAL = 0.5
CUSTOMERS = 20_000
ROTA = Path(__file__).resolve().parents[1] / "rota" / "data" / "council-2026.yaml"


def _arrivals(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Inter-arrival and service times of an M/M/c queue: lambda 2/h, mu 0.5/h, c 5."""
    rng = np.random.default_rng(seed)
    return rng.exponential(0.5, CUSTOMERS), rng.exponential(2.0, CUSTOMERS)


def _run(
    env: simpy.Environment,
    customer: Callable[[float], Generator[Any, Any, None]],
    gaps: np.ndarray,
    services: np.ndarray,
    waits: list[float],
) -> float:
    """Feed the arrivals to ``customer`` processes, run, and return the mean wait."""

    def source() -> Generator[Any, Any, None]:
        for gap, service in zip(gaps.tolist(), services.tolist(), strict=True):
            yield env.timeout(gap)
            env.process(customer(service))

    env.process(source())
    env.run()
    return sum(waits) / len(waits)


def mmc_pool(gaps: np.ndarray, services: np.ndarray, servers: int = 5) -> float:
    """Mean wait of the M/M/c queue built on :class:`Pool`."""
    env = simpy.Environment()
    pool = Pool(env, 1)
    for token in range(servers):
        pool.add(0, token)
    waits: list[float] = []
    needs = ((0, 1),)

    def customer(service: float) -> Generator[Any, Any, None]:
        arrived = env.now
        taken = yield pool.request(needs)
        waits.append(env.now - arrived)
        yield env.timeout(service)
        pool.release(needs, taken)

    return _run(env, customer, gaps, services, waits)


def mmc_raw(gaps: np.ndarray, services: np.ndarray, servers: int = 5) -> float:
    """Mean wait of the same queue on ``simpy.Resource``."""
    env = simpy.Environment()
    desk = simpy.Resource(env, servers)
    waits: list[float] = []

    def customer(service: float) -> Generator[Any, Any, None]:
        arrived = env.now
        with desk.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service)

    return _run(env, customer, gaps, services, waits)


def main() -> dict[str, float]:
    """Print and return the simulator timings."""
    started = time.perf_counter()
    prepared = prepare(load_scenario("chlorine-riverside"))
    setup_ms = (time.perf_counter() - started) * 1000.0

    seeds = iter(range(10_000_000))
    runs = timed(lambda: run_once(prepared.compiled, None, None, next(seeds)), 300)
    per_run_ms = statistics.median(runs) * 1000.0
    scenario = load_scenario("chlorine-riverside")
    fixed_weather = prepare(
        scenario.model_copy(
            update={"hazard": scenario.hazard.model_copy(update={"weather_spread": None})}
        )
    )
    fixed_runs = timed(lambda: run_once(fixed_weather.compiled, None, None, next(seeds)), 300)
    fixed_ms = statistics.median(fixed_runs) * 1000.0
    with_rota = prepare(scenario, read_rota(ROTA, timezone=scenario.timezone))
    rota_runs = timed(
        lambda: run_once(with_rota.compiled, with_rota.roster, None, next(seeds)), 300
    )
    rota_ms = statistics.median(rota_runs) * 1000.0
    cpu: list[float] = []

    def many_runs_replication() -> None:
        began = time.process_time()
        run_once(with_rota.compiled, with_rota.roster, None, next(seeds), events=False)
        cpu.append(time.process_time() - began)

    lean_runs = timed(many_runs_replication, 1000)
    lean_ms = statistics.median(lean_runs) * 1000.0
    cpu_ms = statistics.median(cpu[1:]) * 1000.0

    gaps, services = _arrivals()
    pool_s = min(timed(lambda: mmc_pool(gaps, services), 3))
    raw_s = min(timed(lambda: mmc_raw(gaps, services), 3))
    ratio = raw_s / pool_s
    wait_h = mmc_pool(gaps, services)

    print(
        f"simulator set-up (compile chlorine scenario, first call incl. imports): {setup_ms:.1f} ms"
    )
    load = os.getloadavg()[0]
    for label, median, best in (
        ("weather sampling on", per_run_ms, min(runs)),
        ("weather sampling off", fixed_ms, min(fixed_runs)),
    ):
        print(
            f"one replication, chlorine, no rota, with its event log, {label}: median "
            f"{median:.2f} ms (best {best * 1000:.2f} ms)"
        )
    print(f"weather sampling costs {per_run_ms - fixed_ms:+.2f} ms a replication (median)")
    print(
        "one replication, chlorine, bundled council rota, with its event log: "
        f"median {rota_ms:.2f} ms"
    )
    verdict = "ok" if lean_ms < REPLICATION_GOAL_MS else "SLOW"
    print(
        f"one replication, chlorine, bundled council rota, as many runs make it (no event "
        f"log): median {lean_ms:.2f} ms wall, {cpu_ms:.2f} ms CPU (best "
        f"{min(lean_runs) * 1000:.2f} ms; load {load:.1f}; goal < {REPLICATION_GOAL_MS:g} ms) "
        f"{verdict}"
    )
    print(
        f"M/M/5 queue, {CUSTOMERS} customers: Pool {CUSTOMERS / pool_s:,.0f}/s, "
        f"raw SimPy {CUSTOMERS / raw_s:,.0f}/s, throughput ratio {ratio:.2f} "
        f"(goal >= {RATIO_GOAL:g}) {'ok' if ratio >= RATIO_GOAL else 'SLOW'}; "
        f"mean wait {wait_h:.3f} h (Erlang C: 1.108 h)"
    )
    return {
        "setup_ms": setup_ms,
        "replication_ms": per_run_ms,
        "replication_fixed_weather_ms": fixed_ms,
        "replication_with_rota_ms": rota_ms,
        "replication_many_runs_ms": lean_ms,
        "replication_many_runs_cpu_ms": cpu_ms,
        "pool_throughput_ratio": ratio,
        "mmc_mean_wait_h": wait_h,
    }


if __name__ == "__main__":
    main()
