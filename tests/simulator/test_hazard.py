"""The screening plume: formula checks, stability classes, zones, receptors and wind changes."""

from __future__ import annotations

import inspect
import json
import math

import numpy as np
import pytest

from standby.scenarios.load import load_scenario
from standby.scenarios.model import Hazard, Inject, Release, Weather, WindChange
from standby.simulator import hazard
from standby.simulator import maps as maps_module
from standby.simulator import plume as plume_module
from standby.simulator import zones as zones_module
from standby.simulator.geo import LocalFrame, to_plume_axes
from standby.simulator.hazard import (
    aegl_duration_for,
    briggs_sigmas,
    chemet_area,
    chemet_issue_minute,
    classify_over_time,
    classify_receptor,
    concentration_grid,
    gaussian_plume,
    ground_concentration,
    mg_m3_to_ppm,
    pasquill_stability,
    plume_from_hazard,
    ppm_to_mg_m3,
    scenario_exposures,
    threat_zones,
    toxic_load,
    wind_changes_from_injects,
    zones_over_time,
)


def make_hazard(
    substance: str = "chlorine",
    *,
    rate_gs: float = 500.0,
    minutes: float = 25.0,
    height_m: float = 2.0,
    wind_ms: float = 4.0,
    wind_from: float = 225.0,
    stability: str | None = "D",
    terrain: str = "rural",
) -> Hazard:
    weather: dict[str, object] = {"wind_speed_ms": wind_ms, "wind_from_deg": wind_from}
    if stability is None:
        weather |= {"insolation": "night", "cloud_cover_oktas": 2}
    else:
        weather["stability"] = stability
    return Hazard.model_validate(
        {
            "substance": substance,
            "release": Release(rate_gs=rate_gs, duration_minutes=minutes, height_m=height_m),
            "weather": Weather.model_validate(weather),
            "terrain": terrain,
        }
    )


def point_downwind(distance_m: float, wind_from_deg: float) -> tuple[float, float]:
    """(east, north) of a point ``distance_m`` straight downwind of the site."""
    towards = math.radians(wind_from_deg + 180.0)
    return distance_m * math.sin(towards), distance_m * math.cos(towards)


# --- formula checks ----------------------------------------------------------------------


def test_domain_worked_example_class_d_rural_at_1_km() -> None:
    sigma_y, sigma_z = briggs_sigmas(1000.0, "D", "rural")
    c = ground_concentration(5.0, 2.0, 30.0, "D", 1000.0)
    assert float(sigma_y) == pytest.approx(76.28, rel=5e-3)
    assert float(sigma_z) == pytest.approx(37.95, rel=5e-3)
    assert c * 1e6 == pytest.approx(201.1, rel=5e-3)


def test_turner_problem_9_with_sigmas_given() -> None:
    c = float(gaussian_plume(151.0, 4.0, 150.0, 157.0, 110.0))
    assert c == pytest.approx(2.75e-4, rel=5e-3)
    assert c == pytest.approx(2.78e-4, rel=2e-2)  # Turner's rounded workbook answer


def test_briggs_urban_class_d_at_1_km() -> None:
    sigma_y, sigma_z = briggs_sigmas(1000.0, "D", "urban")
    assert float(sigma_y) == pytest.approx(160.0 / math.sqrt(1.4))
    assert float(sigma_z) == pytest.approx(140.0 / math.sqrt(1.3))


def test_crosswind_offset_of_one_sigma_multiplies_by_exp_minus_half() -> None:
    sigma_y, _ = briggs_sigmas(1000.0, "D")
    on_axis = ground_concentration(5.0, 2.0, 30.0, "D", 1000.0)
    off_axis = ground_concentration(5.0, 2.0, 30.0, "D", 1000.0, float(sigma_y))
    assert off_axis / on_axis == pytest.approx(math.exp(-0.5))


@pytest.mark.parametrize(
    ("wind", "insolation", "oktas", "expected"),
    [
        (7.0, "moderate", None, "D"),
        (2.5, "night", 2, "F"),
        (1.5, "strong", None, "A"),
        (2.5, "night", 6, "E"),
        (4.0, "slight", None, "C"),
        (4.0, "night", 8, "D"),
        (1.0, "night", 0, "F"),
    ],
)
def test_pasquill_class_from_wind_and_insolation(
    wind: float, insolation: str, oktas: int | None, expected: str
) -> None:
    assert pasquill_stability(wind, insolation, oktas) == expected  # type: ignore[arg-type]


def test_pasquill_at_night_needs_cloud_cover() -> None:
    with pytest.raises(ValueError, match="cloud cover"):
        pasquill_stability(3.0, "night")


