"""The console's web face: pages, the JSON API the pages poll and post to, maps and exports.

Starlette routes turn each request into one call of :class:`.service.ExerciseConsole` (run in
a worker thread, as the database calls block) and its answer into JSON. Pages are Jinja2
templates with autoescaping; what changes during the exercise is drawn in the browser by the
console's own script, which writes text with ``textContent`` only. Browsers poll
``/api/updates`` twice a second, so every laptop sees every entry within a second, and a
server restarted after a crash is picked up without reloading the page.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from standby.clock import iso_z, to_local
from standby.reports.console.security import (
    Guard,
    access_cookie,
    normalise_code,
    same_secret,
)
from standby.reports.console.service import ConsoleError, ExerciseConsole, TooLargeError
from standby.reports.exercise_log import FINDINGS, JDM_STAGES, RATINGS

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

MAX_BODY = 64 * 1024
VIEWS = {
    "control": "Control",
    "room": "Room",
    "log": "Log",
}


def build_app(
    console: ExerciseConsole, *, csrf_token: str, access_code: str | None, local_only: bool
) -> Any:
    """The ASGI app: the console's routes behind the access and cross-site checks."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    pages = _Pages(console, csrf_token, access_code)
    routes = [
        Route("/", pages.index),
        *[Route(f"/{view}", partial(pages.view, view)) for view in VIEWS],
        Route("/login", pages.login, methods=["GET", "POST"]),
        Route("/api/updates", pages.updates),
        Route("/api/entries", _api(console.record), methods=["POST"]),
        Route("/api/clock", _api(console.clock), methods=["POST"]),
        Route("/api/adhoc", _api(console.adhoc_inject), methods=["POST"]),
        Route("/api/injects/{inject}/{action}", pages.inject, methods=["POST"]),
        Route("/map/{key}.png", pages.map_png),
        Route("/export/log.{format}", pages.export),
        Mount("/static", StaticFiles(packages=[("standby.reports.console", "static")])),
    ]
    app: Starlette = Starlette(routes=routes, exception_handlers={404: _not_found})
    return Guard(app, csrf_token=csrf_token, access_code=access_code, local_only=local_only)


async def _not_found(request: Request, _error: Exception) -> Response:
    from starlette.responses import JSONResponse, PlainTextResponse

    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "no such address"}, status_code=404)
    return PlainTextResponse("Not found. Open / for the console's pages.", status_code=404)


async def _body(request: Request) -> dict[str, Any]:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise TooLargeError(f"the entry is too long (over {MAX_BODY // 1024} KB)")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TooLargeError(f"the entry is too long (over {MAX_BODY // 1024} KB)")
    try:
        data = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ConsoleError("the request is not JSON") from None
    if not isinstance(data, dict):
        raise ConsoleError("the request must be a JSON object")
    return data


def _api(call: Callable[[dict[str, Any]], Any]) -> Callable[[Request], Awaitable[Response]]:
    """A POST endpoint: JSON body in, the record written out (201), or the problem."""

    async def endpoint(request: Request) -> Response:
        return await _answer(request, call)

    return endpoint


# Every write runs on this one thread, in arrival order: writes to the log are one at a time
# anyway, and twenty requests waiting here cost nothing, where twenty worker threads queued
# on the log's lock would fight over the interpreter and stretch everyone's wait.
_WRITER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="log-writer")


async def _answer(request: Request, call: Callable[[dict[str, Any]], Any]) -> Response:
    from sqlalchemy.exc import DBAPIError
    from starlette.responses import JSONResponse

    try:
        payload = await _body(request)
        record = await asyncio.get_running_loop().run_in_executor(_WRITER, call, payload)
    except ConsoleError as error:
        return JSONResponse({"error": error.message}, status_code=error.status)
    except DBAPIError:
        return JSONResponse(
            {"error": "the exercise log's database is not answering; trying again"},
            status_code=503,
        )
    return JSONResponse({"record": record.to_json_dict()}, status_code=201)


