"""A run's random streams are numpy's SeedSequence children, bit for bit (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest

from standby.simulator.distributions import Streams


def _numpy_stream(root: np.random.SeedSequence, index: int) -> np.random.Generator:
    child = np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, index), pool_size=root.pool_size
    )
    return np.random.Generator(np.random.PCG64(child))


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 - 1, 2**32, 2**40 + 5, 2**127 + 3])
def test_every_stream_of_a_seed_matches_numpys_seed_sequence(seed: int) -> None:
    root = np.random.SeedSequence(seed)
    streams = Streams(seed)
    for index in (0, 1, 2, 5, 63, 200, 2**32 - 1, 2**32):
        assert (streams[index].random(4) == _numpy_stream(root, index).random(4)).all()


def test_the_streams_of_spawned_replications_match_too() -> None:
    for child in np.random.SeedSequence(12345).spawn(40):
        streams = Streams(child)
        for index in (0, 3, 77):
            expected = _numpy_stream(child, index).integers(0, 2**63, 3)
            assert (streams[index].integers(0, 2**63, 3) == expected).all()


def test_entropy_from_the_operating_system_and_other_pool_sizes() -> None:
    for root in (
        np.random.SeedSequence(),
        np.random.SeedSequence(99, pool_size=8),
        np.random.SeedSequence([3, 2**33, 0]),
        np.random.SeedSequence(5, spawn_key=(1, 2, 3)),
    ):
        streams = Streams(root)
        for index in (0, 9):
            assert (streams[index].random(3) == _numpy_stream(root, index).random(3)).all()


def test_a_stream_is_made_once_and_kept() -> None:
    streams = Streams(3)
    assert streams[4] is streams[4]
