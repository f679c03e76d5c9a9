"""Participation methods: one registry that permissions, the back office and the UI ask.

A phase has one method. A method declares which actions it offers and what it can do, so no
code branches on method names; adding a method means adding a module that calls `register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(StrEnum):
    POST = "post"
    COMMENT = "comment"
    REACT = "react"
    VOTE = "vote"
    ANSWER = "answer"
    ATTEND = "attend"
    VOLUNTEER = "volunteer"


ACTION_LABELS: dict[Action, Promise] = {
    Action.POST: _("post ideas"),
    Action.COMMENT: _("comment"),
    Action.REACT: _("react"),
    Action.VOTE: _("vote"),
    Action.ANSWER: _("answer"),
    Action.ATTEND: _("attend"),
    Action.VOLUNTEER: _("volunteer"),
}


class Capability(StrEnum):
    IDEAS = "ideas"  # the phase collects ideas (lists, idea pages, statuses)
    MAP = "map"  # ideas may carry a location and be shown on a map
    FILES = "files"  # the phase shows documents


@dataclass(frozen=True)
class ParticipationMethod:
    key: str
    label: Promise
    actions: frozenset[Action]
    capabilities: frozenset[Capability]
    # Settings a phase of this method starts with; the back office edits them.
    default_options: dict[str, Any] = field(default_factory=dict)

    def offers(self, action: Action) -> bool:
        return action in self.actions

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


_registry: dict[str, ParticipationMethod] = {}


class UnknownMethod(KeyError):
    pass


def register(method: ParticipationMethod) -> ParticipationMethod:
    if method.key in _registry and _registry[method.key] != method:
        raise ValueError(f"participation method {method.key!r} is registered twice")
    _registry[method.key] = method
    return method


def get_method(key: str) -> ParticipationMethod:
    try:
        return _registry[key]
    except KeyError as exc:
        raise UnknownMethod(key) from exc


def all_methods() -> list[ParticipationMethod]:
    return list(_registry.values())


INFORMATION = register(
    ParticipationMethod(
        key="information",
        label=_("Information"),
        actions=frozenset(),
        capabilities=frozenset({Capability.FILES}),
    )
)

IDEATION = register(
    ParticipationMethod(
        key="ideation",
        label=_("Ideas"),
        actions=frozenset({Action.POST, Action.COMMENT, Action.REACT}),
        capabilities=frozenset({Capability.IDEAS, Capability.MAP, Capability.FILES}),
        default_options={
            # "likes" or "likes_dislikes"
            "reaction_mode": "likes",
            "anonymous_posting": False,
            # Fields of the idea form: each "off", "optional" or "required".
            "fields": {"images": "optional", "attachments": "optional", "location": "optional",
                       "topics": "optional"},
        },
    )
)  # fmt: skip
