"""Screening plume model: the public façade over plume physics, zones and map products.

A continuous point release on flat ground in a steady wind: the model answers "roughly where,
how far, how soon" for planning and exercises; it is not a decision tool. The code lives in

- :mod:`simulator.plume`: stability class, Briggs sigmas, Gaussian plume, units, ``Plume``;
- :mod:`simulator.zones`: AEGL threat zones, toxic load, limits and warnings, receptors,
  zones over wind changes;
- :mod:`simulator.maps`: the concentration grid and the CHEMET-style area.

Import from here (``from simulator.hazard import threat_zones``); every name is re-exported.
"""

from __future__ import annotations

from simulator.maps import (
    CHEMET_LEAD_MINUTES,
    ChemetArea,
    ConcentrationGrid,
    chemet_area,
    chemet_issue_minute,
    concentration_grid,
)
from simulator.plume import (
    MOLAR_VOLUME_L,
    FloatArray,
    Insolation,
    Plume,
    Stability,
    Terrain,
    briggs_sigmas,
    gaussian_plume,
    ground_concentration,
    mg_m3_to_ppm,
    pasquill_stability,
    plume_from_hazard,
    ppm_to_mg_m3,
    stability_of,
)
from simulator.zones import (
    FAR_FIELD_M,
    LOW_WIND_MS,
    MAX_RANGE_M,
    NEAR_FIELD_M,
    ZONE_LEVELS,
    Footprint,
    ReceptorExposure,
    ThreatZone,
    ThreatZones,
    ZoneLevel,
    ZonePeriod,
    aegl_duration_for,
    classify_over_time,
    classify_receptor,
    footprint,
    plume_limits,
    plume_warnings,
    receptor_warnings,
    scenario_exposures,
    threat_zones,
    toxic_load,
    toxic_load_distance,
    wind_changes_from_injects,
    zone_for,
    zones_over_time,
)

__all__ = [
    "CHEMET_LEAD_MINUTES",
    "FAR_FIELD_M",
    "LOW_WIND_MS",
    "MAX_RANGE_M",
    "MOLAR_VOLUME_L",
    "NEAR_FIELD_M",
    "ZONE_LEVELS",
    "ChemetArea",
    "ConcentrationGrid",
    "FloatArray",
    "Footprint",
    "Insolation",
    "Plume",
    "ReceptorExposure",
    "Stability",
    "Terrain",
    "ThreatZone",
    "ThreatZones",
    "ZoneLevel",
    "ZonePeriod",
    "aegl_duration_for",
    "briggs_sigmas",
    "chemet_area",
    "chemet_issue_minute",
    "classify_over_time",
    "classify_receptor",
    "concentration_grid",
    "footprint",
    "gaussian_plume",
    "ground_concentration",
    "mg_m3_to_ppm",
    "pasquill_stability",
    "plume_from_hazard",
    "plume_limits",
    "plume_warnings",
    "ppm_to_mg_m3",
    "receptor_warnings",
    "scenario_exposures",
    "stability_of",
    "threat_zones",
    "toxic_load",
    "toxic_load_distance",
    "wind_changes_from_injects",
    "zone_for",
    "zones_over_time",
]
