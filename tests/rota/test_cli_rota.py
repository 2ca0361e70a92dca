"""`standby rota check | who | export`: outputs, exit codes and every message they print."""

from __future__ import annotations

import csv
import io
import json
import shlex
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from standby.cli import cli

EPO = "Duty Emergency Planning Officer"
HEADER = "person,role,start,end,level,phone\n"

# A week round the spring change: A. Jones to Monday 09:00 BST (167 h) with C. Patel as
# backup; B. Smith takes over an hour late, at 10:00, leaving a 60-minute gap.
ROTA = (
    HEADER
    + f"A. Jones,{EPO},2026-03-23 09:00,2026-03-30 09:00,1,07700 900001\n"
    + f"B. Smith,{EPO},2026-03-30 10:00,2026-04-06 09:00,1,07700 900002\n"
    + f"C. Patel,{EPO},2026-03-23 09:00,2026-03-30 09:00,2,\n"
)
FULL = HEADER + f"A. Jones,{EPO},2031-01-06 09:00,2031-01-13 09:00,1,\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["rota", *args])


@pytest.fixture
def rota_file(tmp_path: Path) -> Path:
    path = tmp_path / "rota.csv"
    path.write_text(ROTA, encoding="utf-8")
    return path


@pytest.fixture
def full_file(tmp_path: Path) -> Path:
    path = tmp_path / "full.csv"
    path.write_text(FULL, encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ check


def test_check_with_every_requirement_met_exits_0(full_file: Path) -> None:
    result = run("check", str(full_file))
    assert result.exit_code == 0, result.output
    assert "all requirements met" in result.output
    assert "100.00" in result.output


def test_check_with_a_gap_exits_1_and_shows_it_in_local_time(rota_file: Path) -> None:
    result = run("check", str(rota_file), "--not-work", "all")
    assert result.exit_code == 1, result.output
    assert "GAPS FOUND" in result.output
    assert "Mon 30 Mar 2026 09:00 to" in result.output  # the gap, 09:00 to 10:00 BST
    assert "No findings." in result.output


def test_check_json_has_the_architecture_fields_in_utc(rota_file: Path) -> None:
    result = run("check", str(rota_file), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["window"] == {"start": "2026-03-23T09:00:00Z", "end": "2026-04-06T08:00:00Z"}
    (role,) = data["roles"]
    assert (role["role"], role["required"], role["gap_minutes"]) == (EPO, 1, 60.0)
    assert role["gaps"] == [
        {
            "start": "2026-03-30T08:00:00Z",
            "end": "2026-03-30T09:00:00Z",
            "minutes": 60.0,
            "shortfall": 1,
            "on_call": 0,
        }
    ]
    assert {row["person"] for row in data["fairness"]} == {"A. Jones", "B. Smith", "C. Patel"}


def test_check_csv_lists_each_gap_with_neutralised_cells(tmp_path: Path) -> None:
    rota = write(
        tmp_path, "r.csv", HEADER + "amy,=HYPERLINK(1),2026-01-05 09:00,2026-01-05 10:00,1,\n"
    )
    req = write(
        tmp_path,
        "req.yaml",
        "requirements:\n  - role: '=HYPERLINK(1)'\n    min: 2\n",
    )
    result = run("check", str(rota), "--requirements", str(req), "--format", "csv")
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["role"], r["shortfall"], r["start_utc"], r["minutes"]) for r in rows] == [
        ("'=HYPERLINK(1)", "1", "2026-01-05T09:00:00Z", "60.0")
    ]


