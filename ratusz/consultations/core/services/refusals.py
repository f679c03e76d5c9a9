"""Why a write to a project or its timeline is refused, and the read-only rule after a downgrade."""

from __future__ import annotations

from django.utils.translation import ngettext

from ratusz.consultations.core.models import Project
from ratusz.consultations.core.read_only import active_projects_limit, is_read_only
from ratusz.errors import Refused


class ProjectRefused(Refused, ValueError):
    """A project change that cannot be made, with the reason for a person."""

    code = "project_refused"


class ProjectReadOnly(ProjectRefused):
    """A change to a project beyond the plan's limit of active projects (after a downgrade)."""

    code = "project_read_only"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.message = ngettext(
            "This project is read-only: your plan allows %(limit)d active project and this one "
            "is beyond it. Residents can still read it, but nobody can change it or take part "
            "in it. An administrator can raise the limit by choosing a bigger plan under "
            "Billing in the back office; archiving a project also frees a place.",
            "This project is read-only: your plan allows %(limit)d active projects and this one "
            "is beyond them. Residents can still read it, but nobody can change it or take part "
            "in it. An administrator can raise the limit by choosing a bigger plan under "
            "Billing in the back office; archiving a project also frees a place.",
            limit,
        ) % {"limit": limit}
        super().__init__(self.message)


def refuse_if_read_only(project: Project) -> None:
    """Raise ProjectReadOnly for a project beyond the plan's active projects. Edits stop there;
    archiving it or returning it to draft stays possible, since that frees a place."""
    if is_read_only(project):
        raise ProjectReadOnly(active_projects_limit() or 0)


class TimelineRefused(Refused, ValueError):
    """A phase that does not fit the project's timeline, with the reason for a person."""

    code = "timeline_refused"


class SettingsRefused(Refused, ValueError):
    """Phase settings that do not fit the phase's method, with the reason for a person."""

    code = "settings_refused"
