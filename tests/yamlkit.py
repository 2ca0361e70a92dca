"""Helpers for the YAML tests: a value compared with the type of every part in it."""

from __future__ import annotations

from typing import Any


def typed(value: Any) -> Any:
    """``value`` with the type of every part in it (so that 1 and true are not equal)."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))
