"""The debrief written out: HTML, Word, Markdown (with its figures), JSON and lessons.csv.

Every format comes from the same :class:`~standby.reports.document.Document`
(:func:`standby.reports.debrief_document.debrief_document`) or, for the JSON and the lessons
CSV, from the :class:`~standby.reports.debrief_model.Debrief` itself. A folder that already
holds a debrief report is left untouched unless ``force`` is given; every file is written
atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from standby.errors import OutputExistsError
from standby.files import csv_text, write_bytes_atomic, write_text_atomic
from standby.reports.debrief_document import PLUME_FILE, TIMELINE_FILE

if TYPE_CHECKING:
    from standby.reports.debrief_model import Debrief
    from standby.reports.document import Document
    from standby.scenarios.model import Scenario

BASENAME = "debrief"
LESSON_COLUMNS = ("title", "theme", "observation", "lesson", "recommendation", "owner", "date")
OUTPUTS = (
    f"{BASENAME}.html",
    f"{BASENAME}.docx",
    f"{BASENAME}.md",
    f"{BASENAME}.json",
    "lessons.csv",
    TIMELINE_FILE,
    PLUME_FILE,
)


@dataclass(frozen=True)
class DebriefFiles:
    """The files a debrief wrote."""

    html: Path
    docx: Path
    markdown: Path
    json: Path
    lessons: Path
    figures: tuple[Path, ...]

    def all(self) -> list[Path]:
        """Every file, reports first."""
        return [self.html, self.docx, self.markdown, self.json, self.lessons, *self.figures]


def lessons_csv(debrief: Debrief) -> str:
    """The lessons identified as CSV, formula-like cells neutralised."""
    rows = (
        (
            lesson.title,
            lesson.theme,
            lesson.observation,
            lesson.lesson,
            lesson.recommendation,
            lesson.owner,
            lesson.date.isoformat(),
        )
        for lesson in debrief.lessons
    )
    return csv_text(LESSON_COLUMNS, rows)


def debrief_json(debrief: Debrief) -> str:
    """The debrief's data as JSON text."""
    return json.dumps(debrief.to_json_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_document(debrief: Debrief, scenario: Scenario | None = None) -> Document:
    """The report as a document, its figures drawn (the plume map needs the scenario)."""
    from standby.reports.debrief_charts import timeline_chart
    from standby.reports.debrief_document import debrief_document

    return debrief_document(debrief, timeline_chart(debrief.timeline), _plume_png(scenario))


def _plume_png(scenario: Scenario | None) -> bytes | None:
    """The screening plume map (None without the scenario, or for one with no release)."""
    if scenario is None:
        return None
    from standby.reports.charts import plume_map_png
    from standby.simulator.maps import hazard_maps

    maps = hazard_maps(scenario)
    return None if maps is None else plume_map_png(maps)


def check_folder(out_dir: Path, *, force: bool) -> None:
    """Refuse a folder that holds a debrief report already, unless ``force``."""
    if force:
        return
    found = [name for name in OUTPUTS if (out_dir / name).exists()]
    if found:
        raise OutputExistsError(
            f"{out_dir}: already holds a debrief report ({', '.join(found)}), left untouched; "
            "choose another folder, or allow the report to be replaced",
            parameters=("output", "force"),
        )


def write_debrief(
    debrief: Debrief, out_dir: Path, scenario: Scenario | None = None, *, force: bool = False
) -> DebriefFiles:
    """Write every format of the debrief into ``out_dir`` (made if new)."""
    from standby.reports.document import to_html, to_markdown
    from standby.reports.word import to_docx

    check_folder(out_dir, force=force)
    document = render_document(debrief, scenario)
    markdown = to_markdown(document)
    assert isinstance(markdown.content, str)
    html = write_text_atomic(out_dir / f"{BASENAME}.html", to_html(document), force=True)
    docx = write_bytes_atomic(out_dir / f"{BASENAME}.docx", to_docx(document), force=True)
    text = write_text_atomic(out_dir / f"{BASENAME}.md", markdown.content, force=True)
    data = write_text_atomic(out_dir / f"{BASENAME}.json", debrief_json(debrief), force=True)
    lessons = write_text_atomic(out_dir / "lessons.csv", lessons_csv(debrief), force=True)
    figures = tuple(
        write_bytes_atomic(out_dir / name, png, force=True)
        for name, png in markdown.figures.items()
    )
    return DebriefFiles(html, docx, text, data, lessons, figures)


@dataclass(frozen=True)
class DebriefRun:
    """What ``standby debrief`` did: the debrief and the files it wrote."""

    debrief: Debrief
    files: DebriefFiles


def run_debrief(
    scenario_name: str | Path,
    log_source: str | Path,
    out_dir: Path,
    *,
    observations_file: Path | None = None,
    rota_file: Path | None = None,
    runs: int = 200,
    seed: int = 1,
    exercise_date: date | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DebriefRun:
    """Check the inputs and the folder, build the debrief and write every format."""
    from standby.reports.debrief import debrief_files

    check_folder(out_dir, force=force)
    scenario, debrief = debrief_files(
        scenario_name,
        log_source,
        observations_file,
        rota_file=rota_file,
        runs=runs,
        seed=seed,
        exercise_date=exercise_date,
        progress=progress,
    )
    return DebriefRun(debrief, write_debrief(debrief, out_dir, scenario, force=force))
