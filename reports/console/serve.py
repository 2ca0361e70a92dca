"""``standby exercise serve``: open the log, ask the model, bind the address, serve the room.

:func:`open_console` does everything but serve (a Python user or a test can drive the
console it returns); :func:`run_console` also binds the address, says where to point the
browsers (and the access code when other computers may connect) and serves until Ctrl+C.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standby.errors import StandbyError
from standby.reports.console.security import is_local, new_access_code
from standby.reports.console.service import ExerciseConsole

DEFAULT_PORT = 8765
DEFAULT_RUNS = 200


@dataclass(frozen=True)
class ConsoleSettings:
    """What ``standby exercise serve`` was asked for."""

    scenario: str
    rota: Path | None = None
    db: str | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    runs: int = DEFAULT_RUNS
    seed: int = 1


@dataclass
class OpenConsole:
    """A console ready to serve: the exercise, its web app and how browsers get in."""

    console: ExerciseConsole
    app: Any
    access_code: str | None
    records: int


def default_db(scenario_name: str) -> str:
    """The log's file when none is given: ``<scenario>-log.db`` in the current folder."""
    return f"{scenario_name}-log.db"


def open_console(
    settings: ConsoleSettings, say: Callable[[str], None] = lambda _: None
) -> OpenConsole:
    """Load the scenario (and rota), open or create the log, run the model, build the app."""
    from standby.reports.console.app import build_app
    from standby.reports.console.expectation import model_expectations
    from standby.reports.console.maps import PlumeMaps
    from standby.reports.exercise_db import open_log, scenario_meta
    from standby.scenarios import load_scenario

    scenario = load_scenario(settings.scenario)
    rota = None
    if settings.rota is not None:
        from standby.rota.io import read_rota

        rota = read_rota(settings.rota, timezone=scenario.timezone)
    database = open_log(settings.db or default_db(scenario.name))
    try:
        database.bind_scenario(scenario_meta(scenario, settings.scenario))
        local_only = is_local(settings.host)
        access_code = None if local_only else database.secret("access_code", new_access_code)
        csrf_token = database.secret("csrf")
        say(f"Running the model {settings.runs} times for its expectation of each objective…")
        expectations = model_expectations(scenario, rota, runs=settings.runs, seed=settings.seed)
    except BaseException:
        database.close()
        raise
    console = ExerciseConsole(scenario, database, expectations, PlumeMaps(scenario))
    app = build_app(console, csrf_token=csrf_token, access_code=access_code, local_only=local_only)
    return OpenConsole(console, app, access_code, database.count())


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a clear error when it is taken."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise StandbyError(
            f"'{host}' is not an address of this computer; try 127.0.0.1 or 0.0.0.0"
        ) from None
    family, kind, protocol, _, address = info
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise StandbyError(
            f"cannot listen on {host}:{port} ({error.strerror}); another console may be "
            "running there, or choose another port"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run_console(settings: ConsoleSettings, say: Callable[[str], None]) -> None:
    """Serve the console until interrupted, after saying where the browsers should go."""
    import uvicorn

    sock = bind(settings.host, settings.port)
    try:
        ready = open_console(settings, say)
    except BaseException:
        sock.close()
        raise
    database = ready.console.database
    shown_host = settings.host if is_local(settings.host) else _lan_name(settings.host)
    base = f"http://{_url_host(shown_host)}:{settings.port}"
    say(f"Exercise console for: {ready.console.scenario.title}")
    where = settings.db or default_db(ready.console.scenario.name)
    shown = where if database.kind == "SQLite" else database.display
    say(f"Log: {shown} ({database.kind}, {ready.records} entries so far)")
    say(f"  control  {base}/control   (facilitator)")
    say(f"  room     {base}/room      (projector)")
    say(f"  log      {base}/log       (loggist and evaluators)")
    if ready.access_code is not None:
        say(f"Access code: {ready.access_code}")
        say(f"  other laptops can open {base}/?code={ready.access_code}")
    say("Every entry is saved as it is made. Press Ctrl+C to stop; start again to carry on.")
    config = uvicorn.Config(ready.app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly, then passes Ctrl+C on: stopping is the normal end
    finally:
        sock.close()
        database.close()
    say(f"Console stopped. The log is kept in {shown}; run the same command to carry on.")


def _lan_name(host: str) -> str:
    """For 0.0.0.0 or :: this computer's address on its network; otherwise ``host`` itself."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # picks the outgoing interface; sends nothing
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
