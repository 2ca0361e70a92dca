"""Working-time settings per role from files: the `working_time:` section, merge and sample data."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli
from standby.clock import parse_instant
from standby.reports.demo import DemoSettings, step_rota
from standby.reports.rota_html import heatmap
from standby.rota import patterns
from standby.rota.api import check_files
from standby.rota.coverage import check
from standby.rota.io import (
    RequirementsSet,
    RotaFileError,
    read_requirements,
    read_requirements_file,
    read_rota,
    rota_to_json,
)
from standby.rota.model import Finding, Override, Requirement, RoleRules, Rota, Shift, TimeWindow
from standby.rota.rules import RoleRules as RulesRoleRules
from standby.rota.rules import merge_role_rules

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "rota" / "data"
EPO = "Duty Emergency Planning Officer"
RCM = "Rest Centre Manager"

# Ann Lee on call as duty officer for two weeks in a row (14 local days): reg 10 and
# reg 11 findings when on-call time is work, a local-limit finding when a limit is below 14.
TWO_WEEKS = f"""\
timezone: Europe/London
patterns:
  - {{role: {EPO}, people: [Ann Lee], handover: mon 09:00, length: 1w,
     start: 2026-01-05, end: 2026-01-13}}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def requirements_text(working_time: str) -> str:
    return f"timezone: Europe/London\nrequirements:\n  - {{role: {EPO}, min: 1}}\n{working_time}"


def regs(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return sorted(f.detail.split(":")[0] for f in findings if f.kind == "working_time")


# ------------------------------------------------------------------------------ model


def test_role_rules_lives_in_the_model_and_rota_rules_still_offers_it() -> None:
    assert RulesRoleRules is RoleRules
    assert RoleRules() == RoleRules(standby="work", max_consecutive_days=None)
    assert Rota().role_rules == {}


# ------------------------------------------------------------------------------ YAML rota


def test_yaml_rota_section_becomes_role_rules_with_defaults(tmp_path: Path) -> None:
    text = TWO_WEEKS + (
        "working_time:\n"
        f"  - {{role: {EPO}, on_call_is_work: false, max_consecutive_days: 7}}\n"
        f"  - {{role: {EPO} (backup)}}\n"
    )
    rota = read_rota(write(tmp_path, "rota.yaml", text))
    assert rota.role_rules == {
        EPO: RoleRules(standby="rest", max_consecutive_days=7),
        f"{EPO} (backup)": RoleRules(standby="work", max_consecutive_days=None),
    }


def test_yaml_rota_role_it_does_not_name_is_kept_with_a_warning(tmp_path: Path) -> None:
    text = TWO_WEEKS + "working_time:\n  - {role: Duty Emergency Planing Officer}\n"
    path = write(tmp_path, "rota.yaml", text)
    rota = read_rota(path)
    assert "Duty Emergency Planing Officer" in rota.role_rules
    assert rota.warnings == [
        f"{path}: working_time.0.role (line 6): 'Duty Emergency Planing Officer' is not a role "
        f"in this file (did you mean '{EPO}'?); its settings apply if the rota or another "
        "file has it"
    ]


def test_empty_working_time_section_means_no_settings(tmp_path: Path) -> None:
    rota = read_rota(write(tmp_path, "rota.yaml", TWO_WEEKS + "working_time:\n"))
    assert rota.role_rules == {}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{role: R, max_consecutive_days: 0}", "working_time.0.max_consecutive_days (line 6)"),
        ("{role: R, on_call_is_work: sometimes}", "working_time.0.on_call_is_work (line 6)"),
        ("{role: R, counts: false}", "'counts' is not a key Standby knows here"),
        ("{on_call_is_work: false}", "working_time.0.role (line 6): this key is required"),
    ],
)
def test_bad_working_time_entry_is_an_error_naming_the_key(
    tmp_path: Path, entry: str, problem: str
) -> None:
    path = write(tmp_path, "rota.yaml", TWO_WEEKS + f"working_time:\n  - {entry}\n")
    with pytest.raises(RotaFileError, match=str(path)) as caught:
        read_rota(path)
    assert problem in str(caught.value)


def test_duplicate_role_in_a_rota_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    text = TWO_WEEKS + f"working_time:\n  - {{role: {EPO}}}\n  - {{role: {EPO}}}\n"
    path = write(tmp_path, "rota.yaml", text)
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    assert str(caught.value) == (
        f"{path}: working_time.1.role (line 7): '{EPO}' is listed twice (first at "
        "working_time.0); give each role one entry"
    )


# ------------------------------------------------------------------------------ requirements


def test_requirements_file_section_is_read_with_the_requirements(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "req.yaml",
        requirements_text(f"working_time:\n  - {{role: {EPO}, on_call_is_work: false}}\n"),
    )
    loaded = read_requirements_file(path)
    assert isinstance(loaded, RequirementsSet)
    assert [r.role for r in loaded.requirements] == [EPO]
    assert loaded.role_rules == {EPO: RoleRules(standby="rest")}
    assert loaded.warnings == []
    assert read_requirements(path) == loaded.requirements


