"""Drive a real ``standby exercise serve`` process: start it, kill it, load it with clients.

Used by the console's load bench (``bench_console.py``) and by its tests (crash recovery, the
load test, the browser tests), so both exercise the server exactly as a planner runs it.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One ``standby exercise serve`` child process and what it printed."""

    def __init__(
        self,
        db: str | Path,
        *,
        scenario: str = "chlorine-riverside",
        host: str = "127.0.0.1",
        port: int | None = None,
        runs: int = 5,
        cwd: Path | None = None,
    ) -> None:
        self.db = str(db)
        self.scenario = scenario
        self.host = host
        self.port = port or free_port()
        self.runs = runs
        self.cwd = cwd
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None

    @property
    def base(self) -> str:
        """The address browsers use (this computer's, whatever the server binds)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        """Start the server and wait until it answers."""
        command = [
            sys.executable,
            "-m",
            "standby",
            "exercise",
            "serve",
            self.scenario,
            "--db",
            self.db,
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--runs",
            str(self.runs),
        ]
        self.lines = []
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.cwd,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
        self._reader = threading.Thread(target=self._read, args=(self.process,), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                time.sleep(0.2)
                raise RuntimeError("the console stopped:\n" + "\n".join(self.lines))
            try:
                with urllib.request.urlopen(self.base + "/login", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the console did not answer in time:\n" + "\n".join(self.lines))

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                self.lines.append(line.rstrip("\n"))

    @property
    def access_code(self) -> str | None:
        """The access code the server printed, if it printed one."""
        for line in self.lines:
            if match := re.match(r"Access code: (\S+)", line):
                return match[1]
        return None

    def kill9(self) -> None:
        """Kill the server with SIGKILL: no shutdown, no flush, nothing it could tidy."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)

    def stop(self) -> None:
        """Stop the server as Ctrl+C would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._reader.join(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def csrf_token(self, headers: dict[str, str] | None = None) -> str:
        """The page token every state-changing request carries."""
        request = urllib.request.Request(self.base + "/log", headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
        match = re.search(r'"csrf": *"([^"]+)"', page)
        assert match, "no token in the page"
        return match[1]


@dataclass
class LoadResult:
    """What a load run saw: every request's time and status, and the keys acknowledged."""

    post_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    acknowledged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @staticmethod
    def percentile(values: Sequence[float], q: float) -> float:
        """The ``q`` quantile (0-1) by nearest rank: the smallest value with at least
        ``q`` of the values at or below it."""
        ordered = sorted(values)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def load(
    server: Server,
    *,
    clients: int = 20,
    total: int = 1000,
    repeat_every: int = 10,
    poll: bool = True,
) -> LoadResult:
    """``clients`` threads post ``total`` decisions between them, each on its own
    keep-alive connection; every ``repeat_every``-th post is sent twice with the same key
    (a browser's retry), and with ``poll`` each client also polls for updates twice a
    second, as its page does."""
    token = server.csrf_token()
    result = LoadResult()
    lock = threading.Lock()
    posting = threading.Event()
    posting.set()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, dict[str, object]]:
        started = time.perf_counter()
        connection.request(
            "POST",
            "/api/entries",
            body=body,
            headers={"Content-Type": "application/json", "X-Standby-CSRF": token},
        )
        response = connection.getresponse()
        answer = json.loads(response.read() or b"{}")
        elapsed = (time.perf_counter() - started) * 1000.0
        with lock:
            result.post_ms.append(elapsed)
            result.statuses[response.status] += 1
        return response.status, answer

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for index in range(per_client[number]):
            key = f"load-{number:02d}-{index:05d}"
            body = json.dumps(
                {
                    "kind": "decision",
                    "who": f"Client {number}",
                    "text": f"Decision {index} from client {number}",
                    "rationale": "load test",
                    "client_key": key,
                }
            ).encode()
            status, answer = post(connection, body)
            if status == 201 and isinstance(answer.get("record"), dict):
                with lock:
                    result.acknowledged[key] = int(answer["record"]["id"])  # type: ignore[index]
            if repeat_every and index % repeat_every == 0:
                post(connection, body)
        connection.close()

    def poller() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        since = 0
        while posting.is_set():
            started = time.perf_counter()
            connection.request("GET", f"/api/updates?since={since}")
            response = connection.getresponse()
            update = json.loads(response.read())
            with lock:
                result.poll_ms.append((time.perf_counter() - started) * 1000.0)
            if update["records"]:
                since = update["records"][-1]["id"]
            time.sleep(0.5)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    pollers = [threading.Thread(target=poller) for _ in range(clients if poll else 0)]
    for thread in pollers:
        thread.start()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    posting.clear()
    for thread in pollers:
        thread.join()
    return result
