"""A log typed up as YAML: read as the sheets are, every bad record named by its line and
field; clock times stay clock times (never YAML's base-60 numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from standby.reports.exercise_log import LogError
from standby.reports.exercise_log_io import read_log
from standby.scenarios import load_scenario

GOOD = """\
scenario: chlorine-riverside
records:
  - {kind: milestone, time: "02:24", who: Fire IC, text: Declared, task: declare_major_incident}
  - kind: milestone
    time: 02:58
    text: Public warned
    task: public_warning
  - {kind: rating, minute: 240, text: TCG late, objective: obj_command, rating: s}
"""


def test_a_yaml_log_reads_with_clock_times_and_loose_words(tmp_path: Path) -> None:
    path = tmp_path / "log.yaml"
    path.write_text(GOOD, encoding="utf-8")
    log = read_log(path, load_scenario("chlorine-riverside"))
    assert [(r.id, r.kind, r.scenario_minute) for r in log] == [
        (1, "milestone", 14.0),  # 02:24 is 14 minutes after the 02:10 start
        (2, "milestone", 48.0),  # unquoted 02:58 too (YAML would read 178 in base 60)
        (3, "rating", 240.0),
    ]
    assert log.records[2].rating == "S"


def test_bad_records_are_named_by_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "log.yml"
    bad = GOOD.replace('time: "02:24"', "time: 01:50").replace("obj_command", "obj_comand")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(path, load_scenario("chlorine-riverside"))
    assert caught.value.problems == [
        f"{path}: line 3, field 'scenario_time': 01:50 is before the scenario's start (02:10); "
        "times run from the start for 480 minutes",
        f"{path}: line 8, field 'objective': 'obj_comand' is not an objective of scenario "
        "chlorine-riverside; did you mean 'obj_command'?",
    ]


def test_a_yaml_file_without_records_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "log.yaml"
    path.write_text("- kind: decision\n", encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(path)
    assert caught.value.problems == [
        f"{path}: the file needs a 'records:' list, one mapping a record"
    ]
