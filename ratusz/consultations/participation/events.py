"""Something happened to an input (an idea, a comment on it, a report...): the event bus of the
city plane's participation layer.

Methods announce what happened to their inputs here; notifications and people (and any app
above) listen, registering their listener in their AppConfig.ready(). A method therefore never
calls the apps that react to it, and the listeners depend on the bus, not on each method's
services. Listeners run after the transaction commits, so they never see (or announce)
rolled-back work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from ratusz.tenants.context import HasSchema, city_context
from ratusz.tenants.db import connection


@dataclass(frozen=True)
class InputEvent:
    # What happened, named for the input it happened to, so that a listener knows the input
    # by the kind: "idea_posted" | "comment_added" | "reacted" | "status_changed" |
    # "content_reported" (so far ideas and their comments).
    kind: str
    input_id: int  # the input it happened to (for the kinds above: the idea)
    actor_id: int | None
    comment_id: int | None = None
    status_change_id: int | None = None
    report_id: int | None = None


Listener = Callable[[InputEvent], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def announce(event: InputEvent) -> None:
    # The transaction may commit after the code has left the city's context (an outer block
    # opened elsewhere), so each listener runs in the city that announced the event.
    city = connection.tenant
    for listener in tuple(_listeners):
        transaction.on_commit(partial(_in_city, city, listener, event))


def _in_city(city: HasSchema, listener: Listener, event: InputEvent) -> None:
    with city_context(city):
        listener(event)
