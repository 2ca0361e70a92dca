"""Overrides are kept as data: read from YAML, written to JSON, read back, never applied twice."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standby.rota.coverage import check
from standby.rota.io import RotaFileError, read_rota, rota_to_json
from standby.rota.model import Override, Requirement

SAMPLE = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"

BASE = """\
people:
  - {id: ajones, name: Alex Jones}
  - {id: bkhan, name: Bina Khan}
  - {id: cwu, name: Chen Wu}
patterns:
  - {role: DEPO, people: [ajones, bkhan], handover: "mon 09:00", length: 1w,
     start: 2026-01-05, end: 2027-01-04}
  - {role: DEPO, level: 2, people: [bkhan, ajones], handover: "mon 09:00", length: 1w,
     start: 2026-01-05, end: 2027-01-04}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def round_trip(folder: Path, yaml_text: str) -> tuple[str, str]:
    """(JSON of the YAML rota, JSON of that JSON read back)."""
    first = rota_to_json(read_rota(write(folder, "rota.yaml", yaml_text)))
    second = rota_to_json(read_rota(write(folder, "rota.json", first)))
    return first, second


# Each case: the overrides section, and the overrides expected in the rota (UTC).
CASES = {
    "replace with a person": (
        "  - {role: DEPO, start: 2026-08-03 09:00, end: 2026-08-10 09:00, person: cwu,"
        " notes: covering leave}\n",
        [
            Override(
                "DEPO",
                datetime(2026, 8, 3, 8, tzinfo=UTC),
                datetime(2026, 8, 10, 8, tzinfo=UTC),
                "cwu",
                "replace",
                1,
                "rota.yaml:overrides.0",
                "covering leave",
            )
        ],
    ),
    "deliberate gap (no person)": (
        "  - {role: DEPO, start: 2026-12-25 18:00, end: 2026-12-26 08:00}\n",
        [
            Override(
                "DEPO",
                datetime(2026, 12, 25, 18, tzinfo=UTC),
                datetime(2026, 12, 26, 8, tzinfo=UTC),
                None,
                "replace",
                1,
                "rota.yaml:overrides.0",
            )
        ],
    ),
    "add at level 2, by name": (
        "  - {role: DEPO, start: 2026-11-05 18:00, end: 2026-11-06 02:00, person: Chen Wu,"
        " mode: add, level: 2}\n",
        [
            Override(
                "DEPO",
                datetime(2026, 11, 5, 18, tzinfo=UTC),
                datetime(2026, 11, 6, 2, tzinfo=UTC),
                "cwu",
                "add",
                2,
                "rota.yaml:overrides.0",
            )
        ],
    ),
    "gap across the spring clock change, then an add inside it": (
        "  - {role: DEPO, start: 2026-03-28 08:00, end: 2026-03-29 20:00}\n"
        "  - {role: DEPO, start: 2026-03-29 03:00, end: 2026-03-29 05:00, person: cwu,"
        " mode: add}\n",
        [
            Override(
                "DEPO",
                datetime(2026, 3, 28, 8, tzinfo=UTC),
                datetime(2026, 3, 29, 19, tzinfo=UTC),
                None,
                "replace",
                1,
                "rota.yaml:overrides.0",
            ),
            Override(
                "DEPO",
                datetime(2026, 3, 29, 2, tzinfo=UTC),
                datetime(2026, 3, 29, 4, tzinfo=UTC),
                "cwu",
                "add",
                1,
                "rota.yaml:overrides.1",
            ),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_override_is_kept_and_the_json_round_trip_is_identical(
    tmp_path: Path, case: str
) -> None:
    section, expected = CASES[case]
    yaml_text = BASE + "overrides:\n" + section
    assert read_rota(write(tmp_path, "rota.yaml", yaml_text)).overrides == expected
    first, second = round_trip(tmp_path, yaml_text)
    assert second == first
    assert read_rota(tmp_path / "rota.json").overrides == expected


def test_a_deliberate_gap_leaves_a_trace_in_the_json_export(tmp_path: Path) -> None:
    yaml_text = BASE + "overrides:\n" + CASES["deliberate gap (no person)"][0]
    exported = json.loads(round_trip(tmp_path, yaml_text)[0])
    assert exported["overrides"] == [
        {
            "role": "DEPO",
            "start": "2026-12-25T18:00:00Z",
            "end": "2026-12-26T08:00:00Z",
            "person": None,
            "mode": "replace",
            "level": 1,
            "notes": None,
            "source": "rota.yaml:overrides.0",
        }
    ]


def test_the_gap_is_still_a_gap_after_reimport(tmp_path: Path) -> None:
    yaml_text = BASE + "overrides:\n" + CASES["deliberate gap (no person)"][0]
    round_trip(tmp_path, yaml_text)
    again = read_rota(tmp_path / "rota.json")
    window = (datetime(2026, 12, 21, tzinfo=UTC), datetime(2026, 12, 28, tzinfo=UTC))
    # Level 2 is still on call, so one of the two required is missing.
    report = check(again, [Requirement("DEPO", minimum=2)], window)
    depo = next(role for role in report.roles if role.role == "DEPO")
    assert [(gap.start, gap.end) for gap in depo.gaps] == [
        (datetime(2026, 12, 25, 18, tzinfo=UTC), datetime(2026, 12, 26, 8, tzinfo=UTC))
    ]
    assert depo.gaps[0].shortfall == 1


def test_reading_the_export_does_not_apply_an_override_again(tmp_path: Path) -> None:
    # An 'add' applied twice would put the same person on twice; a 'replace' applied to
    # shifts that already hold it would drop their notes and sources.
    section = CASES["add at level 2, by name"][0] + CASES["replace with a person"][0]
    yaml_text = BASE + "overrides:\n" + section
    rota = read_rota(write(tmp_path, "rota.yaml", yaml_text))
    write(tmp_path, "rota.json", rota_to_json(rota))
    again = read_rota(tmp_path / "rota.json")
    assert again.shifts == rota.shifts
    assert sum(shift.person == "cwu" for shift in again.shifts) == 2
    assert len(again.overrides) == 2


def test_an_export_stays_the_same_however_often_it_is_reimported(tmp_path: Path) -> None:
    yaml_text = BASE + "overrides:\n" + "".join(section for section, _ in CASES.values())
    exported = rota_to_json(read_rota(write(tmp_path, "rota.yaml", yaml_text)))
    for _ in range(3):
        exported_again = rota_to_json(read_rota(write(tmp_path, "rota.json", exported)))
        assert exported_again == exported


def test_the_sample_rota_keeps_all_its_overrides_through_json(tmp_path: Path) -> None:
    rota = read_rota(SAMPLE)
    exported = rota_to_json(rota)
    again = read_rota(write(tmp_path, "council.json", exported))
    assert len(rota.overrides) == 12
    assert again.overrides == rota.overrides
    assert again.shifts == rota.shifts
    assert rota_to_json(again) == exported
    gaps = [o for o in again.overrides if o.person is None]
    assert [o.role for o in gaps] == ["Communications On Call", "Duty Emergency Planning Officer"]


def test_an_override_in_json_naming_someone_unknown_is_an_error(tmp_path: Path) -> None:
    yaml_text = BASE + "overrides:\n" + CASES["replace with a person"][0]
    document = json.loads(round_trip(tmp_path, yaml_text)[0])
    document["overrides"][0]["person"] = "zz"
    path = write(tmp_path, "bad.json", json.dumps(document))
    with pytest.raises(RotaFileError, match=r"overrides\.0\.person: 'zz' is not in 'people'"):
        read_rota(path)


def test_a_json_add_override_without_a_person_is_an_error(tmp_path: Path) -> None:
    yaml_text = BASE + "overrides:\n" + CASES["add at level 2, by name"][0]
    document = json.loads(round_trip(tmp_path, yaml_text)[0])
    document["overrides"][0]["person"] = None
    path = write(tmp_path, "bad.json", json.dumps(document))
    with pytest.raises(RotaFileError, match="mode 'add' needs a 'person'"):
        read_rota(path)


# ------------------------------------------------------------------------------ property

INSTANTS = st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2026, 12, 20)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
)


@st.composite
def override_lines(draw: st.DrawFn) -> str:
    start = draw(INSTANTS)
    end = start + timedelta(minutes=draw(st.integers(min_value=1, max_value=60 * 24 * 10)))
    mode = draw(st.sampled_from(["replace", "add"]))
    person = draw(st.sampled_from(["ajones", "cwu", "Bina Khan"]))
    if mode == "replace" and draw(st.booleans()):
        person = ""
    level = draw(st.integers(min_value=1, max_value=3))
    stamp = "%Y-%m-%dT%H:%MZ"
    fields = [
        "role: DEPO",
        f"start: {start.strftime(stamp)}",
        f"end: {end.strftime(stamp)}",
        f"mode: {mode}",
        f"level: {level}",
    ]
    if person:
        fields.append(f"person: {person}")
    return "  - {" + ", ".join(fields) + "}\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(override_lines(), min_size=1, max_size=6))
def test_any_overrides_survive_yaml_json_read_json(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        yaml_text = BASE + "overrides:\n" + "".join(lines)
        rota = read_rota(write(Path(folder), "rota.yaml", yaml_text))
        first, second = round_trip(Path(folder), yaml_text)
        again = read_rota(Path(folder) / "rota.json")
    assert second == first
    assert len(again.overrides) == len(lines)
    assert again.overrides == rota.overrides
    assert again.shifts == rota.shifts


def test_the_json_override_example_in_the_guide_is_what_the_sample_exports() -> None:
    guide = (SAMPLE.parents[2] / "docs" / "rota.md").read_text(encoding="utf-8")
    blocks = [part.split("```")[0] for part in guide.split("```json\n")[1:]]
    block = next(block for block in blocks if '"overrides"' in block)
    example = json.loads("{" + block + "}")["overrides"]
    exported = json.loads(rota_to_json(read_rota(SAMPLE)))["overrides"]
    assert example == [exported[3]]
