"""The debrief's counterfactual: the model re-run with the players' own times.

The model's own runs and the counterfactual runs use the same seeds, run ``i`` of both from
child ``i`` of one ``SeedSequence``; the counterfactual pins every plan task the players
reached (a ``milestone`` in the log) at its logged minute
(:mod:`standby.simulator.plan`). Because a pin changes no random stream, each pair of runs
differs only by what the players' times changed, and the difference is read pair by pair.

What a run's consequences are is read in one place, :func:`consequences`, from the run's
result (its KPIs and hazard summary); :data:`MEASURES` says how each is named and which way
is worse. A new per-run hazard figure is added there and nowhere else.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from standby.simulator.people_setup import WARNING_ZONES

if TYPE_CHECKING:
    from standby.rota.model import Rota
    from standby.scenarios.model import Scenario
    from standby.simulator.results import RunResult

HARM_ZONES = WARNING_ZONES
"""Receptors in these zones count as 'above AEGL-2' (with no toxic release: 'in the area at
risk', every receptor's one zone)."""


@dataclass(frozen=True, slots=True)
class Wording:
    """How the report names the people at risk and what reaches them."""

    people: str
    hazard: str


TOXIC = Wording("above AEGL-2", "the plume")
NO_RELEASE = Wording("in the area at risk", "the hazard")


@dataclass(frozen=True, slots=True)
class Consequences:
    """What one run meant for the people at risk (a minute is None when it never happened).

    ``above_aegl2_outdoors`` is the people in AEGL-2 or AEGL-3 not yet warned (in person or
    by the broadcast) when the plume reached them, so taken to be outdoors or unprepared;
    ``above_aegl2_indoors`` those warned before it, so sheltering indoors inside the zone.
    ``plume_to_warning_minutes`` is the people-weighted mean time from the plume's arrival
    to their warning (to the scenario's end for people never warned; 0 for people warned
    before it arrived). ``rest_centre_queue`` counts the people who had to wait outside for
    a rest centre to open (until it opened, or still at the end).
    """

    above_aegl2_outdoors: int
    above_aegl2_indoors: int
    plume_to_warning_minutes: float
    vulnerable_premises: int
    vulnerable_warned_before_plume: int
    last_vulnerable_warned_minute: float | None
    public_warned_minute: float | None
    first_rest_centre_open_minute: float | None
    rest_centre_queue: int
    registration_wait_max_minutes: float | None


Worse = Literal["higher", "lower", "neither"]


@dataclass(frozen=True, slots=True)
class Measure:
    """How one field of :class:`Consequences` is shown and which way is worse."""

    field: str
    label: str
    unit: Literal["people", "premises", "minute", "minutes"]
    worse: Worse
    sentence: str  # how the summary says it: {value} is the figure

    def value_text(self, value: float | None) -> str:
        """``+83 min``, ``38 min``, ``2220``, or ``never`` for a minute that never came."""
        if value is None:
            return "never"
        if self.unit == "minute":
            return f"+{value:.0f} min"
        if self.unit == "minutes":
            return f"{value:.0f} min"
        return f"{value:g}"

    def says(self, value: float | None, wording: Wording = TOXIC) -> str:
        """The summary's sentence with ``value`` in it."""
        return self.sentence.format(
            value=self.value_text(value), people=wording.people, hazard=wording.hazard
        )

    def named(self, wording: Wording = TOXIC) -> str:
        """The measure's label in the scenario's words."""
        return self.label.format(people=wording.people, hazard=wording.hazard)


