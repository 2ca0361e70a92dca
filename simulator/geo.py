"""Latitude/longitude to local metres around the site; distances and the plume's axes.

The hazard model works in a flat local frame: metres east and north of the release point.
We use the equirectangular approximation (east = R cos(lat0) dlon, north = R dlat) on a sphere
of the mean Earth radius. Within 20 km of the site, at UK latitudes, its error against the
ellipsoid is about 0.5 % of the distance (the sphere) plus well under 0.1 % (the flat frame),
far below the uncertainty of a screening plume. Do not use it for national-scale distances.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LocalFrame:
    """A flat frame centred on ``(origin_lat, origin_lon)``: x metres east, y metres north."""

    origin_lat: float
    origin_lon: float

    @property
    def _metres_per_degree_lat(self) -> float:
        return math.radians(1.0) * EARTH_RADIUS_M

    @property
    def _metres_per_degree_lon(self) -> float:
        return math.radians(1.0) * EARTH_RADIUS_M * math.cos(math.radians(self.origin_lat))

    @overload
    def to_local(self, lat: float, lon: float) -> tuple[float, float]: ...
    @overload
    def to_local(self, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]: ...
    def to_local(
        self, lat: float | FloatArray, lon: float | FloatArray
    ) -> tuple[float | FloatArray, float | FloatArray]:
        """Metres (east, north) of a point (or arrays of points) from the origin."""
        east = (lon - self.origin_lon) * self._metres_per_degree_lon
        north = (lat - self.origin_lat) * self._metres_per_degree_lat
        return east, north


def distance_m(east: float, north: float) -> float:
    """Straight-line distance in metres from the origin of the local frame."""
    return math.hypot(east, north)


def wind_axes(wind_from_deg: float) -> tuple[float, float]:
    """Unit vector (east, north) pointing downwind for a wind blowing FROM ``wind_from_deg``."""
    towards = math.radians((wind_from_deg + 180.0) % 360.0)
    return math.sin(towards), math.cos(towards)


@overload
def to_plume_axes(east: float, north: float, wind_from_deg: float) -> tuple[float, float]: ...
@overload
def to_plume_axes(
    east: FloatArray, north: FloatArray, wind_from_deg: float
) -> tuple[FloatArray, FloatArray]: ...
def to_plume_axes(
    east: float | FloatArray, north: float | FloatArray, wind_from_deg: float
) -> tuple[float | FloatArray, float | FloatArray]:
    """(downwind, crosswind) metres of a point for the given wind direction.

    Downwind is along the wind (positive away from the source); crosswind is positive to the
    left of an observer looking downwind. Only its magnitude matters to a Gaussian plume.
    """
    de, dn = wind_axes(wind_from_deg)
    downwind = east * de + north * dn
    crosswind = -east * dn + north * de
    return downwind, crosswind
