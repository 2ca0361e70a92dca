"""What the hazard maps show: the concentration grid and the CHEMET-style area for exercises.

The Met Office sends a CHEMET (a map of the area the plume may cover, no concentrations)
within about 20 minutes of a request; :func:`chemet_area` draws an exercise version whose
sector widths are our assumption. :mod:`reports.charts` draws both products.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from standby.simulator.geo import to_plume_axes
from standby.simulator.plume import FloatArray, Plume, plume_from_hazard
from standby.simulator.zones import (
    FAR_FIELD_M,
    NEAR_FIELD_M,
    ReceptorExposure,
    ThreatZones,
    scenario_exposures,
    threat_zones,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from standby.scenarios.model import Scenario
    from standby.simulator.results import FootprintEdge

CHEMET_LEAD_MINUTES = 20.0  # Met Office CHEMET: plume-area map within about 20 minutes


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

    Cells within 100 m of the source are NaN: the model reports nothing there.
    Without ``extent_m`` the grid spans 1.2 x the AEGL-1 reach (at least 1 km, at most 20 km).
    """
    if extent_m is None:
        reach = max(z.downwind_m for z in threat_zones(plume).zones)
        extent_m = float(min(max(1.2 * reach, 1000.0), 20_000.0))
    axis = np.linspace(-extent_m, extent_m, cells)
    east, north = np.meshgrid(axis, axis)
    ppm = plume.concentration_ppm(east, north)
    # the model reports nothing within 100 m of the source (as ALOHA): left blank on the map
    return ConcentrationGrid(
        axis, axis.copy(), np.where(np.hypot(east, north) < NEAR_FIELD_M, np.nan, ppm)
    )


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
    if zones is None:
        zones = threat_zones(plume)
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


@dataclass(frozen=True, slots=True)
class HazardMaps:
    """Everything the plume and CHEMET maps show, for the first wind period of a scenario."""

    grid: ConcentrationGrid
    zones: ThreatZones
    chemet: ChemetArea
    receptors: tuple[ReceptorExposure, ...]
    site: str


def hazard_maps(scenario: Scenario) -> HazardMaps | None:
    """Compute the map products of ``scenario`` (the drawing is in :mod:`reports.charts`);
    None for a scenario with no toxic release."""
    if scenario.hazard is None:
        return None
    plume = plume_from_hazard(scenario.hazard)
    zones = threat_zones(plume)
    return HazardMaps(
        grid=concentration_grid(plume),
        zones=zones,
        chemet=chemet_area(plume, zones),
        receptors=tuple(scenario_exposures(scenario)),
        site=scenario.site.name,
    )


@dataclass(frozen=True, slots=True)
class ConfidenceSector:
    """The union of the runs' AEGL-2 footprints: ``share[i, j]`` of the runs reach the cell
    at north[i], east[j] (0 to 1)."""

    east_m: FloatArray
    north_m: FloatArray
    share: FloatArray
    runs: int


def confidence_sector(
    footprints: Sequence[Sequence[FootprintEdge]], extent_m: float | None = None, cells: int = 241
) -> ConfidenceSector:
    """The share of runs whose AEGL-2 footprint covers each cell of a grid around the site.

    Each run's footprint is its edge (half-widths along the axis of each wind period),
    rotated to its wind; a cell counts once per run however many periods cover it. Without
    ``extent_m`` the grid spans 1.2 x the longest footprint (at least 1 km, at most 20 km).
    """
    if extent_m is None:
        reach = max((f.downwind_m for run in footprints for f in run), default=0.0)
        extent_m = float(min(max(1.2 * reach, 1000.0), 20_000.0))
    axis = np.linspace(-extent_m, extent_m, cells)
    east, north = np.meshgrid(axis, axis)
    counts = np.zeros_like(east)
    for run in footprints:
        covered = np.zeros(east.shape, dtype=bool)
        for edge in run:
            if edge.downwind_m <= 0.0:
                continue
            x, y = to_plume_axes(east, north, edge.wind_from_deg)
            along = np.concatenate(([0.0], edge.along_m))
            width = np.concatenate(([0.0], edge.half_width_m))
            inside = (x > 0.0) & (x <= edge.downwind_m)
            covered |= inside & (np.abs(y) <= np.interp(x, along, width))
        counts += covered
    share = counts / max(len(footprints), 1)
    return ConfidenceSector(axis, axis.copy(), share, len(footprints))
