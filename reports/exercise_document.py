"""The exercise pack laid out as a :class:`~standby.reports.document.Document`, and written.

One layout for every format: :func:`pack_document` turns an
:class:`~standby.reports.exercise.ExercisePack` into sections (about, participant briefing,
objectives, MSEL, facilitator guide, evaluator sheets, inject cards, rota snapshot, plume
map, simulated response), and :func:`write_pack` writes it as HTML, Word and Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from standby.clock import to_local
from standby.reports.document import (
    Block,
    Bullets,
    Card,
    Choices,
    Document,
    Fields,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
    WriteIn,
    plain_rows,
)
from standby.reports.exercise import ExercisePack, MselRow, ObjectiveView

BASENAME = "exercise-pack"
MSEL_COLUMNS = (
    "No.",
    "Time",
    "Min",
    "Move / phase",
    "Type",
    "Mode",
    "From",
    "To",
    "Message",
    "Expected player response",
    "Objective",
    "Controller",
    "Status",
    "Contingency",
    "Depends on",
    "Notes",
    "Source",
)
MSEL_WIDTHS = (2.2, 3.9, 3.1, 3.6, 5.8, 4.2, 5, 5, 12, 11, 5.6, 4.8, 4.6, 5, 3.8, 6, 6)
RATINGS = (
    "P: performed without challenges",
    "S: with some challenges",
    "M: with major challenges",
    "U: unable to be performed",
)


def _long_time(pack: ExercisePack, minute: float = 0.0) -> str:
    from datetime import timedelta

    local = to_local(pack.start + timedelta(minutes=minute), pack.timezone)
    return local.strftime("%A %d %B %Y %H:%M %Z")


def _minute(minute: float) -> str:
    return f"+{minute:g}"


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _source(row: MselRow) -> str:
    return f"GENERATED: {row.basis}" if row.generated else "scenario"


def pack_document(pack: ExercisePack) -> Document:
    """The whole pack as one document, the same for HTML, Word and Markdown."""
    scenario = pack.scenario
    about = [
        ("Scenario", f"{scenario.title} ({scenario.name})"),
        ("Site", f"{scenario.site.name}, {scenario.site.operator}"),
        ("Exercise start", _long_time(pack)),
        ("Scenario length", f"{scenario.duration_minutes:g} minutes"),
        ("Rota", pack.rota_name or "none: every role assumed filled by its agency"),
        ("Model", f"{pack.runs} simulated runs, seed {pack.seed}"),
    ]
    sections = [
        _introduction(pack),
        _briefing(pack),
        _objectives(pack),
        _msel(pack),
        _facilitator(pack),
        *_evaluator_sheets(pack),
        _cards(pack),
        _rota(pack),
        *([_hazard(pack)] if pack.hazard is not None else []),
        _response(pack),
    ]
    return Document(
        title=f"Exercise pack: {scenario.title}",
        subtitle="Tabletop exercise: MSEL, objectives, briefing, facilitator guide, "
        "evaluator sheets and inject cards",
        about=tuple(about),
        sections=tuple(sections),
        footer=f"Made by Standby from scenario {scenario.name}. Fictional scenario; every "
        "generated inject and model figure is an estimate from a simulation, not a forecast.",
    )


def _introduction(pack: ExercisePack) -> Section:
    scenario = pack.scenario
    generated = sum(1 for row in pack.msel if row.generated)
    blocks: list[Block] = [
        Paragraph(scenario.description.strip(), "lead"),
        Fields(
            (
                ("Legal basis", scenario.legal_basis.strip()),
                ("Off-site plan last tested", str(scenario.last_test or "not recorded")),
                (
                    "Next test due by",
                    f"{scenario.next_test_due} ({_test_rule(scenario.site.comah_tier)})"
                    if scenario.next_test_due
                    else "not known (no last test date in the scenario)",
                ),
            )
        ),
        Heading("How this pack was made"),
        Paragraph(
            f"The MSEL holds the scenario's {len(scenario.injects)} injects and {generated} "
            "injects generated from the model, each marked GENERATED with how it was made: "
            "information injects timed at the model's median, and contingency injects from "
            "the runs that went worst. The model's expectation beside each objective comes "
            f"from {pack.runs} simulated runs of the response from the exercise start."
        ),
    ]
    if pack.hazard is None:
        blocks.append(
            Paragraph(
                "Nothing toxic is released in this scenario, so the pack has no plume map and "
                "no AEGL zones: everyone at the places listed counts as at risk."
            )
        )
    if pack.stress is not None:
        blocks += [
            Heading("Why this start"),
            Paragraph(_stress_text(pack), "warning"),
        ]
    return Section("About this exercise", tuple(blocks), "about")


def _test_rule(comah_tier: str) -> str:
    if comah_tier == "upper":
        return "COMAH 2015 regulation 14: at most three years"
    return "three years after the last test"


def _stress_text(pack: ExercisePack) -> str:
    assert pack.stress is not None
    stress = pack.stress
    first, last = (to_local(t, pack.timezone).strftime("%d %B %Y %H:%M") for t in stress.window)
    text = (
        f"The exercise starts at the thinnest cover in the rota for the scenario's roles "
        f"from {first} to {last} ({stress.candidates} instants compared): {stress.sentence()}."
    )
    if stress.reasons:
        text += " In the rota: " + "; ".join(stress.reasons) + "."
    return text


def _briefing(pack: ExercisePack) -> Section:
    from standby.reports.exercise_charts import area_map, area_points

    scenario = pack.scenario
    situation = [
        ("Time", _long_time(pack)),
        ("Where", scenario.site.address or scenario.site.name),
        ("Site", f"{scenario.site.name} ({scenario.site.operator})"),
    ]
    if scenario.hazard is not None:
        weather = scenario.hazard.weather
        situation += [
            ("Substance", scenario.hazard.substance),
            ("Weather", _weather_text(weather.wind_from_deg, weather.wind_speed_ms)),
        ]
    agencies = []
    for agency in scenario.agencies:
        roles = ", ".join(r.name for r in scenario.roles if r.agency == agency.id)
        agencies.append((agency.name, agency.category, roles or "(control room only)"))
    blocks: list[Block] = [Heading("The scenario"), Paragraph(scenario.description.strip())]
    if pack.start != scenario.start_utc:
        blocks.append(
            Paragraph(
                f"The scenario file is written for {scenario.start}; this exercise plays it "
                f"from {_long_time(pack)}. Read its times of day accordingly.",
                "warning",
            )
        )
    blocks += [
        Heading("The situation at the start"),
        Fields(tuple(situation)),
        Figure(
            area_map(area_points(scenario), f"{scenario.site.name} and the area around it"),
            "The area: the site, people at risk, responders' places and rest centres "
            "(km from the site).",
            f"{BASENAME}-area-map.png",
            width_cm=15,
        ),
        Heading("Who plays"),
        Table(
            ("Agency", "Category", "Roles played"),
            plain_rows(agencies),
            widths=(6, 2, 8),
        ),
        Paragraph(
            "Play as you would on the night: use your own plans, logs and call-out lists. "
            "Exercise control delivers the injects; say 'exercise' on every call.",
            "note",
        ),
    ]
    return Section("Participant briefing", tuple(blocks), "briefing")


_COMPASS = (
    "northerly",
    "north-easterly",
    "easterly",
    "south-easterly",
    "southerly",
    "south-westerly",
    "westerly",
    "north-westerly",
)


def _weather_text(wind_from_deg: float, speed_ms: float) -> str:
    compass = _COMPASS[int(((wind_from_deg + 22.5) % 360) // 45)]
    return f"{compass} wind (from {wind_from_deg:g}°), {speed_ms:g} m/s"


def _tags(view: ObjectiveView) -> tuple[tuple[str, str], ...]:
    from standby.scenarios.model import COMAH_AIMS

    origin = " (from the plan tasks' kinds)" if view.tags_from_tasks else ""
    comah = "; ".join(f"reg {aim}: {COMAH_AIMS[aim]}" for aim in view.comah)
    return (
        ("Measured by", view.measured_by),
        ("JESIP principles" + origin, ", ".join(view.jesip) or "none"),
        ("COMAH 2015 objectives" + origin, comah or "none (not a COMAH upper-tier plan)"),
    )


def _expectation_rows(view: ObjectiveView) -> tuple[tuple[str, ...], ...]:
    return plain_rows(
        [
            (
                task.name,
                "-" if task.target_minute is None else f"{task.target_minute:g} min",
                task.text(),
            )
            for task in view.tasks
        ]
    )


def _objectives(pack: ExercisePack) -> Section:
    blocks: list[Block] = [
        Paragraph(
            f"Each objective with its measure, what the model expects from {pack.runs} runs "
            "of the response (median, 90th percentile, the share of runs meeting the target "
            "and its 95 % interval), and what it tests."
        )
    ]
    if not pack.objectives:
        blocks.append(Paragraph("The scenario has no objectives: add some to 'objectives:'."))
    for view in pack.objectives:
        blocks += [
            Heading(f"{view.id}: {view.text}"),
            Fields(_tags(view)),
            Table(
                ("Plan task", "Target", "The model's expectation"),
                _expectation_rows(view),
                widths=(5, 2, 9),
            ),
        ]
    return Section("Objectives and the model's expectations", tuple(blocks), "objectives")


def msel_table_rows(msel: Sequence[MselRow]) -> tuple[tuple[str, ...], ...]:
    """The MSEL as printed: one row per inject, HSEEP's columns and ours."""
    return plain_rows(
        [
            (
                row.number,
                row.clock,
                _minute(row.minute),
                row.phase,
                row.type,
                row.method,
                row.sender,
                row.recipient,
                row.message,
                row.expected_response,
                row.objective or "",
                row.controller,
                row.status,
                _yes(row.contingency),
                row.after or "",
                row.notes,
                _source(row),
            )
            for row in msel
        ]
    )


