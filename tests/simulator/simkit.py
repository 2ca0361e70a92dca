"""Small scenarios and a fake on-call index for the simulator tests (imported as simkit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from standby.scenarios.model import Scenario

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


@dataclass(frozen=True)
class FakeEntry:
    """Looks like rota.oncall.OnCallEntry."""

    person: str
    name: str
    role: str
    level: int
    answer_probability: float | None = None


class FakeOnCall:
    """Who is on call: a list per role, each entry with a [start, end) window (UTC)."""

    def __init__(self, shifts: list[tuple[str, str, int, datetime, datetime, float | None]]):
        self.shifts = shifts

    def who(self, role: str, at: datetime) -> list[FakeEntry]:
        found = [
            FakeEntry(person, person, r, level, p)
            for person, r, level, start, end, p in self.shifts
            if r == role and start <= at < end
        ]
        return sorted(found, key=lambda e: e.level)
