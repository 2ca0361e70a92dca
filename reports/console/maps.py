"""The room's plume map: the scenario's first weather, and the weather after each wind change.

When the facilitator releases a wind-change inject the room's map is redrawn for the new wind
(the simulator's own zones ignore a change after the release has stopped; the room still
needs to see where a cloud would now go). Maps are drawn by :mod:`reports.charts` from the
simulator's map products, once each, and kept in memory.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario, WindChange

START = "start"
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


@dataclass(frozen=True, slots=True)
class MapPeriod:
    """One weather the map can show: the start's, or a wind-change inject's."""

    key: str
    minute: float
    wind_from_deg: float
    wind_speed_ms: float

    @property
    def caption(self) -> str:
        """``Wind from 270° (W) at 4 m/s, after inject i09``."""
        point = COMPASS[round(self.wind_from_deg / 45.0) % 8]
        when = "at the start" if self.key == START else f"after inject {self.key}"
        return f"Wind from {self.wind_from_deg:g}° ({point}) at {self.wind_speed_ms:g} m/s, {when}"


def map_periods(scenario: Scenario) -> dict[str, MapPeriod]:
    """The start's weather and each wind-change inject's, by key (``start`` or inject id)."""
    from standby.scenarios.model import WindChange

    hazard = getattr(scenario, "hazard", None)
    if hazard is None:
        return {}
    weather = hazard.weather
    periods = {START: MapPeriod(START, 0.0, weather.wind_from_deg, weather.wind_speed_ms)}
    for inject in scenario.injects:
        if isinstance(inject.effect, WindChange):
            change = inject.effect
            periods[inject.id] = MapPeriod(
                inject.id, inject.minute, change.wind_from_deg, change.wind_speed_ms
            )
    return periods


def current_period(periods: dict[str, MapPeriod], released: Sequence[str]) -> MapPeriod | None:
    """The weather of the wind-change inject released last, else the start's."""
    for inject in reversed(released):
        if inject in periods:
            return periods[inject]
    return periods.get(START)


class PlumeMaps:
    """PNG maps of one scenario, drawn on first use and kept (one drawing at a time)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.periods = map_periods(scenario)
        self._drawn: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def png(self, key: str) -> bytes | None:
        """The map for ``key``, or None when the scenario has no such weather."""
        if key not in self.periods:
            return None
        with self._lock:
            if key not in self._drawn:
                self._drawn[key] = self._draw(key)
            return self._drawn[key]

    def _draw(self, key: str) -> bytes:
        from standby.reports.charts import plume_map
        from standby.simulator.geo import LocalFrame
        from standby.simulator.maps import concentration_grid
        from standby.simulator.plume import plume_from_hazard, stability_of
        from standby.simulator.zones import classify_receptor, threat_zones

        scenario = self.scenario
        if scenario.hazard is None:  # map_periods gives no key to draw without a release
            raise ValueError(f"scenario {scenario.name} has no toxic release to map")
        plume = plume_from_hazard(scenario.hazard)
        change = self._change(key)
        if change is not None:
            weather = scenario.hazard.weather
            stability, basis = stability_of(
                change.wind_speed_ms,
                change.stability,
                weather.insolation,
                weather.cloud_cover_oktas,
            )
            plume = plume.with_wind(change.wind_speed_ms, change.wind_from_deg, stability, basis)
        zones = threat_zones(plume)
        frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
        receptors = []
        for receptor in scenario.receptors:
            east, north = frame.to_local(receptor.location.lat, receptor.location.lon)
            receptors.append(
                classify_receptor(
                    plume, zones, east, north, receptor_id=receptor.id, name=receptor.name
                )
            )
        with tempfile.TemporaryDirectory(prefix="standby-map-") as folder:
            path = plume_map(
                concentration_grid(plume),
                zones,
                Path(folder) / "map.png",
                receptors,
                scenario.site.name,
            )
            return path.read_bytes()

    def _change(self, key: str) -> WindChange | None:
        from standby.scenarios.model import WindChange

        for inject in self.scenario.injects:
            if inject.id == key and isinstance(inject.effect, WindChange):
                return inject.effect
        return None
