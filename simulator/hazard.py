"""Screening plume model: Gaussian plume, AEGL threat zones, receptors and toxic load.

A continuous point release on flat ground in a steady wind, with total reflection at the ground
(DOMAIN.md formula), sigma_y and sigma_z from Briggs' (1973) rural or urban fits by
Pasquill-Gifford class. Everything is vectorised with numpy. The model answers "roughly where,
how far, how soon": it is a screening estimate for planning and exercises, not a decision tool.
Its limits travel with every result (``ThreatZones.limits`` and ``warnings``) and every map.

Coordinates are metres east and north of the release point (see :mod:`simulator.geo`); times
are scenario minutes since the release began.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import numpy.typing as npt

from scenarios.substances import AEGL_DURATIONS_MIN, SUBSTANCES, Substance
from simulator.geo import LocalFrame, to_plume_axes

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from scenarios.model import Hazard, Inject, Scenario, WindChange

FloatArray = npt.NDArray[np.float64]
Stability = Literal["A", "B", "C", "D", "E", "F"]
Terrain = Literal["rural", "urban"]
Insolation = Literal["strong", "moderate", "slight", "night"]
ZoneLevel = Literal["AEGL-3", "AEGL-2", "AEGL-1"]
ZONE_LEVELS: tuple[ZoneLevel, ...] = ("AEGL-3", "AEGL-2", "AEGL-1")  # most severe first

MOLAR_VOLUME_L = 24.45  # litres per mole of ideal gas at 25 C and 1 atm
LOW_WIND_MS = 1.3  # ALOHA: below about 3 mph results are unreliable
NEAR_FIELD_M = 100.0
FAR_FIELD_M = 10_000.0
MAX_RANGE_M = 100_000.0
CHEMET_LEAD_MINUTES = 20.0  # Met Office CHEMET: plume-area map within about 20 minutes

# Briggs (1973) fits, x in metres: sigma = a x (1 + b x)^p. Rural from DOMAIN.md; urban
# (McElroy-Pooler, St Louis) as quoted in CCPS (1999) and GasDispersion.jl's briggs.jl.
_Fit = tuple[float, float, float]
_BRIGGS: dict[Terrain, dict[Stability, tuple[_Fit, _Fit]]] = {
    "rural": {
        "A": ((0.22, 0.0001, -0.5), (0.20, 0.0, 1.0)),
        "B": ((0.16, 0.0001, -0.5), (0.12, 0.0, 1.0)),
        "C": ((0.11, 0.0001, -0.5), (0.08, 0.0002, -0.5)),
        "D": ((0.08, 0.0001, -0.5), (0.06, 0.0015, -0.5)),
        "E": ((0.06, 0.0001, -0.5), (0.03, 0.0003, -1.0)),
        "F": ((0.04, 0.0001, -0.5), (0.016, 0.0003, -1.0)),
    },
    "urban": {
        "A": ((0.32, 0.0004, -0.5), (0.24, 0.001, 0.5)),
        "B": ((0.32, 0.0004, -0.5), (0.24, 0.001, 0.5)),
        "C": ((0.22, 0.0004, -0.5), (0.20, 0.0, 1.0)),
        "D": ((0.16, 0.0004, -0.5), (0.14, 0.0003, -0.5)),
        "E": ((0.11, 0.0004, -0.5), (0.08, 0.0015, -0.5)),
        "F": ((0.11, 0.0004, -0.5), (0.08, 0.0015, -0.5)),
    },
}

# Pasquill (1961) as tabulated by Turner (1970) and NOAA READY. Rows: surface wind upper
# bounds (m/s); columns: strong, moderate, slight insolation, then night with >= 4/8 cloud and
# night with <= 3/8 cloud. Where the table gives two classes (A-B, B-C, C-D) we take the more
# stable one, which gives the higher ground-level concentration for low releases.
_PASQUILL_ROWS: tuple[
    tuple[float, tuple[Stability, Stability, Stability, Stability, Stability]], ...
] = (
    (2.0, ("A", "B", "B", "E", "F")),
    (3.0, ("B", "B", "C", "E", "F")),
    (5.0, ("B", "C", "C", "D", "E")),
    (6.0, ("C", "D", "D", "D", "D")),
    (math.inf, ("C", "D", "D", "D", "D")),
)
_INSOLATION_COLUMN = {"strong": 0, "moderate": 1, "slight": 2}


def pasquill_stability(
    wind_speed_ms: float, insolation: Insolation, cloud_cover_oktas: int | None = None
) -> Stability:
    """Pasquill stability class from the 10 m wind speed and insolation or night cloud cover.

    Full overcast (8 oktas) is neutral (D) by day or night, as in Pasquill's notes.
    """
    if cloud_cover_oktas is not None and cloud_cover_oktas >= 8:
        return "D"
    if insolation == "night":
        if cloud_cover_oktas is None:
            raise ValueError("at night the cloud cover (oktas) is needed to derive stability")
        column = 3 if cloud_cover_oktas >= 4 else 4
    else:
        column = _INSOLATION_COLUMN[insolation]
    for upper, classes in _PASQUILL_ROWS:
        if wind_speed_ms < upper:
            return classes[column]
    raise AssertionError("unreachable: the last row has no upper bound")


def briggs_sigmas(
    x_m: npt.ArrayLike, stability: Stability, terrain: Terrain = "rural"
) -> tuple[FloatArray, FloatArray]:
    """(sigma_y, sigma_z) in metres at downwind distances ``x_m`` (> 0)."""
    x = np.asarray(x_m, dtype=np.float64)
    (ay, by, py), (az, bz, pz) = _BRIGGS[terrain][stability]
    sigma_y = ay * x * (1.0 + by * x) ** py
    sigma_z = az * x * (1.0 + bz * x) ** pz if bz else az * x
    return sigma_y, sigma_z


def gaussian_plume(
    q_gs: float,
    u_ms: float,
    h_m: float,
    sigma_y: npt.ArrayLike,
    sigma_z: npt.ArrayLike,
    y_m: npt.ArrayLike = 0.0,
) -> FloatArray:
    """Ground-level concentration (g/m3) with ground reflection, sigmas given directly."""
    sy = np.asarray(sigma_y, dtype=np.float64)
    sz = np.asarray(sigma_z, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    return (
        q_gs
        / (2.0 * math.pi * u_ms * sy * sz)
        * np.exp(-(y**2) / (2.0 * sy**2))
        * 2.0
        * np.exp(-(h_m**2) / (2.0 * sz**2))
    )


@overload
def ground_concentration(
    q_gs: float,
    wind_ms: float,
    height_m: float,
    stability: Stability,
    x_m: float,
    y_m: float = 0.0,
    terrain: Terrain = "rural",
) -> float: ...
@overload
def ground_concentration(
    q_gs: float,
    wind_ms: float,
    height_m: float,
    stability: Stability,
    x_m: FloatArray,
    y_m: npt.ArrayLike = 0.0,
    terrain: Terrain = "rural",
) -> FloatArray: ...
def ground_concentration(
    q_gs: float,
    wind_ms: float,
    height_m: float,
    stability: Stability,
    x_m: npt.ArrayLike,
    y_m: npt.ArrayLike = 0.0,
    terrain: Terrain = "rural",
) -> float | FloatArray:
    """Ground-level concentration (g/m3) at downwind ``x_m`` and crosswind ``y_m`` metres.

    Scalars give a float; arrays broadcast. Zero upwind and at the source (``x <= 0``).
    """
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    downwind = x > 0.0
    safe_x = np.where(downwind, x, 1.0)
    sigma_y, sigma_z = briggs_sigmas(safe_x, stability, terrain)
    c = np.where(downwind, gaussian_plume(q_gs, wind_ms, height_m, sigma_y, sigma_z, y), 0.0)
    return float(c) if c.ndim == 0 else c


def ppm_to_mg_m3(ppm: float, molar_mass: float) -> float:
    """Convert ppm (by volume) to mg/m3 at 25 C and 1 atm."""
    return ppm * molar_mass / MOLAR_VOLUME_L


def mg_m3_to_ppm(mg_m3: float, molar_mass: float) -> float:
    """Convert mg/m3 to ppm (by volume) at 25 C and 1 atm."""
    return mg_m3 * MOLAR_VOLUME_L / molar_mass


def aegl_duration_for(release_minutes: float) -> int:
    """The AEGL duration to use: the smallest tabulated one covering the release, up to 480."""
    for duration in AEGL_DURATIONS_MIN:
        if duration >= release_minutes:
            return duration
    return AEGL_DURATIONS_MIN[-1]


def toxic_load(c_ppm: npt.ArrayLike, minutes: float, n: float) -> FloatArray:
    """HSE toxic load C^n x t (ppm^n.min) for a steady concentration over ``minutes``."""
    return np.asarray(c_ppm, dtype=np.float64) ** n * minutes


@dataclass(frozen=True, slots=True)
class Plume:
    """One steady plume: what, how much, and the weather it disperses in."""

    substance_id: str
    rate_gs: float
    duration_minutes: float
    height_m: float
    wind_speed_ms: float
    wind_from_deg: float
    stability: Stability
    terrain: Terrain = "rural"
    stability_basis: str = "given"

    @property
    def substance(self) -> Substance:
        """The substance's table entry (molar mass, AEGLs, toxic load)."""
        return SUBSTANCES[self.substance_id]

    @property
    def sigma_set(self) -> str:
        """Which dispersion coefficients this plume uses, for every result to name."""
        return f"Briggs (1973) {self.terrain}, Pasquill-Gifford class {self.stability}"

    def centreline_g_m3(self, x_m: FloatArray) -> FloatArray:
        """Ground-level concentration on the plume axis at downwind distances ``x_m``."""
        return ground_concentration(
            self.rate_gs,
            self.wind_speed_ms,
            self.height_m,
            self.stability,
            x_m,
            0.0,
            self.terrain,
        )

    def concentration_ppm(self, east_m: npt.ArrayLike, north_m: npt.ArrayLike) -> FloatArray:
        """Ground-level concentration (ppm) at points east/north of the site."""
        x, y = to_plume_axes(
            np.asarray(east_m, dtype=np.float64),
            np.asarray(north_m, dtype=np.float64),
            self.wind_from_deg,
        )
        c = ground_concentration(
            self.rate_gs,
            self.wind_speed_ms,
            self.height_m,
            self.stability,
            np.asarray(x),
            y,
            self.terrain,
        )
        return np.asarray(c) * 1000.0 * MOLAR_VOLUME_L / self.substance.molar_mass

    def with_wind(
        self, wind_speed_ms: float, wind_from_deg: float, stability: Stability, basis: str
    ) -> Plume:
        """The same release in another wind."""
        return Plume(
            self.substance_id,
            self.rate_gs,
            self.duration_minutes,
            self.height_m,
            wind_speed_ms,
            wind_from_deg,
            stability,
            self.terrain,
            basis,
        )


