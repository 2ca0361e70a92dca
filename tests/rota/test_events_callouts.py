"""Planned events (dated requirements, an events CSV) and call-out logs, as councils keep them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli
from standby.rota.api import check_files
from standby.rota.io import RotaFileError, read_callouts, read_events, read_rota

RCM = "Rest Centre Manager"
EPO = "Duty Emergency Planning Officer"

# Two rest centre managers on stand-by for bonfire night: C. Wu all week, D. Ng from 18:00.
ROTA = f"""\
person,role,start,end
C. Wu,{RCM},2026-11-02 09:00,2026-11-09 09:00
D. Ng,{RCM},2026-11-05 18:00,2026-11-06 02:00
"""
EVENTS = f"""\
name,start,end,role,min
Bonfire night display,05/11/2026 17:00,05/11/2026 23:30,{RCM},2
Remembrance parade,2026-11-08 10:00,2026-11-08 12:30,{RCM},1
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_events_csv_is_read_as_dated_requirements(tmp_path: Path) -> None:
    bonfire, parade = read_events(write(tmp_path, "events.csv", EVENTS))
    assert (bonfire.name, bonfire.role, bonfire.minimum) == ("Bonfire night display", RCM, 2)
    assert bonfire.dates == (
        (datetime(2026, 11, 5, 17, tzinfo=UTC), datetime(2026, 11, 5, 23, 30, tzinfo=UTC)),
    )
    assert parade.source == "events.csv:3"


def test_an_event_is_checked_with_the_rest_and_shown_on_its_own_row(tmp_path: Path) -> None:
    checked = check_files(
        write(tmp_path, "rota.csv", ROTA),
        events_file=write(tmp_path, "events.csv", EVENTS),
        start_text="2026-11-02 09:00",
        end_text="2026-11-09 09:00",
    )
    standing, bonfire, parade = checked.report.roles
    assert standing.name is None and standing.met
    # 17:00-18:00 has only C. Wu: a one-hour gap, one on call where two were needed.
    ((gap_start, gap_end, on_call),) = [(g.start, g.end, g.on_call) for g in bonfire.gaps]
    assert (gap_start, gap_end, on_call) == (
        datetime(2026, 11, 5, 17, tzinfo=UTC),
        datetime(2026, 11, 5, 18, tzinfo=UTC),
        1,
    )
    assert bonfire.least_on_call == 1 and bonfire.checked_minutes == 390
    assert parade.met and parade.least_on_call == 1


def test_the_text_report_lists_planned_events(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "rota", "check", str(write(tmp_path, "rota.csv", ROTA)),
            "--events", str(write(tmp_path, "events.csv", EVENTS)),
            "--from", "2026-11-02 09:00", "--to", "2026-11-09 09:00",
        ],
        env={"COLUMNS": "160"},
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    (row,) = [line for line in result.output.splitlines() if "SHORT" in line]
    assert row.split() == (
        f"Bonfire night display: {RCM} Thu 05 Nov 2026 17:00 to 23:30 GMT 2 1 SHORT".split()
    )


def test_a_yaml_requirement_with_dates_is_an_event(tmp_path: Path) -> None:
    requirements = write(
        tmp_path,
        "req.yaml",
        f"""\
timezone: Europe/London
requirements:
  - {{role: {RCM}, min: 1}}
  - role: {RCM}
    min: 2
    name: Bonfire night display
    dates:
      - {{start: "2026-11-05 17:00", end: "2026-11-05 23:30"}}
""",
    )
    checked = check_files(write(tmp_path, "rota.csv", ROTA), requirements)
    (_, bonfire) = checked.report.roles
    assert bonfire.name == "Bonfire night display" and len(bonfire.gaps) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,start,end,role\n", "has no column 'min'"),
        (f"name,start,end,role,min\nX,2026-11-05 17:00,2026-11-05 16:00,{RCM},2\n", "not after"),
        (f"name,start,end,role,min\nX,2026-11-05 17:00,2026-11-05 18:00,{RCM},two\n", "'two'"),
        (f"name,start,end,role,min\nX,11/31/2026 17:00,2026-12-01 18:00,{RCM},2\n", "month 31"),
    ],
)
def test_a_bad_events_file_names_the_row_and_the_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(RotaFileError, match=r"events\.csv") as caught:
        read_events(write(tmp_path, "events.csv", text))
    assert message in str(caught.value)


