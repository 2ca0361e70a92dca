"""The rota check as people read it: gaps first, calendars to scale, A4 pages, the summary."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from browser import distinct_colours, pdf_pages, print_to_pdf, screenshot

from standby.reports.coverage import render, summary_text, text_renderables
from standby.reports.rota_html import DAY_W, calendars, render_html, render_summary_html
from standby.rota.api import check_files
from standby.rota.clock import resolve_local, zone
from standby.rota.coverage import check
from standby.rota.model import Leave, Person, Requirement, RoleRules, Rota, Shift
from standby.rota.summary import gap_summary

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "rota" / "data"
EPO = "Duty Emergency Planning Officer"
LONDON = zone("Europe/London")


def local(day: date, hour: float = 0) -> datetime:
    base = resolve_local(datetime.combine(day, datetime.min.time()), LONDON)
    return base + timedelta(hours=hour)


def bundled() -> tuple[Rota, object]:
    checked = check_files(DATA / "council-2026.yaml", DATA / "council-2026-requirements.yaml")
    return checked.rota, checked


# ------------------------------------------------------------------------------ paper


@pytest.mark.browser
@pytest.mark.slow
def test_the_bundled_rotas_report_prints_on_at_most_three_a4_pages(tmp_path: Path) -> None:
    checked = check_files(DATA / "council-2026.yaml", DATA / "council-2026-requirements.yaml")
    page = tmp_path / "rota-check.html"
    page.write_text(render_html(checked.report), encoding="utf-8")
    sizes = pdf_pages(print_to_pdf(page, tmp_path))
    assert 1 <= len(sizes) <= 3
    for width, height in sizes:  # A4 portrait, 210 x 297 mm
        assert width == pytest.approx(210, abs=1) and height == pytest.approx(297, abs=1)


@pytest.mark.browser
@pytest.mark.slow
def test_the_summary_prints_on_one_page_and_shows_something(tmp_path: Path) -> None:
    checked = check_files(DATA / "council-2026.yaml", DATA / "council-2026-requirements.yaml")
    summary = gap_summary(checked.rota, checked.report, checked.role_rules)
    page = tmp_path / "summary.html"
    page.write_text(render_summary_html(summary), encoding="utf-8")
    assert len(pdf_pages(print_to_pdf(page, tmp_path))) == 1
    png, console = screenshot(page, tmp_path, size="900,1200")
    assert console == []
    assert distinct_colours(png) > 20


# ------------------------------------------------------------------------------ calendar


def test_a_night_gap_is_drawn_to_scale_across_two_days() -> None:
    # Nobody from Friday 18:00 to Saturday 08:00 (GMT): 18/24 of Friday's cell is covered.
    start, end = local(date(2026, 1, 1)), local(date(2026, 3, 1))
    gap = (local(date(2026, 1, 9), 18), local(date(2026, 1, 10), 8))
    rota = Rota(shifts=[Shift("amy", EPO, start, gap[0]), Shift("bob", EPO, gap[1], end)])
    (calendar,) = calendars(check(rota, [Requirement(EPO)], (start, end)))
    marks = [m for m in calendar.marks if m[3] == "nobody"]
    scale = (DAY_W - 1) / 24
    friday_x = 54 + 8 * DAY_W  # the month label, then 8 days before the 9th
    assert [(round(x, 6), round(w, 6)) for x, _y, w, _k, _t in marks] == [
        (round(friday_x + 18 * scale, 6), round(6 * scale, 6)),
        (round(friday_x + DAY_W, 6), round(8 * scale, 6)),
    ]
    assert calendar.listed[0]["when"] == "Fri 09 Jan 2026 18:00 to Sat 10 Jan 08:00 GMT"
    assert calendar.months == ["Jan 2026", "Feb 2026"]


def test_the_autumn_change_day_is_drawn_through_its_25_hours() -> None:
    # Nobody from midnight to noon on Sunday 25 October 2026: 13 of the day's 25 hours.
    start, end = local(date(2026, 10, 1)), local(date(2026, 11, 30))
    gap = (local(date(2026, 10, 25)), datetime(2026, 10, 25, 12, tzinfo=UTC))
    rota = Rota(shifts=[Shift("amy", EPO, start, gap[0]), Shift("bob", EPO, gap[1], end)])
    (calendar,) = calendars(check(rota, [Requirement(EPO)], (start, end)))
    ((_x, _y, width, _kind, _title),) = [m for m in calendar.marks if m[3] == "nobody"]
    assert width == pytest.approx(13 / 25 * (DAY_W - 1))


def test_too_few_on_call_is_marked_apart_from_nobody() -> None:
    start, end = local(date(2026, 1, 1)), local(date(2026, 2, 15))
    rota = Rota(
        shifts=[
            Shift("amy", EPO, start, end),
            Shift("bob", EPO, start, local(date(2026, 1, 20))),
            Shift("cat", EPO, local(date(2026, 1, 21)), end),
        ]
    )
    report = check(rota, [Requirement(EPO, 2)], (start, end))
    (calendar,) = calendars(report)
    assert {m[3] for m in calendar.marks} == {"req", "short"}
    assert calendar.listed[0]["on_call"] == "1 of 2"
    html = render_html(report)
    assert "url(#hatch)" in html and '#c00000"><title>' not in html


# ------------------------------------------------------------------------------ text, CSV


def test_text_leads_with_the_gaps_then_cover_then_findings() -> None:
    _rota, checked = bundled()
    parts = [
        item if isinstance(item, str) else str(getattr(item, "title", ""))
        for item in text_renderables(checked.report)
    ]
    titles = [part for part in parts if part.startswith(("Gaps", "Cover", "Findings"))]
    assert titles[0].startswith("Gaps (11)")
    assert titles[1] == "Cover by requirement"
    assert titles[2].startswith("Findings: 1 no_primary, 1 leave_clash")


def working_time_rota() -> Rota:
    """Amy on two 24 h duties with 5 h between; Bob on a 14 h one and a 20 h one."""
    monday = date(2026, 1, 5)
    return Rota(
        people={"amy": Person("amy", "Amy Lee"), "bob": Person("bob", "Bob Ng")},
        shifts=[
            Shift("amy", EPO, local(monday, 0), local(monday, 24)),
            Shift("amy", EPO, local(monday, 29), local(monday, 53)),
            Shift("bob", EPO, local(monday, 80), local(monday, 94)),
            Shift("bob", EPO, local(monday, 120), local(monday, 140)),
        ],
    )


def test_working_time_is_summarised_by_person_and_rule_with_the_worst_case() -> None:
    report = check(working_time_rota())
    rows = {(row.person, row.rule): row for row in report.working_time_summary}
    # Bob: a 14 h and a 20 h stretch, each with no 11 h rest: the 20 h one is no worse
    # (longest rest 0 h in both), so the earlier is shown.
    assert rows[("bob", "reg 10")].count == 2
    assert rows[("bob", "reg 10")].worst.start == local(date(2026, 1, 5), 80)
    assert rows[("amy", "reg 10")].count == 1
    assert "longest rest 5.0 h" in rows[("amy", "reg 10")].worst.detail


def test_csv_has_every_gap_then_every_finding() -> None:
    report = check(working_time_rota(), [Requirement(EPO)])
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    records = [row["record"] for row in rows]
    assert records == sorted(records, key=lambda r: r != "gap")
    findings = [row for row in rows if row["record"] == "finding"]
    assert len(findings) == len(report.findings)
    assert {(row["name"], row["rule"]) for row in findings} >= {("Amy Lee", "reg 10")}


# ------------------------------------------------------------------------------ summary


def test_the_summary_asks_free_qualified_people_within_the_rules_fewest_hours_first() -> None:
    monday = date(2026, 1, 5)
    gap = (local(monday, 18), local(monday, 32))  # Monday 18:00 to Tuesday 08:00
    people = {
        name: Person(name, name.title(), roles=(EPO,), phone=f"07700 90000{n}")
        for n, name in enumerate(["ann", "bea", "cal", "dee", "eve"])
    }
    shifts = [
        Shift("ann", EPO, local(monday), gap[0]),  # before the gap
        Shift("ann", EPO, gap[1], local(monday, 24 * 7)),
        Shift("bea", "Rest Centre Manager", gap[0], gap[1]),  # busy elsewhere
        Shift("dee", EPO, local(monday, 24 * 3), local(monday, 24 * 4)),  # 24 h on call
        Shift("eve", "Depot", local(monday, 6), local(monday, 17)),  # a day's work to 17:00
    ]
    rota = Rota(
        people=people,
        shifts=shifts,
        leave=[Leave("cal", local(monday), local(monday, 48))],  # on leave
        requirements=[Requirement(EPO)],
    )
    rules = {EPO: RoleRules(standby="rest"), "Depot": RoleRules(standby="work")}
    report = check(rota, window=(local(monday), local(monday, 24 * 7)), role_rules=rules)
    summary = gap_summary(rota, report, rules, now=local(monday))
    (item,) = summary.upcoming
    # ann covers either side of the gap (rest, so no working-time rule); bea is busy; cal
    # is on leave; eve's depot shift ends at 17:00, so 18:00-08:00 stand-by counts as rest
    # and she is free; dee has 24 h on call, eve none, ann 152 h.
    assert [c.name for c in item.candidates] == ["Eve", "Dee", "Ann"]
    text = summary_text(summary)
    assert "Ask: Eve 07700 900004, Dee 07700 900003, Ann 07700 900000" in text
    assert text.startswith("On-call cover 2026-01-05 00:00 GMT to 2026-01-12 00:00 GMT\n1 gap(s)")


def test_the_summary_leaves_out_who_the_working_time_rules_rule_out() -> None:
    monday = date(2026, 1, 5)
    gap = (local(monday, 18), local(monday, 32))
    people = {n: Person(n, n.title(), roles=(EPO,)) for n in ("ann", "eve")}
    rota = Rota(
        people=people,
        shifts=[
            Shift("ann", EPO, local(monday), gap[0]),
            Shift("ann", EPO, gap[1], local(monday, 24 * 7)),
            Shift("eve", "Depot", local(monday, 6), local(monday, 17)),
        ],
        requirements=[Requirement(EPO)],
    )
    # Stand-by is work: the gap would give Ann a week on call without rest, and Eve her
    # 06:00-17:00 day and then the night.
    rules = {EPO: RoleRules(standby="work")}
    report = check(rota, window=(local(monday), local(monday, 24 * 7)), role_rules=rules)
    (item,) = gap_summary(rota, report, rules, now=local(monday)).upcoming
    assert item.candidates == () and item.ruled_out == 2