def _msel(pack: ExercisePack) -> Section:
    highlight = frozenset(i for i, row in enumerate(pack.msel) if row.generated)
    blocks: list[Block] = [
        Paragraph(
            f"Times are local ({pack.timezone}) from the start at {_long_time(pack)}; 'Min' "
            "is minutes from the start. Rows whose source is GENERATED (shaded in print) come "
            "from the model, not the scenario file; 'Contingency' rows are held in reserve."
        ),
        Table(
            MSEL_COLUMNS,
            msel_table_rows(pack.msel),
            widths=MSEL_WIDTHS,
            small=True,
            highlight=highlight,
        ),
    ]
    return Section("Master Scenario Events List (MSEL)", tuple(blocks), "msel", landscape=True)


def _moves(pack: ExercisePack) -> tuple[tuple[str, ...], ...]:
    moves: dict[str, list[MselRow]] = {}
    for row in pack.msel:
        moves.setdefault(row.phase, []).append(row)
    return plain_rows(
        [
            (
                phase,
                f"{rows[0].clock} to {rows[-1].clock}",
                len(rows),
                sum(1 for r in rows if r.contingency),
            )
            for phase, rows in moves.items()
        ]
    )


def _facilitator(pack: ExercisePack) -> Section:
    scenario = pack.scenario
    blocks: list[Block] = [
        Heading("Timings"),
        Fields(
            (
                ("Scenario starts", _long_time(pack)),
                ("Scenario ends", _long_time(pack, scenario.duration_minutes)),
                ("Suggested running order", "briefing 20 min; play; hot debrief 30 min"),
            )
        ),
        Table(("Move / phase", "Clock", "Injects", "Held in reserve"), _moves(pack)),
    ]
    if pack.stress is not None:
        blocks += [Heading("Why this start"), Paragraph(_stress_text(pack))]
    planned = [row for row in pack.msel if not row.contingency]
    blocks += [
        Heading("Inject release plan"),
        Paragraph(
            "Release each inject at its time unless it depends on another not yet out. "
            "Contingency injects are listed below."
        ),
        Table(
            ("No.", "Time", "Inject", "To", "Mode", "Controller", "After"),
            plain_rows(
                [
                    (
                        r.number,
                        r.clock,
                        r.message,
                        r.recipient,
                        r.method,
                        r.controller or "exercise control",
                        r.after or "",
                    )
                    for r in planned
                ]
            ),
            widths=(1.2, 2, 9, 3.5, 2, 3, 1.5),
            small=True,
        ),
        Heading("What to look for, objective by objective"),
    ]
    for view in pack.objectives:
        looks = [
            f"+{row.minute:g} ({row.clock}) after inject {row.number}: {row.expected_response}"
            for row in view.injects
        ]
        looks += [f"{task.name}: {task.text()}" for task in view.tasks]
        blocks += [Heading(f"{view.id}: {view.text}", 3), Bullets(tuple(looks) or ("-",))]
    blocks += [Heading("Contingency injects, and when to use them"), _contingency_table(pack)]
    if pack.summary.roles:
        blocks += [
            Heading("Roles the model could not always fill"),
            Bullets(
                tuple(
                    f"{r.role} ({r.rota_role or r.agency}): short in "
                    f"{r.unfilled_pct:.0f} % of runs; {r.top_reason}"
                    for r in pack.summary.roles
                )
            ),
        ]
    return Section("Facilitator guide", tuple(blocks), "facilitator")


