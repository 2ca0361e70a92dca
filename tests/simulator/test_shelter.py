"""Sheltering indoors: the single-zone model against its closed form and a brute-force ODE."""

from __future__ import annotations

import math

import pytest

from standby.simulator.shelter import Pulse, dose, indoor_ppm, minutes_above, three_ways


def _euler(
    pulses: tuple[Pulse, ...],
    changes_per_hour: float,
    n: float,
    until: float,
    leave_at: float | None = None,
    route: float = 0.0,
    step: float = 0.0005,
) -> tuple[float, float]:
    """Peak and load of dCin/dt = lambda (Cout - Cin) by small explicit steps (the oracle)."""
    rate = changes_per_hour / 60.0
    inside, peak, load, t = 0.0, 0.0, 0.0, 0.0
    while t < until:
        outdoor = sum(p.ppm for p in pulses if p.start <= t < p.end)
        if leave_at is not None and t >= leave_at + route:
            break
        breathed = outdoor if leave_at is not None and t >= leave_at else inside
        peak = max(peak, breathed)
        load += breathed**n * step
        inside += rate * (outdoor - inside) * step
        t += step
    return peak, load


def test_indoor_concentration_follows_the_closed_form() -> None:
    # Cin = Cout (1 - exp(-lambda (t - t0))): 0.5 /h for 30 min gives 1 - e^-0.25
    assert indoor_ppm(10.0, 0.5, 30.0) == pytest.approx(10.0 * (1.0 - math.exp(-0.25)))
    assert indoor_ppm(10.0, 1.0, 0.0) == 0.0
    assert indoor_ppm(10.0, 1.0, 10_000.0) == pytest.approx(10.0)


def test_one_pulse_peaks_at_the_closed_form_when_the_plume_has_passed() -> None:
    pulse = Pulse(5.0, 30.0, 12.0)  # 25 minutes of 12 ppm outdoors
    sheltered = dose((pulse,), 1.0, 2.0, 480.0)
    assert sheltered.peak_ppm == pytest.approx(12.0 * (1.0 - math.exp(-25.0 / 60.0)))


def test_toxic_load_of_one_pulse_is_the_hand_integral() -> None:
    # n = 2: rise C^2 [D - 2(1 - e^-lD)/l + (1 - e^-2lD)/(2l)], then decay Cp^2 (1 - e^-2lT)/(2l)
    c, lam, d, horizon = 8.0, 0.75 / 60.0, 20.0, 300.0
    rise = c**2 * (
        d - 2 * (1 - math.exp(-lam * d)) / lam + (1 - math.exp(-2 * lam * d)) / (2 * lam)
    )
    cp = c * (1 - math.exp(-lam * d))
    tail = horizon - (10.0 + d)
    decay = cp**2 * (1 - math.exp(-2 * lam * tail)) / (2 * lam)
    result = dose((Pulse(10.0, 10.0 + d, c),), 0.75, 2.0, horizon)
    assert result.toxic_load == pytest.approx(rise + decay, rel=1e-9)


def test_over_all_time_the_indoor_dose_equals_the_outdoor_one() -> None:
    # a single zone without sinks lets in exactly what passes by: integral Cin dt = C x D
    result = dose((Pulse(0.0, 25.0, 6.0),), 1.0, 1.0, 20_000.0)
    assert result.toxic_load == pytest.approx(6.0 * 25.0, rel=1e-9)


def test_two_overlapping_pulses_and_a_non_integer_exponent_match_a_brute_force_ode() -> None:
    pulses = (Pulse(3.0, 20.0, 5.0), Pulse(12.0, 40.0, 2.0))
    peak, load = _euler(pulses, 1.5, 2.5, 120.0)
    result = dose(pulses, 1.5, 2.5, 120.0)
    assert result.peak_ppm == pytest.approx(peak, rel=1e-3)
    assert result.toxic_load == pytest.approx(load, rel=2e-3)


def test_evacuating_through_the_plume_breathes_outdoor_air_on_the_route() -> None:
    pulses = (Pulse(5.0, 35.0, 10.0),)
    peak, load = _euler(pulses, 1.0, 2.0, 200.0, leave_at=15.0, route=10.0)
    result = dose(pulses, 1.0, 2.0, 200.0, leave_at=15.0, route_minutes=10.0)
    assert result.peak_ppm == pytest.approx(10.0)  # outdoors inside the plume
    assert result.toxic_load == pytest.approx(load, rel=2e-3)
    assert peak == pytest.approx(10.0)


def test_leaving_after_the_plume_has_passed_stops_the_indoor_decay() -> None:
    pulses = (Pulse(0.0, 20.0, 4.0),)
    stayed = dose(pulses, 1.0, 2.0, 300.0)
    left = dose(pulses, 1.0, 2.0, 300.0, leave_at=40.0, route_minutes=10.0)
    _, load = _euler(pulses, 1.0, 2.0, 300.0, leave_at=40.0, route=10.0)
    assert left.peak_ppm == pytest.approx(stayed.peak_ppm)
    assert left.toxic_load == pytest.approx(load, rel=2e-3)
    assert left.toxic_load is not None and stayed.toxic_load is not None
    assert left.toxic_load < stayed.toxic_load


def test_outdoors_the_load_is_c_to_the_n_times_t() -> None:
    assert dose((Pulse(2.0, 32.0, 3.0),), None, 2.0, 480.0).toxic_load == pytest.approx(270.0)


def test_indoor_air_stays_above_aegl1_for_ln_ratio_over_lambda() -> None:
    # 2 ppm decaying at 1 /h falls below 0.5 ppm after ln(4) hours
    assert minutes_above(2.0, 0.5, 1.0) == pytest.approx(60.0 * math.log(4.0))
    assert minutes_above(0.4, 0.5, 1.0) == 0.0


def test_all_three_ways_at_once_match_the_brute_force_ode() -> None:
    pulses = (Pulse(4.0, 29.0, 7.0),)
    outdoor, sheltered, evacuated = three_ways(pulses, 1.2, 2.0, 240.0, 60.0, 15.0)
    assert outdoor.peak_ppm == 7.0 and outdoor.toxic_load == pytest.approx(49.0 * 25.0)
    peak, load = _euler(pulses, 1.2, 2.0, 240.0)
    assert sheltered.peak_ppm == pytest.approx(peak, rel=1e-3)
    assert sheltered.toxic_load == pytest.approx(load, rel=2e-3)
    assert evacuated is not None
    _, left = _euler(pulses, 1.2, 2.0, 240.0, leave_at=60.0, route=15.0)
    assert evacuated.toxic_load == pytest.approx(left, rel=2e-3)
    # leaving while the plume is still there goes through the general path
    _, through = three_ways(pulses, 1.2, 2.0, 240.0, 10.0, 15.0)[1:]
    assert through is not None and through.peak_ppm == 7.0
