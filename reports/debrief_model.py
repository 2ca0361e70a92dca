"""The debrief as plain data: what :func:`standby.reports.debrief.build_debrief` returns.

Every format of the report (HTML, Word, Markdown, JSON and the lessons CSV) is written from
one :class:`Debrief`; ``Debrief.to_json_dict`` is the JSON. Minutes are scenario minutes
(since the incident began); dates are local calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from standby.errors import StandbyError
from standby.reports.debrief_counterfactual import Counterfactual
from standby.reports.debrief_ratings import Suggestion
from standby.reports.observations import RATINGS, ExerciseDetails, Participant

if TYPE_CHECKING:
    from standby.simulator.results import HazardSummary


@dataclass(frozen=True, slots=True)
class MilestoneTiming:
    """One plan task: its target, the players' time and the model's runs.

    ``players_minute`` is the first ``milestone`` record of the task (None: not reached);
    ``model_ends`` the end minutes of the model's runs that finished it; ``earlier_pct`` the
    share of the model's runs that finished it by the players' minute.
    """

    task: str
    name: str
    agency: str
    target_minute: float | None
    players_minute: float | None
    players_clock: str
    logged_by: str | None
    model_runs: int
    model_ends: tuple[float, ...]
    model_median: float | None
    model_p10: float | None
    model_p90: float | None
    model_met_pct: float | None
    earlier_pct: float | None

    @property
    def players_met(self) -> bool | None:
        """Whether the players reached it within target (None: no target, or not reached)."""
        if self.target_minute is None or self.players_minute is None:
            return None
        return self.players_minute <= self.target_minute


@dataclass(frozen=True, slots=True)
class Evidence:
    """A log record or observation cited under an objective."""

    minute: float | None
    clock: str
    who: str
    kind: str
    text: str
    detail: str


@dataclass(frozen=True, slots=True)
class ObjectiveEvaluation:
    """An objective: its tasks' times, the rating (suggested or overridden) and the evidence."""

    objective: str
    text: str
    measured_by: str
    tasks: tuple[MilestoneTiming, ...]
    suggested: Suggestion
    rating: str | None
    rating_reason: str
    rating_source: str
    evidence: tuple[Evidence, ...]

    @property
    def rating_label(self) -> str:
        """``S: Performed with some challenges``, or ``not rated``."""
        return "not rated" if self.rating is None else f"{self.rating}: {RATINGS[self.rating]}"


@dataclass(frozen=True, slots=True)
class Finding:
    """A strength or area for improvement from the observations file, numbered."""

    id: str
    objective: str
    title: str
    observation: str
    evidence: str
    root_cause: str
    recommendation: str
    lesson: str
    theme: str
    source: str


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the improvement plan."""

    id: str
    action: str
    capability: str
    owner: str
    priority: str
    start: date | None
    due: date | None
    status: str
    objective: str
    finding: str


@dataclass(frozen=True, slots=True)
class Lesson:
    """A lesson identified, in the columns a lessons-learned system takes."""

    title: str
    theme: str
    observation: str
    lesson: str
    recommendation: str
    owner: str
    date: date


@dataclass(frozen=True, slots=True)
class Compliance:
    """This test of the plan, the one before it, and when the next is due.

    ``rule`` is the regulation that sets the three years (COMAH 2015 regulation 14 for an
    upper-tier site's off-site plan); empty when none does, and the three years are then
    the plan's own good practice.
    """

    rule: str
    test_date: date
    test_type: str
    previous_test: date | None
    previous_due: date | None
    in_time: bool | None
    next_due: date

    @property
    def plan(self) -> str:
        """What the plan tested is called: an off-site emergency plan under COMAH."""
        return "off-site emergency plan" if self.rule else "emergency plan"


@dataclass(frozen=True, slots=True)
class InjectPlayed:
    """An inject of the MSEL as played: when it was planned, and what became of it."""

    inject: str
    planned_minute: float | None
    status: str
    minute: float | None
    clock: str
    to: str
    text: str
    objective: str


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief report says, as plain data."""

    scenario: str
    title: str
    site: str
    operator: str
    comah_tier: str
    description: str
    legal_basis: str
    exercise: ExerciseDetails
    exercise_date_source: str
    timezone: str
    start: str
    start_local: str
    log_source: str
    log_records: int
    rota: str | None
    runs: int
    seed: int
    summary: tuple[str, ...]
    timeline: tuple[MilestoneTiming, ...]
    objectives: tuple[ObjectiveEvaluation, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    plan: tuple[Action, ...]
    lessons: tuple[Lesson, ...]
    compliance: Compliance
    counterfactual: Counterfactual
    participants: tuple[Participant, ...]
    injects: tuple[InjectPlayed, ...]
    decisions: tuple[Evidence, ...]
    hazard: HazardSummary | None
    assumptions: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON data (dates as ISO text), keys in field order."""
        return _plain(self)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3) + 0.0
    return value


class DebriefError(StandbyError):
    """A log or setting the debrief cannot use (each problem names its record)."""