def test_requirements_file_role_it_does_not_require_is_kept_with_a_warning(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "req.yaml", requirements_text("working_time:\n  - {role: Gold}\n"))
    loaded = read_requirements_file(path)
    assert loaded.role_rules == {"Gold": RoleRules()}
    assert loaded.warnings == [
        f"{path}: working_time.0.role (line 5): 'Gold' is not a role in this file; its "
        "settings apply if the rota or another file has it"
    ]


def test_yaml_rota_given_as_requirements_brings_its_settings(tmp_path: Path) -> None:
    text = TWO_WEEKS + (
        f"requirements:\n  - {{role: {EPO}, min: 1}}\n"
        f"working_time:\n  - {{role: {EPO}, max_consecutive_days: 3}}\n"
    )
    loaded = read_requirements_file(write(tmp_path, "rota.yaml", text))
    assert loaded.role_rules == {EPO: RoleRules(max_consecutive_days=3)}


def test_the_docs_duplicate_message_is_what_the_reader_says(tmp_path: Path) -> None:
    text = (
        "timezone: Europe/London\n"
        "requirements:\n"
        f"  - {{role: {EPO}, min: 1}}\n"
        f"  - {{role: {RCM}, min: 1}}\n"
        "working_time:\n"
        f"  - role: {RCM}\n"
        "    on_call_is_work: false\n"
        "  # the same role again, further down\n"
        f"  - role: {RCM}\n"
    )
    path = write(tmp_path, "req.yaml", text)
    with pytest.raises(RotaFileError) as caught:
        read_requirements_file(path)
    message = str(caught.value).replace(str(tmp_path) + "/", "")
    assert message.startswith("req.yaml: working_time.1.role (line 9):")
    guide = " ".join((REPO / "docs" / "rota.md").read_text(encoding="utf-8").split())
    assert message in guide


# ------------------------------------------------------------------------------ JSON


def test_json_export_writes_working_time_and_reads_it_back(tmp_path: Path) -> None:
    text = TWO_WEEKS + (
        "working_time:\n"
        f"  - {{role: {EPO}, on_call_is_work: false, max_consecutive_days: 7}}\n"
        f"  - {{role: {RCM}}}\n"
    )
    rota = read_rota(write(tmp_path, "rota.yaml", text))
    exported = rota_to_json(rota)
    defaults = {
        "response_minutes": None,
        "callouts_per_week": None,
        "reference_weeks": 17,
        "weekly_rest": "weekly",
        "weekly_rest_may_include_daily_rest": False,
        "hazardous_night_work": False,
    }
    assert json.loads(exported)["working_time"] == [
        {"role": EPO, "standby": "rest", **defaults, "max_consecutive_days": 7},
        {"role": RCM, "standby": "work", **defaults, "max_consecutive_days": None},
    ]
    again = read_rota(write(tmp_path, "rota.json", exported))
    assert again.role_rules == rota.role_rules
    assert rota_to_json(again) == exported


def test_json_export_without_working_time_still_reads(tmp_path: Path) -> None:
    document = json.loads(rota_to_json(read_rota(write(tmp_path, "rota.yaml", TWO_WEEKS))))
    del document["working_time"]
    again = read_rota(write(tmp_path, "old.json", json.dumps(document)))
    assert again.role_rules == {} and again.shifts


# ------------------------------------------------------------------------------ merge


def test_merge_later_source_wins_and_not_work_keeps_the_limit() -> None:
    from_rota = {EPO: RoleRules(max_consecutive_days=10), RCM: RoleRules(max_consecutive_days=5)}
    from_requirements = {EPO: RoleRules(standby="rest", max_consecutive_days=7)}
    merged = merge_role_rules(from_rota, from_requirements, not_work=[RCM, "Gold"])
    assert merged == {
        EPO: RoleRules(standby="rest", max_consecutive_days=7),
        RCM: RoleRules(standby="rest", max_consecutive_days=5),
        "Gold": RoleRules(standby="rest"),
    }
    assert from_rota[RCM] == RoleRules(max_consecutive_days=5)  # the sources are left alone


@pytest.fixture
def two_weeks(tmp_path: Path) -> Path:
    working_time = f"working_time:\n  - {{role: {EPO}, max_consecutive_days: 10}}\n"
    return write(tmp_path, "rota.yaml", TWO_WEEKS + working_time)


def test_check_files_uses_the_rotas_own_settings(two_weeks: Path) -> None:
    report = check_files(two_weeks).report
    # Two weeks on call from Monday 5 January 09:00: both local weeks lack a weekly rest.
    assert regs(report.findings) == [
        "local limit",
        "reg 10 daily rest",
        *["reg 11 weekly rest"] * 2,
    ]
    assert "(limit 10)" in next(f.detail for f in report.findings if "local" in f.detail)


def test_check_files_requirements_file_wins_over_the_rota(two_weeks: Path) -> None:
    requirements = write(
        two_weeks.parent,
        "req.yaml",
        requirements_text(
            f"working_time:\n  - {{role: {EPO}, on_call_is_work: false, max_consecutive_days: 7}}\n"
        ),
    )
    report = check_files(two_weeks, requirements).report
    assert regs(report.findings) == ["local limit"]
    (limit,) = report.findings
    assert limit.detail == f"local limit: on call 14 consecutive days for {EPO} (limit 7)"


