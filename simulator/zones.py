"""AEGL threat zones, toxic-load distances, receptor exposure and zones over wind changes.

Built on a :class:`simulator.plume.Plume`: where ground-level concentration reaches each AEGL
level, how far HSE's SLOT/SLOD toxic loads reach, which zone a school or care home falls in
and when the plume arrives, and how all that changes when the wind does. The model is a
screening estimate; its limits travel with every result (``ThreatZones.limits`` and
``warnings``). Times are scenario minutes since the release began.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from standby.scenarios.substances import AEGL_DURATIONS_MIN, Substance
from standby.simulator.geo import LocalFrame, to_plume_axes
from standby.simulator.plume import (
    FloatArray,
    Plume,
    Stability,
    Terrain,
    briggs_sigmas,
    plume_from_hazard,
    ppm_to_mg_m3,
    stability_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from standby.scenarios.model import Hazard, Inject, Scenario, WindChange

ZoneLevel = Literal["AEGL-3", "AEGL-2", "AEGL-1"]
ZONE_LEVELS: tuple[ZoneLevel, ...] = ("AEGL-3", "AEGL-2", "AEGL-1")  # most severe first

LOW_WIND_MS = 1.3  # ALOHA: below about 3 mph results are unreliable
NEAR_FIELD_M = 100.0
FAR_FIELD_M = 10_000.0
MAX_RANGE_M = 100_000.0


def aegl_duration_for(release_minutes: float) -> int:
    """The AEGL duration to use: the smallest tabulated one covering the release, up to 480."""
    for duration in AEGL_DURATIONS_MIN:
        if duration >= release_minutes:
            return duration
    return AEGL_DURATIONS_MIN[-1]


def toxic_load(c_ppm: npt.ArrayLike, minutes: float, n: float) -> FloatArray:
    """HSE toxic load C^n x t (ppm^n.min) for a steady concentration over ``minutes``."""
    return np.asarray(c_ppm, dtype=np.float64) ** n * minutes


# --- threat zones ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Footprint:
    """Where ground-level concentration exceeds a threshold: reach, widest point, area."""

    downwind_m: float
    max_half_width_m: float
    area_m2: float


@dataclass(frozen=True, slots=True)
class ThreatZone:
    """One AEGL level's footprint; ``threshold_ppm`` is None where EPA recommends none."""

    level: ZoneLevel
    threshold_ppm: float | None
    downwind_m: float
    max_half_width_m: float
    area_m2: float


@dataclass(frozen=True, slots=True)
class ThreatZones:
    """AEGL-3/2/1 zones of one plume, with toxic-load distances, warnings and limits."""

    substance_id: str
    substance_name: str
    aegl_duration_min: int
    wind_speed_ms: float
    wind_from_deg: float
    stability: Stability
    stability_basis: str
    terrain: Terrain
    sigma_set: str
    zones: tuple[ThreatZone, ...]
    slot_distance_m: float | None
    slod_distance_m: float | None
    warnings: tuple[str, ...]
    limits: tuple[str, ...]

    def zone(self, level: ZoneLevel) -> ThreatZone:
        """The zone of one AEGL level."""
        return next(z for z in self.zones if z.level == level)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


_X_SAMPLES = np.geomspace(1.0, MAX_RANGE_M, 4000)


def footprint(plume: Plume, threshold_g_m3: float) -> Footprint:
    """Reach, maximum half-width and area where ground-level concentration >= threshold."""
    x = _X_SAMPLES
    centre = plume.centreline_g_m3(x)
    above = centre >= threshold_g_m3
    if not above.any():
        return Footprint(0.0, 0.0, 0.0)
    sigma_y, _ = briggs_sigmas(x, plume.stability, plume.terrain)
    ratio = np.where(above, centre / threshold_g_m3, 1.0)
    half_width = np.where(above, sigma_y * np.sqrt(2.0 * np.log(ratio)), 0.0)
    last = int(np.flatnonzero(above)[-1])
    reach = float(x[last])
    if last + 1 < x.size:
        reach = _bisect_reach(plume, threshold_g_m3, float(x[last]), float(x[last + 1]))
    area = float(np.trapezoid(2.0 * half_width, x))
    return Footprint(reach, float(half_width.max()), area)