def plume_from_hazard(hazard: Hazard) -> Plume:
    """Build the plume of a scenario's ``hazard`` section, deriving stability if not given."""
    weather = hazard.weather
    stability, basis = _stability_of(
        weather.wind_speed_ms, weather.stability, weather.insolation, weather.cloud_cover_oktas
    )
    return Plume(
        substance_id=hazard.substance,
        rate_gs=hazard.release.rate_gs,
        duration_minutes=hazard.release.duration_minutes,
        height_m=hazard.release.height_m,
        wind_speed_ms=weather.wind_speed_ms,
        wind_from_deg=weather.wind_from_deg,
        stability=stability,
        terrain=hazard.terrain,
        stability_basis=basis,
    )


def _stability_of(
    wind_ms: float, given: Stability | None, insolation: Insolation | None, oktas: int | None
) -> tuple[Stability, str]:
    if given is not None:
        return given, "given"
    if insolation is None:
        raise ValueError("give a stability class or the insolation to derive one")
    derived = pasquill_stability(wind_ms, insolation, oktas)
    cloud = "" if oktas is None else f", cloud {oktas}/8"
    return derived, f"Pasquill table: {wind_ms:g} m/s, {insolation}{cloud}"


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
    ]
    if plume.substance.dense_gas:
        limits.append(
            f"{plume.substance.name} forms a dense (heavier-than-air) cloud: use a heavy-gas "
            "model (HSE uses DRIFT; industry uses Phast) for decisions."
        )
    return tuple(limits)


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
        return (f"Within {NEAR_FIELD_M:g} m of the source: the model is unreliable this close.",)
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
    downwind of the source, whatever its zone; None upwind.
    """
    downwind, crosswind = to_plume_axes(east_m, north_m, plume.wind_from_deg)
    c_ppm = float(plume.concentration_ppm(east_m, north_m))
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
    from scenarios.model import WindChange

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
        stability, basis = _stability_of(
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
    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
    periods = zones_over_time(scenario.hazard, wind_changes_from_injects(scenario.injects))
    exposures = []
    for receptor in scenario.receptors:
        east, north = frame.to_local(receptor.location.lat, receptor.location.lon)
        exposures.append(
            classify_over_time(periods, east, north, receptor_id=receptor.id, name=receptor.name)
        )
    return exposures


# --- map grid and CHEMET -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConcentrationGrid:
    """Ground-level ppm on a square grid around the site: ``ppm[i, j]`` at north[i], east[j]."""

    east_m: FloatArray
    north_m: FloatArray
    ppm: FloatArray


def concentration_grid(
    plume: Plume, extent_m: float | None = None, cells: int = 500
) -> ConcentrationGrid:
    """A ``cells`` x ``cells`` grid from -extent to +extent metres in each direction.

    Without ``extent_m`` the grid spans 1.2 x the AEGL-1 reach (at least 1 km, at most 20 km).
    """
    if extent_m is None:
        reach = max(z.downwind_m for z in threat_zones(plume).zones)
        extent_m = float(min(max(1.2 * reach, 1000.0), 20_000.0))
    axis = np.linspace(-extent_m, extent_m, cells)
    east, north = np.meshgrid(axis, axis)
    return ConcentrationGrid(axis, axis.copy(), plume.concentration_ppm(east, north))


@dataclass(frozen=True, slots=True)
class ChemetArea:
    """A CHEMET-style area at risk: a sector downwind of the site, no concentrations."""

    wind_from_deg: float
    half_angle_deg: float
    radius_m: float
    issued_minute: float | None
    notes: tuple[str, ...]

    def contains(self, east_m: float, north_m: float) -> bool:
        """Whether a point lies inside the sector (or within the inner circle)."""
        distance = math.hypot(east_m, north_m)
        if distance > self.radius_m:
            return False
        if distance <= min(500.0, self.radius_m) or self.half_angle_deg >= 180.0:
            return True
        downwind, crosswind = to_plume_axes(east_m, north_m, self.wind_from_deg)
        return math.degrees(abs(math.atan2(crosswind, downwind))) <= self.half_angle_deg

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def chemet_issue_minute(request_minute: float, lead_minutes: float = CHEMET_LEAD_MINUTES) -> float:
    """Minute a CHEMET arrives when requested at ``request_minute`` (about 20 min later)."""
    return request_minute + lead_minutes


def chemet_area(
    plume: Plume, zones: ThreatZones | None = None, request_minute: float | None = None
) -> ChemetArea:
    """The exercise CHEMET: a downwind sector, wider in light winds (assumed widths).

    Half-angle 30 degrees at 3 m/s or more, 45 below, a full circle below 1 m/s; radius the
    AEGL-1 reach rounded up to the kilometre, 2 to 10 km. Widths are our assumption, not the
    Met Office's method: a forecaster draws the real product.
    """
    zones = zones or threat_zones(plume)
    reach = max(z.downwind_m for z in zones.zones)
    radius = float(min(max(math.ceil(reach / 1000.0) * 1000.0, 2000.0), FAR_FIELD_M))
    if plume.wind_speed_ms < 1.0:
        half_angle = 180.0
    elif plume.wind_speed_ms < 3.0:
        half_angle = 45.0
    else:
        half_angle = 30.0
    issued = None if request_minute is None else chemet_issue_minute(request_minute)
    notes = (
        "Exercise product in the style of a Met Office CHEMET: area where the plume may go.",
        "No concentrations; sector widths are assumed.",
    )
    return ChemetArea(plume.wind_from_deg, half_angle, radius, issued, notes)
