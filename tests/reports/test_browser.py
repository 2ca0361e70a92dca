"""The rota check page renders in a browser (not blank, no console errors) and escapes names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser import distinct_colours, screenshot

from standby.reports.rota_html import render_html
from standby.rota.coverage import check
from standby.rota.model import Rota, Shift


def _rota_with_a_gap() -> Rota:
    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 3, day, hour, tzinfo=UTC)

    return Rota(
        shifts=[
            Shift("A. Jones", "Duty Emergency Planning Officer", at(23, 9), at(26, 9)),
            Shift("B. Patel", "Duty Emergency Planning Officer", at(26, 21), at(30, 9)),
            Shift("<script>alert(1)</script>", "Communications On Call", at(23, 9), at(30, 9)),
        ]
    )


@pytest.mark.browser
@pytest.mark.slow
def test_rota_check_page_renders_with_content_and_no_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "rota-check.html"
    page.write_text(render_html(check(_rota_with_a_gap())), encoding="utf-8")
    png, console = screenshot(page, tmp_path)
    assert console == []
    assert distinct_colours(png) > 20


def test_names_are_escaped_not_run(tmp_path: Path) -> None:
    html = render_html(check(_rota_with_a_gap()))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
