"""Gaussian plume physics: stability class, Briggs sigmas, ground-level concentration, units.

A continuous point release on flat ground in a steady wind, with total reflection at the ground
(DOMAIN.md formula), sigma_y and sigma_z from Briggs' (1973) rural or urban fits by
Pasquill-Gifford class. Everything is vectorised with numpy. :class:`Plume` bundles one release
and its weather; :mod:`simulator.zones` turns it into AEGL zones and receptor exposures.

Coordinates are metres east and north of the release point (see :mod:`simulator.geo`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

import numpy as np
import numpy.typing as npt

from standby.scenarios.substances import SUBSTANCES, Substance
from standby.simulator.geo import to_plume_axes

if TYPE_CHECKING:
    from standby.scenarios.model import Hazard

FloatArray = npt.NDArray[np.float64]
Stability = Literal["A", "B", "C", "D", "E", "F"]
Terrain = Literal["rural", "urban"]
Insolation = Literal["strong", "moderate", "slight", "night"]

MOLAR_VOLUME_L = 24.45  # litres per mole of ideal gas at 25 C and 1 atm
PURE_GAS_PPM = 1.0e6  # a concentration cannot exceed the pure gas
NIGHT_MIXING_HEIGHT_M = 200.0
"""Lid at night when the scenario gives no mixing height (assumed: stable night-time layers
are tens to a few hundred metres deep)."""
REFLECTIONS = 4  # Turner (1970): 3 or 4 image pairs each side are enough
UNIFORM_MIXING_SIGMA_Z = 1.6  # Turner: beyond sigma_z = 1.6 L the vertical is well mixed

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


def briggs_coefficients(stability: Stability, terrain: Terrain = "rural") -> tuple[_Fit, _Fit]:
    """Briggs' ``(a, b, p)`` for sigma_y and sigma_z: sigma = a x (1 + b x)^p."""
    return _BRIGGS[terrain][stability]


def briggs_sigmas(
    x_m: npt.ArrayLike, stability: Stability, terrain: Terrain = "rural"
) -> tuple[FloatArray, FloatArray]:
    """(sigma_y, sigma_z) in metres at downwind distances ``x_m`` (> 0)."""
    x = np.asarray(x_m, dtype=np.float64)
    (ay, by, py), (az, bz, pz) = _BRIGGS[terrain][stability]
    sigma_y = ay * x * (1.0 + by * x) ** py
    sigma_z = az * x * (1.0 + bz * x) ** pz if bz != 0.0 else az * x
    return sigma_y, sigma_z


def vertical_term(h_m: float, sigma_z: npt.ArrayLike, lid_m: float | None = None) -> FloatArray:
    """The vertical factor of the ground-level plume, ground (and lid) reflections included.

    Without a lid: ``2 exp(-H^2 / 2 sz^2)``. Under a lid at ``lid_m`` (a mixing height
    above the release), Turner's (1970) multiple reflections between the ground and the lid:
    ``sum over j = -4..4 of 2 exp(-(H + 2 j L)^2 / 2 sz^2)``, and once sigma_z exceeds
    1.6 L the uniform mixing of the layer, ``sqrt(2 pi) sz / L``.
    """
    sz = np.asarray(sigma_z, dtype=np.float64)
    if lid_m is None:
        return 2.0 * np.exp(-(h_m**2) / (2.0 * sz**2))
    total = np.zeros_like(sz)
    for j in range(-REFLECTIONS, REFLECTIONS + 1):
        total = total + 2.0 * np.exp(-((h_m + 2.0 * j * lid_m) ** 2) / (2.0 * sz**2))
    mixed = math.sqrt(2.0 * math.pi) * sz / lid_m
    return np.where(sz > UNIFORM_MIXING_SIGMA_Z * lid_m, mixed, total)


def _vertical_point(h_m: float, sz: float, lid_m: float | None) -> float:
    """:func:`vertical_term` at one point, stopping once the images add nothing."""
    two_var = 2.0 * sz * sz
    total = 2.0 * math.exp(-(h_m * h_m) / two_var)
    if lid_m is None:
        return total
    if sz > UNIFORM_MIXING_SIGMA_Z * lid_m:
        return math.sqrt(2.0 * math.pi) * sz / lid_m
    for j in range(1, REFLECTIONS + 1):
        up, down = h_m + 2.0 * j * lid_m, h_m - 2.0 * j * lid_m
        images = 2.0 * (math.exp(-(up * up) / two_var) + math.exp(-(down * down) / two_var))
        total += images
        if images <= 1e-16 * total:
            break
    return total


def point_ppm(
    plume_q_gs: float,
    wind_ms: float,
    height_m: float,
    coefficients: tuple[_Fit, _Fit],
    x_m: float,
    y_m: float,
    lid_m: float | None,
    ppm_per_g_m3: float,
) -> float:
    """Ground-level ppm at one point (plain math, for the per-run receptors); 0 upwind."""
    if x_m <= 0.0:
        return 0.0
    (ay, by, py), (az, bz, pz) = coefficients
    sy = ay * x_m * (1.0 + by * x_m) ** py
    sz = az * x_m * (1.0 + bz * x_m) ** pz
    c = (
        plume_q_gs
        / (2.0 * math.pi * wind_ms * sy * sz)
        * math.exp(-(y_m**2) / (2.0 * sy**2))
        * _vertical_point(height_m, sz, lid_m)
    )
    return float(min(c * ppm_per_g_m3, PURE_GAS_PPM))