MEASURES = (
    Measure(
        "above_aegl2_outdoors",
        "People {people} outdoors (not warned before {hazard} reached them)",
        "people",
        "higher",
        "{value} people {people} were not yet warned when {hazard} reached them",
    ),
    Measure(
        "above_aegl2_indoors",
        "People {people} indoors (warned before {hazard}, sheltering)",
        "people",
        "neither",
        "{value} people {people} were warned before it and sheltering",
    ),
    Measure(
        "plume_to_warning_minutes",
        "Mean time from the arrival of {hazard} to the warning, people {people}",
        "minutes",
        "higher",
        "people {people} were warned on average {value} after {hazard} reached them",
    ),
    Measure(
        "vulnerable_warned_before_plume",
        "Vulnerable premises {people} warned in person before {hazard}",
        "premises",
        "lower",
        "{value} vulnerable premises were warned in person before {hazard}",
    ),
    Measure(
        "last_vulnerable_warned_minute",
        "Last vulnerable premises warned in person",
        "minute",
        "higher",
        "the last vulnerable premises was warned in person at {value}",
    ),
    Measure(
        "public_warned_minute",
        "Public warned by broadcast",
        "minute",
        "higher",
        "the public was warned by broadcast at {value}",
    ),
    Measure(
        "first_rest_centre_open_minute",
        "First rest centre open",
        "minute",
        "higher",
        "the first rest centre opened at {value}",
    ),
    Measure(
        "rest_centre_queue",
        "People waiting outside for a rest centre to open",
        "people",
        "higher",
        "{value} people waited outside for a rest centre to open",
    ),
    Measure(
        "registration_wait_max_minutes",
        "Longest wait to register at a rest centre",
        "minutes",
        "higher",
        "the longest wait to register at a rest centre was {value}",
    ),
)


def measure(field: str) -> Measure:
    """The measure of one field of :class:`Consequences`."""
    return next(m for m in MEASURES if m.field == field)


def consequences(result: RunResult, vulnerable: Collection[str] = ()) -> Consequences:
    """The consequences of one run, read from its KPIs (each receptor's warnings against the
    plume); ``vulnerable`` are the ids of the scenario's vulnerable receptors."""
    kpis = result.kpis
    if kpis is None:
        raise ValueError("a run without people KPIs has no consequences to compare")
    outdoors = indoors = 0
    weighted = 0.0
    premises = before = 0
    for warning in kpis.warnings:
        if warning.zone not in HARM_ZONES:
            continue
        arrival = warning.plume_arrival_minute or 0.0
        if warning.before_plume:
            indoors += warning.people
        else:
            outdoors += warning.people
            warned = warning.warned_minute
            until = result.duration_minutes if warned is None else warned
            weighted += warning.people * max(until - arrival, 0.0)
        if warning.receptor in vulnerable:
            premises += 1
            knocked = warning.in_person_minute
            before += knocked is not None and knocked <= arrival
    people = outdoors + indoors
    return Consequences(
        above_aegl2_outdoors=outdoors,
        above_aegl2_indoors=indoors,
        plume_to_warning_minutes=round(weighted / people, 3) if people else 0.0,
        vulnerable_premises=premises,
        vulnerable_warned_before_plume=before,
        last_vulnerable_warned_minute=kpis.all_vulnerable_warned_minute,
        public_warned_minute=kpis.public_warned_minute,
        first_rest_centre_open_minute=kpis.first_rest_centre_open_minute,
        rest_centre_queue=kpis.waited_for_opening + kpis.waiting_at_end,
        registration_wait_max_minutes=kpis.registration_wait_max_minutes,
    )


