"""The seeds of a run's random streams, made together: numpy's ``SeedSequence``, vectorised.

Every random process of a run draws from its own stream, child ``i`` of the run's
``SeedSequence`` (:class:`~standby.simulator.distributions.Streams`). numpy makes each child
as a ``SeedSequence`` object and hashes its entropy pool into the generator's state, about
18 µs a stream; a run uses some fifty streams, a fifth of its time. Every child of one run
shares all its entropy words but the last (the stream's number), so this module mixes the
shared words once and only the last word per stream, for a block of streams at a time, in
numpy's uint32 arithmetic, and gives the states ``PCG64`` is seeded from.

The states are bit for bit those of ``PCG64(SeedSequence(entropy, spawn_key=key + (i,)))``
(the tests check many seeds against numpy itself). The algorithm is numpy's
(``numpy/random/bit_generator.pyx``: ``SeedSequence.mix_entropy`` and ``generate_state``,
after M. E. O'Neill's ``seed_seq_fe``), which numpy keeps stable so that seeds reproduce;
seeds outside what is written here (huge stream numbers, another pool size) go to numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

MASK = 0xFFFFFFFF
INIT_A = 0x43B0D7E5
MULT_A = 0x931E8875
INIT_B = 0x8B51F9DD
MULT_B = 0x58F38DED
MIX_MULT_L = 0xCA01F9DD
MIX_MULT_R = 0x4973F715
XSHIFT = 16
POOL_SIZE = 4
#: Streams whose seeds are made at once.
BLOCK = 64


def _words(value: int) -> list[int]:
    """An integer as numpy's little-endian uint32 words (0 is one word)."""
    if value < 0:
        raise ValueError("seed words must not be negative")
    if value == 0:
        return [0]
    words = []
    while value:
        words.append(value & MASK)
        value >>= 32
    return words


def _mix(x: int, y: int) -> int:
    result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK
    return result ^ (result >> XSHIFT)


class _Hash:
    """``hashmix`` with its running multiplier, on Python integers."""

    def __init__(self) -> None:
        self.constant = INIT_A

    def next_constant(self) -> tuple[int, int]:
        """The constant to xor with now, and the one to multiply by (then kept)."""
        before = self.constant
        self.constant = (self.constant * MULT_A) & MASK
        return before, self.constant

    def __call__(self, value: int) -> int:
        xor, multiply = self.next_constant()
        value = ((value ^ xor) * multiply) & MASK
        return value ^ (value >> XSHIFT)


def block_states(entropy: int, key: tuple[int, ...], block: int) -> np.ndarray:
    """``(BLOCK, 4)`` uint64: the PCG64 seed words of streams ``block * BLOCK`` onwards,
    i.e. ``SeedSequence(entropy, spawn_key=key + (i,)).generate_state(4, np.uint64)``."""
    words = _words(entropy)
    words += [0] * (POOL_SIZE - len(words))  # numpy pads the entropy when there is a key
    for part in key:
        words += _words(part)
    mix = _Hash()
    pool = [mix(words[i]) for i in range(POOL_SIZE)]
    for source in range(POOL_SIZE):
        for target in range(POOL_SIZE):
            if source != target:
                pool[target] = _mix(pool[target], mix(pool[source]))
    for source in range(POOL_SIZE, len(words)):
        for target in range(POOL_SIZE):
            pool[target] = _mix(pool[target], mix(words[source]))
    # the last word, the stream's number, is mixed into every pool word: one array each
    numbers = np.arange(block * BLOCK, (block + 1) * BLOCK, dtype=np.uint32)
    shift = np.uint32(XSHIFT)
    mixed = []
    for target in range(POOL_SIZE):
        xor, multiply = mix.next_constant()
        hashed = (numbers ^ np.uint32(xor)) * np.uint32(multiply)
        hashed ^= hashed >> shift
        value = np.uint32((MIX_MULT_L * pool[target]) & MASK) - np.uint32(MIX_MULT_R) * hashed
        value ^= value >> shift
        mixed.append(value)
    state = np.empty((BLOCK, 2 * POOL_SIZE), dtype=np.uint32)
    constant = INIT_B
    for word in range(2 * POOL_SIZE):
        value = mixed[word % POOL_SIZE] ^ np.uint32(constant)
        constant = (constant * MULT_B) & MASK
        value = value * np.uint32(constant)
        value ^= value >> shift
        state[:, word] = value
    return state.astype("<u4").view("<u8").astype(np.uint64)


class Seeded(ISeedSequence):
    """One stream's seed words, handed to ``PCG64`` as if from its ``SeedSequence``."""

    __slots__ = ("_state",)

    def __init__(self, state: np.ndarray) -> None:
        self._state = state

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        """The words PCG64 asks for (four 64-bit words); anything else is not kept."""
        if n_words != 4 or np.dtype(dtype) != np.dtype(np.uint64):
            raise ValueError("only PCG64's four 64-bit seed words are kept")
        return self._state


def fast_path(entropy: Any, pool_size: int, index: int) -> bool:
    """True when :func:`block_states` gives this stream's seed (else numpy does)."""
    return (
        isinstance(entropy, int | np.integer)
        and not isinstance(entropy, bool)
        and int(entropy) >= 0
        and pool_size == POOL_SIZE
        and 0 <= index <= MASK
    )
