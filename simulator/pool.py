"""A SimPy building block: tokens of several kinds granted all together or not at all.

The plan's tasks hold people of several roles at once. A task asks the :class:`Pool` for
``count`` people of each of its roles; the request is granted only when all of them are free,
so a task never sits on one role's people while it waits for another's (no deadlock, no
hoarding). Waiting requests are served first-fit in the order they were made.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

import simpy

Token = TypeVar("Token", bound=Hashable)

Needs = tuple[tuple[int, int], ...]
"""``((kind, count), ...)``: how many tokens of each kind a request takes."""


class Pool(Generic[Token]):
    """Tokens of several kinds (people of each role) granted all together or not at all.

    ``request(needs)`` returns a SimPy event whose value is a tuple with the list of tokens
    taken for each need; ``release(needs, taken)`` gives them back. With one kind and ``c``
    tokens it is a ``simpy.Resource`` of capacity ``c``.
    """

    __slots__ = ("_waiting", "env", "tokens")

    def __init__(self, env: simpy.Environment, kinds: int) -> None:
        self.env = env
        self.tokens: list[list[Token]] = [[] for _ in range(kinds)]
        self._waiting: list[tuple[Needs, simpy.Event]] = []

    def _fits(self, needs: Needs) -> bool:
        tokens = self.tokens
        return all(len(tokens[kind]) >= count for kind, count in needs)

    def _take(self, needs: Needs) -> tuple[list[Token], ...]:
        taken = []
        for kind, count in needs:
            free = self.tokens[kind]
            taken.append(free[:count])
            del free[:count]
        return tuple(taken)

    def request(self, needs: Needs) -> simpy.Event:
        """An event that fires, with the tokens taken, once all of ``needs`` are free."""
        event = simpy.Event(self.env)
        if self._fits(needs):
            event.succeed(self._take(needs))
        else:
            self._waiting.append((needs, event))
        return event

    def release(self, needs: Needs, taken: Sequence[Sequence[Token]]) -> None:
        """Give back the tokens of a granted request."""
        for (kind, _count), tokens in zip(needs, taken, strict=True):
            self.tokens[kind].extend(tokens)
        if self._waiting:
            self._wake()

    def cancel(self, event: simpy.Event) -> None:
        """Withdraw a request not yet granted (a task that takes other people instead)."""
        self._waiting = [
            (needs, waiting) for needs, waiting in self._waiting if waiting is not event
        ]

    def add(self, kind: int, token: Token) -> None:
        """A new token (a person who arrived) becomes free."""
        self.tokens[kind].append(token)
        if self._waiting:
            self._wake()

    def remove_token(self, kind: int, token: Token) -> bool:
        """Take a free token out of the pool for good; False when it is busy or unknown."""
        free = self.tokens[kind]
        if token in free:
            free.remove(token)
            return True
        return False

    @property
    def waiting(self) -> int:
        """Requests not yet granted."""
        return len(self._waiting)

    def _wake(self) -> None:
        still = []
        for needs, event in self._waiting:
            if self._fits(needs):
                event.succeed(self._take(needs))
            else:
                still.append((needs, event))
        self._waiting = still
