"""Where the Gaussian plume stops holding: the lid, the pure-gas cap, calm air, the near field."""

from __future__ import annotations

import math

import numpy as np
import pytest

from standby.scenarios import ScenarioError, parse_scenario
from standby.scenarios.model import Hazard, Weather
from standby.simulator.hazard import (
    NIGHT_MIXING_HEIGHT_M,
    PURE_GAS_PPM,
    briggs_sigmas,
    classify_receptor,
    concentration_grid,
    gaussian_plume,
    plume_from_hazard,
    threat_zones,
    vertical_term,
)


def _hazard(weather: dict[str, object], rate_gs: float = 500.0, height_m: float = 2.0) -> Hazard:
    return Hazard.model_validate(
        {
            "substance": "chlorine",
            "release": {"rate_gs": rate_gs, "duration_minutes": 25, "height_m": height_m},
            "weather": weather,
        }
    )


# --- the mixing-height lid (Turner 1970) -------------------------------------------------


def test_a_lid_far_above_the_plume_changes_nothing() -> None:
    sigma_z = np.array([5.0, 40.0, 300.0])
    open_sky = 2.0 * np.exp(-(30.0**2) / (2.0 * sigma_z**2))
    assert vertical_term(30.0, sigma_z, 1.0e7) == pytest.approx(open_sky, rel=1e-12)


def test_reflections_add_up_to_uniform_mixing_once_the_layer_is_filled() -> None:
    # Poisson summation: the images 2L apart sum to sqrt(2 pi) sz / L to within
    # 2 exp(-pi^2 sz^2 / (2 L^2)) (3e-5 at sz = 1.5 L), just below Turner's switch at 1.6 L.
    lid = 200.0
    summed = float(vertical_term(2.0, 1.5 * lid, lid))
    assert summed == pytest.approx(math.sqrt(2.0 * math.pi) * 1.5, rel=1e-4)


def test_well_mixed_layer_gives_turners_uniform_formula() -> None:
    # Q / (sqrt(2 pi) sy L u) on the centreline once sigma_z > 1.6 L
    q, u, lid, sy, sz = 100.0, 3.0, 150.0, 400.0, 500.0
    expected = q / (math.sqrt(2.0 * math.pi) * sy * lid * u)
    assert float(gaussian_plume(q, u, 2.0, sy, sz, 0.0, lid)) == pytest.approx(expected)


def test_a_lid_only_raises_concentrations_and_only_far_out() -> None:
    x = np.array([100.0, 500.0, 50_000.0])
    _, sz = briggs_sigmas(x, "D")
    factor = vertical_term(2.0, sz, 200.0) / vertical_term(2.0, sz, None)
    assert factor[0] == pytest.approx(1.0, abs=1e-9)  # sz ~ 6 m: the lid is out of reach
    assert factor[2] > 1.5  # sz of hundreds of metres: trapped under the lid


def test_night_without_a_mixing_height_gets_the_night_default_lid() -> None:
    night = plume_from_hazard(
        _hazard(
            {"wind_speed_ms": 2, "wind_from_deg": 90, "insolation": "night", "cloud_cover_oktas": 2}
        )
    )
    day = plume_from_hazard(
        _hazard({"wind_speed_ms": 2, "wind_from_deg": 90, "insolation": "moderate"})
    )
    given = plume_from_hazard(
        _hazard({"wind_speed_ms": 2, "wind_from_deg": 90, "stability": "D", "mixing_height_m": 800})
    )
    off = plume_from_hazard(
        _hazard(
            {
                "wind_speed_ms": 2,
                "wind_from_deg": 90,
                "insolation": "night",
                "cloud_cover_oktas": 2,
                "mixing_height_m": "unlimited",
            }
        )
    )
    assert night.mixing_height_m == NIGHT_MIXING_HEIGHT_M
    assert day.mixing_height_m is None
    assert given.mixing_height_m == 800.0
    assert off.mixing_height_m is None
    assert "lid at 200 m" in night.sigma_set


# --- the pure-gas cap, calm air, the near field ------------------------------------------


def test_concentration_never_exceeds_the_pure_gas() -> None:
    plume = plume_from_hazard(
        _hazard({"wind_speed_ms": 1, "wind_from_deg": 0, "stability": "F"}, 1.0e6, 0.0)
    )
    east, north = np.array([0.0, 0.0]), np.array([-1.0, -5.0])  # 1 and 5 m downwind
    assert (plume.concentration_ppm(east, north) <= PURE_GAS_PPM).all()
    assert float(plume.concentration_ppm(0.0, -1.0)) == PURE_GAS_PPM


def test_the_map_shows_nothing_within_100_m() -> None:
    plume = plume_from_hazard(_hazard({"wind_speed_ms": 3, "wind_from_deg": 0, "stability": "D"}))
    grid = concentration_grid(plume, extent_m=1000.0, cells=201)
    east, north = np.meshgrid(grid.east_m, grid.north_m)
    near = np.hypot(east, north) < 100.0
    assert np.isnan(grid.ppm[near]).all()
    assert not np.isnan(grid.ppm[~near]).any()


def test_a_receptor_inside_100_m_reads_the_concentration_100_m_out() -> None:
    plume = plume_from_hazard(_hazard({"wind_speed_ms": 3, "wind_from_deg": 0, "stability": "D"}))
    zones = threat_zones(plume)
    near = classify_receptor(plume, zones, 0.0, -40.0)  # 40 m straight downwind (south)
    at_100 = float(plume.concentration_ppm(0.0, -100.0))
    assert near.concentration_ppm == pytest.approx(at_100)
    assert "reports nothing this close" in near.warnings[0]


@pytest.mark.parametrize("speed", [0.5, 0.99])
def test_a_scenario_wind_below_1_m_s_is_refused_with_the_reason(speed: float) -> None:
    with pytest.raises(ValueError, match=r"below 1 m/s: a Gaussian plume does not hold"):
        Weather.model_validate({"wind_speed_ms": speed, "wind_from_deg": 0, "stability": "D"})


def test_the_scenario_file_names_the_line_of_a_calm_wind() -> None:
    text = """\
name: calm
title: Calm
description: x
site: {name: S, operator: O, comah_tier: upper, location: {lat: 53.3, lon: -2.7}}
start: "2026-11-12 02:10"
legal_basis: COMAH 2015
hazard:
  substance: chlorine
  release: {rate_gs: 100, duration_minutes: 10}
  weather: {wind_speed_ms: 0.4, wind_from_deg: 225, stability: F}
agencies: [{id: site, name: Site, category: operator}]
alert: {raised_by: site, declared_by: site}
plan: {tasks: [{id: t, name: T, agency: site, duration: {dist: fixed, value: 1}}]}
"""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "calm.yaml")
    assert str(caught.value).startswith("calm.yaml:10: hazard.weather.wind_speed_ms: wind 0.4 m/s")