def _bisect_reach(plume: Plume, threshold: float, inside: float, outside: float) -> float:
    for _ in range(60):
        middle = 0.5 * (inside + outside)
        if float(plume.centreline_g_m3(np.asarray(middle))) >= threshold:
            inside = middle
        else:
            outside = middle
    return inside


def threat_zones(plume: Plume) -> ThreatZones:
    """AEGL-3/2/1 footprints for the release duration, plus SLOT/SLOD centreline distances."""
    substance = plume.substance
    duration = aegl_duration_for(plume.duration_minutes)
    aegls = substance.aegl_ppm[duration]
    zones = []
    for level, ppm in zip(ZONE_LEVELS, reversed(aegls), strict=True):
        if ppm is None:
            zones.append(ThreatZone(level, None, 0.0, 0.0, 0.0))
            continue
        fp = footprint(plume, ppm_to_mg_m3(ppm, substance.molar_mass) / 1000.0)
        zones.append(ThreatZone(level, ppm, fp.downwind_m, fp.max_half_width_m, fp.area_m2))
    return ThreatZones(
        substance_id=substance.id,
        substance_name=substance.name,
        aegl_duration_min=duration,
        wind_speed_ms=plume.wind_speed_ms,
        wind_from_deg=plume.wind_from_deg,
        stability=plume.stability,
        stability_basis=plume.stability_basis,
        terrain=plume.terrain,
        sigma_set=plume.sigma_set,
        zones=tuple(zones),
        slot_distance_m=toxic_load_distance(plume, substance.slot_dtl),
        slod_distance_m=toxic_load_distance(plume, substance.slod_dtl),
        warnings=plume_warnings(plume, max(z.downwind_m for z in zones)),
        limits=plume_limits(plume),
    )


def toxic_load_distance(plume: Plume, dtl: float | None) -> float | None:
    """Centreline distance (m) within which C^n x t reaches ``dtl`` over the release.

    The exposure time is the release duration (a steady plume passes over a fixed point for
    that long). None when the substance has no toxic-load exponent or no such DTL.
    """
    n = plume.substance.toxic_load_n
    if n is None or dtl is None:
        return None
    c_ppm = (dtl / plume.duration_minutes) ** (1.0 / n)
    return footprint(plume, ppm_to_mg_m3(c_ppm, plume.substance.molar_mass) / 1000.0).downwind_m


# --- limits and warnings -----------------------------------------------------------------


def plume_limits(plume: Plume) -> tuple[str, ...]:
    """The standing limits of the model, printed on every result and map."""
    limits = [
        "Screening estimate only: Gaussian plume, continuous point release, flat ground, "
        "steady wind, no deposition or building effects.",
        f"Dispersion coefficients: {plume.sigma_set}.",
        f"AEGL thresholds for {aegl_duration_for(plume.duration_minutes)} min exposure "
        f"(release {plume.duration_minutes:g} min).",
        f"Nothing is reported within {NEAR_FIELD_M:g} m of the source (as in ALOHA): the "
        "model does not hold there; concentrations are capped at the pure gas (10^6 ppm).",
    ]
    if plume.substance.dense_gas:
        limits.append(dense_gas_warning(plume.substance))
    return tuple(limits)


def dense_gas_warning(substance: Substance) -> str:
    """The warning every map and report carries for a heavier-than-air cloud."""
    return (
        f"Dense gas: {substance.name} forms a heavier-than-air cloud "
        f"({substance.dense_gas_reason}); a Gaussian plume is a screening estimate only. Use "
        "a heavy-gas model (HSE uses DRIFT; industry uses Phast) for decisions."
    )


