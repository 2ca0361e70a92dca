"""Scenario distributions (minutes) as plain tuples, and the random streams of one run.

A pydantic distribution is compiled once into a :data:`Spec` tuple ``(code, a, b, c)`` so that
drawing a value in the hot loop is a tuple unpack and one numpy call. Randomness follows the
architecture: each run has one ``numpy.random.SeedSequence``; stream ``i`` is its ``i``-th
spawned child (``spawn_key + (i,)``), created only when first used, so a run's numbers do not
depend on which other streams happened to be used.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from standby.scenarios.model import Distribution, Exponential, Fixed, LogNormal, Triangular, Uniform
from standby.simulator import seeds

FIXED, UNIFORM, TRIANGULAR, EXPONENTIAL, LOGNORMAL = range(5)

Spec = tuple[int, float, float, float]
"""``(code, a, b, c)``: fixed (value), uniform (low, high), triangular (low, mode, high),
exponential (mean), lognormal (mu, sigma of the underlying normal)."""


def compile_distribution(dist: Distribution) -> Spec:
    """The plain-tuple form of a scenario distribution."""
    if isinstance(dist, Fixed):
        return (FIXED, dist.value, 0.0, 0.0)
    if isinstance(dist, Uniform):
        if dist.low == dist.high:
            return (FIXED, dist.low, 0.0, 0.0)
        return (UNIFORM, dist.low, dist.high, 0.0)
    if isinstance(dist, Triangular):
        if dist.low == dist.high:
            return (FIXED, dist.low, 0.0, 0.0)
        return (TRIANGULAR, dist.low, dist.mode, dist.high)
    if isinstance(dist, Exponential):
        return (EXPONENTIAL, dist.mean, 0.0, 0.0)
    if isinstance(dist, LogNormal):
        return (LOGNORMAL, dist.mu, dist.sigma, 0.0)
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover


def fixed(value: float) -> Spec:
    """A distribution that is always ``value`` minutes."""
    return (FIXED, float(value), 0.0, 0.0)


def draw(spec: Spec, rng: np.random.Generator) -> float:
    """One value (minutes) from ``spec``; a fixed value uses no random numbers."""
    code, a, b, c = spec
    if code == FIXED:
        return a
    if code == UNIFORM:
        return a + (b - a) * float(rng.random())
    if code == TRIANGULAR:
        return float(rng.triangular(a, b, c))
    if code == EXPONENTIAL:
        return float(rng.exponential(a))
    return float(rng.lognormal(a, b))


def scaled(spec: Spec, factor: float) -> Spec:
    """``spec`` with every value multiplied by ``factor`` (a lognormal's median too)."""
    code, a, b, c = spec
    if code == LOGNORMAL:
        return (code, a + math.log(factor), b, c)
    if code in (FIXED, EXPONENTIAL):
        return (code, a * factor, b, c)
    if code == UNIFORM:
        return (code, a * factor, b * factor, c)
    return (code, a * factor, b * factor, c * factor)


def mean_minutes(spec: Spec) -> float:
    """Mean of a distribution spec, in minutes."""
    code, a, b, c = spec
    if code in (FIXED, EXPONENTIAL):
        return a
    if code == UNIFORM:
        return (a + b) / 2.0
    if code == TRIANGULAR:
        return (a + b + c) / 3.0
    return math.exp(a + b * b / 2.0)


class Streams:
    """The independent random streams of one run, created lazily from one SeedSequence.

    Their seeds are made a block at a time (:mod:`~standby.simulator.seeds`), the same as
    numpy's ``SeedSequence`` children but a fraction of the time.
    """

    __slots__ = ("_blocks", "_entropy", "_generators", "_key", "_pool_size")

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self._entropy: Any
        if isinstance(seed, np.random.SeedSequence):
            self._entropy = seed.entropy
            self._key = tuple(int(k) for k in seed.spawn_key)
            self._pool_size = seed.pool_size
        else:
            self._entropy, self._key, self._pool_size = seed, (), seeds.POOL_SIZE
        self._generators: dict[int, np.random.Generator] = {}
        self._blocks: dict[int, np.ndarray] = {}

    def __getitem__(self, index: int) -> np.random.Generator:
        """Stream ``index``: the generator of the root's ``index``-th spawned child."""
        rng = self._generators.get(index)
        if rng is None:
            # PCG64 takes any ISeedSequence; numpy's stubs name only SeedSequence
            rng = np.random.Generator(np.random.PCG64(self._seed(index)))  # type: ignore[arg-type]
            self._generators[index] = rng
        return rng

    def _seed(self, index: int) -> seeds.Seeded | np.random.SeedSequence:
        if not seeds.fast_path(self._entropy, self._pool_size, index):
            return np.random.SeedSequence(
                self._entropy, spawn_key=(*self._key, index), pool_size=self._pool_size
            )
        block, row = divmod(index, seeds.BLOCK)
        states = self._blocks.get(block)
        if states is None:
            states = seeds.block_states(int(self._entropy), self._key, block)
            self._blocks[block] = states
        return seeds.Seeded(states[row])
