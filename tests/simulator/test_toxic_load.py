"""HSE toxic load: SLOT and SLOD distances against hand-computed plume distances."""

from __future__ import annotations

import dataclasses
import math

import pytest
from simkit import START, make_scenario

from standby.scenarios import substances
from standby.scenarios.model import Hazard
from standby.simulator.compiled import compile_scenario
from standby.simulator.hazard import briggs_sigmas, plume_from_hazard, threat_zones
from standby.simulator.model import run_once

MOLAR_MASS_SO2 = 64.07


def _rate_for_centreline(ppm: float, x_m: float, wind_ms: float, molar_mass: float) -> float:
    """Hand-worked: the ground-level release (H = 0, class D rural) giving ``ppm`` on the
    centreline at ``x_m``: Q = C pi u sy sz (C in g/m3)."""
    sigma_y, sigma_z = (float(s) for s in briggs_sigmas(x_m, "D", "rural"))
    g_m3 = ppm * molar_mass / 24.45 / 1000.0
    return g_m3 * math.pi * wind_ms * sigma_y * sigma_z


def _hazard(
    rate_gs: float, minutes: float, substance: str = "sulphur_dioxide"
) -> dict[str, object]:
    return {
        "substance": substance,
        "release": {"rate_gs": rate_gs, "duration_minutes": minutes, "height_m": 0},
        "weather": {"wind_speed_ms": 4, "wind_from_deg": 270, "stability": "D"},
    }


def test_sulphur_dioxide_slot_distance_is_where_c_squared_t_meets_the_dtl() -> None:
    # SLOT DTL 4.6e6 ppm^2.min over 30 min: C = sqrt(4.6e6 / 30) = 391.58 ppm. Choose Q so
    # that the centreline is at exactly that at 1,200 m: the SLOT distance is then 1,200 m.
    c_slot = math.sqrt(4.6e6 / 30.0)
    assert c_slot == pytest.approx(391.58, abs=0.01)
    rate = _rate_for_centreline(c_slot, 1200.0, 4.0, MOLAR_MASS_SO2)
    zones = threat_zones(plume_from_hazard(Hazard.model_validate(_hazard(rate, 30.0))))
    assert zones.slot_distance_m == pytest.approx(1200.0, rel=1e-6)
    assert zones.slod_distance_m is None  # HSE's SLOD DTL for SO2 was not confirmed
    # the per-run figure (a 200-point grid, log-interpolated) agrees to 0.1 %
    exposure = run_once(
        compile_scenario(make_scenario(hazard=_hazard(rate, 30.0))), None, START, 1
    ).exposure
    assert exposure is not None and exposure.slot_distance_m == pytest.approx(1200.0, rel=1e-3)


def test_slod_distance_with_a_given_dtl_is_the_hand_computed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a substance entry with both DTLs (n = 2): the SLOD concentration over 20 min is
    # sqrt(SLOD / 20); with Q set for 600 m at that concentration the SLOD distance is 600 m,
    # and the SLOT distance (a load 5 times smaller, so C / sqrt(5)) lies further out
    slot, slod = 1.0e6, 5.0e6
    entry = dataclasses.replace(
        substances.SUBSTANCES["sulphur_dioxide"], slot_dtl=slot, slod_dtl=slod
    )
    monkeypatch.setitem(substances.SUBSTANCES, "sulphur_dioxide", entry)
    c_slod = math.sqrt(slod / 20.0)
    rate = _rate_for_centreline(c_slod, 600.0, 4.0, MOLAR_MASS_SO2)
    zones = threat_zones(plume_from_hazard(Hazard.model_validate(_hazard(rate, 20.0))))
    assert zones.slod_distance_m == pytest.approx(600.0, rel=1e-6)
    assert zones.slot_distance_m is not None and zones.slot_distance_m > 600.0
    # check the SLOT distance by hand too: the centreline there is sqrt(SLOT / 20)
    x = zones.slot_distance_m
    sigma_y, sigma_z = (float(s) for s in briggs_sigmas(x, "D", "rural"))
    ppm = rate / (math.pi * 4.0 * sigma_y * sigma_z) * 1000.0 * 24.45 / MOLAR_MASS_SO2
    assert ppm**2 * 20.0 == pytest.approx(slot, rel=1e-6)


def test_no_distance_without_a_confirmed_dtl() -> None:
    zones = threat_zones(plume_from_hazard(Hazard.model_validate(_hazard(500.0, 20.0, "chlorine"))))
    assert zones.slot_distance_m is None and zones.slod_distance_m is None
