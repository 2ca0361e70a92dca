"""Rest-centre registration as a SimPy queue, with the queueing formulas to check it against.

Evacuees arrive at a rest centre and queue to be registered by ``c`` staff (a
``simpy.Resource(capacity=c)``). The building blocks here are plain SimPy processes the
incident simulator reuses:

* :func:`registration_desk` feeds an arrival stream to one centre's desk;
* :class:`RestCentreDesk` holds a centre's staff, its capacity (places) and its log;
* :func:`route_arrivals` sends each arrival to the first centre with a free place, so
  arrivals overflow to the next centre when one is full.

With ``waiting_room=False`` an arrival finding every registration officer busy is turned away
(lost), which is Erlang's loss system. Randomness comes only from the ``numpy`` Generator
passed in. Time is in whatever unit the rates use (the simulator uses minutes).

Closed forms: :func:`erlang_b`, :func:`erlang_c` and :func:`mm_c_mean_wait`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

ServiceSampler = Callable[[np.random.Generator], float]


# --- closed forms ------------------------------------------------------------------------


def erlang_b(c: int, load: float) -> float:
    """Probability that all ``c`` servers are busy in a loss system with offered ``load``."""
    if c < 0 or load < 0:
        raise ValueError(f"need c >= 0 and load >= 0, got c={c}, load={load}")
    blocking = 1.0
    for k in range(1, c + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(c: int, load: float) -> float:
    """Probability that an arrival waits in M/M/c with offered ``load`` = lambda / mu < c."""
    if load >= c:
        raise ValueError(f"the queue is unstable: load {load} must be below c = {c}")
    blocking = erlang_b(c, load)
    return blocking / (1.0 - (load / c) * (1.0 - blocking))


def mm_c_mean_wait(lam: float, mu: float, c: int) -> float:
    """Mean time in the queue (before service) in M/M/c, in the time unit of the rates."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


# --- samplers ----------------------------------------------------------------------------


def exponential_service(mean: float) -> ServiceSampler:
    """Exponential service times with the given mean."""
    return lambda rng: float(rng.exponential(mean))


def fixed_service(value: float) -> ServiceSampler:
    """Every registration takes exactly ``value``."""
    return lambda rng: value


def lognormal_service(mean: float, sigma: float) -> ServiceSampler:
    """Log-normal service times with the given mean and log-scale ``sigma``."""
    mu = math.log(mean) - sigma**2 / 2.0
    return lambda rng: float(rng.lognormal(mu, sigma))


def poisson_arrival_times(
    rate: float, horizon: float, rng: np.random.Generator, start: float = 0.0
) -> list[float]:
    """Arrival instants of a Poisson stream of ``rate`` from ``start`` up to ``horizon``."""
    times: list[float] = []
    t = start
    while True:
        t += float(rng.exponential(1.0 / rate))
        if t >= horizon:
            return times
        times.append(t)


# --- the desk ----------------------------------------------------------------------------


@dataclass
class RegistrationLog:
    """What happened at one centre's registration desk."""

    arrivals: int = 0
    registered: int = 0
    turned_away: int = 0  # found all staff busy with no waiting room
    arrival_times: list[float] = field(default_factory=list)
    turned_away_flags: list[bool] = field(default_factory=list)  # per arrival, in order
    waits: list[float] = field(default_factory=list)  # per registered person, queue time

    @property
    def mean_wait(self) -> float:
        """Mean wait before registration started (0 when nobody was registered)."""
        return float(np.mean(self.waits)) if self.waits else 0.0

    @property
    def fraction_waited(self) -> float:
        """Share of registered people who had to wait at all."""
        return float(np.mean(np.asarray(self.waits) > 0.0)) if self.waits else 0.0

    @property
    def fraction_turned_away(self) -> float:
        """Share of arrivals turned away because every officer was busy."""
        return self.turned_away / self.arrivals if self.arrivals else 0.0

    def to_json_dict(self) -> dict[str, Any]:
        """Summary figures, JSON-ready (the per-person lists are left out)."""
        return {
            "arrivals": self.arrivals,
            "registered": self.registered,
            "turned_away": self.turned_away,
            "mean_wait": self.mean_wait,
            "fraction_waited": self.fraction_waited,
        }


@dataclass
class RestCentreDesk:
    """One rest centre: its registration staff, its places and what happened there."""

    centre_id: str
    staff: simpy.Resource
    capacity: int | None = None  # places; None means unlimited
    waiting_room: bool = True
    log: RegistrationLog = field(default_factory=RegistrationLog)
    admitted: int = 0

    @property
    def full(self) -> bool:
        """True when every place is taken."""
        return self.capacity is not None and self.admitted >= self.capacity


def register(
    env: simpy.Environment,
    desk: RestCentreDesk,
    service_time: ServiceSampler,
    rng: np.random.Generator,
) -> Generator[simpy.Event, Any, None]:
    """Process: one person arrives now and is registered (or turned away)."""
    desk.log.arrivals += 1
    desk.log.arrival_times.append(env.now)
    turned_away = not desk.waiting_room and desk.staff.count >= desk.staff.capacity
    desk.log.turned_away_flags.append(turned_away)
    if turned_away:
        desk.log.turned_away += 1
        return
    desk.admitted += 1
    arrived = env.now
    with desk.staff.request() as request:
        yield request
        desk.log.waits.append(env.now - arrived)
        yield env.timeout(service_time(rng))
    desk.log.registered += 1


def registration_desk(
    env: simpy.Environment,
    desk: RestCentreDesk,
    arrival_times: Iterable[float],
    service_time: ServiceSampler,
    rng: np.random.Generator,
) -> Generator[simpy.Event, Any, None]:
    """Process: feed sorted absolute ``arrival_times`` to ``desk``, one person each."""
    for t in arrival_times:
        if t > env.now:
            yield env.timeout(t - env.now)
        env.process(register(env, desk, service_time, rng))


@dataclass
class OverflowLog:
    """Arrivals that found every rest centre full."""

    unplaced: int = 0
    times: list[float] = field(default_factory=list)


def route_arrivals(
    env: simpy.Environment,
    desks: Sequence[RestCentreDesk],
    arrival_times: Iterable[float],
    service_time: ServiceSampler,
    rng: np.random.Generator,
    overflow: OverflowLog,
) -> Generator[simpy.Event, Any, None]:
    """Process: send each arrival to the first centre in ``desks`` that is not full.

    Those finding every centre full are counted in ``overflow`` (people needing another plan).
    """
    for t in arrival_times:
        if t > env.now:
            yield env.timeout(t - env.now)
        desk = next((d for d in desks if not d.full), None)
        if desk is None:
            overflow.unplaced += 1
            overflow.times.append(env.now)
            continue
        env.process(register(env, desk, service_time, rng))


def new_desk(
    env: simpy.Environment,
    centre_id: str,
    staff: int,
    *,
    capacity: int | None = None,
    waiting_room: bool = True,
) -> RestCentreDesk:
    """A desk with ``staff`` registration officers on a fresh ``simpy.Resource``."""
    return RestCentreDesk(centre_id, simpy.Resource(env, capacity=staff), capacity, waiting_room)
