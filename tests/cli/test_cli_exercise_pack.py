"""`standby exercise pack` and `standby exercise msel export/import` on the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from standby.cli import cli

ROOT = Path(__file__).resolve().parents[2]
ROTA = str(ROOT / "rota" / "data" / "council-2026.yaml")
REQUIREMENTS = str(ROOT / "rota" / "data" / "council-2026-requirements.yaml")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_pack_writes_html_word_and_markdown(tmp_path: Path) -> None:
    code, out, _ = _run(
        "exercise",
        "pack",
        "chlorine-riverside",
        "--rota",
        ROTA,
        "--runs",
        "3",
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    assert f"Wrote {tmp_path}/: exercise-pack.html, exercise-pack.docx, exercise-pack.md" in out
    assert (tmp_path / "exercise-pack.docx").stat().st_size > 10_000
    code, _, err = _run(
        "exercise", "pack", "chlorine-riverside", "--runs", "2", "--out", str(tmp_path)
    )
    assert code == 2 and "already exists" in err and "--force" in err


def test_stress_says_which_instant_and_why(tmp_path: Path) -> None:
    code, out, _ = _run(
        "exercise",
        "pack",
        "chlorine-riverside",
        "--rota",
        ROTA,
        "--requirements",
        REQUIREMENTS,
        "--stress",
        "--runs",
        "3",
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    assert (
        "Thinnest cover: Friday 25 December 2026 18:00 GMT: one Duty Emergency Planning "
        "Officer of the 2 required and no Duty Senior Manager" in out
    )
    guide = (tmp_path / "exercise-pack.md").read_text(encoding="utf-8")
    assert "no volunteer for Christmas night" in guide


def test_stress_without_a_rota_is_a_usage_error_naming_the_option(tmp_path: Path) -> None:
    code, _, err = _run(
        "exercise", "pack", "chlorine-riverside", "--stress", "--out", str(tmp_path)
    )
    assert code == 2
    assert "give the rota file (--rota)" in err


def test_msel_export_then_import_on_the_command_line(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.xlsx"
    code, out, _ = _run(
        "exercise", "msel", "export", "chlorine-riverside", "--format", "xlsx", "--out", str(sheet)
    )
    assert (code, out.strip()) == (0, f"wrote {sheet}: 12 injects")
    new = tmp_path / "new.yaml"
    code, out, _ = _run(
        "exercise", "msel", "import", str(sheet), "--into", "chlorine-riverside", "--out", str(new)
    )
    assert (code, out.strip()) == (0, f"wrote {new}: 12 injects (no change)")
    code, _, err = _run(
        "exercise", "msel", "import", str(sheet), "--into", str(new), "--out", str(new)
    )
    assert code == 2 and "--force" in err


def test_a_bad_sheet_is_reported_row_by_row_with_exit_2(tmp_path: Path) -> None:
    sheet = tmp_path / "msel.csv"
    sheet.write_text(
        "Time,From,To,Message,Expected player response,Type\n"
        "02:55,Police,TCG,Crowd at the cordon,Send officers,rumour\n"
        "99:00,Police,TCG,,Send officers,information\n",
        encoding="utf-8",
    )
    code, _, err = _run(
        "exercise",
        "msel",
        "import",
        str(sheet),
        "--into",
        "chlorine-riverside",
        "--out",
        str(tmp_path / "new.yaml"),
    )
    assert code == 2
    assert "3 problem(s) in the MSEL; nothing was imported" in err
    assert "row 2, column Type" in err
    assert "row 3, column Time: '99:00' is not a clock time" in err
    assert "row 3, column Message: empty; fill it in" in err
    assert "Traceback" not in err


def test_simulating_the_flood_writes_no_plume_maps(tmp_path: Path) -> None:
    code, out, _ = _run(
        "simulate", "river-flood", "--rota", ROTA, "--runs", "2", "--out", str(tmp_path)
    )
    assert code == 0, out
    assert f"Wrote {tmp_path}/: " in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "end-times.png",
        "report.html",
        "runs.csv",
        "summary.json",
        "targets.png",
    ]
