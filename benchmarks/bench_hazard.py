"""Time the hazard model: the 500 x 500 map grid (goal under 0.2 s), zones and receptors.

Run ``python benchmarks/bench_hazard.py``; ``main()`` prints one line per figure and returns
them as a dict, so a benchmark runner can collect them.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from timing import timed

from standby.scenarios.load import load_scenario
from standby.simulator.geo import LocalFrame
from standby.simulator.hazard import (
    classify_receptor,
    concentration_grid,
    plume_from_hazard,
    threat_zones,
)

GRID_GOAL_S = 0.2


def best_and_median(action: Callable[[], object], repeats: int = 7) -> tuple[float, float]:
    """(best, median) wall-clock seconds of ``action`` over ``repeats`` runs, after one warm-up."""
    times = timed(action, repeats)
    return min(times), statistics.median(times)


def main() -> dict[str, float]:
    """Print and return the timings for the bundled chlorine scenario."""
    scenario = load_scenario("chlorine-riverside")
    plume = plume_from_hazard(scenario.hazard)
    zones = threat_zones(plume)
    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
    points = [frame.to_local(r.location.lat, r.location.lon) for r in scenario.receptors]

    figures: dict[str, float] = {}
    best, median = best_and_median(lambda: concentration_grid(plume, extent_m=6000.0))
    figures["grid_500x500_best_s"], figures["grid_500x500_median_s"] = best, median
    best_auto, _ = best_and_median(lambda: concentration_grid(plume))
    figures["grid_500x500_auto_extent_best_s"] = best_auto
    figures["threat_zones_best_s"], _ = best_and_median(lambda: threat_zones(plume))
    figures["receptors_best_s"], _ = best_and_median(
        lambda: [classify_receptor(plume, zones, east, north) for east, north in points]
    )
    for name, value in figures.items():
        print(f"{name:32s} {value * 1000:8.2f} ms")
    verdict = "meets" if figures["grid_500x500_median_s"] < GRID_GOAL_S else "MISSES"
    print(f"grid {verdict} the {GRID_GOAL_S * 1000:.0f} ms goal")
    return figures


if __name__ == "__main__":
    main()
