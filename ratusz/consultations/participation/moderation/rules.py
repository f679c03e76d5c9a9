"""Who may moderate: the staff of an item's project; administrators for blocks and the filter."""

from __future__ import annotations

from ratusz.accounts.models import Role
from ratusz.accounts.rules import acting_role
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.rules import AnyUser, is_administrator, is_project_staff


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