# ------------------------------------------------------------------------------ call-outs

# Amy works 09:00-17:00 with lunch at 12:30, and is on call from home at night as duty
# officer; stand-by from home is rest. A call-out from 02:00 to 04:00 on Tuesday night
# leaves her 9 h between her day's work and the call-out: reg 10 is broken.
DAY_JOB_ROTA = f"""\
timezone: Europe/London
people:
  - {{id: amy, name: Amy Lee, day_job: "mon-fri 09:00-12:30, 13:00-17:00"}}
shifts:
  - {{person: amy, role: {EPO}, start: 2026-01-05 17:00, end: 2026-01-12 09:00}}
working_time:
  - {{role: {EPO}, standby: by_response_time, response_minutes: 30, callouts_per_week: 1}}
"""
CALLOUTS = f"person,start,end,role,notes\nAmy Lee,06/01/2026 02:00,06/01/2026 04:00,{EPO},flood\n"


def test_a_day_job_and_a_night_call_out_from_files_break_the_daily_rest(tmp_path: Path) -> None:
    rota_file = write(tmp_path, "rota.yaml", DAY_JOB_ROTA)
    quiet = CliRunner().invoke(cli, ["rota", "check", str(rota_file), "--format", "json"])
    assert [f for f in json.loads(quiet.output)["findings"] if f["kind"] == "working_time"] == []
    result = CliRunner().invoke(
        cli,
        [
            "rota", "check", str(rota_file), "--format", "json",
            "--callouts", str(write(tmp_path, "callouts.csv", CALLOUTS)),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (finding,) = [f for f in json.loads(result.output)["findings"] if f["kind"] == "working_time"]
    assert (finding["rule"], finding["start"], finding["end"]) == (
        "reg 10",
        "2026-01-05T09:00:00Z",
        "2026-01-06T17:00:00Z",
    )
    assert finding["excess"] == pytest.approx(2.0)
    summary = json.loads(result.output)["working_time_summary"]
    assert [(row["person"], row["rule"], row["count"]) for row in summary] == [("amy", "reg 10", 1)]


def test_a_call_out_for_someone_not_on_the_rota_is_an_error(tmp_path: Path) -> None:
    rota = read_rota(write(tmp_path, "rota.yaml", DAY_JOB_ROTA))
    log = write(
        tmp_path, "callouts.csv", "person,start,end\nAmy Leigh,2026-01-06 02:00,2026-01-06 04:00\n"
    )
    with pytest.raises(RotaFileError) as caught:
        read_callouts(log, rota)
    assert str(caught.value).endswith(
        "callouts.csv: row 2, column 'person': 'Amy Leigh' is not in the rota's people; "
        "did you mean 'Amy Lee'?"
    )


def test_the_yaml_callouts_section_and_the_json_export_keep_the_log(tmp_path: Path) -> None:
    text = DAY_JOB_ROTA + (
        "callouts:\n"
        f"  - {{person: Amy Lee, start: 2026-01-06 02:00, end: 2026-01-06 04:00, role: {EPO}}}\n"
    )
    rota = read_rota(write(tmp_path, "rota.yaml", text))
    (callout,) = rota.callouts
    assert (callout.person, callout.start) == ("amy", datetime(2026, 1, 6, 2, tzinfo=UTC))
    from standby.rota.io import rota_to_json

    exported = rota_to_json(rota)
    again = read_rota(write(tmp_path, "rota.json", exported))
    assert again.callouts == rota.callouts
    assert again.people["amy"].day_job == rota.people["amy"].day_job
    assert rota_to_json(again) == exported
