"""Who may moderate: the staff of an item's project; administrators for blocks and the filter."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import acting_role
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.rules import (
    AnyUser,
    Decision,
    is_administrator,
    is_project_staff,
    when,
)
from ratusz.consultations.participation.moderation.selectors import active_block


def can_moderate(user: AnyUser, project: Project) -> bool:
    """Hide, restore, approve and reject ideas and comments of `project`, resolve reports."""
    return is_project_staff(user, project)


def can_open_moderation(user: AnyUser) -> bool:
    """See the moderation queue (each person sees only the projects they may moderate)."""
    return acting_role(user) in (Role.ADMINISTRATOR, Role.PROJECT_MANAGER)


def can_block(user: AnyUser) -> bool:
    """Block residents and lift blocks."""
    return is_administrator(user)


def can_edit_word_filter(user: AnyUser) -> bool:
    return is_administrator(user)


def blocked_refusal(user: User, label: str) -> Decision | None:
    """A blocked person takes no action, staff included (registered with core's `can_act`)."""
    block = active_block(user)
    if block is None:
        return None
    if block.until:
        message = _("Your account is blocked until %(date)s: %(reason)s") % {
            "date": when(block.until),
            "reason": block.reason,
        }
    else:
        message = _("Your account is blocked: %(reason)s") % {"reason": block.reason}
    return Decision(False, "blocked", message)
