"""Reading coverage requirements from YAML."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from standby.rota.io import RotaFileError, read_requirements
from standby.rota.model import WEEKDAYS, TimeWindow


def write(tmp_path: Path, text: str, name: str = "req.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_architecture_example(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
timezone: Europe/London
requirements:
  - role: Duty Emergency Planning Officer
    min: 1
  - role: CCTV Operator
    min: 2
    when: {days: [mon, tue, wed, thu, fri], from: "08:00", to: 20:00}
    qualification: CCTV licence
""",
    )
    first, second = read_requirements(path)
    assert first.role == "Duty Emergency Planning Officer"
    assert first.minimum == 1 and first.when is None
    assert second.minimum == 2
    assert second.when == TimeWindow(("mon", "tue", "wed", "thu", "fri"), time(8), time(20))
    assert second.qualification == "CCTV licence"
    assert second.source == "req.yaml:requirements.1"


def test_when_defaults_to_every_day_all_day(tmp_path: Path) -> None:
    path = write(tmp_path, "requirements:\n  - role: R\n    when: {from: '18:00', to: '08:00'}\n")
    (requirement,) = read_requirements(path)
    assert requirement.when == TimeWindow(WEEKDAYS, time(18), time(8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["req.yaml", "empty", "requirements:"]),
        ("requirements:\n  - role: R\n    mni: 1\n", ["req.yaml", "requirements.0.mni", "line 3"]),
        (
            "requirements:\n  - role: R\n    when: {days: [mon, funday]}\n",
            ["req.yaml", "requirements.0.when.days", "'funday'", "mon, tue"],
        ),
        (
            "requirements:\n  - role: R\n    when: {from: '25:00'}\n",
            ["req.yaml", "requirements.0.when.from", "'25:00'", "HH:MM"],
        ),
        ("requirements:\n  - min: 1\n", ["req.yaml", "requirements.0.role", "required"]),
        ("requirements: [\n", ["req.yaml", "line", "not valid YAML"]),
        ("- role: R\n", ["req.yaml", "mapping"]),
        ("timezone: Mars/Olympus\nrequirements:\n  - role: R\n", ["req.yaml", "Mars/Olympus"]),
    ],
)
def test_error_messages(tmp_path: Path, text: str, expected: list[str]) -> None:
    with pytest.raises(RotaFileError) as caught:
        read_requirements(write(tmp_path, text))
    for fragment in expected:
        assert fragment in str(caught.value)


def test_requirements_must_be_yaml(tmp_path: Path) -> None:
    with pytest.raises(RotaFileError, match=r"req.csv.*\.yaml"):
        read_requirements(write(tmp_path, "role,min\n", name="req.csv"))
