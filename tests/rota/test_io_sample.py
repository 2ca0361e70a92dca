"""The bundled sample rota: it loads, it is the right size, and its CSV matches its YAML."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from standby.rota.io import read_requirements, read_rota, rota_to_csv
from standby.rota.model import Shift

DATA = Path(str(resources.files("standby.rota") / "data"))
ROLES = {
    "Duty Emergency Planning Officer",
    "Duty Senior Manager",
    "Rest Centre Manager",
    "Communications On Call",
    "Social Care Emergency Duty Team",
}


def test_sample_rota_loads_with_20_to_40_people() -> None:
    rota = read_rota(DATA / "council-2026.yaml")
    assert 20 <= len(rota.people) <= 40
    assert set(rota.roles) == ROLES
    assert rota.warnings == []
    for person in rota.people.values():
        assert person.answer_probability is not None and 0 < person.answer_probability <= 1
        assert person.home_base and person.home_location is not None
        lat, lon = person.home_location
        assert 53.2 < lat < 53.4 and -2.8 < lon < -2.6
        assert person.phone is not None and person.phone.startswith("07700 900")


def test_sample_rota_covers_2026() -> None:
    rota = read_rota(DATA / "council-2026.yaml")
    assert min(s.start for s in rota.shifts) <= datetime(2026, 1, 1, tzinfo=UTC)
    assert max(s.end for s in rota.shifts) >= datetime(2027, 1, 1, tzinfo=UTC)
    assert {s.level for s in rota.shifts if s.role == "Duty Emergency Planning Officer"} == {1, 2}


def test_sample_csv_equals_the_yaml_expansion() -> None:
    from_yaml = read_rota(DATA / "council-2026.yaml")
    csv_path = DATA / "council-2026.csv"
    assert csv_path.read_text(encoding="utf-8") == rota_to_csv(from_yaml)
    from_csv = read_rota(csv_path)

    def key(rota_shifts: list[Shift]) -> list[tuple[object, ...]]:
        return [(s.person, s.role, s.start, s.end, s.level, s.notes) for s in rota_shifts]

    assert key(from_csv.shifts) == key(from_yaml.shifts)


def test_sample_has_the_planned_gaps() -> None:
    rota = read_rota(DATA / "council-2026.yaml")
    christmas_night = datetime(2026, 12, 26, 0, tzinfo=UTC)
    on_primary = [
        s
        for s in rota.shifts
        if s.role == "Duty Emergency Planning Officer"
        and s.level == 1
        and s.start <= christmas_night < s.end
    ]
    assert on_primary == []
    clock_change = datetime(2026, 3, 29, 1, tzinfo=UTC)
    comms = [
        s
        for s in rota.shifts
        if s.role == "Communications On Call" and s.start <= clock_change < s.end
    ]
    assert comms == []
    clashes = [
        (leave.person, shift.role)
        for leave in rota.leave
        for shift in rota.shifts
        if shift.person == leave.person and shift.start < leave.end and leave.start < shift.end
    ]
    assert clashes == [("nokoro", "Duty Senior Manager")]


def test_sample_requirements_load() -> None:
    requirements = read_requirements(DATA / "council-2026-requirements.yaml")
    assert {r.role for r in requirements} == ROLES
    edt = [r for r in requirements if r.role == "Social Care Emergency Duty Team"]
    assert all(r.when is not None for r in edt)