def test_scenario_without_stability_derives_it() -> None:
    plume = plume_from_hazard(make_hazard(wind_ms=2.5, stability=None))
    assert plume.stability == "F"
    assert "Pasquill" in plume.stability_basis


def test_ppm_and_mg_m3_for_chlorine() -> None:
    assert ppm_to_mg_m3(1.0, 70.90) == pytest.approx(2.8998, rel=1e-4)
    assert mg_m3_to_ppm(ppm_to_mg_m3(20.0, 70.90), 70.90) == pytest.approx(20.0)


def test_zero_upwind_and_at_the_source() -> None:
    x = np.array([-500.0, -1.0, 0.0, 1.0, 500.0])
    c = ground_concentration(100.0, 3.0, 0.0, "D", x)
    assert list(c[:3]) == [0.0, 0.0, 0.0]
    assert (c[3:] > 0).all()


def test_arrays_and_scalars_agree() -> None:
    x = np.array([50.0, 300.0, 2000.0])
    y = np.array([0.0, 40.0, -100.0])
    grid = ground_concentration(10.0, 3.0, 5.0, "E", x, y, "urban")
    singles = [
        ground_concentration(10.0, 3.0, 5.0, "E", float(a), float(b), "urban")
        for a, b in zip(x, y, strict=True)
    ]
    assert isinstance(singles[0], float)
    np.testing.assert_allclose(grid, singles, rtol=1e-12)


def test_scalar_x_broadcasts_over_crosswind_array() -> None:
    c = ground_concentration(10.0, 3.0, 5.0, "D", np.asarray(800.0), np.array([0.0, 10.0, -10.0]))
    assert c.shape == (3,)
    assert c[1] == pytest.approx(c[2])


@pytest.mark.parametrize(
    ("release", "aegl"), [(5, 10), (10, 10), (25, 30), (60, 60), (61, 240), (480, 480), (900, 480)]
)
def test_aegl_duration_is_the_smallest_covering_the_release(release: float, aegl: int) -> None:
    assert aegl_duration_for(release) == aegl


def test_toxic_load_is_c_to_the_n_times_t() -> None:
    assert float(toxic_load(10.0, 30.0, 2.0)) == pytest.approx(3000.0)


# --- zones and receptors -----------------------------------------------------------------


def test_zones_are_nested_and_their_edge_is_at_the_threshold() -> None:
    plume = plume_from_hazard(make_hazard())
    zones = threat_zones(plume)
    reach = [zones.zone(level).downwind_m for level in ("AEGL-3", "AEGL-2", "AEGL-1")]
    assert 0 < reach[0] < reach[1] < reach[2]
    aegl2 = zones.zone("AEGL-2")
    assert aegl2.threshold_ppm == 2.8  # chlorine, 30 min covers a 25 min release
    east, north = point_downwind(aegl2.downwind_m, plume.wind_from_deg)
    assert float(plume.concentration_ppm(east, north)) == pytest.approx(2.8, rel=1e-6)
    assert 0 < aegl2.max_half_width_m < aegl2.downwind_m
    assert aegl2.area_m2 > zones.zone("AEGL-3").area_m2


def test_receptor_just_inside_and_just_outside_the_aegl2_edge() -> None:
    plume = plume_from_hazard(make_hazard())
    zones = threat_zones(plume)
    edge = zones.zone("AEGL-2").downwind_m
    inside = classify_receptor(plume, zones, *point_downwind(0.99 * edge, 225.0))
    outside = classify_receptor(plume, zones, *point_downwind(1.01 * edge, 225.0))
    assert inside.zone == "AEGL-2"
    assert outside.zone == "AEGL-1"


def test_receptor_arrival_is_travel_time_downwind() -> None:
    plume = plume_from_hazard(make_hazard(wind_ms=4.0))
    zones = threat_zones(plume)
    east, north = point_downwind(1200.0, 225.0)
    exposure = classify_receptor(plume, zones, east, north, receptor_id="school", start_minute=5)
    assert exposure.arrival_minute == pytest.approx(5 + 1200.0 / 4.0 / 60.0)
    assert exposure.downwind_m == pytest.approx(1200.0)
    assert exposure.crosswind_m == pytest.approx(0.0, abs=1e-9)
    assert exposure.toxic_load == pytest.approx(exposure.concentration_ppm**2 * 25.0)


def test_upwind_receptor_is_in_no_zone_and_never_reached() -> None:
    plume = plume_from_hazard(make_hazard())
    exposure = classify_receptor(plume, threat_zones(plume), *point_downwind(-800.0, 225.0))
    assert exposure.zone is None
    assert exposure.arrival_minute is None
    assert exposure.concentration_ppm == 0.0


