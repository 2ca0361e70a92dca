"""Rendering of pages (Jinja2 with autoescaping on, images inlined as data URIs) and the text
forms of times and minutes that every report and table shares.

Every HTML page Standby writes is one self-contained file (inline CSS, no CDN, no scripts),
so it can be emailed or opened offline, and any text from a user's files is escaped.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from standby.clock import to_local


def local_text(instant: datetime, timezone: str) -> str:
    """``2026-03-29 02:00 BST``: an instant in local time, as reports and tables show it."""
    return to_local(instant, timezone).strftime("%Y-%m-%d %H:%M %Z")


def short_local_text(instant: datetime, timezone: str) -> str:
    """``Mon 07 Dec 09:00 GMT``: an instant in local time, for tight tables (no year)."""
    return to_local(instant, timezone).strftime("%a %d %b %H:%M %Z")


def minutes_text(minutes: float) -> str:
    """Minutes to two decimals without trailing zeros (``60``, ``0.67``)."""
    return f"{minutes:.2f}".rstrip("0").rstrip(".")


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI for an ``<img src>``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_template(name: str, **context: Any) -> str:
    """Render ``reports/templates/<name>`` with autoescaping."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("standby.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["data_uri"] = data_uri
    return environment.get_template(name).render(**context)
