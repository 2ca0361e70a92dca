"""`standby rota fill`: the report, the files it writes (read back and checked), exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from standby.cli import cli
from standby.rota.coverage import check
from standby.rota.io import read_requirements, read_rota

SAMPLE = Path(__file__).resolve().parents[2] / "rota" / "data"
YEAR = ("--from", "2026-01-01", "--to", "2027-01-01")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["rota", "fill", *args], env=env)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "data")
    return tmp_path / "data"


def sample(data: Path, *more: str) -> Result:
    return run(
        str(data / "council-2026.yaml"),
        "--requirements",
        str(data / "council-2026-requirements.yaml"),
        *YEAR,
        *more,
        env={"COLUMNS": "250"},
    )


def test_filling_the_sample_prints_who_covers_what_and_exits_0(data: Path) -> None:
    result = sample(data, "--explain")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "3 gap(s) before, 0 after; 3 proposed shift(s)" in text
    assert "solver status: optimal" in text
    assert "Proposed cover" in text and "Fairness in each role since 2026-01-01" in text
    assert "ruled out: Marcus Dunmore: local limit: on call 14 consecutive days" in text
    assert "Check of the proposed rota: 0 gap(s) left (was 3), no new findings." in text


def _gaps_in_year(path: Path, data: Path) -> int:
    from datetime import UTC, datetime

    rota = read_rota(path)
    report = check(
        rota,
        read_requirements(data / "council-2026-requirements.yaml"),
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    )
    return len(report.gaps)


def test_a_yaml_rota_is_written_back_with_the_proposal_in_its_overrides(data: Path) -> None:
    out = data / "proposal.yaml"
    result = sample(data, "--out", str(out))
    assert result.exit_code == 0, result.output
    original = (data / "council-2026.yaml").read_text(encoding="utf-8")
    written = out.read_text(encoding="utf-8")
    # Everything the planner wrote is kept, in order; three overrides are added, before the
    # comment that introduces the leave section.
    assert written.count("proposed by standby rota fill") == 3
    kept = [line for line in written.splitlines() if "proposed by" not in line]
    assert all(line in written for line in original.splitlines())
    assert written.index("proposed by") < written.index("# A date-only leave end")
    assert len(kept) > len(original.splitlines())
    assert _gaps_in_year(out, data) == 0
    assert _gaps_in_year(data / "council-2026.yaml", data) == 3


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ics", ".json"])
def test_the_proposed_rota_in_another_format_reads_back_with_no_gaps(
    data: Path, suffix: str
) -> None:
    out = data / f"proposal{suffix}"
    result = sample(data, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: the rota with 3 proposed shift(s)" in result.output
    assert _gaps_in_year(out, data) == 0


def test_a_csv_rota_filled_as_csv_keeps_the_clock_change_weekend_exact(data: Path) -> None:
    out = data / "proposal.csv"
    result = run(
        str(data / "council-2026.csv"),
        "--requirements",
        str(data / "council-2026-requirements.yaml"),
        *YEAR,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if "proposed by" in line]
    comms = [row for row in rows if "Communications On Call" in row]
    # Saturday 08:00 GMT to Sunday 20:00 BST, as local times with offsets.
    assert len(comms) == 1
    assert ",2026-03-28T08:00+00:00,2026-03-29T20:00+01:00," in comms[0]


def test_the_overrides_alone_can_be_written_for_pasting(data: Path) -> None:
    out = data / "overrides.yaml"
    result = sample(data, "--overrides", str(out))
    assert result.exit_code == 0, result.output
    import yaml

    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    entries = document["overrides"]
    assert len(entries) == 3
    assert {entry["role"] for entry in entries} == {
        "Communications On Call",
        "Duty Senior Manager",
        "Duty Emergency Planning Officer",
    }
    manager = next(e for e in entries if e["role"] == "Duty Senior Manager")
    assert manager["mode"] == "replace" and manager["start"] == "2026-12-25T09:00+00:00"


def test_json_has_the_proposal_the_reasons_and_the_solver_status(data: Path) -> None:
    result = sample(data, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["status"] == "optimal"
    assert document["gaps_before"] == 3 and document["gaps_after"] == 0
    assert {shift["start"] for shift in document["proposed"]} == {
        "2026-03-28T08:00:00Z",
        "2026-12-25T09:00:00Z",
        "2026-12-25T18:00:00Z",
    }
    assert document["weights"]["nights"] == 4.0 and document["new_findings"] == []


def test_what_cannot_be_filled_is_explained_and_the_exit_code_is_1(tmp_path: Path) -> None:
    rota = tmp_path / "rota.csv"
    rota.write_text(
        "person,role,start,end\n"
        "Dee Lane,Duty Officer,2026-01-12 08:00,2026-01-12 18:00\n"
        "Dee Lane,Duty Officer,2026-01-13 08:00,2026-01-13 18:00\n",
        encoding="utf-8",
    )
    requirements = tmp_path / "requirements.yaml"
    requirements.write_text("requirements:\n  - {role: Duty Officer, min: 1}\n", encoding="utf-8")
    result = run(str(rota), "--requirements", str(requirements), env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert (
        "Duty Officer, Mon 12 Jan 2026 18:00 to Tue 13 Jan 08:00 GMT: nobody can take it: one "
        "would break the 11-hour daily rest (reg 10) (Dee Lane); nobody else holds the role"
    ) in result.output


def test_weights_come_from_the_requirements_files_fill_section(data: Path) -> None:
    requirements = data / "council-2026-requirements.yaml"
    text = requirements.read_text(encoding="utf-8")
    requirements.write_text(text + "fill:\n  weights: {nights: 0, changes: 2}\n", encoding="utf-8")
    result = sample(data, "--format", "json")
    assert result.exit_code == 0, result.output
    weights = json.loads(result.output)["weights"]
    assert weights == {
        "hours": 1.0,
        "nights": 0.0,
        "weekend_hours": 1.0,
        "bank_holiday_hours": 2.0,
        "changes": 2.0,
        "people": 1.0,
    }


def test_a_bad_weight_names_the_file_and_the_key(data: Path) -> None:
    requirements = data / "council-2026-requirements.yaml"
    text = requirements.read_text(encoding="utf-8")
    requirements.write_text(text + "fill:\n  weights: {night: 2}\n", encoding="utf-8")
    result = sample(data)
    assert result.exit_code == 2
    assert "fill.weights.night" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--time-limit", "0"), "leaves the solver no time; give a number of seconds above 0"),
        (("--out", "proposal.txt"), "'.txt' is not a format a proposal can be written as"),
        (("--overrides", "overrides.csv"), "give a .yaml or .yml file"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    data: Path, args: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(data)
    result = sample(data, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_an_existing_output_is_kept_without_force(data: Path) -> None:
    out = data / "proposal.csv"
    out.write_text("keep me", encoding="utf-8")
    result = sample(data, "--out", str(out))
    assert result.exit_code == 2 and out.read_text(encoding="utf-8") == "keep me"
    assert sample(data, "--out", str(out), "--force").exit_code == 0


def test_the_guides_fill_section_states_the_default_weights(tmp_path: Path) -> None:
    import re

    from standby.rota.io import read_requirements_file
    from standby.rota.model import FillWeights

    guide = (SAMPLE.parents[1] / "docs" / "rota.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Filling gaps") :]
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", section, re.DOTALL) if "fill:" in b]
    path = tmp_path / "requirements.yaml"
    path.write_text("requirements:\n  - {role: Duty Officer, min: 1}\n" + block, encoding="utf-8")
    assert read_requirements_file(path).fill_weights == FillWeights()
