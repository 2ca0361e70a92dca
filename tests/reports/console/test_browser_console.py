"""The console in real browsers: Playwright driving Debian's Chromium.

Run an exercise, release two injects, record a decision with its rationale from a second
browser context and see it appear in the first; kill -9 the server, restart it and find
everything; text with markup is shown, not run; off this computer the access code is asked.
Chromium comes from Debian's package (``.ci/run`` installs it); without it, or without the
Playwright package, the tests skip unless STANDBY_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import FLAGS, chromium, distinct_colours

from benchmarks.console_kit import Server

pytestmark = pytest.mark.browser
WAIT_MS = 5000  # how long a page may take to show what another browser did (it polls at 0.5 s)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("STANDBY_REQUIRE_BROWSER") == "1":
            pytest.fail("STANDBY_REQUIRE_BROWSER=1 but the playwright package is missing")
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    # Playwright starts Chromium with a fresh temporary profile (--user-data-dir) of its own.
    flags = [flag for flag in FLAGS if flag != "--headless"]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=flags)
        yield launched
        launched.close()


class Page:
    """A Playwright page that remembers what its console and script reported."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


def test_an_exercise_survives_kill_9_and_browsers_see_each_other(
    browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    db = tmp_path / "exercise.db"
    server = Server(db, cwd=tmp_path).start()
    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000})
    loggist = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        control = Page(facilitator)
        control.goto(server.base + "/control")
        expect(control.locator("#connection")).to_have_text("live", timeout=WAIT_MS)
        control.click("#clock-start")
        expect(control.locator("#clock-state")).to_have_text("running", timeout=WAIT_MS)
        control.fill("#jump-to", "+30")
        control.click("#jump-form button")
        expect(control.locator("tr[data-inject=i04]")).to_have_class(
            re.compile(r"\bdue\b"), timeout=WAIT_MS
        )
        for inject in ("i01", "i02"):
            control.click(f"tr[data-inject={inject}] button[data-action=release]")
            expect(control.locator(f"tr[data-inject={inject}] [data-status]")).to_contain_text(
                "released", timeout=WAIT_MS
            )

        log = Page(loggist)
        log.goto(server.base + "/log")
        log.fill("#decision-who", "Supt. R. Okafor (TCG chair)")
        log.fill("#decision-text", "Shelter in place for Westbank")
        log.fill(
            "#decision-rationale",
            "CHEMET shows the plume over Westbank; the care home cannot be moved at night",
        )
        log.select_option("#decision-stage", "identify_options")
        log.click("#form-decision button[type=submit]")
        expect(log.locator("#form-decision .message")).to_contain_text("Saved", timeout=WAIT_MS)

        # The facilitator's page shows it without a reload
        recent = control.locator("#recent")
        expect(recent).to_contain_text("Shelter in place for Westbank", timeout=WAIT_MS)
        expect(recent).to_contain_text("Supt. R. Okafor (TCG chair)")

        room = Page(facilitator)
        room.goto(server.base + "/room")
        expect(room.locator("#inject-cards li")).to_have_count(2, timeout=WAIT_MS)
        expect(room.locator("#plume-map")).to_have_attribute(
            "src", "/map/start.png", timeout=WAIT_MS
        )
        shot = tmp_path / "room.png"
        room.screenshot(path=str(shot))
        assert distinct_colours(shot) > 50

        server.kill9()
        expect(control.locator("#connection")).to_have_text("reconnecting…", timeout=WAIT_MS)
        server.start()
        expect(control.locator("#connection")).to_have_text("live", timeout=WAIT_MS * 2)

        # Reopened pages find everything: the injects, the decision, the clock still running
        control.reload()
        for inject in ("i01", "i02"):
            expect(control.locator(f"tr[data-inject={inject}] [data-status]")).to_contain_text(
                "released", timeout=WAIT_MS
            )
        expect(control.locator("#clock-state")).to_have_text("running", timeout=WAIT_MS)
        minute = control.locator("#clock-minute").inner_text()
        assert int(minute.strip("+ min")) >= 30
        log.reload()
        row = log.locator("#log-rows tr.kind-decision")
        expect(row).to_contain_text("Shelter in place for Westbank", timeout=WAIT_MS)
        expect(row).to_contain_text("Rationale: CHEMET shows the plume over Westbank")
        expect(row).to_contain_text("JDM: Identify options and contingencies")
        # The only complaint: the polls that found the server gone while it was down
        outage = ("net::ERR_CONNECTION_REFUSED", "net::ERR_CONNECTION_RESET")
        errors = control.errors + room.errors + log.errors
        assert [e for e in errors if not e.endswith(outage)] == []
    finally:
        facilitator.close()
        loggist.close()
        server.stop()


def test_markup_in_an_entry_is_shown_as_text_and_never_run(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    with Server(tmp_path / "exercise.db", cwd=tmp_path) as server:
        context = browser.new_context()
        try:
            log = Page(context)
            log.goto(server.base + "/log")
            log.fill("#decision-who", "<b>Chair</b>")
            log.fill("#decision-text", hostile)
            log.click("#form-decision button[type=submit]")
            cell = log.locator("#log-rows tr.kind-decision td.text")
            expect(cell).to_have_text(hostile, timeout=WAIT_MS)
            control = Page(context)
            control.goto(server.base + "/control")
            expect(control.locator("#recent")).to_contain_text(hostile, timeout=WAIT_MS)
            for page in (log, control):
                assert page.evaluate("typeof window.pwned") == "undefined"
                assert page.locator("#log-rows img, #recent img").count() == 0
            assert log.errors == [] and control.errors == []
        finally:
            context.close()


def test_off_this_computer_the_access_code_is_asked(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with Server(tmp_path / "exercise.db", host="0.0.0.0", cwd=tmp_path) as server:
        code = server.access_code
        assert code is not None and len(code) == 14
        context = browser.new_context()
        try:
            page = Page(context)
            page.goto(server.base + "/control")
            assert page.url.endswith("/login?next=%2Fcontrol")
            page.fill("#code", "AAAA-BBBB-CCCC")
            page.click("button[type=submit]")
            expect(page.locator(".error")).to_contain_text("That code is not right")
            page.fill("#code", code.lower())
            page.click("button[type=submit]")
            assert page.url == server.base + "/control"
            expect(page.locator("#connection")).to_have_text("live", timeout=WAIT_MS)
            page.click("#clock-start")
            expect(page.locator("#clock-state")).to_have_text("running", timeout=WAIT_MS)
            assert page.errors == []
        finally:
            context.close()
