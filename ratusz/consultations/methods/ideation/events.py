"""What happened to an idea, for whoever listens (notifications register a listener).

Listeners run after the transaction commits, so they never see (or announce) rolled-back work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from ratusz.tenants.context import HasSchema, city_context
from ratusz.tenants.db import connection


@dataclass(frozen=True)
class IdeaEvent:
    # "idea_posted" | "comment_added" | "reacted" | "status_changed" | "content_reported"
    kind: str
    idea_id: int
    actor_id: int | None
    comment_id: int | None = None
    status_change_id: int | None = None
    report_id: int | None = None


Listener = Callable[[IdeaEvent], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def announce(event: IdeaEvent) -> None:
    # The transaction may commit after the code has left the city's context (an outer block
    # opened elsewhere), so each listener runs in the city that announced the event.
    city = connection.tenant
    for listener in tuple(_listeners):
        transaction.on_commit(partial(_in_city, city, listener, event))


def _in_city(city: HasSchema, listener: Listener, event: IdeaEvent) -> None:
    with city_context(city):
        listener(event)