def _contingency_table(pack: ExercisePack) -> Block:
    rows = pack.contingencies()
    if not rows:
        return Paragraph("The MSEL has no contingency injects.")
    return Table(
        ("No.", "Time", "Inject", "When to use it", "Source"),
        plain_rows([(r.number, r.clock, r.message, _when_to_use(r), _source(r)) for r in rows]),
        widths=(1.2, 2, 7, 7, 4),
        small=True,
        highlight=frozenset(i for i, r in enumerate(rows) if r.generated),
    )


def _when_to_use(row: MselRow) -> str:
    if row.contingency:
        return row.notes or f"Held in reserve: release if needed. {row.expected_response}"
    return f"Planned for {row.clock}; the players should: {row.expected_response}"


def _evaluator_sheets(pack: ExercisePack) -> list[Section]:
    sections = []
    for view in pack.objectives:
        expected = [
            (row.clock, _minute(row.minute), row.number, row.expected_response)
            for row in view.injects
        ]
        blocks: list[Block] = [
            Paragraph(view.text, "lead"),
            Fields(_tags(view)),
            Table(
                ("Time", "Min", "Inject", "Expected action"),
                plain_rows(expected),
                widths=(2, 1.5, 1.5, 11),
            ),
            Table(
                ("Plan task", "Target", "The model's expectation"),
                _expectation_rows(view),
                widths=(5, 2, 9),
            ),
            WriteIn("Time achieved (clock) and by whom", 2),
            WriteIn("What happened: evidence seen and heard", 5),
            Choices("Rating", RATINGS),
            WriteIn("Strengths", 3),
            WriteIn("Areas for improvement", 3),
            Paragraph("Evaluator: ________________   Signature: ______________", "note"),
        ]
        sections.append(Section(f"Evaluator sheet: {view.id}", tuple(blocks), f"eval-{view.id}"))
    return sections


