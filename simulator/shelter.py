"""What people breathe outdoors, sheltering indoors, or evacuating through the plume.

The plume reaches a receptor as **pulses**: a steady outdoor concentration from the minute it
arrives for as long as the release fed it. Indoors is one well-mixed zone that outdoor air
leaks into at ``lambda`` air changes per hour (doors and windows shut):

    dCin/dt = lambda (Cout - Cin),   so for a constant Cout from t0:
    Cin(t) = Cout + (Cin(t0) - Cout) exp(-lambda (t - t0))

which is solved exactly piece by piece (the outdoor concentration is constant between the
pulses' edges). After the plume has passed, indoor air stays contaminated and decays at the
same rate until the building is aired. An evacuee stays indoors until leaving, is outdoors
on the route for a while (breathing the outdoor air), and is then out of the area.

For each way of spending the time, :func:`dose` gives the peak concentration breathed and the
toxic load (integral of C^n dt, HSE's dangerous toxic load form), exactly for whole ``n``.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass


@functools.cache
def _gauss_legendre() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """16-point Gauss-Legendre nodes and weights on [0, 1], for an exponent that is not a
    whole number."""
    import numpy as np

    nodes, weights = np.polynomial.legendre.leggauss(16)
    return tuple(float(0.5 * (x + 1.0)) for x in nodes), tuple(float(0.5 * w) for w in weights)


@dataclass(frozen=True, slots=True)
class Pulse:
    """The plume over a receptor: ``ppm`` outdoors from minute ``start`` to ``end``."""

    start: float
    end: float
    ppm: float


@dataclass(frozen=True, slots=True)
class Dose:
    """The peak concentration breathed (ppm) and the toxic load (None without ``n``)."""

    peak_ppm: float
    toxic_load: float | None


def indoor_ppm(
    outdoor_ppm: float, changes_per_hour: float, minutes: float, start_ppm: float = 0.0
) -> float:
    """Indoor concentration ``minutes`` after a steady outdoor ``outdoor_ppm`` began."""
    decay = math.exp(-changes_per_hour / 60.0 * minutes)
    return outdoor_ppm + (start_ppm - outdoor_ppm) * decay


def _segment_load(a: float, b: float, rate: float, minutes: float, n: float) -> float:
    """Integral over ``minutes`` of (a + b exp(-rate s))^n ds (rate per minute)."""
    if b == 0.0 or rate == 0.0:
        return (a + b) ** n * minutes if a + b > 0.0 else 0.0
    if n == int(n) and n >= 0:
        whole = int(n)
        total = a**whole * minutes
        for k in range(1, whole + 1):
            total += (
                math.comb(whole, k)
                * a ** (whole - k)
                * b**k
                * (-math.expm1(-k * rate * minutes) / (k * rate))
            )
        return max(total, 0.0)
    nodes, weights = _gauss_legendre()
    return minutes * sum(
        w * float(max(a + b * math.exp(-rate * minutes * x), 0.0) ** n)
        for x, w in zip(nodes, weights, strict=True)
    )


def dose(
    pulses: tuple[Pulse, ...],
    changes_per_hour: float | None,
    n: float | None,
    until: float,
    *,
    leave_at: float | None = None,
    route_minutes: float = 0.0,
) -> Dose:
    """Peak and toxic load of someone at the receptor up to minute ``until``.

    ``changes_per_hour`` None: outdoors all the time; otherwise indoors with that air
    exchange until ``leave_at`` (None: never leaves), then outdoors for ``route_minutes``,
    then out of the area.
    """
    if not pulses:
        return Dose(0.0, None if n is None else 0.0)
    if len(pulses) == 1 and pulses[0].end <= until:
        quick = _one_pulse(pulses[0], changes_per_hour, n, until, leave_at)
        if quick is not None:
            return quick
    edges = {0.0, until}
    for pulse in pulses:
        edges.update((pulse.start, pulse.end))
    if leave_at is not None:
        edges.update((leave_at, leave_at + route_minutes))
    times = sorted(t for t in edges if 0.0 <= t <= until)
    rate = 0.0 if changes_per_hour is None else changes_per_hour / 60.0
    inside, peak, load = 0.0, 0.0, 0.0
    for t0, t1 in itertools.pairwise(times):
        span = t1 - t0
        if span <= 0.0:
            continue
        outdoor = sum(p.ppm for p in pulses if p.start <= t0 < p.end)
        gone = leave_at is not None and t0 >= leave_at + route_minutes
        on_route = leave_at is not None and leave_at <= t0 < leave_at + route_minutes
        if gone:
            break
        if changes_per_hour is None or on_route:
            peak = max(peak, outdoor)
            if n is not None and outdoor > 0.0:
                load += outdoor**n * span
            continue
        after = outdoor + (inside - outdoor) * math.exp(-rate * span)
        peak = max(peak, inside, after)
        if n is not None and (outdoor > 0.0 or inside > 0.0):
            load += _segment_load(outdoor, inside - outdoor, rate, span, n)
        inside = after
    return Dose(peak, None if n is None else load)


def _one_pulse(
    pulse: Pulse,
    changes_per_hour: float | None,
    n: float | None,
    until: float,
    leave_at: float | None,
) -> Dose | None:
    """The closed forms of one pulse, when nobody is on the road through it (else None)."""
    span = pulse.end - pulse.start
    c = pulse.ppm
    if changes_per_hour is None:
        return Dose(c, None if n is None else c**n * span)
    if leave_at is not None and leave_at < pulse.end:
        return None  # leaves while the plume is there: the general path
    rate = changes_per_hour / 60.0
    peak = c * -math.expm1(-rate * span)
    if n is None:
        return Dose(peak, None)
    stay = until if leave_at is None else min(leave_at, until)
    load = _segment_load(c, -c, rate, span, n) + _segment_load(0.0, peak, rate, stay - pulse.end, n)
    return Dose(peak, load)


def three_ways(
    pulses: tuple[Pulse, ...],
    changes_per_hour: float,
    n: float | None,
    until: float,
    leave_at: float | None,
    route_minutes: float,
) -> tuple[Dose, Dose, Dose | None]:
    """Outdoors, sheltering and evacuating at ``leave_at`` (None: not evacuated), at once.

    The same as three calls of :func:`dose`, sharing the closed forms of a single pulse.
    """
    if (
        len(pulses) == 1
        and pulses[0].end <= until
        and (leave_at is None or leave_at >= pulses[0].end)
    ):
        pulse = pulses[0]
        span, c = pulse.end - pulse.start, pulse.ppm
        rate = changes_per_hour / 60.0
        peak = c * -math.expm1(-rate * span)
        outdoor = Dose(c, None if n is None else c**n * span)
        if n is None:
            sheltered = Dose(peak, None)
            return outdoor, sheltered, None if leave_at is None else sheltered
        rise = _segment_load(c, -c, rate, span, n)
        sheltered = Dose(peak, rise + _segment_load(0.0, peak, rate, until - pulse.end, n))
        if leave_at is None:
            return outdoor, sheltered, None
        stay = min(leave_at, until) - pulse.end
        return outdoor, sheltered, Dose(peak, rise + _segment_load(0.0, peak, rate, stay, n))
    evacuated = (
        None
        if leave_at is None
        else dose(
            pulses, changes_per_hour, n, until, leave_at=leave_at, route_minutes=route_minutes
        )
    )
    return dose(pulses, None, n, until), dose(pulses, changes_per_hour, n, until), evacuated


def minutes_above(peak_ppm: float, threshold_ppm: float | None, changes_per_hour: float) -> float:
    """How long indoor air stays at or above ``threshold_ppm`` after the plume has passed,
    if the building is not aired (it decays at the same air exchange rate)."""
    if threshold_ppm is None or peak_ppm <= threshold_ppm or threshold_ppm <= 0.0:
        return 0.0
    return math.log(peak_ppm / threshold_ppm) / (changes_per_hour / 60.0)
