"""Who may register for an event: the phase's rules for project events, any active account
for city-wide ones; nobody once the event has started."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import (
    AnyUser,
    Decision,
    can_act,
    is_administrator,
    is_project_staff,
)
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.participation.moderation.selectors import active_block

ALLOWED = Decision(True)


def can_register(user: AnyUser, event: Event, *, now: datetime | None = None) -> Decision:
    """May `user` register for (or cancel at) `event` now? If not, why and what to do."""
    now = now or timezone.now()
    if event.phase is not None:
        decision = can_act(user, event.phase, Action.ATTEND, now=now)
        if not decision.allowed:
            return decision
    elif not user.is_authenticated:
        return Decision(False, "login", _("Log in or create an account to attend."), "login")
    elif not user.is_active:
        return Decision(False, "inactive", _("Your account is not active."))
    elif active_block(user) is not None:
        return Decision(False, "blocked", _("Your account is blocked."))
    if event.starts_at <= now:
        return Decision(
            False, "started", _("This event has already started, so registration is closed.")
        )
    return ALLOWED


def can_manage_event(user: AnyUser, event: Event) -> bool:
    """Administrators manage every event; project managers the events of their projects."""
    if event.project is None:
        return is_administrator(user)
    return is_project_staff(user, event.project)