def _cards(pack: ExercisePack) -> Section:
    cards = []
    for row in pack.msel:
        fields = [
            ("Time", f"{row.clock} ({_minute(row.minute)} min)"),
            ("Inject", row.inject),
            ("From", row.sender),
            ("To", row.recipient),
            ("Mode", row.method),
            ("Type", row.type + (" (held in reserve)" if row.contingency else "")),
        ]
        if row.after:
            fields.append(("After inject", row.after))
        if row.objective:
            fields.append(("Objective", row.objective))
        tag = "GENERATED" if row.generated else ("DRAFT" if row.status == "draft" else row.inject)
        footer = f"{row.phase} · {_source(row)}"
        cards.append(
            Card(
                title=f"Inject {row.number}",
                tag=tag,
                fields=tuple(fields),
                body=row.message,
                response=row.expected_response,
                footer=footer + (f" · {row.notes}" if row.notes else ""),
                marked=row.generated,
            )
        )
    return Section("Inject cards", tuple(cards), "cards")


def _rota(pack: ExercisePack) -> Section:
    if pack.snapshot is None:
        return Section(
            "Rota snapshot",
            (Paragraph("No rota was given: every role is assumed filled by its agency."),),
            "rota",
        )
    rows = [
        (
            r.rota_role,
            r.played_as,
            "" if r.level is None else r.level,
            r.name or "NOBODY",
            r.phone,
            "" if r.until is None else to_local(r.until, pack.timezone).strftime("%a %d %b %H:%M"),
        )
        for r in pack.snapshot.rows
    ]
    blocks: list[Block] = [
        Paragraph(f"Who would be on call at {_long_time(pack)}, from {pack.rota_name}."),
        Table(
            ("Rota role", "Played as", "Level", "Name", "Phone", "On call until"),
            plain_rows(rows),
            widths=(4, 5, 1.2, 3.5, 3, 3),
        ),
    ]
    if pack.snapshot.uncovered:
        blocks.append(
            Paragraph("Nobody on call for: " + ", ".join(pack.snapshot.uncovered), "warning")
        )
    return Section("Rota snapshot", tuple(blocks), "rota")


