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


def duration_text(minutes: float) -> str:
    """A length as said aloud: ``40 s``, ``25 min``, ``14 h``, ``1 h 30 min``, ``2 d 16 h``."""
    seconds = round(minutes * 60)
    if seconds < 60:
        return f"{seconds} s"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days >= 2:
        return f"{days} d {hours} h" if hours else f"{days} d"
    hours += days * 24
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def local_range(start: datetime, end: datetime, timezone: str) -> str:
    """``Fri 25 Dec 2026 18:00 to Sat 26 Dec 08:00 GMT``, the zone once unless it changes."""
    low, high = to_local(start, timezone), to_local(end, timezone)
    first = low.strftime("%a %d %b %Y %H:%M")
    if low.tzname() != high.tzname():
        first += f" {low.tzname()}"
    second = (
        high.strftime("%H:%M %Z")
        if high.date() == low.date()
        else high.strftime("%a %d %b %H:%M %Z" if high.year == low.year else "%a %d %b %Y %H:%M %Z")
    )
    return f"{first} to {second}"


def minutes_text(minutes: float) -> str:
    """Minutes to two decimals without trailing zeros (``60``, ``0.67``)."""
    return f"{minutes:.2f}".rstrip("0").rstrip(".")


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI for an ``<img src>``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def environment(**settings: Any) -> Any:
    """The Jinja2 environment of ``reports/templates``: autoescape on, undefined is an error.

    ``settings`` are passed on (the Markdown renderer adds a ``finalize`` that escapes every
    value as Markdown).
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("standby.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **settings,
    )
    env.filters["data_uri"] = data_uri
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``reports/templates/<name>`` with autoescaping."""
    return str(environment().get_template(name).render(**context))
