"""The console over HTTP: pages, the JSON API, the access code and cross-site request checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from standby.reports.console.app import build_app
from standby.reports.console.maps import PlumeMaps
from standby.reports.console.service import ExerciseConsole
from standby.reports.exercise_db import open_log
from standby.scenarios import load_scenario

TOKEN = "page-token-for-tests"
CODE = "K7QM-2XPA-W9RT"
LOCAL = "http://127.0.0.1:8765"
HOSTILE = "<script>alert('x')</script>"


def client_for(console: ExerciseConsole, *, code: str | None = None) -> TestClient:
    app = build_app(console, csrf_token=TOKEN, access_code=code, local_only=code is None)
    return TestClient(app, base_url=LOCAL if code is None else "http://192.0.2.10:8765")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ExerciseConsole]:
    scenario = load_scenario("chlorine-riverside")
    with open_log(tmp_path / "exercise.db") as database:
        yield ExerciseConsole(scenario, database, None, PlumeMaps(scenario))


def post(client: TestClient, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, content=json.dumps(body), headers={"X-Standby-CSRF": TOKEN, **headers})


def test_every_page_renders_with_a_strict_content_security_policy(console: ExerciseConsole) -> None:
    client = client_for(console)
    for path in ("/", "/control", "/room", "/log"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/console.js").status_code == 200
    assert client.get("/static/console.css").status_code == 200


def test_a_post_needs_the_page_token(console: ExerciseConsole) -> None:
    client = client_for(console)
    body = json.dumps({"kind": "action", "text": "x"})
    assert client.post("/api/entries", content=body).status_code == 403
    wrong = client.post("/api/entries", content=body, headers={"X-Standby-CSRF": "guess"})
    assert wrong.status_code == 403
    foreign = post(
        client, "/api/entries", {"kind": "action", "text": "x"}, Origin="http://evil.example"
    )
    assert foreign.status_code == 403
    assert console.database.count() == 0
    made = post(client, "/api/entries", {"kind": "action", "text": "x"}, Origin=LOCAL)
    assert made.status_code == 201
    assert made.json()["record"]["id"] == 1


def test_the_page_token_is_in_the_page(console: ExerciseConsole) -> None:
    page = client_for(console).get("/log").text
    match = re.search(r'<script id="console-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    assert json.loads(match[1])["csrf"] == TOKEN


def test_bound_to_this_computer_it_answers_only_to_this_computers_names(
    console: ExerciseConsole,
) -> None:
    client = client_for(console)
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    rebound = client.get("/", headers={"Host": "attacker.example:8765"})
    assert rebound.status_code == 400
    assert "only answers on this computer" in rebound.text


def test_off_this_computer_every_request_needs_the_access_code(console: ExerciseConsole) -> None:
    client = client_for(console, code=CODE)
    page = client.get("/control", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=%2Fcontrol")
    assert client.get("/api/updates").status_code == 401
    assert client.get("/map/start.png", follow_redirects=False).status_code == 303
    assert client.get("/static/console.js", follow_redirects=False).status_code == 303
    assert client.get("/login").status_code == 200  # the one open page
    assert post(client, "/api/entries", {"kind": "action", "text": "x"}).status_code == 401


def test_the_code_in_the_address_signs_the_browser_in_and_leaves_the_address(
    console: ExerciseConsole,
) -> None:
    client = client_for(console, code=CODE)
    entered = client.get("/control?code=k7qm 2xpa w9rt", follow_redirects=False)
    assert entered.status_code == 303
    assert entered.headers["location"] == "/control"
    assert "HttpOnly; SameSite=Strict" in entered.headers["set-cookie"]
    assert client.get("/control").status_code == 200
    assert post(client, "/api/entries", {"kind": "action", "text": "x"}).status_code == 201


def test_the_sign_in_form_takes_the_code_and_refuses_a_wrong_one(console: ExerciseConsole) -> None:
    client = client_for(console, code=CODE)
    wrong = client.post("/login", data={"code": "AAAA-BBBB-CCCC", "next": "/log"})
    assert wrong.status_code == 200  # the form again, with the problem
    assert "That code is not right" in wrong.text
    right = client.post("/login", data={"code": CODE, "next": "/log"}, follow_redirects=False)
    assert (right.status_code, right.headers["location"]) == (303, "/log")
    assert client.get("/log").status_code == 200
    elsewhere = client.post(
        "/login", data={"code": CODE, "next": "//evil.example/"}, follow_redirects=False
    )
    assert elsewhere.headers["location"] == "/"


def test_an_api_client_can_send_the_code_as_a_header(console: ExerciseConsole) -> None:
    client = client_for(console, code=CODE)
    assert client.get("/api/updates", headers={"X-Standby-Access": CODE}).status_code == 200


def test_scenario_text_is_escaped_in_every_page(tmp_path: Path) -> None:
    import yaml

    from standby.scenarios.load import resolve

    data = yaml.safe_load(resolve("chlorine-riverside").read_text(encoding="utf-8"))
    data["title"] = HOSTILE + " Chlorine"
    data["injects"][2]["text"] = HOSTILE + " Night staff smell bleach."
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    scenario = load_scenario(str(path))
    with open_log(tmp_path / "exercise.db") as database:
        client = client_for(ExerciseConsole(scenario, database, None, PlumeMaps(scenario)))
        for page in ("/", "/control", "/room", "/log"):
            assert HOSTILE not in client.get(page).text, page
        control = client.get("/control").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Night staff smell bleach." in control
    assert "\\u003cscript\\u003e" in control  # and in the page's JSON data


def test_entries_over_the_size_limit_or_not_json_are_refused(console: ExerciseConsole) -> None:
    client = client_for(console)
    big = client.post(
        "/api/entries", content=b"{" + b" " * 70_000 + b"}", headers={"X-Standby-CSRF": TOKEN}
    )
    assert big.status_code == 413
    garbage = client.post("/api/entries", content=b"not json", headers={"X-Standby-CSRF": TOKEN})
    assert (garbage.status_code, garbage.json()) == (400, {"error": "the request is not JSON"})


def test_inject_actions_answer_conflicts_with_409(console: ExerciseConsole) -> None:
    client = client_for(console)
    assert post(client, "/api/injects/i01/release", {}).status_code == 201
    again = post(client, "/api/injects/i01/release", {})
    assert again.status_code == 409
    assert again.json()["error"] == "inject i01 was released at minute 0; it cannot be released now"
    assert post(client, "/api/injects/i99/release", {}).status_code == 404


def test_the_log_downloads_in_three_forms(console: ExerciseConsole) -> None:
    client = client_for(console)
    post(client, "/api/entries", {"kind": "decision", "text": "=1+1 shelter", "who": "TCG"})
    as_json = client.get("/export/log.json")
    assert as_json.json()["records"][0]["text"] == "=1+1 shelter"
    assert 'filename="chlorine-riverside-log.json"' in as_json.headers["content-disposition"]
    assert "'=1+1 shelter" in client.get("/export/log.csv").text
    assert client.get("/export/log.xlsx").content.startswith(b"PK")
    assert client.get("/export/log.txt").status_code == 404


def test_the_plume_map_is_served_as_png(console: ExerciseConsole) -> None:
    client = client_for(console)
    response = client.get("/map/start.png")
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert client.get("/map/nowhere.png").status_code == 404
