"""The streams' seeds made a block at a time are numpy's SeedSequence children, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from standby.simulator import seeds
from standby.simulator.distributions import Streams


def _numpy(entropy: int, key: tuple[int, ...], index: int) -> np.ndarray:
    return np.random.SeedSequence(entropy, spawn_key=(*key, index)).generate_state(4, np.uint64)


@given(
    entropy=st.integers(min_value=0, max_value=2**130),
    key=st.lists(st.integers(min_value=0, max_value=2**40), max_size=3).map(tuple),
    block=st.integers(min_value=0, max_value=3),
)
def test_a_block_of_seeds_is_numpys_seed_sequence_children(
    entropy: int, key: tuple[int, ...], block: int
) -> None:
    states = seeds.block_states(entropy, key, block)
    for row in (0, 1, 17, seeds.BLOCK - 1):
        index = block * seeds.BLOCK + row
        assert states[row].tolist() == _numpy(entropy, key, index).tolist()


def test_streams_draw_what_numpys_children_draw() -> None:
    root = np.random.SeedSequence(7, spawn_key=(12,))
    streams = Streams(root)
    for index in (0, 5, 63, 64, 130):
        child = np.random.SeedSequence(7, spawn_key=(12, index))
        expected = np.random.Generator(np.random.PCG64(child)).random(5)
        assert streams[index].random(5).tolist() == expected.tolist()


def test_a_plain_integer_seed_is_its_own_sequence() -> None:
    expected = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(3, spawn_key=(2,)))
    ).random(3)
    assert Streams(3)[2].random(3).tolist() == expected.tolist()


def test_only_pcg64s_seed_words_are_given() -> None:
    seeded = seeds.Seeded(seeds.block_states(1, (), 0)[0])
    with pytest.raises(ValueError, match="four 64-bit"):
        seeded.generate_state(8, np.uint32)