class _Pages:
    """The page and data endpoints, sharing the console and one template environment."""

    def __init__(self, console: ExerciseConsole, csrf_token: str, access_code: str | None) -> None:
        self.console = console
        self.csrf_token = csrf_token
        self.access_code = access_code
        self.templates = _templates()

    def _render(self, name: str, status: int = 200, **context: Any) -> Response:
        from starlette.responses import HTMLResponse

        scenario = self.console.scenario
        html = self.templates.get_template(name).render(scenario=scenario, views=VIEWS, **context)
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})

    async def index(self, request: Request) -> Response:
        start = to_local(self.console.scenario.start_utc, self.console.scenario.timezone)
        return self._render(
            "index.html.j2", view="index", start_local=start.strftime("%A %d %B %Y %H:%M")
        )

    async def view(self, view: str, request: Request) -> Response:
        return self._render(
            f"{view}.html.j2",
            view=view,
            page_data=self._page_data(view),
            expectations=self.console.expectations,
            jdm_stages=JDM_STAGES,
            ratings=RATINGS,
            findings=FINDINGS,
        )

    async def login(self, request: Request) -> Response:
        from starlette.responses import RedirectResponse

        next_path = request.query_params.get("next", "/")
        if request.method == "GET" or self.access_code is None:
            return self._render(
                "login.html.j2", view="login", next_path=_local_path(next_path), wrong=False
            )
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        given = normalise_code(form.get("code", [""])[0])
        target = _local_path(form.get("next", ["/"])[0])
        if not same_secret(given, normalise_code(self.access_code)):
            return self._render("login.html.j2", view="login", next_path=target, wrong=True)
        response = RedirectResponse(target, status_code=303)
        response.headers["set-cookie"] = access_cookie(self.access_code)
        return response

    async def updates(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        since_text = request.query_params.get("since", "0")
        since = int(since_text) if since_text.isdigit() else 0
        text = await run_in_threadpool(self.console.updates_json, since)
        return Response(text, media_type="application/json", headers={"cache-control": "no-store"})

    async def inject(self, request: Request) -> Response:
        inject = request.path_params["inject"]
        action = request.path_params["action"]
        return await _answer(request, lambda payload: self.console.inject(inject, action, payload))

    async def map_png(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import PlainTextResponse, Response

        maps = self.console.maps
        png = (
            None if maps is None else await run_in_threadpool(maps.png, request.path_params["key"])
        )
        if png is None:
            return PlainTextResponse("No such map.", status_code=404)
        return Response(png, media_type="image/png", headers={"cache-control": "max-age=3600"})

    async def export(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import PlainTextResponse, Response

        from standby.reports.exercise_log import log_to_json
        from standby.reports.exercise_log_sheets import log_to_csv, log_to_xlsx

        kind = request.path_params["format"]
        writers: dict[str, tuple[Callable[[Any], str | bytes], str]] = {
            "json": (log_to_json, "application/json"),
            "csv": (log_to_csv, "text/csv; charset=utf-8"),
            "xlsx": (
                log_to_xlsx,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        }
        if kind not in writers:
            return PlainTextResponse("Export as log.json, log.csv or log.xlsx.", status_code=404)
        writer, media_type = writers[kind]
        log = await run_in_threadpool(self.console.database.exercise_log)
        name = f"{self.console.scenario.name}-log.{kind}"
        return Response(
            writer(log),
            media_type=media_type,
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "cache-control": "no-store",
            },
        )

    def _page_data(self, view: str) -> dict[str, Any]:
        scenario = self.console.scenario
        expectations = self.console.expectations
        return {
            "view": view,
            "csrf": self.csrf_token,
            "start": iso_z(scenario.start_utc),
            "timezone": scenario.timezone,
            "injects": [
                {
                    "id": i.id,
                    "minute": i.minute,
                    "type": i.type,
                    "method": i.method,
                    "from": i.from_,
                    "to": i.to,
                    "text": i.text,
                    "objective": i.objective,
                    "wind": i.effect is not None and i.effect.kind == "wind_change",
                }
                for i in scenario.injects
            ],
            "objectives": {o.id: o.text for o in scenario.objectives},
            "tasks": {t.id: t.name for t in scenario.plan.tasks},
            "expected": {}
            if expectations is None
            else {key: value.text() for key, value in expectations.tasks.items()},
            "jdm_stages": JDM_STAGES,
            "ratings": RATINGS,
            "findings": FINDINGS,
        }


def _local_path(path: str) -> str:
    """``path`` if it is a page of this site, else ``/`` (no open redirect)."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"


def _templates() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("standby.reports.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
