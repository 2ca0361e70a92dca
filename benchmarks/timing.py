"""Wall-clock timing shared by the benchmark scripts (`make bench`)."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(action: Callable[[], object], repeats: int, *, warm_up: bool = True) -> list[float]:
    """Seconds taken by each of ``repeats`` calls of ``action`` (after one warm-up call)."""
    if warm_up:
        action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times
