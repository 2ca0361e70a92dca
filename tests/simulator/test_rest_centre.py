"""Rest-centre registration checked against Erlang B and C.

Tolerances. Each statistical test runs one long seeded replication and estimates the standard
error (SE) of its estimate by batch means: the per-person outcomes, in arrival order, are cut
into 20 consecutive batches; batches thousands of people long are far longer than the queue's
memory (at utilisation 0.8 the waiting-time autocorrelation dies out within a few hundred
arrivals), so batch means are close to independent and SE = sd(batch means) / sqrt(20). The
test asserts the estimate is within 4 SE of theory (a false alarm about once in 16,000 runs if
the model is right) and that the SE itself is small, so the test could fail on a wrong model:
4 SE for the M/M/c mean wait is about 0.1 h against a theoretical 1.108 h, while one officer
more (6 staff: 0.28 h) or a 10 % slower service (2.63 h) moves it much further.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from typing import Any

import numpy as np
import pytest
import simpy

from standby.simulator.rest_centre import (
    RestCentreDesk,
    ServiceSampler,
    erlang_b,
    erlang_c,
    exponential_service,
    mm_c_mean_wait,
    new_desk,
    poisson_arrival_times,
    register,
)

BATCHES = 20

# DOMAIN.md: lambda 2/h, mu 0.5/h, c 5 (load 4): Erlang C P(wait) 0.5541, mean wait 1.108 h;
# with no waiting room, Erlang B P(all busy) 0.1991, for any service distribution.
ERLANG_C_5_4, MEAN_WAIT_H, ERLANG_B_5_4 = 0.5541, 1.108, 0.1991


def fixed_service(value: float) -> ServiceSampler:
    """Every registration takes exactly ``value``."""
    return lambda rng: value


def lognormal_service(mean: float, sigma: float) -> ServiceSampler:
    """Log-normal service times with the given mean and log-scale ``sigma``."""
    mu = math.log(mean) - sigma**2 / 2.0
    return lambda rng: float(rng.lognormal(mu, sigma))


def feed(
    env: simpy.Environment,
    desk: RestCentreDesk,
    arrival_times: Iterable[float],
    service: ServiceSampler,
    rng: np.random.Generator,
    people: list[simpy.Process],
) -> Generator[simpy.Event, Any, None]:
    """Process: one :func:`register` per arrival at the sorted absolute ``arrival_times``."""
    for t in arrival_times:
        if t > env.now:
            yield env.timeout(t - env.now)
        people.append(env.process(register(env, desk, service, rng)))


def batch_mean_and_se(values: np.ndarray, warm_up: int = 1000) -> tuple[float, float]:
    """Mean of ``values`` after a warm-up, and its batch-means standard error."""
    kept = values[warm_up:]
    batches = np.array_split(kept, BATCHES)
    means = np.array([b.mean() for b in batches])
    return float(kept.mean()), float(means.std(ddof=1) / np.sqrt(BATCHES))


def run_desk(
    rate: float,
    service: ServiceSampler,
    staff: int,
    horizon: float,
    seed: int,
    *,
    waiting_room: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """(waits of those registered, turned-away flag per arrival) of one long run."""
    env = simpy.Environment()
    arrivals_rng, service_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    desk = new_desk(env, staff, waiting_room=waiting_room)
    arrival_times = poisson_arrival_times(rate, horizon, arrivals_rng)
    people: list[simpy.Process] = []
    env.process(feed(env, desk, arrival_times, service, service_rng, people))
    env.run()
    assert desk.log.arrivals == len(arrival_times) == len(people)
    return np.asarray(desk.log.waits), np.asarray([not p.value for p in people])


# --- closed forms ------------------------------------------------------------------------


def test_erlang_b_and_c_match_the_domain_figures() -> None:
    assert erlang_b(5, 4.0) == pytest.approx(ERLANG_B_5_4, abs=1e-4)
    assert erlang_c(5, 4.0) == pytest.approx(ERLANG_C_5_4, abs=1e-4)
    assert mm_c_mean_wait(2.0, 0.5, 5) == pytest.approx(MEAN_WAIT_H, abs=1e-3)


def test_erlang_b_edge_cases() -> None:
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(1, 1.0) == pytest.approx(0.5)


def test_erlang_c_rejects_an_unstable_queue() -> None:
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(5, 5.0)


# --- mechanics ---------------------------------------------------------------------------


def _desk_run(
    staff: int, times: list[float], minutes: float, *, waiting_room: bool = True
) -> tuple[RestCentreDesk, list[simpy.Process]]:
    env = simpy.Environment()
    desk = new_desk(env, staff, waiting_room=waiting_room)
    people: list[simpy.Process] = []
    service = fixed_service(minutes)
    env.process(feed(env, desk, times, service, np.random.default_rng(0), people))
    env.run()
    return desk, people


def test_one_officer_serves_in_arrival_order() -> None:
    desk, people = _desk_run(1, [0.0, 1.0, 2.0], 5.0)
    assert desk.log.waits == [0.0, 4.0, 8.0]
    assert desk.log.registered == 3
    assert [p.value for p in people] == [True, True, True]


def test_without_a_waiting_room_busy_staff_turn_people_away() -> None:
    desk, people = _desk_run(2, [0.0, 0.5, 1.0, 20.0], 10.0, waiting_room=False)
    assert desk.log.turned_away == 1
    assert [p.value for p in people] == [True, True, False, True]
    assert desk.log.registered == 3


def test_same_seed_same_waits() -> None:
    runs = [run_desk(2.0, exponential_service(2.0), 5, 500.0, seed=7)[0] for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])


# --- against theory ----------------------------------------------------------------------


@pytest.mark.slow
def test_mmc_matches_erlang_c() -> None:
    """lambda = 2/h, mu = 0.5/h, c = 5: P(wait) 0.5541, mean wait 1.108 h (400,000 people)."""
    waits, _ = run_desk(2.0, exponential_service(2.0), 5, 200_000.0, seed=2026)
    p_wait, p_se = batch_mean_and_se((waits > 0).astype(float))
    mean_wait, wait_se = batch_mean_and_se(waits)
    assert p_se < 0.005 and wait_se < 0.035
    assert abs(p_wait - ERLANG_C_5_4) < 4 * p_se
    assert abs(mean_wait - MEAN_WAIT_H) < 4 * wait_se


@pytest.mark.slow
@pytest.mark.parametrize(
    "service",
    [exponential_service(1.0), fixed_service(1.0), lognormal_service(1.0, 0.8)],
    ids=["exponential", "fixed", "lognormal"],
)
def test_no_waiting_room_matches_erlang_b_for_any_service_distribution(
    service: ServiceSampler,
) -> None:
    """c = 5, offered load 4 (lambda 4, mean service 1): P(lost) 0.1991 (120,000 arrivals)."""
    _, lost = run_desk(4.0, service, 5, 30_000.0, seed=11, waiting_room=False)
    p_lost, se = batch_mean_and_se(lost.astype(float))
    assert se < 0.004
    assert abs(p_lost - ERLANG_B_5_4) < 4 * se
