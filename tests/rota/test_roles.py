"""Role names on the command line: any case, a unique start, the initials; clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from standby.cli import cli
from standby.rota.roles import RoleNameError, abbreviation, match_role

EPO = "Duty Emergency Planning Officer"
DSM = "Duty Senior Manager"
RCM = "Rest Centre Manager"
ROLES = (EPO, DSM, RCM, "Communications On Call")


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        (EPO, EPO),
        ("duty emergency planning officer", EPO),
        ("  REST CENTRE MANAGER ", RCM),
        ("rest", RCM),
        ("Duty S", DSM),
        ("DEPO", EPO),
        ("depo", EPO),
        ("D.E.P.O.", EPO),
        ("RCM", RCM),
        ("coc", "Communications On Call"),
    ],
)
def test_a_role_is_found_by_case_prefix_or_initials(typed: str, role: str) -> None:
    assert match_role(typed, ROLES) == role


def test_initials_of_a_role_are_its_words_first_letters() -> None:
    assert abbreviation(EPO) == "DEPO"
    assert abbreviation("Social Care Emergency Duty Team") == "SCEDT"
    assert abbreviation(f"{EPO} (backup)") == "DEPOB"


def test_a_start_shared_by_two_roles_lists_both() -> None:
    with pytest.raises(RoleNameError) as caught:
        match_role("duty", ROLES)
    assert caught.value.message == (
        f"'duty' could be any of '{EPO}'; '{DSM}'; write more of the role's name"
    )


def test_an_unknown_role_suggests_the_nearest() -> None:
    with pytest.raises(RoleNameError, match=f"no role 'Rest Centre Manger'; did you mean '{RCM}'"):
        match_role("Rest Centre Manger", ROLES, where="rota.csv: ")


# ------------------------------------------------------------------------------ the CLI

HEADER = "person,role,start,end,level,phone\n"
# A rota that covers today, whenever the test runs: 'now' always has someone on call.
LONG = (
    HEADER
    + f"A. Jones,{EPO},2000-01-03 09:00,2100-01-04 09:00,1,07700 900001\n"
    + f"B. Smith,{EPO},2000-01-03 09:00,2100-01-04 09:00,2,07700 900002\n"
    + f"C. Wu,{RCM},2000-01-03 09:00,2100-01-04 09:00,1,07700 900003\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["rota", *args], env={"COLUMNS": "120"})


@pytest.fixture
def rota_file(tmp_path: Path) -> Path:
    path = tmp_path / "rota.csv"
    path.write_text(LONG + f"D. Ng,{DSM},2000-01-03 09:00,2000-01-10 09:00,1,\n", encoding="utf-8")
    return path


def test_who_takes_the_initials_and_now(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--role", "depo", "--at", "now")
    assert result.exit_code == 0, result.output
    assert f"{EPO} on call at" in result.output
    assert result.output.index("A. Jones") < result.output.index("B. Smith")


def test_who_all_is_a_contact_sheet_with_every_role_and_nobody_marked(rota_file: Path) -> None:
    result = run("who", str(rota_file), "--all", "--at", "now")
    assert result.exit_code == 1, result.output  # nobody covers the senior manager now
    lines = result.output.splitlines()
    assert next(line for line in lines if "A. Jones" in line).split("│")[1].strip() == EPO
    assert "07700 900002" in result.output and "C. Wu" in result.output
    (senior,) = [line for line in lines if DSM in line]
    assert "nobody on call" in senior


def test_who_all_exits_0_when_every_role_has_someone(tmp_path: Path) -> None:
    path = tmp_path / "full.csv"
    path.write_text(LONG, encoding="utf-8")
    result = run("who", str(path), "--all", "--at", "14/02/2030 9:00")
    assert result.exit_code == 0, result.output
    assert "On call at 2030-02-14 09:00 GMT" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "now"], "give --role ROLE or --all (one of them)"),
        (["--all", "--role", "depo", "--at", "now"], "give --role ROLE or --all (one of them)"),
        (["--role", "duty", "--at", "now"], "could be any of"),
        (["--role", "dpeo", "--at", "now"], "(--role)"),
        (["--all", "--at", "12/31/2030"], "there is no month 31"),
    ],
)
def test_who_refuses_what_it_cannot_answer(rota_file: Path, args: list[str], message: str) -> None:
    result = run("who", str(rota_file), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_not_work_takes_a_role_by_its_start_and_refuses_an_unknown_one(rota_file: Path) -> None:
    window = ["--from", "2000-01-03 09:00", "--to", "2000-01-10 09:00", "--format", "json"]
    loose = run("check", str(rota_file), "--not-work", "duty e", "--not-work", "RCM", *window)
    assert loose.exit_code == 0, loose.output
    unknown = run("check", str(rota_file), "--not-work", "Gold Commander", *window)
    assert unknown.exit_code == 2
    assert "no role 'Gold Commander'" in unknown.output and "(--not-work)" in unknown.output
