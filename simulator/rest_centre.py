"""Rest-centre registration as a SimPy queue, with the queueing formulas to check it against.

People entering a rest centre queue to be registered by ``c`` staff (a
``simpy.Resource(capacity=c)``): :class:`RestCentreDesk` holds a centre's staff and its log,
and :func:`register` is the process of one person. :mod:`standby.simulator.people` decides
who goes to which centre and when, and starts one :func:`register` per person admitted.

With ``waiting_room=False`` a person finding every registration officer busy is turned away
(lost), which is Erlang's loss system. Randomness comes only from the ``numpy`` Generator
passed in. Time is in whatever unit the rates use (the simulator uses minutes).

Closed forms: :func:`erlang_b`, :func:`erlang_c` and :func:`mm_c_mean_wait`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
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


# --- arrivals and service -------------------------------------------------------------


def exponential_service(mean: float) -> ServiceSampler:
    """Exponential service times with the given mean."""
    return lambda rng: float(rng.exponential(mean))


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
    """What happened at one centre's registration desk.

    ``arrivals`` and ``registered`` count people; a household registers together, so
    ``waits`` has one entry per registered household, and ``queueing`` holds the minute each
    household still in the queue started waiting (by its arrival number)."""

    arrivals: int = 0
    households: int = 0
    registered: int = 0
    turned_away: int = 0  # found all staff busy with no waiting room
    waits: list[float] = field(default_factory=list)  # per registered household, queue time
    queueing: dict[int, tuple[float, int]] = field(default_factory=dict)  # since, people

    def still_queueing(self, now: float) -> tuple[int, list[float]]:
        """People still waiting to register at ``now``, and each household's wait so far."""
        people = sum(size for _since, size in self.queueing.values())
        return people, [now - since for since, _size in self.queueing.values()]


@dataclass
class RestCentreDesk:
    """One rest centre's registration staff and what happened at its desk."""

    staff: simpy.Resource
    waiting_room: bool = True
    log: RegistrationLog = field(default_factory=RegistrationLog)


def register(
    env: simpy.Environment,
    desk: RestCentreDesk,
    service_time: ServiceSampler,
    rng: np.random.Generator,
    *,
    people: int = 1,
    since: float | None = None,
) -> Generator[simpy.Event, Any, bool]:
    """Process: a household of ``people`` arrives now and is registered together; its value
    is False when turned away. ``since`` is when they began waiting, if earlier (outside a
    centre that had not opened), so the wait counts that time too."""
    log = desk.log
    log.arrivals += people
    number = log.households
    log.households += 1
    if not desk.waiting_room and desk.staff.count >= desk.staff.capacity:
        log.turned_away += people
        return False
    arrived = env.now if since is None else since
    log.queueing[number] = (arrived, people)
    with desk.staff.request() as request:
        yield request
        del log.queueing[number]
        log.waits.append(env.now - arrived)
        yield env.timeout(service_time(rng))
    log.registered += people
    return True


def new_desk(env: simpy.Environment, staff: int, *, waiting_room: bool = True) -> RestCentreDesk:
    """A desk with ``staff`` registration officers on a fresh ``simpy.Resource``."""
    return RestCentreDesk(simpy.Resource(env, capacity=staff), waiting_room)