def test_check_window_from_and_to_and_a_role_missing_from_the_rota(
    rota_file: Path, tmp_path: Path
) -> None:
    req = write(
        tmp_path, "req.yaml", f"requirements:\n  - role: {EPO}\n    min: 2\n  - role: Director\n"
    )
    result = run(
        "check", str(rota_file), "--requirements", str(req),
        "--from", "2026-03-30", "--to", "2026-03-30T12:00+01:00", "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["window"] == {"start": "2026-03-29T23:00:00Z", "end": "2026-03-30T11:00:00Z"}
    epo, director = data["roles"]
    assert [(g["start"], g["shortfall"]) for g in epo["gaps"]] == [
        ("2026-03-30T08:00:00Z", 2),
        ("2026-03-30T09:00:00Z", 1),
    ]
    assert director["coverage_pct"] == 0.0 and len(director["gaps"]) == 1


def test_check_empty_rota_with_requirements_is_one_gap_covering_the_window(
    tmp_path: Path,
) -> None:
    empty = write(tmp_path, "empty.csv", HEADER)
    req = write(tmp_path, "req.yaml", f"requirements:\n  - role: {EPO}\n")
    result = run(
        "check", str(empty), "--requirements", str(req),
        "--from", "2026-05-01", "--to", "2026-05-02", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    (role,) = json.loads(result.stdout)["roles"]
    assert role["gap_minutes"] == 1440.0
    assert role["coverage_pct"] == 0.0


def test_check_html_is_self_contained_escaped_and_written_atomically(tmp_path: Path) -> None:
    rota = write(
        tmp_path,
        "r.csv",
        HEADER
        + f"<script>alert(1)</script>,{EPO},2026-03-28 09:00,2026-03-29 09:00,1,\n"
        + f"amy,{EPO},2026-03-29 10:00,2026-03-30 09:00,1,\n",
    )
    out = tmp_path / "report.html"
    result = run("check", str(rota), "--format", "html", "--out", str(out))
    assert result.exit_code == 1
    assert result.output == f"wrote {out}: 1 requirements, 1 gaps\n"
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<svg" in page and "<style>" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    assert "60 min uncovered" in page  # 09:00-10:00 BST on the change day


def test_check_out_refuses_to_overwrite_without_force(rota_file: Path, tmp_path: Path) -> None:
    out = write(tmp_path, "gaps.csv", "keep me")
    result = run("check", str(rota_file), "--format", "csv", "--out", str(out))
    assert result.exit_code == 2
    assert f"Error: {out}: already exists and was left untouched" in result.output
    assert "(--out, --force)" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = run("check", str(rota_file), "--format", "csv", "--out", str(out), "--force")
    assert forced.exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("record,role,qualification")


def test_check_text_out_writes_the_tables(rota_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run("check", str(rota_file), "--out", str(out))
    assert result.exit_code == 1
    written = out.read_text(encoding="utf-8")
    assert "Gaps (1), local times" in written
    assert f"{EPO}   Mon 30 Mar 2026 09:00 to 10:00 BST   1 h      nobody" in written


def test_check_region_changes_bank_holiday_hours(tmp_path: Path) -> None:
    rota = write(tmp_path, "r.csv", HEADER + f"amy,{EPO},2026-01-02 00:00,2026-01-03 00:00,1,\n")
    england = json.loads(run("check", str(rota), "--format", "json").output)
    scotland = json.loads(
        run("check", str(rota), "--format", "json", "--region", "scotland").output
    )
    assert england["fairness"][0]["bank_holiday_hours"] == 0.0
    assert scotland["fairness"][0]["bank_holiday_hours"] == 24.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "yesterday"], "Error: 'yesterday' is not a date or time"),
        (["--from", "yesterday"], "or 2026-03-27T09:00+01:00, or 'now' (--from)\n"),
        (["--from", "02/14/2026"], "Error: '02/14/2026' is not a date: there is no month 14"),
        (["--from", "31/02/2026"], "31 February 2026 does not exist (February 2026 has 28 days)"),
        (["--from", "2026-03-29 01:30"], "does not exist in Europe/London"),
        (["--from", "2026-10-25 01:30"], "happens twice in Europe/London"),
        (["--from", "2026-04-01", "--to", "2026-03-25"], "before it starts"),
        (["--from", "2026-04-01", "--to", "2026-03-25"], "later than its start (--to, --from)"),
        (["--timezone", "Mars/Olympus"], "unknown timezone 'Mars/Olympus'; use an IANA name"),
        (["--region", "wales"], "Invalid value for '--region'"),
        (["--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_check_bad_input_exits_2_with_a_message(
    rota_file: Path, args: list[str], message: str
) -> None:
    result = run("check", str(rota_file), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_check_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_check_empty_rota_without_requirements_has_nothing_to_check(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.csv", HEADER)
    result = run("check", str(empty))
    assert result.exit_code == 2
    assert "no shifts and no requirements, so there is nothing to check" in result.output
    assert "(--requirements, --from, --to)" in result.output


def test_check_empty_rota_without_a_window_asks_for_from_and_to(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.csv", HEADER)
    req = write(tmp_path, "req.yaml", f"requirements:\n  - role: {EPO}\n")
    result = run("check", str(empty), "--requirements", str(req), "--from", "2026-05-01")
    assert result.exit_code == 2
    assert "the rota has no shifts, so it has no span to check" in result.output
    assert "(--from, --to)" in result.output


# ------------------------------------------------------------------------------ who


def test_who_prints_people_in_escalation_order(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--role", EPO, "--at", "2026-03-29 12:00")
    assert result.exit_code == 0, result.output
    assert result.output.index("A. Jones") < result.output.index("C. Patel")
    assert "07700 900001" in result.output
    assert "Mon 30 Mar 09:00 BST" in result.output


def test_who_with_nobody_on_call_exits_1(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--role", EPO, "--at", "2026-05-01 12:00")
    assert result.exit_code == 1
    assert result.output == (
        f"Nobody is on call for {EPO} at 2026-05-01 12:00 BST (2026-05-01T11:00:00Z).\n"
    )


def test_who_unknown_role_suggests_the_nearest(rota_file: Path) -> None:
    result = run(
        "who", str(rota_file), "--role", "Duty Emergency Planing Officer", "--at", "2026-03-29"
    )
    assert result.exit_code == 2
    assert f"no role 'Duty Emergency Planing Officer'; did you mean '{EPO}'?" in result.output


def test_who_needs_role_and_at(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--role", EPO)
    assert result.exit_code == 2
    assert "Missing option '--at'" in result.output


# ------------------------------------------------------------------------------ export


@pytest.mark.parametrize(
    ("fmt", "marker"), [("csv", "person,role"), ("json", '"shifts"'), ("ics", "BEGIN:VCALENDAR")]
)
def test_export_writes_each_format_to_stdout(rota_file: Path, fmt: str, marker: str) -> None:
    result = run("export", str(rota_file), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.output
    assert "B. Smith" in result.output


def test_export_out_refuses_to_overwrite_without_force(rota_file: Path, tmp_path: Path) -> None:
    out = write(tmp_path, "rota.ics", "keep me")
    assert run("export", str(rota_file), "--format", "ics", "--out", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    result = run("export", str(rota_file), "--format", "ics", "--out", str(out), "--force")
    assert result.exit_code == 0
    assert result.output == f"wrote {out}: 3 shifts\n"
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_export_needs_a_format(rota_file: Path) -> None:
    result = run("export", str(rota_file))
    assert result.exit_code == 2
    assert "Missing option '--format'" in result.output


@pytest.mark.parametrize("command", ["check", "who", "export"])
def test_every_rota_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "ROTA" in result.output and "--timezone" in result.output


# ------------------------------------------------------------------------------ docs

REPO = Path(__file__).resolve().parents[2]


def _doc_examples() -> list[str]:
    text = (REPO / "docs" / "rota.md").read_text(encoding="utf-8")
    return [line[2:] for line in text.splitlines() if line.startswith("$ standby rota ")]


WRITING = [example for example in _doc_examples() if "--out" in shlex.split(example)]
PRINTING = [example for example in _doc_examples() if example not in WRITING]


def test_the_docs_show_an_example_of_each_rota_command() -> None:
    commands = {shlex.split(example)[2] for example in _doc_examples()}
    assert commands >= {"check", "who", "export"}
    assert WRITING and PRINTING  # examples that write a file and examples that print


def _run_example(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    shutil.copytree(REPO / "rota" / "data", tmp_path / "rota" / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(example)[1:])
    assert result.exit_code in (0, 1), result.output  # 1: the sample rota has gaps on purpose
    assert "Error" not in result.output
    return result


@pytest.mark.parametrize("example", PRINTING)
def test_every_printing_rota_example_in_the_docs_runs(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(_run_example(example, tmp_path, monkeypatch).stdout) > 100


@pytest.mark.parametrize("example", WRITING)
def test_every_writing_rota_example_in_the_docs_writes_its_file(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_example(example, tmp_path, monkeypatch)
    words = shlex.split(example)
    assert (tmp_path / words[words.index("--out") + 1]).stat().st_size > 1000


def test_who_unknown_role_with_nothing_close_lists_the_roles(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--role", "Gold", "--at", "2026-03-29")
    assert result.exit_code == 2
    assert result.output == (f"Error: {rota_file}: no role 'Gold'; valid: {EPO} (--role)\n")


def test_who_role_only_in_the_requirements_is_known_but_nobody_covers_it(tmp_path: Path) -> None:
    rota = write(
        tmp_path,
        "rota.yaml",
        "timezone: Europe/London\nrequirements:\n  - role: Director\n    min: 1\n",
    )
    result = run("who", str(rota), "--role", "Director", "--at", "2026-03-29 12:00")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Nobody is on call for Director at 2026-03-29 12:00 BST")


def test_heatmap_marks_uncovered_hours_and_where_the_requirement_applies() -> None:
    from datetime import UTC, datetime, time

    from standby.reports.rota_html import heatmap
    from standby.rota.coverage import check
    from standby.rota.model import Requirement, Rota, Shift, TimeWindow

    start = datetime(2026, 1, 5, tzinfo=UTC)  # Monday, GMT
    rota = Rota(shifts=[Shift("amy", EPO, start.replace(hour=8), start.replace(hour=9, minute=30))])
    when = TimeWindow(days=("mon",), start=time(8), end=time(11))
    report = check(rota, [Requirement(EPO, 1, when=when)], (start, start.replace(day=6)))
    cells = heatmap(report.roles[0], report)
    assert cells.required == [(0, 8), (0, 9), (0, 10)]
    assert [(c.row, c.hour, c.share) for c in cells.cells] == [(0, 9, 0.5), (0, 10, 1.0)]


def test_check_prints_reading_warnings_on_stderr(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "autumn.csv",
        "person,role,start,end\nAnn,Duty Officer,2026-10-24 09:00,2026-10-25 01:30\n"
        "Bob,Duty Officer,2026-10-25 01:30,2026-10-26 09:00\n",
    )
    result = run("check", str(path))
    assert "Warning: " in result.stderr
    assert "happens twice" in result.stderr
    assert "autumn.csv" in result.stderr
    assert "Warning" not in result.stdout


def _grid_file(tmp_path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Date", EPO])
    for day, name in ((27, "Ann"), (28, "Bob"), (29, "Cat")):
        sheet.append([datetime(2026, 3, day), name])
    path = tmp_path / "grid.xlsx"
    workbook.save(path)
    return path


def test_who_reads_a_spreadsheet_grid_with_handover_and_shift_length_options(
    tmp_path: Path,
) -> None:
    grid = _grid_file(tmp_path)
    at_default = run("who", str(grid), "--role", EPO, "--at", "2026-03-28 08:00")
    assert at_default.exit_code == 0 and "Ann" in at_default.stdout  # 09:00 handover
    early = run("who", str(grid), "--role", EPO, "--at", "2026-03-28 08:00", "--handover", "07:30")
    assert early.exit_code == 0 and "Bob" in early.stdout
    short = run(
        "who", str(grid), "--role", EPO, "--at", "2026-03-28 22:00", "--shift-length", "12h"
    )
    assert short.exit_code == 1 and "Nobody is on call" in short.stdout


def test_check_of_a_grid_measures_the_shifts_from_the_options(tmp_path: Path) -> None:
    grid = _grid_file(tmp_path)
    result = run("check", str(grid), "--shift-length", "12h", "--format", "json")
    (role,) = json.loads(result.stdout)["roles"]
    assert result.exit_code == 1
    # two nights uncovered between three 09:00-21:00 days; the second is the spring-forward
    # night, 21:00 GMT to 09:00 BST, which lasts 11 hours
    assert role["gap_minutes"] == 12 * 60 + 11 * 60


@pytest.mark.parametrize("columns", ["80", "120"])
def test_piped_text_fits_the_width_with_no_trailing_spaces(
    rota_file: Path, tmp_path: Path, columns: str
) -> None:
    requirements = write(tmp_path, "req.yaml", f"requirements:\n  - {{role: {EPO}, min: 2}}\n")
    result = CliRunner().invoke(
        cli,
        ["rota", "check", str(rota_file), "--requirements", str(requirements)],
        env={"COLUMNS": columns},
    )
    lines = result.output.splitlines()
    assert len(lines) > 10
    assert max(len(line) for line in lines) <= int(columns)
    assert all(line == line.rstrip() for line in lines)
    assert not any(char in result.output for char in "│┃┏┗")  # no side borders to cut