# --- model against players --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pin:
    """A plan task held at the players' minute; the model's median end beside it."""

    task: str
    name: str
    minute: float
    model_median: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One measure over the paired runs: model and players side by side.

    Medians are over the runs in which the figure happened (``model_happened`` and
    ``players_happened`` say in how many); ``worse``, ``same`` and ``better`` count the
    pairs in which the players' run came out worse, the same or better (a minute that never
    came is later than any that did).
    """

    field: str
    label: str
    unit: str
    worse_is: Worse
    runs: int
    model_median: float | None
    players_median: float | None
    model_happened: int
    players_happened: int
    worse: int
    same: int
    better: int

    @property
    def change(self) -> float | None:
        """Players' median less the model's (None when either never happened)."""
        if self.model_median is None or self.players_median is None:
            return None
        return round(self.players_median - self.model_median, 2)


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """The model's own runs and the runs with the players' times, same seeds, compared."""

    runs: int
    seed: int
    pins: tuple[Pin, ...]
    comparisons: tuple[Comparison, ...]
    model: tuple[Consequences, ...]
    players: tuple[Consequences, ...]
    wording: Wording = TOXIC

    def comparison(self, field: str) -> Comparison:
        """The comparison of one measure, by its field name."""
        return next(c for c in self.comparisons if c.field == field)


def compare(
    model: Sequence[Consequences],
    players: Sequence[Consequences],
    duration: float,
    wording: Wording = TOXIC,
) -> tuple[Comparison, ...]:
    """Each measure over paired runs (``duration``: a minute that never came counts later)."""
    comparisons = []
    for measure in MEASURES:
        pairs = [
            (getattr(m, measure.field), getattr(p, measure.field))
            for m, p in zip(model, players, strict=True)
        ]
        worse = same = better = 0
        for base, played in pairs:
            # a minute that never came counts as later than any that did
            diff = (duration + 1.0 if played is None else float(played)) - (
                duration + 1.0 if base is None else float(base)
            )
            if abs(diff) < 1e-9:
                same += 1
            elif measure.worse == "neither":
                continue
            elif (diff > 0) == (measure.worse == "higher"):
                worse += 1
            else:
                better += 1
        model_values = [float(b) for b, _ in pairs if b is not None]
        player_values = [float(p) for _, p in pairs if p is not None]
        comparisons.append(
            Comparison(
                field=measure.field,
                label=measure.named(wording),
                unit=measure.unit,
                worse_is=measure.worse,
                runs=len(pairs),
                model_median=_median(model_values),
                players_median=_median(player_values),
                model_happened=len(model_values),
                players_happened=len(player_values),
                worse=worse,
                same=same,
                better=better,
            )
        )
    return tuple(comparisons)


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


@dataclass(frozen=True)
class PairedRuns:
    """The model's own runs and the players' runs (same seeds), in replication order."""

    model: tuple[RunResult, ...]
    players: tuple[RunResult, ...]


def paired_runs(
    scenario: Scenario,
    pins: Mapping[str, float],
    *,
    rota: Rota | None = None,
    rota_name: str | None = None,
    start: datetime | None = None,
    seed: int = 1,
    runs: int = 200,
    progress: Callable[[int], None] | None = None,
) -> PairedRuns:
    """Run the scenario ``runs`` times without pins and ``runs`` times with ``pins``
    (``progress`` is told how many of the ``2 * runs`` are done)."""
    from standby.simulator.model import prepare, simulate

    def second_half(done: int) -> None:
        if progress is not None:
            progress(runs + done)

    own = prepare(scenario, rota, rota_name)
    pinned = prepare(scenario, rota, rota_name, pinned=pins)
    return PairedRuns(
        tuple(simulate(own, start, seed, runs, progress=progress)),
        tuple(simulate(pinned, start, seed, runs, progress=second_half)),
    )


def counterfactual(
    paired: PairedRuns, pins: Sequence[Pin], seed: int, scenario: Scenario
) -> Counterfactual:
    """The comparison of paired runs of ``scenario``, measure by measure."""
    vulnerable = {r.id for r in scenario.receptors if r.vulnerable}
    model = tuple(consequences(r, vulnerable) for r in paired.model)
    players = tuple(consequences(r, vulnerable) for r in paired.players)
    duration = paired.model[0].duration_minutes
    wording = TOXIC if scenario.hazard is not None else NO_RELEASE
    return Counterfactual(
        runs=len(model),
        seed=seed,
        pins=tuple(pins),
        comparisons=compare(model, players, duration, wording),
        model=model,
        players=players,
        wording=wording,
    )