def _hazard(pack: ExercisePack) -> Section:
    from standby.reports.charts import plume_map_png

    assert pack.hazard is not None and pack.first_run.hazard is not None

    hazard = pack.first_run.hazard
    zones = [
        (
            z.level,
            "-" if z.threshold_ppm is None else f"{z.threshold_ppm:g}",
            f"{z.downwind_m / 1000:.1f}",
            f"{z.max_half_width_m / 1000:.2f}",
        )
        for z in hazard.periods[0].zones
    ]
    blocks: list[Block] = [
        Figure(
            plume_map_png(pack.hazard),
            "AEGL threat zones at the start (screening model).",
            f"{BASENAME}-plume-map.png",
            width_cm=15,
        ),
        Table(
            ("Zone", "Threshold (ppm)", "Reaches downwind (km)", "Half width (km)"),
            plain_rows(zones),
        ),
        Bullets(tuple(hazard.limits) + tuple(hazard.warnings)),
    ]
    return Section("Plume map", tuple(blocks), "plume")


def _response(pack: ExercisePack) -> Section:
    from standby.reports.exercise_charts import gantt_chart

    def spread(values: tuple[float, float, float] | None) -> str:
        return "-" if values is None else f"+{values[1]:.0f} ({values[0]:.0f} to {values[2]:.0f})"

    rows = [
        (
            g.task,
            g.name,
            spread(g.start),
            spread(g.end),
            "-" if g.target_minute is None else f"{g.target_minute:g}",
            f"{g.done} of {g.runs}",
        )
        for g in pack.gantt
    ]
    blocks: list[Block] = [
        Figure(
            gantt_chart(pack.gantt, pack.start, pack.timezone),
            f"The simulated response over {pack.runs} runs: median and spread of each task.",
            f"{BASENAME}-gantt.png",
            width_cm=17,
        ),
        Table(
            (
                "Task",
                "Name",
                "Starts: median (10th to 90th)",
                "Ends: median (10th to 90th)",
                "Target",
                "Done in",
            ),
            plain_rows(rows),
            widths=(3.5, 6, 3.5, 3.5, 1.5, 2),
            small=True,
        ),
        Bullets(pack.notes) if pack.notes else Paragraph(""),
    ]
    return Section("Simulated response", tuple(blocks), "response")


@dataclass(frozen=True)
class PackFiles:
    """The files :func:`write_pack` wrote."""

    html: Path
    docx: Path
    markdown: Path
    figures: tuple[Path, ...]

    @property
    def all(self) -> tuple[Path, ...]:
        """Every file, pages first."""
        return (self.html, self.docx, self.markdown, *self.figures)


def pack_outputs(out_dir: Path, document: Document) -> list[Path]:
    """Every file :func:`write_pack` would write for ``document``."""
    names = [f"{BASENAME}.html", f"{BASENAME}.docx", f"{BASENAME}.md"]
    return [out_dir / name for name in names] + [out_dir / f.file for f in document.figures()]


def write_pack(pack: ExercisePack, out_dir: Path, *, force: bool = False) -> PackFiles:
    """Write the pack as HTML, Word and Markdown (with its figures) under ``out_dir``.

    Nothing is written when any output exists and ``force`` is not set.
    """
    from standby.files import check_writable, write_bytes_atomic, write_text_atomic
    from standby.reports.document import to_html, to_markdown
    from standby.reports.word import to_docx

    document = pack_document(pack)
    for path in pack_outputs(out_dir, document):
        check_writable(path, force=force)
    markdown = to_markdown(document)
    assert isinstance(markdown.content, str)
    html = write_text_atomic(out_dir / f"{BASENAME}.html", to_html(document), force=force)
    docx = write_bytes_atomic(out_dir / f"{BASENAME}.docx", to_docx(document), force=force)
    text = write_text_atomic(out_dir / f"{BASENAME}.md", markdown.content, force=force)
    figures = tuple(
        write_bytes_atomic(out_dir / name, png, force=force)
        for name, png in markdown.figures.items()
    )
    return PackFiles(html, docx, text, figures)
