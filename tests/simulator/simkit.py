"""Small scenarios and rosters for the simulator tests (imported as simkit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from standby.rota.model import Person, Rota, Shift
from standby.scenarios.model import Scenario
from standby.simulator.roster import Roster

START = datetime(2026, 11, 12, 2, 10, tzinfo=UTC)


def make_scenario(**sections: Any) -> Scenario:
    """A minimal valid scenario; keyword arguments replace whole sections."""
    data: dict[str, Any] = {
        "name": "test",
        "title": "Test",
        "description": "Test scenario",
        "site": {
            "name": "Site",
            "operator": "Operator",
            "comah_tier": "upper",
            "location": {"lat": 53.335, "lon": -2.725},
        },
        "start": "2026-11-12 02:10",
        "duration_minutes": 480,
        "legal_basis": "COMAH 2015",
        "hazard": {
            "substance": "chlorine",
            "release": {"rate_gs": 100, "duration_minutes": 10},
            "weather": {"wind_speed_ms": 3, "wind_from_deg": 225, "stability": "D"},
        },
        "agencies": [
            {"id": "site", "name": "Site", "category": "operator"},
            {"id": "council", "name": "Council", "category": "cat1"},
        ],
        "links": [
            {"from": "site", "to": "council", "channel": "phone", "delay": fixed(1)},
        ],
        "alert": {"raised_by": "site", "declared_by": "site", "declare_after": fixed(0)},
        "plan": {"tasks": [{"id": "t", "name": "T", "agency": "site", "duration": fixed(1)}]},
    }
    data.update(sections)
    return Scenario.model_validate(data)


def fixed(value: float) -> dict[str, Any]:
    """A fixed distribution in scenario form."""
    return {"dist": "fixed", "value": value}


OnCallShift = tuple[str, str, int, datetime, datetime, float | None]
"""``(rota id, rota role, level, start, end, answer probability)`` of one shift (UTC)."""


def make_roster(shifts: list[OnCallShift], names: dict[str, str] | None = None) -> Roster:
    """A roster built from a real rota: one person per rota id (named ``names[id]``, else the
    id), each answering with the probability given on their shift."""
    people: dict[str, Person] = {}
    rota_shifts = []
    for person, role, level, start, end, probability in shifts:
        name = (names or {}).get(person, person)
        people[person] = Person(person, name, answer_probability=probability)
        rota_shifts.append(Shift(person, role, start, end, level=level))
    return Roster.from_rota(Rota(people=people, shifts=rota_shifts))


def team_role(count: int = 1, **role: Any) -> dict[str, Any]:
    """The council role ``team`` (rota role Team), joining remotely at once; keyword
    arguments replace or add role keys."""
    return {
        "id": "team",
        "agency": "council",
        "name": "Team",
        "rota_role": "Team",
        "count": count,
        "reports_to": "remote",
        "travel_minutes": fixed(0),
        **role,
    }


def work_task(target: float = 60.0) -> dict[str, Any]:
    """The council task ``work``: ``team`` for 10 minutes, due ``target`` minutes in."""
    return {
        "id": "work",
        "name": "Work",
        "agency": "council",
        "roles": ["team"],
        "duration": fixed(10),
        "target": {"within_minutes": target, "text": f"within {target:g} minutes"},
    }


def receptor(
    rid: str, location: dict[str, float], population: int, vulnerable: bool = False
) -> dict[str, Any]:
    """A receptor in scenario form: a care home when vulnerable, else housing."""
    return {
        "id": rid,
        "name": rid.replace("_", " ").title(),
        "kind": "care_home" if vulnerable else "residential",
        "location": location,
        "population": population,
        "vulnerable": vulnerable,
    }


def plan_task(tid: str, kind: str, duration: float, agency: str = "council", **extra: Any) -> Any:
    """A plan task of ``kind`` lasting ``duration`` minutes; keyword arguments add keys."""
    return {
        "id": tid,
        "name": tid.replace("_", " "),
        "agency": agency,
        "duration": fixed(duration),
        "kind": kind,
        **extra,
    }
