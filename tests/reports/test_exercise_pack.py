"""The exercise pack: golden Markdown of a seeded pack, the Word file's tables, what the MSEL
holds, the objectives' expectations and tags, escaping in every format."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from packkit import RUNS, SCENARIO_FILE, chlorine_document, chlorine_pack

from standby.errors import OutputExistsError
from standby.reports.document import to_html, to_markdown
from standby.reports.exercise import ExercisePack, msel_rows, objective_tags
from standby.reports.exercise_document import MSEL_COLUMNS, pack_document, write_pack
from standby.reports.word import to_docx
from standby.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "exercise-pack-chlorine.md"
SCRIPT = "<script>alert('inject')</script>"
EXPECTATION_COLUMNS = ("Plan task", "Target", "The model's expectation")


def _scenario_injects() -> list[dict[str, object]]:
    """The injects as the YAML file has them (read without Standby)."""
    return list(yaml.safe_load(SCENARIO_FILE.read_text(encoding="utf-8"))["injects"])


def test_pack_golden_markdown() -> None:
    text = to_markdown(chlorine_document()).content
    assert isinstance(text, str)
    if os.environ.get("STANDBY_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the exercise pack changed; if on purpose, run `make golden` and review the diff"
    )


def test_msel_holds_every_scenario_inject_in_time_order_numbered_from_one() -> None:
    pack = chlorine_pack()
    scenario_rows = [row for row in pack.msel if not row.generated]
    assert [row.message for row in scenario_rows] == [i["text"] for i in _scenario_injects()]
    assert [row.number for row in pack.msel] == list(range(1, len(pack.msel) + 1))
    minutes = [row.minute for row in pack.msel]
    assert minutes == sorted(minutes)
    # the bundled scenario starts at 02:10 local: inject i06 at minute 45 is 02:55
    assert next(row.clock for row in pack.msel if row.inject == "i06") == "02:55"


def test_generated_injects_are_marked_and_say_how_they_were_made() -> None:
    pack = chlorine_pack()
    generated = [row for row in pack.msel if row.generated]
    assert generated, "the model should add information injects"
    assert all(row.basis.startswith("model") and row.status == "proposed" for row in generated)
    kinds = {row.inject.split("-")[1] for row in generated}
    assert {"plume", "on", "rest"} <= kinds
    # the care home is 1 km or so downwind in a 2.5 m/s wind: the plume reaches it in minutes
    care_home = next(r for r in generated if r.inject == "gen-plume-riverview_care_home")
    assert 0 < care_home.minute < 15
    assert all(row.contingency for row in generated if row.type == "contingency")


def test_clock_times_move_with_the_start_and_minutes_stay() -> None:
    scenario = load_scenario("chlorine-riverside")
    later = scenario.start_utc.replace(hour=scenario.start_utc.hour + 1)
    moved = {row.inject: row for row in msel_rows(scenario, later)}
    assert moved["i06"].minute == 45
    assert moved["i06"].clock == "03:55"


def test_objective_expectation_reads_as_the_issue_asks() -> None:
    view = next(v for v in chlorine_pack().objectives if v.id == "obj_command")
    tcg = view.tasks[0]
    assert tcg.task == "convene_tcg"
    text = tcg.text()
    assert text.startswith("median ") and ", 90th percentile " in text
    assert f"target 60 min, met in {100 * tcg.met / RUNS:.0f} % of runs (95 % CI " in text


def test_tags_follow_the_tasks_kinds_and_comah_only_on_an_upper_tier_site() -> None:
    scenario = load_scenario("chlorine-riverside")
    assert objective_tags(scenario, ["public_warning"]) == (["communicate"], ["11(b)", "11(c)"])
    pipeline = load_scenario("pipeline-bank-holiday")
    task = pipeline.plan.tasks[0].id
    assert objective_tags(pipeline, [task])[1] == []


def _word_tables(data: bytes) -> list[list[list[str]]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_word_file_opens_and_holds_the_msel_and_objective_tables() -> None:
    tables = _word_tables(to_docx(chlorine_document()))
    msel = [t for t in tables if tuple(t[0]) == MSEL_COLUMNS]
    assert len(msel) == 1
    assert [row[8] for row in msel[0][1:] if row[-1] == "scenario"] == [
        i["text"] for i in _scenario_injects()
    ]
    expectations = [t for t in tables if tuple(t[0]) == EXPECTATION_COLUMNS]
    # one per objective in the objectives section and one on each evaluator sheet
    assert len(expectations) == 2 * len(yaml.safe_load(SCENARIO_FILE.read_text())["objectives"])
    assert any("Tactical Co-ordinating Group" in row[0] for t in expectations for row in t[1:])


def _with_script_inject(pack: ExercisePack) -> ExercisePack:
    msel = (replace(pack.msel[0], message=SCRIPT, notes='=HYPERLINK("x")'), *pack.msel[1:])
    return replace(pack, msel=msel)


def test_inject_text_with_a_script_is_escaped_in_html_and_markdown() -> None:
    document = pack_document(_with_script_inject(chlorine_pack()))
    html = to_html(document)
    assert SCRIPT not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#39;inject&#39;)&lt;/script&gt;" in html
    markdown = to_markdown(document).content
    assert isinstance(markdown, str)
    assert "<script" not in markdown and "&lt;script&gt;" in markdown


def test_inject_text_with_a_script_is_inert_text_in_word() -> None:
    data = to_docx(pack_document(_with_script_inject(chlorine_pack())))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<script" not in xml and "&lt;script&gt;" in xml
    texts = [cell for table in _word_tables(data) for row in table for cell in row]
    assert SCRIPT in texts


def test_write_pack_writes_three_formats_and_keeps_files_without_force(tmp_path: Path) -> None:
    files = write_pack(chlorine_pack(), tmp_path)
    assert {p.name for p in files.all} == {
        "exercise-pack.html",
        "exercise-pack.docx",
        "exercise-pack.md",
        "exercise-pack-area-map.png",
        "exercise-pack-plume-map.png",
        "exercise-pack-gantt.png",
    }
    markdown = files.markdown.read_text(encoding="utf-8")
    for figure in files.figures:
        assert f"]({figure.name})" in markdown
        assert figure.read_bytes().startswith(b"\x89PNG")
    html = files.html.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "http" not in html.split("<body>")[0]
    with pytest.raises(OutputExistsError):
        write_pack(chlorine_pack(), tmp_path)