def plume_warnings(plume: Plume, reach_m: float = 0.0) -> tuple[str, ...]:
    """ALOHA-style warnings about conditions in which the results are unreliable."""
    warnings = []
    if plume.wind_speed_ms < LOW_WIND_MS:
        warnings.append(
            f"Wind {plume.wind_speed_ms:g} m/s is below {LOW_WIND_MS} m/s: the plume may meander; "
            "results are unreliable."
        )
    if plume.stability in ("E", "F"):
        warnings.append(
            f"Stable conditions (class {plume.stability}): concentrations are uncertain and the "
            "plume may travel further than shown."
        )
    if plume.duration_minutes > 60:
        warnings.append(
            f"Release lasts {plume.duration_minutes:g} min (over an hour): the wind is unlikely "
            "to stay steady for that long."
        )
    travel_m = plume.wind_speed_ms * plume.duration_minutes * 60.0
    if reach_m > travel_m:
        warnings.append(
            f"Zones reach beyond {travel_m / 1000:.1f} km, the distance the wind carries the "
            f"release in its {plume.duration_minutes:g} min: further out the cloud passes by "
            "and a steady plume overstates exposure."
        )
    if reach_m > FAR_FIELD_M:
        warnings.append(
            f"Zones reach {reach_m / 1000:.1f} km: beyond {FAR_FIELD_M / 1000:g} km the model is "
            "not reliable."
        )
    return tuple(warnings)


def receptor_warnings(distance_m: float) -> tuple[str, ...]:
    """Warnings for a receptor too near or too far for the model."""
    if distance_m < NEAR_FIELD_M:
        return (
            f"Within {NEAR_FIELD_M:g} m of the source: the model reports nothing this close; "
            f"shown with the concentration {NEAR_FIELD_M:g} m out in the same direction.",
        )
    if distance_m > FAR_FIELD_M:
        return (f"Beyond {FAR_FIELD_M / 1000:g} km: the model is unreliable this far.",)
    return ()


# --- receptors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReceptorExposure:
    """A receptor's place relative to the plume, its zone and when the plume reaches it."""

    receptor_id: str
    name: str
    east_m: float
    north_m: float
    downwind_m: float
    crosswind_m: float
    concentration_ppm: float
    zone: ZoneLevel | None
    arrival_minute: float | None
    toxic_load: float | None
    warnings: tuple[str, ...] = field(default=())

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def near_field_point(east_m: float, north_m: float, wind_from_deg: float) -> tuple[float, float]:
    """The point where a receptor's concentration is read: itself, or 100 m out if closer.

    At the source itself, 100 m straight downwind.
    """
    distance = math.hypot(east_m, north_m)
    if distance >= NEAR_FIELD_M:
        return east_m, north_m
    if distance == 0.0:
        towards = math.radians(wind_from_deg + 180.0)
        return NEAR_FIELD_M * math.sin(towards), NEAR_FIELD_M * math.cos(towards)
    scale = NEAR_FIELD_M / distance
    return east_m * scale, north_m * scale


def zone_for(c_ppm: float, zones: ThreatZones) -> ZoneLevel | None:
    """The most severe AEGL level whose threshold ``c_ppm`` reaches, or None."""
    for zone in zones.zones:
        if zone.threshold_ppm is not None and c_ppm >= zone.threshold_ppm:
            return zone.level
    return None


def classify_receptor(
    plume: Plume,
    zones: ThreatZones,
    east_m: float,
    north_m: float,
    *,
    receptor_id: str = "",
    name: str = "",
    start_minute: float = 0.0,
) -> ReceptorExposure:
    """Zone and plume arrival minute of a point ``east_m``/``north_m`` of the site.

    Arrival is ``start_minute`` plus travel time (downwind distance / wind speed) for any point
    downwind of the source, whatever its zone; None upwind. A point within 100 m of the
    source takes the concentration 100 m out in its direction (the model reports nothing
    closer).
    """
    downwind, crosswind = to_plume_axes(east_m, north_m, plume.wind_from_deg)
    east_c, north_c = near_field_point(east_m, north_m, plume.wind_from_deg)
    c_ppm = float(plume.concentration_ppm(east_c, north_c))
    arrival = start_minute + downwind / plume.wind_speed_ms / 60.0 if downwind > 0 else None
    n = plume.substance.toxic_load_n
    load = float(toxic_load(c_ppm, plume.duration_minutes, n)) if n is not None else None
    return ReceptorExposure(
        receptor_id=receptor_id,
        name=name,
        east_m=east_m,
        north_m=north_m,
        downwind_m=downwind,
        crosswind_m=crosswind,
        concentration_ppm=c_ppm,
        zone=zone_for(c_ppm, zones),
        arrival_minute=arrival,
        toxic_load=load,
        warnings=receptor_warnings(math.hypot(east_m, north_m)),
    )


