"""The debrief report laid out as a :class:`~standby.reports.document.Document`.

One layout for every format (HTML, Word and Markdown come from the same blocks):
:func:`debrief_document` turns a :class:`~standby.reports.debrief_model.Debrief` into the
sections of an exercise report: executive summary; introduction and legal basis; aim,
objectives and design; scenario and timeline; what the players' times would have meant;
evaluation per objective; what went well; areas for improvement; lessons identified;
improvement plan; compliance; annexes (participants, MSEL as played, hazard output, model
assumptions).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from standby.reports.debrief_charts import chart_rows
from standby.reports.debrief_counterfactual import TOXIC, Comparison, Wording, measure
from standby.reports.debrief_model import Debrief, Finding, MilestoneTiming, ObjectiveEvaluation
from standby.reports.document import (
    Block,
    Bullets,
    Document,
    Fields,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
)
from standby.reports.observations import RATINGS, day_text

MARKING = "EXERCISE DEBRIEF REPORT"
TIMELINE_FILE = "debrief-timeline.png"
PLUME_FILE = "debrief-plume-map.png"

COMAH_TEXT = (
    "The Control of Major Accident Hazards Regulations 2015 (COMAH) require the local "
    "authority to prepare an external (off-site) emergency plan for each upper-tier "
    "establishment in its area (regulation 13) and to review, test and where necessary "
    "revise and update it at suitable intervals of no more than three years (regulation "
    "14). A test may be a tabletop exercise, a live exercise or both. This report records "
    "such a test: what was tested, what was found and what will change."
)
CCA_TEXT = (
    "Under the Civil Contingencies Act 2004, Category 1 responders maintain plans to respond "
    "to emergencies, and the Civil Contingencies Act 2004 (Contingency Planning) Regulations "
    "2005 require those plans to provide for exercises and for training the staff who carry "
    "them out. The multi-agency exercise and this debrief serve both duties."
)


def _tier(tier: str) -> str:
    return {
        "upper": "COMAH upper tier",
        "lower": "COMAH lower tier",
        "pipeline": "major accident hazard pipeline",
    }.get(tier, "not a COMAH site")


def _day(value: date | None) -> str:
    return "" if value is None else day_text(value)


def _plus(minute: float | None) -> str:
    return "" if minute is None else f"+{minute:.0f}"


def _played(timing: MilestoneTiming) -> str:
    if timing.players_minute is None:
        return "not logged"
    return f"+{timing.players_minute:g} ({timing.players_clock})"


def _model(timing: MilestoneTiming) -> str:
    if timing.model_median is None:
        return f"not done in any of {timing.model_runs} runs"
    return f"{_plus(timing.model_median)} ({_plus(timing.model_p10)} to {_plus(timing.model_p90)})"


def _against_target(timing: MilestoneTiming) -> str:
    if timing.target_minute is None or timing.players_minute is None:
        return ""
    late = timing.players_minute - timing.target_minute
    return "met" if late <= 0 else f"{late:g} min late"


def debrief_document(
    debrief: Debrief, timeline_png: bytes, plume_png: bytes | None = None
) -> Document:
    """The whole report; the figures are drawn by the caller (:mod:`debrief_output`)."""
    exercise = debrief.exercise
    title = exercise.name or f"Exercise of {debrief.title}"
    about = (
        ("Scenario", debrief.title),
        ("Site", f"{debrief.site} ({debrief.operator}; {_tier(debrief.comah_tier)})"),
        ("Exercise held", _day(debrief.compliance.test_date)),
        ("Next test due", _day(debrief.compliance.next_due)),
        ("Exercise lead", exercise.lead or "not given"),
    )
    sections = [
        _summary(debrief),
        _introduction(debrief),
        _design(debrief),
        _timeline(debrief, timeline_png),
        _counterfactual(debrief),
        _evaluation(debrief),
        _strengths(debrief.strengths),
        _improvements(debrief.improvements),
        _lessons(debrief),
        _plan(debrief),
        _compliance(debrief),
        _participants(debrief),
        _msel(debrief),
        _hazard(debrief, plume_png),
        _assumptions(debrief),
    ]
    return Document(
        title=f"{title}: debrief report",
        subtitle=f"{debrief.compliance.plan.capitalize()} test, {debrief.site}",
        about=about,
        sections=tuple(sections),
        footer=(
            f"Standby debrief of scenario {debrief.scenario}, log {debrief.log_source}; "
            f"model: {debrief.runs} runs, seed {debrief.seed}"
            + (f", rota {debrief.rota}" if debrief.rota else ", no rota")
        ),
        marking=MARKING,
    )


def _summary(debrief: Debrief) -> Section:
    rows = tuple(
        (o.objective, o.text, o.rating or "not rated", _source_word(o)) for o in debrief.objectives
    )
    blocks: list[Block] = [
        Bullets(debrief.summary),
        Table(
            ("Objective", "Text", "Rating", "Rated by"),
            rows,
            caption="Ratings per objective (HSEEP)",
            widths=(3, 9, 1.6, 3),
        ),
        _compliance_box(debrief),
    ]
    return Section("Executive summary", tuple(blocks), "summary")


def _source_word(evaluation: ObjectiveEvaluation) -> str:
    return "evaluators" if evaluation.rating_source.startswith("the evaluators") else "suggested"


def _compliance_box(debrief: Debrief) -> Table:
    c = debrief.compliance
    previous = "not recorded in the scenario"
    if c.previous_test is not None:
        timing = "in time" if c.in_time else "LATE"
        previous = (
            f"{_day(c.previous_test)} (next test was due by {_day(c.previous_due)}: {timing})"
        )
    return Table(
        (c.rule or "Testing of the plan", ""),
        (
            ("This test", f"{_day(c.test_date)}, {c.test_type}"),
            ("Previous test", previous),
            (
                "Next test due by",
                f"{_day(c.next_due)} ("
                + ("three years at most" if c.rule else "three years on")
                + ")",
            ),
            ("Plan tested", f"{c.plan.capitalize()}, {debrief.site}"),
        ),
        caption="Compliance",
        widths=(4, 10),
    )


def _introduction(debrief: Debrief) -> Section:
    blocks: list[Block] = [
        *([Paragraph(COMAH_TEXT)] if debrief.compliance.rule else []),
        Paragraph(CCA_TEXT),
        Paragraph(f"The scenario file's legal basis: {debrief.legal_basis}", "note"),
    ]
    return Section("Introduction and legal basis", tuple(blocks), "introduction")


def _design(debrief: Debrief) -> Section:
    exercise = debrief.exercise
    fields = (
        ("Aim", exercise.aim or "not given in the observations file"),
        ("Type", exercise.type or "not given"),
        ("Date", f"{_day(debrief.compliance.test_date)} (from {debrief.exercise_date_source})"),
        ("Scenario time", f"minute 0 is {debrief.start_local}"),
        ("Exercise log", f"{debrief.log_source} ({debrief.log_records} entries)"),
        (
            "Model",
            f"{debrief.runs} simulated runs, seed {debrief.seed}; "
            + (f"rota {debrief.rota}" if debrief.rota else "no rota (agencies' own call-out)"),
        ),
    )
    objectives = tuple(
        (o.objective, o.text, o.measured_by, ", ".join(t.name for t in o.tasks))
        for o in debrief.objectives
    )
    blocks: list[Block] = [
        Fields(fields),
        Table(
            ("Id", "Objective", "Measured by", "Plan tasks"),
            objectives,
            caption="Objectives",
            widths=(3, 8, 5, 5),
        ),
    ]
    return Section("Aim, objectives and design", tuple(blocks), "design")


def _timeline(debrief: Debrief, png: bytes) -> Section:
    rows = tuple(
        (
            t.name,
            _plus(t.target_minute),
            _played(t),
            _against_target(t),
            _model(t),
            "" if t.earlier_pct is None else f"{t.earlier_pct:g} %",
        )
        for t in chart_rows(debrief.timeline)
    )
    decisions = tuple(
        (f"+{e.minute:g} ({e.clock})", e.who, e.text, e.detail.removeprefix("rationale: "))
        for e in debrief.decisions
        if e.minute is not None
    )
    blocks: list[Block] = [
        Paragraph(debrief.description),
        Figure(
            png,
            "The players' logged times (blue) over the model's runs (boxes), with the targets "
            f"(red); {debrief.runs} runs",
            TIMELINE_FILE,
        ),
        Table(
            (
                "Milestone",
                "Target",
                "Players (clock)",
                "Against target",
                "Model median (10-90 %)",
                "Model runs sooner",
            ),
            rows,
            caption="Milestones: the players against the target and the model",
            widths=(7, 1.6, 2.6, 2.4, 3.8, 2.2),
            nowrap=frozenset({2}),
        ),
        Table(
            ("Time", "Who", "Decision", "Rationale"),
            decisions,
            caption="Decisions logged",
            widths=(2.2, 4, 6, 7),
            nowrap=frozenset({0}),
        ),
    ]
    return Section("Scenario and timeline", tuple(blocks), "timeline")


def _comparison_row(comparison: Comparison) -> tuple[str, ...]:
    shown = measure(comparison.field)
    change = comparison.change
    if change is None:
        change_text = ""
    elif abs(change) < 0.05:
        change_text = "no change"
    elif shown.unit in ("minute", "minutes"):
        change_text = f"{change:+.0f} min"
    else:
        change_text = f"{change:+g}"
    counts = (
        "(not a harm measure)"
        if comparison.worse_is == "neither"
        else f"{comparison.worse} / {comparison.same} / {comparison.better}"
    )
    return (
        comparison.label,
        shown.value_text(comparison.model_median),
        shown.value_text(comparison.players_median),
        change_text,
        counts,
    )


def _counterfactual(debrief: Debrief) -> Section:
    result = debrief.counterfactual
    pins = tuple(
        (pin.name, f"+{pin.minute:g}", _plus(pin.model_median) or "not done") for pin in result.pins
    )
    blocks: list[Block] = [
        Paragraph(
            f"The model was run {result.runs} times as the plan expects, then {result.runs} "
            "times more with the same seeds and every milestone the players reached held at "
            "their logged time. Each pair of runs differs only by the players' times, so the "
            "difference is what those times would have meant for the people at risk.",
            "lead",
        ),
        Table(
            ("Milestone pinned", "Players", "Model median"),
            pins,
            caption="The players' times put into the model",
            widths=(8, 2, 2.5),
        ),
        Table(
            (
                "Consequence",
                "Model (median)",
                "Players (median)",
                "Change",
                "Runs worse / same / better",
            ),
            tuple(_comparison_row(c) for c in result.comparisons),
            caption=f"What changed, over {result.runs} paired runs",
            widths=(8, 2.4, 2.4, 1.8, 3),
        ),
        Paragraph(_outdoors_note(result.wording), "note"),
    ]
    return Section("What the players' times would have meant", tuple(blocks), "counterfactual")


def _outdoors_note(wording: Wording) -> str:
    where = (
        "in the AEGL-2 or AEGL-3 zone"
        if wording == TOXIC
        else "in the area at risk (the scenario has no toxic release)"
    )
    return (
        f"People {wording.people} 'outdoors' are those {where} whom no warning (in person or "
        f"broadcast) had reached when {wording.hazard} did; 'indoors' those warned before "
        "it, and so sheltering. A minute that never came is counted as later than any that "
        "did."
    )


def _evaluation(debrief: Debrief) -> Section:
    blocks: list[Block] = []
    for objective in debrief.objectives:
        blocks.append(Heading(f"{objective.objective}: {objective.text}"))
        fields = [
            ("Rating", objective.rating_label),
            ("Why", objective.rating_reason),
            ("Rated by", objective.rating_source),
        ]
        if objective.rating_reason != objective.suggested.reason:
            suggested = objective.suggested
            fields.append(("Suggested from the times", f"{suggested.rating}: {suggested.reason}"))
        fields.append(("Measured by", objective.measured_by))
        blocks.append(Fields(tuple(fields)))
        if objective.tasks:
            blocks.append(
                Table(
                    ("Plan task", "Target", "Players", "Against target", "Model median (10-90 %)"),
                    tuple(
                        (t.name, _plus(t.target_minute), _played(t), _against_target(t), _model(t))
                        for t in objective.tasks
                    ),
                    widths=(7, 1.6, 2.6, 2.4, 3.8),
                )
            )
        if objective.evidence:
            blocks.append(
                Table(
                    ("Time", "Who", "What", "Entry", "Detail"),
                    tuple(
                        (
                            "" if e.minute is None else f"+{e.minute:g} ({e.clock})",
                            e.who,
                            e.kind,
                            e.text,
                            e.detail,
                        )
                        for e in objective.evidence
                    ),
                    caption="Evidence",
                    widths=(2.2, 3.6, 2.6, 6, 5),
                    small=True,
                )
            )
    return Section("Evaluation per objective", tuple(blocks), "evaluation")


def _strengths(findings: Sequence[Finding]) -> Section:
    if not findings:
        return Section(
            "What went well",
            (Paragraph("No strengths were recorded in an observations file."),),
            "strengths",
        )
    rows = tuple((f.id, f.objective, f.observation, f.evidence) for f in findings)
    table = Table(("Id", "Objective", "Strength", "Evidence"), rows, widths=(1.4, 3, 9, 6))
    return Section("What went well", (table,), "strengths")


def _improvements(findings: Sequence[Finding]) -> Section:
    blocks: list[Block] = []
    for f in findings:
        blocks.append(Heading(f"{f.id}: {f.title}"))
        blocks.append(
            Fields(
                (
                    ("Objective", f.objective),
                    ("Observation", f.observation),
                    ("Evidence", f.evidence or "none given"),
                    ("Root cause", f.root_cause),
                    ("Recommendation", f.recommendation),
                )
            )
        )
    if not blocks:
        blocks.append(Paragraph("No areas for improvement were recorded in an observations file."))
    return Section("Areas for improvement", tuple(blocks), "improvements")


def _lessons(debrief: Debrief) -> Section:
    rows = tuple((lesson.theme, lesson.title, lesson.lesson) for lesson in debrief.lessons)
    blocks: list[Block] = [
        Paragraph(
            "Each lesson is also in lessons.csv, in the columns a lessons-learned system "
            "takes (title, theme, observation, lesson, recommendation, owner, date).",
            "note",
        )
    ]
    if rows:
        blocks.insert(0, Table(("Theme", "Title", "Lesson identified"), rows, widths=(3, 5, 10)))
    else:
        blocks.insert(0, Paragraph("No lessons were recorded in an observations file."))
    return Section("Lessons identified", tuple(blocks), "lessons")


def _plan(debrief: Debrief) -> Section:
    rows = tuple(
        (
            a.id,
            a.action,
            a.capability,
            a.owner,
            a.priority,
            _day(a.start) or "on agreement",
            _day(a.due),
            a.status,
        )
        for a in debrief.plan
    )
    blocks: list[Block] = [
        Table(
            ("ID", "Action", "Capability element", "Owner", "Priority", "Start", "Due", "Status"),
            rows,
            widths=(1.4, 9, 2.4, 5, 1.7, 2.5, 2.5, 1.8),
            nowrap=frozenset({0}),
        )
        if rows
        else Paragraph("No actions: no areas for improvement were recorded."),
        Paragraph(
            "Capability elements: planning, organisation, equipment, training, exercises. "
            "Track each action to done; the next test of the plan checks them.",
            "note",
        ),
    ]
    return Section("Improvement plan", tuple(blocks), "plan", landscape=True)


def _compliance(debrief: Debrief) -> Section:
    c = debrief.compliance
    blocks: list[Block] = [_compliance_box(debrief)]
    if c.in_time is False:
        blocks.append(
            Paragraph(
                f"The previous test ({_day(c.previous_test)}) fell due again by "
                f"{_day(c.previous_due)}; this test came after that date.",
                "warning",
            )
        )
    blocks.append(
        Paragraph(
            "Record this test's date as the scenario's last_test, so that later reports count "
            "the three years from it.",
            "note",
        )
    )
    title = "Compliance: COMAH regulation 14" if c.rule else "Testing of the plan"
    return Section(title, tuple(blocks), "compliance")


def _participants(debrief: Debrief) -> Section:
    rows = tuple((p.name, p.organisation, p.role) for p in debrief.participants)
    table = Table(("Name", "Organisation", "Role"), rows, widths=(5, 6, 6))
    return Section("Annex A: participants", (table,), "participants")


def _msel(debrief: Debrief) -> Section:
    rows = tuple(
        (
            i.inject,
            _plus(i.planned_minute),
            i.status,
            "" if i.minute is None else f"+{i.minute:g} ({i.clock})",
            i.to,
            i.text,
            i.objective,
        )
        for i in debrief.injects
    )
    table = Table(
        ("Inject", "Planned", "Status", "Played", "To", "Message", "Objective"),
        rows,
        widths=(1.5, 1.7, 2.4, 2.6, 3.6, 11, 3),
        small=True,
        nowrap=frozenset({3}),
    )
    return Section("Annex B: MSEL as played", (table,), "msel", landscape=True)


def _hazard(debrief: Debrief, png: bytes | None) -> Section:
    hazard = debrief.hazard
    if hazard is None:
        text = "The scenario has no toxic release, so no plume model was run."
        return Section("Annex C: hazard output", (Paragraph(text),), "hazard")
    blocks: list[Block] = [
        Paragraph(
            f"{hazard.substance}: AEGL values for {hazard.aegl_duration_min} minutes; "
            f"dispersion sigmas {hazard.sigma_set}."
        )
    ]
    if png is not None:
        blocks.append(Figure(png, "The screening plume model's AEGL zones", PLUME_FILE))
    blocks.append(
        Table(
            ("Receptor", "Kind", "People", "Vulnerable", "Zone", "Plume arrives"),
            tuple(
                (
                    r.name,
                    r.kind.replace("_", " "),
                    str(r.population),
                    "yes" if r.vulnerable else "",
                    r.zone or "outside",
                    _plus(r.arrival_minute) or "never",
                )
                for r in hazard.receptors
            ),
            caption="Receptors",
            widths=(6, 2.6, 1.6, 1.8, 1.8, 2.2),
        )
    )
    blocks.append(Bullets((*hazard.warnings, *hazard.limits)))
    return Section("Annex C: hazard output", tuple(blocks), "hazard")


def _assumptions(debrief: Debrief) -> Section:
    return Section(
        "Annex D: model assumptions",
        (
            Bullets(debrief.assumptions),
            Paragraph(
                f"Ratings: {'; '.join(f'{k} {v.lower()}' for k, v in RATINGS.items())}. "
                "Suggested ratings: P every targeted task reached in time; S all reached, the "
                "latest at most a quarter of its target late; M later than that, or some never "
                "reached; U none reached.",
                "note",
            ),
        ),
        "assumptions",
    )
