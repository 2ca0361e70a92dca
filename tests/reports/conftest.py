"""Fixtures for the exercise log: a fresh SQLite file, and a fresh PostgreSQL database.

PostgreSQL tests need a server: ``STANDBY_TEST_POSTGRES_URL`` names one where the tests may
create databases (``.ci/run`` starts a throwaway cluster and sets it). Without it they skip,
unless ``STANDBY_REQUIRE_POSTGRES=1`` (set by CI) turns the skip into a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_ENV = "STANDBY_TEST_POSTGRES_URL"


def postgres_server_url() -> str:
    """The test server's URL, or skip (fail when STANDBY_REQUIRE_POSTGRES=1)."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("STANDBY_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"STANDBY_REQUIRE_POSTGRES=1 but {POSTGRES_ENV} is not set (see .ci/run)")
    pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (CI starts one; see .ci/run)")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; yields its URL."""
    import psycopg

    server = postgres_server_url()
    name = "standby_test_" + secrets.token_hex(6)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's exercise log lives: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "exercise.db")
    else:
        with fresh_postgres_database() as url:
            yield url