def test_wind_change_recomputes_zones_from_its_minute() -> None:
    hazard = make_hazard(minutes=120.0)
    change = WindChange(kind="wind_change", wind_speed_ms=4.0, wind_from_deg=45.0, stability="D")
    periods = zones_over_time(hazard, [(30.0, change)])
    assert [(p.start_minute, p.end_minute) for p in periods] == [(0.0, 30.0), (30.0, None)]
    assert periods[1].zones.wind_from_deg == 45.0
    north_east = point_downwind(1000.0, 225.0)
    south_west = point_downwind(1000.0, 45.0)
    first = classify_over_time(periods, *north_east)
    later = classify_over_time(periods, *south_west)
    assert first.zone is not None and first.arrival_minute == pytest.approx(1000 / 4 / 60)
    assert later.zone is not None and later.arrival_minute == pytest.approx(30 + 1000 / 4 / 60)


def test_wind_change_without_class_rederives_it() -> None:
    hazard = make_hazard(wind_ms=2.5, stability=None)
    change = WindChange(kind="wind_change", wind_speed_ms=5.5, wind_from_deg=270.0)
    periods = zones_over_time(hazard, [(20.0, change)])
    assert [p.plume.stability for p in periods] == ["F", "D"]


def test_cloud_released_before_a_wind_change_keeps_its_heading() -> None:
    hazard = make_hazard(wind_ms=1.0, minutes=120.0)
    change = WindChange(kind="wind_change", wind_speed_ms=1.0, wind_from_deg=45.0, stability="D")
    periods = zones_over_time(hazard, [(10.0, change)])
    # 3 km downwind of the first wind takes 50 min at 1 m/s, long after the wind turned
    exposure = classify_over_time(periods, *point_downwind(3000.0, 225.0))
    assert exposure.zone is not None
    assert exposure.arrival_minute == pytest.approx(50.0)


def test_wind_change_after_the_release_ended_is_ignored() -> None:
    change = WindChange(kind="wind_change", wind_speed_ms=3.0, wind_from_deg=90.0, stability="D")
    periods = zones_over_time(make_hazard(minutes=25.0), [(40.0, change)])
    assert len(periods) == 1


def test_receptor_never_in_a_zone_has_no_zone_over_time() -> None:
    periods = zones_over_time(make_hazard())
    exposure = classify_over_time(periods, *point_downwind(-2000.0, 225.0))
    assert exposure.zone is None and exposure.arrival_minute is None


def test_wind_changes_are_read_from_injects_in_time_order() -> None:
    def inject(minute: float, wind_from: float | None) -> Inject:
        effect = (
            None
            if wind_from is None
            else {"kind": "wind_change", "wind_speed_ms": 3.0, "wind_from_deg": wind_from}
        )
        return Inject.model_validate(
            {
                "id": f"i{minute:g}",
                "minute": minute,
                "from": "control",
                "to": "police",
                "text": "wind report",
                "expected_action": "review zones",
                "effect": effect,
            }
        )

    changes = wind_changes_from_injects([inject(50, 90.0), inject(10, None), inject(20, 180.0)])
    assert [(minute, change.wind_from_deg) for minute, change in changes] == [
        (20, 180.0),
        (50, 90.0),
    ]


def test_bundled_chlorine_scenario_puts_the_care_home_in_aegl2() -> None:
    exposures = {e.receptor_id: e for e in scenario_exposures(load_scenario("chlorine-riverside"))}
    care_home = exposures["riverview_care_home"]
    assert care_home.zone == "AEGL-2"
    assert care_home.arrival_minute is not None and 3 < care_home.arrival_minute < 15
    assert exposures["old_town"].zone is None  # upwind, to the south-west


# --- limits, toxic load distances, output ------------------------------------------------


def test_warnings_for_low_wind_stable_air_and_long_release() -> None:
    plume = plume_from_hazard(make_hazard(wind_ms=1.0, stability="F", minutes=90.0))
    zones = threat_zones(plume)
    text = " ".join(zones.warnings)
    assert "below 1.3 m/s" in text
    assert "class F" in text
    assert "over an hour" in text
    assert any("DRIFT" in line and "Phast" in line for line in zones.limits)
    assert any("Briggs (1973) rural" in line for line in zones.limits)


