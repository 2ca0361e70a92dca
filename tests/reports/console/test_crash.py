"""Kill -9 the console at any moment: nothing a browser was told is saved is lost, nothing is
recorded twice when the browser sends again, and the clock carries on where it was."""

from __future__ import annotations

import http.client
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.console_kit import Server
from standby.reports.exercise_log_io import read_log


class Browser:
    """What a page's script does: post with a key, and send again until acknowledged."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.token = server.csrf_token()
        self.acknowledged: dict[str, int] = {}

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            connection.request(
                "POST",
                path,
                body=json.dumps(body),
                headers={"Content-Type": "application/json", "X-Standby-CSRF": self.token},
            )
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def record(self, key: str) -> bool:
        """Send one decision; True when the server acknowledged it."""
        try:
            status, answer = self.post(
                "/api/entries", {"kind": "decision", "text": f"Decision {key}", "client_key": key}
            )
        except OSError:
            return False
        if status == 201:
            self.acknowledged[key] = answer["record"]["id"]
            return True
        return False

    def updates(self) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        connection.request("GET", "/api/updates?since=0")
        data: dict[str, Any] = json.loads(connection.getresponse().read())
        connection.close()
        return data


@pytest.mark.parametrize("kill_after", [0.3, 0.9])
def test_nothing_acknowledged_is_lost_and_retries_are_not_doubled(
    log_url: str, tmp_path: Path, kill_after: float
) -> None:
    server = Server(log_url, cwd=tmp_path).start()
    browser = Browser(server)
    keys = [f"crash-{n:05d}" for n in range(100_000)]
    sent: list[str] = []
    stop = threading.Event()

    def keep_posting() -> None:
        for key in keys:
            if stop.is_set():
                return
            sent.append(key)
            if not browser.record(key):
                return  # the server is gone

    posting = threading.Thread(target=keep_posting)
    posting.start()
    time.sleep(kill_after)
    server.kill9()
    stop.set()
    posting.join()
    assert len(browser.acknowledged) > 5
    before = dict(browser.acknowledged)
    server.start()  # same database, same port
    try:
        saved = {r.text.removeprefix("Decision "): r.id for r in read_log(log_url)}
        assert {key: saved[key] for key in before} == before  # every acknowledged entry, same id
        # The browser sends again everything it was not told was saved: nothing doubles.
        for key in sent:
            if key not in before:
                assert browser.record(key)
        for key in sent[:5]:
            assert browser.record(key)
        texts = [r.text for r in read_log(log_url)]
        assert sorted(texts) == sorted(f"Decision {key}" for key in sent)
    finally:
        server.stop()


def test_the_clock_carries_on_where_it_was_after_kill_9(log_url: str, tmp_path: Path) -> None:
    server = Server(log_url, cwd=tmp_path).start()
    browser = Browser(server)
    try:
        assert browser.post("/api/clock", {"action": "start"})[0] == 201
        assert browser.post("/api/clock", {"action": "jump", "to": "+30"})[0] == 201
        assert browser.post("/api/clock", {"action": "speed", "speed": 10})[0] == 201
        running = browser.updates()["clock"]
        server.kill9()
        server.start()
        after = browser.updates()["clock"]
        assert (after["started"], after["running"], after["speed"]) == (True, True, 10.0)
        # It ran on while the server was down, from where it was, at 10x
        assert running["minute"] >= 30.0
        assert after["minute"] > running["minute"]
        assert browser.post("/api/clock", {"action": "pause"})[0] == 201
        paused = browser.updates()["clock"]["minute"]
        server.kill9()
        server.start()
        again = browser.updates()["clock"]
        assert (again["running"], again["minute"]) == (False, paused)
    finally:
        server.stop()
