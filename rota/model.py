"""The rota as plain data: people, shifts, leave, requirements, role settings and findings.

Every instant here is an aware ``datetime`` in UTC. Local wall-clock times exist only in the
files (``rota.io``) and in what is printed; ``rota.clock`` converts between the two.
Shifts are frozen dataclasses rather than pydantic models because a year's rota can hold
tens of thousands of them and the coverage sweep must stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Literal

from standby.clock import DEFAULT_TIMEZONE, iso_z

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: A requirement window's day that means every (weekday) bank holiday of the region.
BANK_HOLIDAY = "bank_holiday"
OverrideMode = Literal["replace", "add"]
#: How a role's stand-by time counts for the Working Time Regulations (see :class:`RoleRules`).
StandbyMode = Literal["work", "rest", "by_response_time"]
STANDBY_MODES: tuple[StandbyMode, ...] = ("work", "rest", "by_response_time")
#: How weekly rest is given (reg 11(1) each week, or the reg 11(2) fortnightly option).
WeeklyRest = Literal["weekly", "fortnightly"]
#: Finding kinds, most urgent first (the order the text report lists them in).
FINDING_KINDS = (
    "unmatched_role",
    "no_primary",
    "double_booking",
    "leave_clash",
    "unknown_person",
    "unqualified",
    "working_time",
)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can be on call."""

    id: str
    name: str
    roles: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    answer_probability: float | None = None
    home_base: str | None = None
    home_location: tuple[float, float] | None = None  # (lat, lon)
    phone: str | None = None
    #: Contracted day-job hours, a weekly pattern of local days and times (empty: none
    #: known). A day job is worked every week except on bank holidays and leave.
    day_job: tuple[TimeWindow, ...] = ()


@dataclass(frozen=True, slots=True)
class Shift:
    """One person on call for one role over ``[start, end)`` (UTC).

    ``level`` is the escalation order: 1 primary, 2 first backup, and so on.
    ``source`` says where the shift came from (``rota.csv:12``) for messages.
    """

    person: str
    role: str
    start: datetime
    end: datetime
    level: int = 1
    source: str = ""
    phone: str | None = None
    notes: str | None = None

    @property
    def hours(self) -> float:
        """Elapsed hours (23 or 25 for a 09:00-09:00 day on a clock-change day)."""
        return (self.end - self.start).total_seconds() / 3600.0


@dataclass(frozen=True, slots=True)
class Leave:
    """A period ``[start, end)`` (UTC) when a person is not available."""

    person: str
    start: datetime
    end: datetime
    source: str = ""


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Local days and wall-clock times in which a requirement applies.

    ``days`` holds ``mon`` ... ``sun`` and may hold ``bank_holiday``: every (weekday) bank
    holiday of the region checked, whatever its weekday. A day opens the window when its
    weekday is listed or it is a bank holiday and ``bank_holiday`` is listed.
    ``start == end`` means all day. ``end <= start`` wraps past midnight (``18:00`` to
    ``08:00`` starts on each listed day and ends the next morning).
    """

    days: tuple[str, ...] = WEEKDAYS
    start: time = time(0, 0)
    end: time = time(0, 0)


@dataclass(frozen=True, slots=True)
class Override:
    """A planner's change to the rota for ``role`` at ``level`` over ``[start, end)`` (UTC).

    ``replace`` trims the shifts of that role and level in the period and puts ``person``
    in; with no person the period is left uncovered on purpose (a deliberate gap).
    ``add`` adds ``person`` as extra cover and leaves the rest alone. The rota's shifts are
    already the result of its overrides; :attr:`Rota.overrides` keeps them as a record.
    """

    role: str
    start: datetime
    end: datetime
    person: str | None
    mode: OverrideMode = "replace"
    level: int = 1
    source: str = ""
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least ``minimum`` people on call for ``role`` at every instant (inside ``when``).

    A planned event (a march, a concert, bonfire night) is a requirement with a ``name`` and
    ``dates``: the UTC periods it applies in (with ``when``, only where both apply).
    """

    role: str
    minimum: int = 1
    when: TimeWindow | None = None
    qualification: str | None = None
    source: str = ""
    name: str | None = None
    dates: tuple[tuple[datetime, datetime], ...] | None = None


@dataclass(frozen=True, slots=True)
class Callout:
    """Time someone actually spent on a call-out, ``[start, end)`` (UTC), from a call-out log.

    Call-out time is always working time, whatever the role's stand-by setting.
    """

    person: str
    start: datetime
    end: datetime
    role: str | None = None
    source: str = ""
    notes: str | None = None


#: Where a stand-by response time makes stand-by work (minutes, under this), and call-outs
#: so frequent that free time cannot be planned (per week of stand-by, this many or more):
#: assumed from Matzak C-518/15 (8 minutes: work), C-214/20 (10 minutes, free to take other
#: work: not work) and C-580/19 (20 minutes: frequency of call-outs decides). See
#: docs/assumptions.md.
STANDBY_WORK_RESPONSE_MINUTES = 10.0
STANDBY_WORK_CALLOUTS_PER_WEEK = 7.0


