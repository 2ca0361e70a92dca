"""Role names as people type them: exact, any case, a unique prefix, or the initials.

On the command line a planner writes ``--role "duty emergency"``, ``--role DEPO`` (the
initials of Duty Emergency Planning Officer) or ``--role "rest centre"``; :func:`match_role`
finds the one role meant, or says why it cannot (no such role, with a "did you mean", or
several that fit, listed). Files are not matched this loosely: a name in a file that is
not a role is reported (``rota.coverage`` compares the rota's roles with the
requirements').
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from standby.errors import StandbyError
from standby.hints import did_you_mean

_WORD = re.compile(r"[A-Za-z0-9]+")


class RoleNameError(StandbyError):
    """A role name that matches no role, or more than one."""


def abbreviation(role: str) -> str:
    """The initials of a role's words in capitals: ``DEPO`` for Duty Emergency Planning Officer.

    A word in brackets counts too (``Duty Emergency Planning Officer (backup)`` is DEPOB).
    """
    return "".join(word[0] for word in _WORD.findall(role)).upper()


def match_role(
    text: str, roles: Iterable[str], *, where: str = "", parameters: tuple[str, ...] = ()
) -> str:
    """The role in ``roles`` that ``text`` names.

    Tried in turn: the exact name; the name in any case; the one role that starts with
    ``text`` in any case; the one role whose :func:`abbreviation` is ``text``. Raises
    :class:`RoleNameError` naming ``where`` (the file or rota) and the roles there, with
    ``parameters`` (``standby.errors.PARAMETERS``) naming the value the caller passed.
    """
    known = list(dict.fromkeys(roles))
    wanted = text.strip()
    if wanted in known:
        return wanted
    folded = wanted.casefold()
    for finder in (
        lambda role: role.casefold() == folded,
        lambda role: role.casefold().startswith(folded),
        lambda role: abbreviation(role) == wanted.upper().replace(".", "").replace(" ", ""),
    ):
        found = [role for role in known if folded and finder(role)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"'{role}'" for role in found)
            raise RoleNameError(
                f"{where}'{text}' could be any of {listed}; write more of the role's name",
                parameters=parameters,
            )
    raise RoleNameError(
        f"{where}no role '{text}'; {did_you_mean(wanted, known)}", parameters=parameters
    )
