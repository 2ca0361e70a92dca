"""The weather of each replication: the scenario's own, drawn from a spread, or an observed hour.

:func:`compile_weather` turns a scenario's ``hazard`` into a :class:`WeatherModel` once;
:meth:`WeatherModel.draw` gives one run its :class:`DrawnWeather` from that run's own random
stream, so a seed always gives the same weather. With no spread and no observations the
draw is the scenario's weather and uses no random numbers.

A spread draws the direction from a normal around the scenario's (standard deviation in
degrees, wrapped to 0-360), the speed uniformly in a range and the stability class by
weights (else the scenario's class, or Pasquill's from the drawn speed). Observed hours are
drawn uniformly; each hour's class comes from Pasquill's table with the insolation of the
sun's elevation at the site then (astral) and the cloud cover. An observed wind below
1 m/s, where the plume model does not hold, is floored to 1 m/s and the run says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from standby.scenarios.model import MIN_WIND_MS
from standby.simulator.plume import (
    Insolation,
    Stability,
    mixing_height,
    pasquill_stability,
    stability_of,
)

if TYPE_CHECKING:
    import numpy as np

    from standby.scenarios.model import Hazard, Location, Observation


@dataclass(frozen=True, slots=True)
class DrawnWeather:
    """One run's weather; ``source`` says where it came from, ``floored`` if the wind was
    raised to 1 m/s."""

    wind_from_deg: float
    wind_speed_ms: float
    stability: Stability
    mixing_height_m: float | None
    source: str
    floored: bool = False


@dataclass(frozen=True, slots=True)
class WeatherModel:
    """How a scenario's weather varies between runs (``varies`` False: it does not)."""

    nominal: DrawnWeather
    wind_from_sd_deg: float = 0.0
    speed_range: tuple[float, float] | None = None
    classes: tuple[Stability, ...] = ()
    cumulative_weights: tuple[float, ...] = ()
    given_stability: Stability | None = None
    insolation: Insolation | None = None
    cloud_cover_oktas: int | None = None
    mixing_setting: float | str | None = None
    observations: tuple[DrawnWeather, ...] = ()

    @property
    def varies(self) -> bool:
        """Whether runs draw their own weather."""
        return bool(
            self.observations
            or self.wind_from_sd_deg > 0.0
            or self.speed_range is not None
            or self.classes
        )

    def draw(self, rng: np.random.Generator) -> DrawnWeather:
        """This run's weather, from its own stream ``rng``."""
        if self.observations:
            return self.observations[int(rng.integers(len(self.observations)))]
        if not self.varies:
            return self.nominal
        direction = self.nominal.wind_from_deg
        if self.wind_from_sd_deg > 0.0:
            direction = (direction + self.wind_from_sd_deg * float(rng.standard_normal())) % 360.0
        speed = self.nominal.wind_speed_ms
        if self.speed_range is not None:
            low, high = self.speed_range
            speed = low + (high - low) * float(rng.random())
        if self.classes:
            u = float(rng.random()) * self.cumulative_weights[-1]
            stability = next(
                c for c, w in zip(self.classes, self.cumulative_weights, strict=True) if u < w
            )
        elif self.given_stability is not None:
            stability = self.given_stability
        else:
            assert self.insolation is not None, "the scenario validator requires one"
            stability = pasquill_stability(speed, self.insolation, self.cloud_cover_oktas)
        lid = mixing_height(self.mixing_setting, self.insolation, stability)
        return DrawnWeather(direction, speed, stability, lid, "spread")


def compile_weather(hazard: Hazard, site: Location) -> WeatherModel:
    """The weather model of a scenario's hazard section (``site`` for the sun's elevation)."""
    weather = hazard.weather
    stability, _ = stability_of(
        weather.wind_speed_ms, weather.stability, weather.insolation, weather.cloud_cover_oktas
    )
    nominal = DrawnWeather(
        weather.wind_from_deg,
        weather.wind_speed_ms,
        stability,
        mixing_height(weather.mixing_height_m, weather.insolation, stability),
        "scenario",
    )
    observations = tuple(
        observed_weather(o, site, weather.mixing_height_m)
        for o in hazard.weather_observations or ()
    )
    spread = hazard.weather_spread
    if spread is None:
        return WeatherModel(nominal, observations=observations)
    classes: tuple[Stability, ...] = tuple(spread.stability or {})
    cumulative: list[float] = []
    for c in classes:
        cumulative.append((cumulative[-1] if cumulative else 0.0) + (spread.stability or {})[c])
    speeds = spread.wind_speed_ms
    return WeatherModel(
        nominal,
        wind_from_sd_deg=spread.wind_from_sd_deg,
        speed_range=None if speeds is None else (speeds.low, speeds.high),
        classes=classes,
        cumulative_weights=tuple(cumulative),
        given_stability=weather.stability,
        insolation=weather.insolation,
        cloud_cover_oktas=weather.cloud_cover_oktas,
        mixing_setting=weather.mixing_height_m,
    )


def insolation_at(elevation_deg: float, cloud_oktas: int) -> Insolation:
    """Pasquill's insolation from the sun's elevation, one step weaker under 5/8 cloud or more.

    Night below the horizon; strong above 60 degrees, moderate 35 to 60, slight below 35
    (Turner 1964's solar-altitude classes).
    """
    if elevation_deg <= 0.0:
        return "night"
    steps: tuple[Insolation, ...] = ("slight", "moderate", "strong")
    index = 2 if elevation_deg > 60.0 else 1 if elevation_deg > 35.0 else 0
    if cloud_oktas >= 5:
        index = max(index - 1, 0)
    return steps[index]


def observed_weather(
    observation: Observation, site: Location, mixing_setting: float | str | None
) -> DrawnWeather:
    """The weather of one observed hour (its time is UTC, as the Met Office records it)."""
    from astral import Observer
    from astral.sun import elevation

    instant = datetime.strptime(observation.time, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    oktas = min(observation.cloud_oktas, 8)  # 9: sky obscured, taken as overcast
    insolation = insolation_at(elevation(Observer(site.lat, site.lon), instant), oktas)
    floored = observation.wind_speed_ms < MIN_WIND_MS
    speed = max(observation.wind_speed_ms, MIN_WIND_MS)
    stability = pasquill_stability(speed, insolation, oktas)
    return DrawnWeather(
        observation.wind_from_deg % 360.0,
        speed,
        stability,
        mixing_height(mixing_setting, insolation, stability),
        f"observed {observation.time} UTC",
        floored,
    )
