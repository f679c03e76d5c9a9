"""What happened to an idea, for whoever listens (notifications register a listener).

Listeners run after the transaction commits, so they never see (or announce) rolled-back work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction


@dataclass(frozen=True)
class IdeaEvent:
    kind: str  # "idea_posted" | "comment_added" | "reacted" | "status_changed"
    idea_id: int
    actor_id: int | None
    comment_id: int | None = None
    status_change_id: int | None = None


Listener = Callable[[IdeaEvent], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def announce(event: IdeaEvent) -> None:
    for listener in tuple(_listeners):
        transaction.on_commit(partial(listener, event))