@pytest.mark.parametrize(
    ("substance", "dense"),
    [
        ("chlorine", True),
        ("ammonia", True),  # as a pressurised liquefied aerosol
        ("hydrogen_chloride", True),
        ("hydrogen_sulphide", True),
        ("nitrogen_dioxide", True),
        ("sulphur_dioxide", True),
        ("carbon_monoxide", False),
        ("hydrogen_cyanide", False),
    ],
)
def test_every_heavier_than_air_cloud_carries_the_dense_gas_warning(
    substance: str, dense: bool
) -> None:
    zones = threat_zones(plume_from_hazard(make_hazard(substance, wind_ms=5.0)))
    flagged = [line for line in zones.limits if line.startswith("Dense gas:")]
    assert bool(flagged) is dense
    if dense:
        assert "DRIFT" in flagged[0] and "screening estimate only" in flagged[0]


def test_ammonia_warning_names_the_liquefied_aerosol() -> None:
    zones = threat_zones(plume_from_hazard(make_hazard("ammonia", wind_ms=5.0)))
    assert any("cold aerosol cloud" in line for line in zones.limits)


def test_receptor_near_source_is_flagged() -> None:
    plume = plume_from_hazard(make_hazard())
    exposure = classify_receptor(plume, threat_zones(plume), *point_downwind(60.0, 225.0))
    assert any("100 m" in w for w in exposure.warnings)


def test_slot_distance_for_sulphur_dioxide_meets_the_dtl() -> None:
    plume = plume_from_hazard(make_hazard("sulphur_dioxide", rate_gs=5000.0, minutes=30.0))
    zones = threat_zones(plume)
    assert zones.slod_distance_m is None  # not verified, left out
    assert zones.slot_distance_m is not None and zones.slot_distance_m > 0
    east, north = point_downwind(zones.slot_distance_m, plume.wind_from_deg)
    c = float(plume.concentration_ppm(east, north))
    assert c**2 * 30.0 == pytest.approx(4.6e6, rel=1e-6)


def test_chlorine_has_no_unverified_dtl() -> None:
    zones = threat_zones(plume_from_hazard(make_hazard()))
    assert zones.slot_distance_m is None and zones.slod_distance_m is None


def test_zones_serialise_to_json_with_warnings_and_limits() -> None:
    data = json.loads(json.dumps(threat_zones(plume_from_hazard(make_hazard())).to_json_dict()))
    assert {"zones", "warnings", "limits", "sigma_set"} <= set(data)
    assert [z["level"] for z in data["zones"]] == ["AEGL-3", "AEGL-2", "AEGL-1"]


def test_concentration_grid_is_500_square_and_peaks_downwind() -> None:
    plume = plume_from_hazard(make_hazard())
    grid = concentration_grid(plume)
    assert grid.ppm.shape == (500, 500)
    i, j = np.unravel_index(int(np.nanargmax(grid.ppm)), grid.ppm.shape)
    assert grid.east_m[j] > 0 and grid.north_m[i] > 0  # wind from SW carries it north-east


def test_chemet_arrives_twenty_minutes_after_request_and_covers_downwind() -> None:
    plume = plume_from_hazard(make_hazard(wind_ms=4.0))
    area = chemet_area(plume, request_minute=12.0)
    assert chemet_issue_minute(12.0) == 32.0 == area.issued_minute
    assert area.contains(*point_downwind(1500.0, 225.0))
    assert not area.contains(*point_downwind(-1500.0, 225.0))
    assert area.half_angle_deg == 30.0


# --- geometry ----------------------------------------------------------------------------


def test_local_frame_scale() -> None:
    frame = LocalFrame(53.335, -2.725)
    east, north = frame.to_local(53.345, -2.705)
    assert north == pytest.approx(1111.95, rel=1e-4)  # 0.01 degree of latitude
    assert east == pytest.approx(2 * 1111.95 * math.cos(math.radians(53.335)), rel=1e-4)


def test_plume_axes() -> None:
    downwind, crosswind = to_plume_axes(0.0, 100.0, 180.0)  # wind from the south blows north
    assert (downwind, crosswind) == pytest.approx((100.0, 0.0))


# --- the façade --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module", [plume_module, zones_module, maps_module], ids=lambda m: m.__name__
)
def test_facade_reexports_every_function_and_class_of_the_split_modules(module: object) -> None:
    defined_here = {
        name
        for name, value in inspect.getmembers(module)
        if (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == getattr(module, "__name__", "")
        and not name.startswith("_")
    }
    assert defined_here  # the module defines something
    assert defined_here <= set(hazard.__all__)
    assert all(getattr(hazard, name) is getattr(module, name) for name in defined_here)


def test_every_substance_records_whether_its_aegls_were_checked() -> None:
    from standby.scenarios.substances import SUBSTANCES

    for substance in SUBSTANCES.values():
        notes = " ".join(substance.sources[1:])
        assert "checked" in notes, substance.id