@dataclass(frozen=True, slots=True)
class RoleRules:
    """Working-time settings for one role (a ``working_time:`` entry).

    ``standby`` says how time on call in the role counts: ``work`` (the default: at the
    workplace, or so constrained that free time is lost, as in Matzak C-518/15), ``rest``
    (free to rest at home), or ``by_response_time``: work when ``response_minutes`` is under
    :data:`STANDBY_WORK_RESPONSE_MINUTES` or ``callouts_per_week`` (expected per week of
    stand-by) is at least :data:`STANDBY_WORK_CALLOUTS_PER_WEEK`, else rest. Actual
    call-outs (``Rota.callouts``) are work whatever this says.

    ``reference_weeks`` is the reg 4 averaging period: 17, or 26 where reg 21 applies (civil
    protection and other services needing continuity), up to 52 by agreement (reg 23).
    ``weekly_rest`` is ``weekly`` (reg 11(1)) or ``fortnightly`` (reg 11(2)); with
    ``weekly_rest_may_include_daily_rest`` False (the default, reg 11(7)) the weekly rest
    must not eat into the 11 h daily rest, so 24 h becomes 35 h. ``hazardous_night_work``:
    night work in the role involves special hazards or heavy strain (reg 6(7): 8 h in any 24).
    ``max_consecutive_days`` (default None, no limit): the local limit on consecutive
    on-call days in this role.
    """

    standby: StandbyMode = "work"
    response_minutes: float | None = None
    callouts_per_week: float | None = None
    reference_weeks: int = 17
    weekly_rest: WeeklyRest = "weekly"
    weekly_rest_may_include_daily_rest: bool = False
    hazardous_night_work: bool = False
    max_consecutive_days: int | None = None

    @property
    def counts_as_work(self) -> bool:
        """True when stand-by in this role is working time, by :attr:`standby`."""
        if self.standby != "by_response_time":
            return self.standby == "work"
        quick = (
            self.response_minutes is not None
            and self.response_minutes < STANDBY_WORK_RESPONSE_MINUTES
        )
        busy = (
            self.callouts_per_week is not None
            and self.callouts_per_week >= STANDBY_WORK_CALLOUTS_PER_WEEK
        )
        return quick or busy

    def standby_text(self) -> str:
        """How stand-by counts, in words, for findings and reports."""
        if self.standby != "by_response_time":
            return f"stand-by is {self.standby}"
        parts = []
        if self.response_minutes is not None:
            parts.append(f"a {self.response_minutes:g}-minute response")
        if self.callouts_per_week is not None:
            parts.append(f"{self.callouts_per_week:g} call-outs a week expected")
        why = " and ".join(parts) or "no response time given"
        return f"stand-by is {'work' if self.counts_as_work else 'rest'} ({why})"


@dataclass(frozen=True, slots=True)
class FillWeights:
    """How ``rota fill`` weighs fairness, changes and people contacted (a ``fill:`` section).

    Filling every required minute always comes first. Then the fairness measures, each
    converted to hours by its weight before the spread is taken: ``nights: 4`` makes one
    night weigh like 4 hours on call, ``weekend_hours: 1`` counts a weekend hour once more on
    top of being an hour. Then ``changes`` (each proposed shift) against ``people`` (each
    person contacted). A weight of 0 leaves that measure out.
    """

    hours: float = 1.0
    nights: float = 4.0
    weekend_hours: float = 1.0
    bank_holiday_hours: float = 2.0
    changes: float = 1.0
    people: float = 1.0


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in the rota a planner should look at; reported, never corrected.

    ``kind`` is one of :data:`FINDING_KINDS`. The coverage check finds most of them, the
    Working Time Regulations checks (``rota.rules``) the ``working_time`` ones.
    """

    kind: str
    person: str
    start: datetime
    end: datetime
    detail: str
    role: str | None = None
    #: For ``working_time``: the rule broken (``reg 4``, ``reg 6``, ``reg 6(7)``, ``reg 10``,
    #: ``reg 11``, ``reg 12``, ``local limit``), and by how much, in the rule's unit (hours,
    #: or days for the local limit), so that a summary can show the worst case.
    rule: str | None = None
    excess: float | None = None

    def to_json_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data (times UTC with ``Z``)."""
        return {
            "kind": self.kind,
            "person": self.person,
            "role": self.role,
            "rule": self.rule,
            "excess": self.excess,
            "start": iso_z(self.start),
            "end": iso_z(self.end),
            "detail": self.detail,
        }


@dataclass
class Rota:
    """A whole rota as read from one or more files.

    ``people`` is empty when the files carry no people list; then a shift's person is taken
    at its word and never reported as unknown. ``callouts`` is the call-out log: time
    actually worked on call-outs. ``overrides`` records the overrides the
    shifts were built with (in the order applied); they are already applied to ``shifts``
    and are never applied again. ``role_rules`` holds the file's working-time settings per
    role (a YAML rota's ``working_time:`` section); a role not in it takes the defaults.
    """

    timezone: str = DEFAULT_TIMEZONE
    people: dict[str, Person] = field(default_factory=dict)
    shifts: list[Shift] = field(default_factory=list)
    leave: list[Leave] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    role_rules: dict[str, RoleRules] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: A YAML rota's ``fill:`` weights, None when it has none (``rota fill`` then uses the
    #: requirements file's, or the defaults).
    fill_weights: FillWeights | None = None

    @property
    def roles(self) -> list[str]:
        """Every role named by a shift or a requirement, in first-seen order."""
        seen: dict[str, None] = {}
        for requirement in self.requirements:
            seen.setdefault(requirement.role, None)
        for shift in self.shifts:
            seen.setdefault(shift.role, None)
        return list(seen)
