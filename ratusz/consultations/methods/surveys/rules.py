"""Who may see a survey's results."""

from __future__ import annotations

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import AnyUser, is_project_staff


def can_see_results(user: AnyUser, phase: Phase) -> bool:
    """Staff always; everyone when the city publishes the results (a phase option)."""
    return bool(phase.options.get("results_public")) or is_project_staff(user, phase.project)
