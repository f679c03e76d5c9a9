"""What the city asks of a resident before they take part (registered with core's `can_act`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.rules import Decision
from ratusz.consultations.people.selectors import missing_required_fields


def profile_refusal(user: User, label: str) -> Decision | None:
    """The city's required registration questions come before a resident's first action."""
    if not missing_required_fields(user):
        return None
    return Decision(
        False,
        "complete_profile",
        _("Answer a few questions about yourself to %(action)s.") % {"action": label},
        "complete_profile",
    )
