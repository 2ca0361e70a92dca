""" "Did you mean" hints for user messages: the valid option closest to what was written.

Every message that rejects a name (a role, a key, a scenario, an id) uses these two functions,
so a typo is matched the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

#: How alike (difflib's ratio, 0 to 1) a valid option must be to be suggested.
CUTOFF = 0.6
#: How many valid options a hint lists when none is close.
LISTED = 12


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like ``word``, or None when none is alike enough."""
    import difflib  # only a message needs it; not loaded by every command's start

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """``did you mean 'x'?``, else the valid options (the first few), else that there are none."""
    listed = list(options)
    match = closest(word, listed)
    if match is not None:
        return f"did you mean '{match}'?"
    if not listed:
        return "none is defined"
    shown = ", ".join(sorted(listed)[:LISTED]) + (", ..." if len(listed) > LISTED else "")
    return f"valid: {shown}"