def test_check_files_not_work_overrides_the_files_and_keeps_the_limit(two_weeks: Path) -> None:
    requirements = write(
        two_weeks.parent,
        "req.yaml",
        requirements_text(f"working_time:\n  - {{role: {EPO}, on_call_is_work: true}}\n"),
    )
    from_files = check_files(two_weeks, requirements).report
    assert regs(from_files.findings) == ["reg 10 daily rest", *["reg 11 weekly rest"] * 2]
    for names in ([EPO], ["all"]):
        report = check_files(two_weeks, not_work=names).report
        assert regs(report.findings) == ["local limit"]
        report = check_files(two_weeks, requirements, not_work=names).report
        assert regs(report.findings) == []


def test_cli_not_work_still_silences_the_regulations(two_weeks: Path) -> None:
    def working_time(*extra: str) -> list[str]:
        result = CliRunner().invoke(
            cli, ["rota", "check", str(two_weeks), "--format", "json", *extra]
        )
        assert result.exit_code in (0, 1), result.output
        found = json.loads(result.output)["findings"]
        return sorted(f["detail"].split(":")[0] for f in found if f["kind"] == "working_time")

    assert working_time() == [
        "local limit",
        "reg 10 daily rest",
        "reg 11 weekly rest",
        "reg 11 weekly rest",
    ]
    assert working_time("--not-work", EPO) == ["local limit"]
    assert working_time("--not-work", "all") == ["local limit"]


# ------------------------------------------------------------------------------ sample data


def _people_on_consecutive_shifts(sample: Rota, role: str) -> set[str]:
    turns: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for shift in sample.shifts:
        if shift.role == role:
            turns[shift.person].append((shift.start, shift.end))
    return {
        person
        for person, spans in turns.items()
        for (_, end), (start, _) in zip(sorted(spans), sorted(spans)[1:], strict=False)
        if start <= end
    }


def test_sample_requirements_say_stand_by_is_not_work_with_a_7_day_limit() -> None:
    loaded = read_requirements_file(DATA / "council-2026-requirements.yaml")
    assert {r.role for r in loaded.requirements} == set(loaded.role_rules)
    assert not any(rules.counts_as_work for rules in loaded.role_rules.values())
    limits = {role: r.max_consecutive_days for role, r in loaded.role_rules.items()}
    assert limits[EPO] == limits["Duty Senior Manager"] == 7
    assert loaded.warnings == []


def test_sample_2026_findings_are_few_and_real() -> None:
    checked = check_files(
        DATA / "council-2026.yaml",
        DATA / "council-2026-requirements.yaml",
        "2026-01-01",
        "2027-01-01",
    )
    sample, report = checked.rota, checked.report
    kinds = [f.kind for f in report.findings]
    assert len(kinds) <= 5, kinds
    assert "leave_clash" in kinds
    assert not [f for f in report.findings if f.detail.startswith("reg ")]
    repeated = set().union(
        *(_people_on_consecutive_shifts(sample, role) for role in (EPO, "Duty Senior Manager"))
    )
    limits = {f.person for f in report.findings if f.detail.startswith("local limit")}
    assert limits == repeated  # today nobody has two turns in a row, so no local limit


def test_without_the_file_settings_the_sample_drowns_in_reg_10_findings() -> None:
    report = check_files(DATA / "council-2026.yaml", None, "2026-01-01", "2027-01-01").report
    assert len([f for f in report.findings if f.detail.startswith("reg 10")]) > 100


def test_demo_rota_step_uses_the_files_settings(tmp_path: Path) -> None:
    report = check_files(
        DATA / "council-2026.yaml",
        DATA / "council-2026-requirements.yaml",
        "2026-01-01",
        "2027-01-01",
    ).report
    step = step_rota(DemoSettings(tmp_path))
    assert step.summary.endswith(f"; {len(report.findings)} findings")
    assert len(report.findings) < 10


# ------------------------------------------------------------------------------ small fixes


def test_html_heatmap_opens_bank_holiday_windows_of_the_reports_region() -> None:
    window = (parse_instant("2026-01-01"), parse_instant("2026-01-05"))
    holiday = Requirement(EPO, 1, TimeWindow(days=("bank_holiday",)))
    report = check(Rota(), [holiday], window, region="scotland")
    (role,) = report.roles
    days = {row for row, _hour in heatmap(role, report).required or []}
    # Rows count local days from 1 January; Scotland's 2 January holiday is row 1.
    assert days == {0, 1}


def test_patterns_apply_the_models_override_and_keep_no_copy_of_their_own() -> None:
    assert patterns.Override is Override
    week = Shift(
        "Ann Lee", EPO, parse_instant("2026-01-05 09:00"), parse_instant("2026-01-12 09:00")
    )
    gap = Override(EPO, parse_instant("2026-01-06 09:00"), parse_instant("2026-01-07 09:00"), None)
    pieces = patterns.apply_override([week], gap)
    assert [(p.start, p.end) for p in pieces] == [(week.start, gap.start), (gap.end, week.end)]
