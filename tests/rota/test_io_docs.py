"""Every CSV, YAML and Python example in the rota guide reads or runs without error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from standby.rota.io import RotaFileError, read_requirements, read_rota

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "rota.md"


def format_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## File formats")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


EXAMPLES = re.findall(r"```(csv|yaml)\n(.*?)```", format_section(), flags=re.DOTALL)


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("kind", "body"), EXAMPLES)
def test_example_reads(tmp_path: Path, kind: str, body: str) -> None:
    path = tmp_path / f"example.{kind}"
    path.write_text(body, encoding="utf-8")
    if kind == "yaml" and body.lstrip().startswith("timezone") and "people:" not in body:
        assert read_requirements(path)
    else:
        rota = read_rota(path)
        assert rota.shifts


def test_guide_error_example_for_patterns_is_what_the_reader_says(tmp_path: Path) -> None:
    path = tmp_path / "council.yaml"
    path.write_text(
        "patterns:\n  - {role: R, people: [A], handover: monday 9am, length: 1w,"
        " start: 2026-01-05, end: 2026-02-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    message = str(caught.value).replace(str(tmp_path) + "/", "")
    expected = message.replace("(line 2)", "(line 12)")
    assert expected in format_section()


def test_the_python_example_runs_on_the_sample_rota() -> None:
    from datetime import UTC, datetime

    (block,) = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    data = GUIDE.parents[1] / "rota" / "data"
    names = {
        "path": data / "council-2026.yaml",
        "requirements": data / "council-2026-requirements.yaml",
        "instant": datetime(2026, 11, 12, 2, 10, tzinfo=UTC),
    }
    exec(compile(block, "docs/rota.md", "exec"), names)
    assert names["checked"].report.all_met is False  # Christmas night, on purpose
    assert names["report"].roles and len(names["rota"].shifts) > 500
