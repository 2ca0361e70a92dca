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


# numpy's SeedSequence constants (O'Neill's seed_seq hash, as in numpy/random/bit_generator)
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_MASK32 = 0xFFFFFFFF


def _words(value: int) -> list[int]:
    """An integer as little-endian 32-bit words (0 is one word), as SeedSequence reads it."""
    if value == 0:
        return [0]
    words = []
    while value > 0:
        words.append(value & _MASK32)
        value >>= 32
    return words


class _Seeded(np.random.bit_generator.ISeedSequence):
    """A seed sequence whose state is already known (PCG64 asks for 4 64-bit words)."""

    __slots__ = ("_state",)

    def __init__(self, state: np.ndarray) -> None:
        self._state = state

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        return self._state


class Streams:
    """The independent random streams of one run, created lazily from one SeedSequence.

    Stream ``i`` is the generator numpy would make from
    ``SeedSequence(entropy, spawn_key=(*key, i), pool_size=...)``, bit for bit. Building that
    SeedSequence costs about 20 microseconds and a run uses dozens of streams, so the hash of
    the words the streams share (the entropy and the run's key) is mixed once, and each
    stream mixes in only its own index (``tests/simulator/test_streams.py`` checks the states
    against numpy's own SeedSequence).
    """

    __slots__ = ("_entropy", "_generators", "_key", "_pool", "_pool_size", "_steps")

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        self._entropy = root.entropy
        self._key = tuple(root.spawn_key)
        self._pool_size = root.pool_size
        self._generators: dict[int, np.random.Generator] = {}
        self._pool: list[int] | None = None
        self._steps: tuple[tuple[int, int, int], ...] = ()

    def __getitem__(self, index: int) -> np.random.Generator:
        """Stream ``index``: the generator of the root's ``index``-th spawned child."""
        rng = self._generators.get(index)
        if rng is None:
            seed: Any = self._seed(index)  # numpy accepts any ISeedSequence
            rng = np.random.Generator(np.random.PCG64(seed))
            self._generators[index] = rng
        return rng

    def _seed(self, index: int) -> np.random.SeedSequence | _Seeded:
        if not 0 <= index <= _MASK32 or not self._prefix():
            return np.random.SeedSequence(
                self._entropy, spawn_key=(*self._key, index), pool_size=self._pool_size
            )
        pool = []
        for left, before, after in self._steps:  # the index word, mixed into every pool word
            value = ((index ^ before) * after) & _MASK32
            value ^= value >> 16
            word = (left - _MIX_R * value) & _MASK32
            pool.append(word ^ (word >> 16))
        size = len(pool)
        words = []
        for i, (before, after) in enumerate(_OUTPUT_HASHES):  # generate_state(4, uint64)
            value = ((pool[i % size] ^ before) * after) & _MASK32
            words.append(value ^ (value >> 16))
        return _Seeded(
            np.array([words[2 * j] | (words[2 * j + 1] << 32) for j in range(4)], dtype=np.uint64)
        )

    def _prefix(self) -> bool:
        """Mix the words every stream shares, once; False if the entropy is of a kind this
        shortcut does not read (numpy's own SeedSequence is used then)."""
        if self._pool is not None:
            return True
        entropy = self._entropy
        if isinstance(entropy, int | np.integer):
            run = _words(int(entropy))
        elif isinstance(entropy, list | tuple) and all(isinstance(e, int) for e in entropy):
            run = [w for e in entropy for w in _words(e)]
        else:
            return False
        if any(not isinstance(k, int) or k < 0 for k in self._key) or any(e < 0 for e in run):
            return False
        size = self._pool_size
        run += [0] * max(size - len(run), 0)  # a spawn key always follows: pad to the pool
        shared = run + [w for k in self._key for w in _words(k)]
        pool = [0] * size
        hash_const = _INIT_A

        def hashmix(value: int) -> int:
            nonlocal hash_const
            value ^= hash_const
            hash_const = (hash_const * _MULT_A) & _MASK32
            value = (value * hash_const) & _MASK32
            return value ^ (value >> 16)

        for i in range(size):
            pool[i] = hashmix(shared[i])
        for source in range(size):
            for target in range(size):
                if source != target:
                    pool[target] = _mix(pool[target], hashmix(pool[source]))
        for word in shared[size:]:
            for target in range(size):
                pool[target] = _mix(pool[target], hashmix(word))
        steps = []
        for word in pool:  # what mixing in the index needs: _MIX_L x pool word, the hashes
            after = (hash_const * _MULT_A) & _MASK32
            steps.append((_MIX_L * word, hash_const, after))
            hash_const = after
        self._pool, self._steps = pool, tuple(steps)
        return True


def _output_hashes() -> tuple[tuple[int, int], ...]:
    """The hash constants generate_state uses for its eight 32-bit words (before, after)."""
    pairs, hash_b = [], _INIT_B
    for _ in range(8):
        after = (hash_b * _MULT_B) & _MASK32
        pairs.append((hash_b, after))
        hash_b = after
    return tuple(pairs)


_OUTPUT_HASHES = _output_hashes()


def _mix(x: int, y: int) -> int:
    result = (_MIX_L * x - _MIX_R * y) & _MASK32
    return result ^ (result >> 16)