def gaussian_plume(
    q_gs: float,
    u_ms: float,
    h_m: float,
    sigma_y: npt.ArrayLike,
    sigma_z: npt.ArrayLike,
    y_m: npt.ArrayLike = 0.0,
    lid_m: float | None = None,
) -> FloatArray:
    """Ground-level concentration (g/m3) with ground reflection, sigmas given directly.

    ``lid_m`` adds the reflections from a mixing-height lid (:func:`vertical_term`).
    """
    sy = np.asarray(sigma_y, dtype=np.float64)
    sz = np.asarray(sigma_z, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    return (
        q_gs
        / (2.0 * math.pi * u_ms * sy * sz)
        * np.exp(-(y**2) / (2.0 * sy**2))
        * vertical_term(h_m, sz, lid_m)
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
    lid_m: float | None = None,
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
    lid_m: float | None = None,
) -> FloatArray: ...
def ground_concentration(
    q_gs: float,
    wind_ms: float,
    height_m: float,
    stability: Stability,
    x_m: npt.ArrayLike,
    y_m: npt.ArrayLike = 0.0,
    terrain: Terrain = "rural",
    lid_m: float | None = None,
) -> float | FloatArray:
    """Ground-level concentration (g/m3) at downwind ``x_m`` and crosswind ``y_m`` metres.

    Scalars give a float; arrays broadcast. Zero upwind and at the source (``x <= 0``).
    ``lid_m``: a mixing-height lid (None: none).
    """
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    downwind = x > 0.0
    safe_x = np.where(downwind, x, 1.0)
    sigma_y, sigma_z = briggs_sigmas(safe_x, stability, terrain)
    c = np.where(downwind, gaussian_plume(q_gs, wind_ms, height_m, sigma_y, sigma_z, y, lid_m), 0.0)
    return float(c) if c.ndim == 0 else c


def ppm_to_mg_m3(ppm: float, molar_mass: float) -> float:
    """Convert ppm (by volume) to mg/m3 at 25 C and 1 atm."""
    return ppm * molar_mass / MOLAR_VOLUME_L


def mg_m3_to_ppm(mg_m3: float, molar_mass: float) -> float:
    """Convert mg/m3 to ppm (by volume) at 25 C and 1 atm."""
    return mg_m3 * MOLAR_VOLUME_L / molar_mass


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
    mixing_height_m: float | None = None

    @property
    def substance(self) -> Substance:
        """The substance's table entry (molar mass, AEGLs, toxic load)."""
        return SUBSTANCES[self.substance_id]

    @property
    def sigma_set(self) -> str:
        """Which dispersion coefficients this plume uses, for every result to name."""
        lid = "" if self.mixing_height_m is None else f", lid at {self.mixing_height_m:g} m"
        return f"Briggs (1973) {self.terrain}, Pasquill-Gifford class {self.stability}{lid}"

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
            self.mixing_height_m,
        )

    def concentration_ppm(self, east_m: npt.ArrayLike, north_m: npt.ArrayLike) -> FloatArray:
        """Ground-level concentration (ppm) at points east/north of the site.

        Capped at the pure gas (10^6 ppm), which a point-source formula can exceed very near
        the source.
        """
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
            self.mixing_height_m,
        )
        ppm = np.asarray(c) * 1000.0 * MOLAR_VOLUME_L / self.substance.molar_mass
        return np.minimum(ppm, PURE_GAS_PPM)

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
            self.mixing_height_m,
        )


def plume_from_hazard(hazard: Hazard) -> Plume:
    """Build the plume of a scenario's ``hazard`` section, deriving stability if not given."""
    weather = hazard.weather
    stability, basis = stability_of(
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
        mixing_height_m=mixing_height(weather.mixing_height_m, weather.insolation, stability),
    )


def mixing_height(
    given: float | str | None, insolation: Insolation | None, stability: Stability
) -> float | None:
    """The lid to use: the scenario's height, none for ``unlimited``, else the night default.

    Night is ``insolation: night``, or classes E and F when no insolation is given.
    """
    if isinstance(given, int | float):
        return float(given)
    if given == "unlimited":
        return None
    night = insolation == "night" or (insolation is None and stability in ("E", "F"))
    return NIGHT_MIXING_HEIGHT_M if night else None


def stability_of(
    wind_ms: float, given: Stability | None, insolation: Insolation | None, oktas: int | None
) -> tuple[Stability, str]:
    """The stability class to use and where it came from (given, or derived by Pasquill)."""
    if given is not None:
        return given, "given"
    if insolation is None:
        raise ValueError("give a stability class or the insolation to derive one")
    derived = pasquill_stability(wind_ms, insolation, oktas)
    cloud = "" if oktas is None else f", cloud {oktas}/8"
    return derived, f"Pasquill table: {wind_ms:g} m/s, {insolation}{cloud}"