# --- wind changes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZonePeriod:
    """The plume and zones from ``start_minute`` until ``end_minute`` (None: open-ended)."""

    start_minute: float
    end_minute: float | None
    plume: Plume
    zones: ThreatZones


def wind_changes_from_injects(injects: Iterable[Inject]) -> list[tuple[float, WindChange]]:
    """The (minute, WindChange) pairs of a scenario's injects, in time order."""
    from standby.scenarios.model import WindChange

    changes = [(i.minute, i.effect) for i in injects if isinstance(i.effect, WindChange)]
    return sorted(changes, key=lambda pair: pair[0])


def zones_over_time(
    hazard: Hazard, wind_changes: Sequence[tuple[float, WindChange]] = ()
) -> list[ZonePeriod]:
    """Zones from minute 0, recomputed from each wind change on.

    A change without a stability class re-derives it from the new wind speed with the
    scenario's insolation and cloud cover. The new zones apply from the change minute; the
    plume needs travel time to reach a point along its new heading (see
    :func:`classify_over_time`). Changes at or after the end of the release are ignored: the
    source has stopped, and steering the cloud already released is beyond this model.
    """
    weather = hazard.weather
    plume = plume_from_hazard(hazard)
    periods = [(0.0, plume)]
    for minute, change in sorted(wind_changes, key=lambda pair: pair[0]):
        if minute >= plume.duration_minutes:
            continue
        stability, basis = stability_of(
            change.wind_speed_ms, change.stability, weather.insolation, weather.cloud_cover_oktas
        )
        new = plume.with_wind(change.wind_speed_ms, change.wind_from_deg, stability, basis)
        if minute <= periods[-1][0]:
            periods[-1] = (periods[-1][0], new)
        else:
            periods.append((minute, new))
    result = []
    for index, (start, period_plume) in enumerate(periods):
        end = periods[index + 1][0] if index + 1 < len(periods) else None
        result.append(ZonePeriod(start, end, period_plume, threat_zones(period_plume)))
    return result


def classify_over_time(
    periods: Sequence[ZonePeriod],
    east_m: float,
    north_m: float,
    *,
    receptor_id: str = "",
    name: str = "",
) -> ReceptorExposure:
    """The receptor's worst zone over all periods and the first minute it is in any zone.

    Material released during a period keeps travelling on that period's heading after the
    wind changes, so every period counts: its plume reaches the receptor at the period start
    plus travel time. This is conservative: a short period's cloud is treated as a steady
    plume. With no period putting the receptor in a zone, the first period's exposure is
    returned (zone None).
    """
    severity = {"AEGL-3": 3, "AEGL-2": 2, "AEGL-1": 1}
    worst: ReceptorExposure | None = None
    first_arrival: float | None = None
    for period in periods:
        exposure = classify_receptor(
            period.plume,
            period.zones,
            east_m,
            north_m,
            receptor_id=receptor_id,
            name=name,
            start_minute=period.start_minute,
        )
        if exposure.zone is None or exposure.arrival_minute is None:
            continue
        if first_arrival is None or exposure.arrival_minute < first_arrival:
            first_arrival = exposure.arrival_minute
        if worst is None or severity[exposure.zone] > severity[worst.zone or "AEGL-1"]:
            worst = exposure
    if worst is None:
        return classify_receptor(
            periods[0].plume,
            periods[0].zones,
            east_m,
            north_m,
            receptor_id=receptor_id,
            name=name,
        )
    return ReceptorExposure(
        **{**asdict(worst), "arrival_minute": first_arrival, "warnings": worst.warnings}
    )


def scenario_exposures(scenario: Scenario) -> list[ReceptorExposure]:
    """Every receptor of a scenario classified over its wind changes, in file order.

    The one call the incident simulator needs to turn receptors into warning demand: each
    exposure has the receptor id, zone (None if never in a zone) and first arrival minute.
    """
    if scenario.hazard is None:
        raise ValueError(f"scenario {scenario.name} has no toxic release to classify against")
    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
    periods = zones_over_time(scenario.hazard, wind_changes_from_injects(scenario.injects))
    exposures = []
    for receptor in scenario.receptors:
        east, north = frame.to_local(receptor.location.lat, receptor.location.lon)
        exposures.append(
            classify_over_time(periods, east, north, receptor_id=receptor.id, name=receptor.name)
        )
    return exposures
