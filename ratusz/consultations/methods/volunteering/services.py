"""Writes on volunteering: staff add causes; residents sign up and cancel. Signing up locks
the cause's row so that two people never take the last place at once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.volunteering.models import Cause, SignUp
from ratusz.consultations.participation.refusals import NotAllowed, Refused

__all__ = ["NotAllowed", "Refused", "add_cause", "cancel_sign_up", "sign_up"]


def _texts(values: dict[str, str]) -> dict[str, str]:
    """Languages left empty are dropped: they fall back to the city's default language."""
    return {code: text.strip() for code, text in values.items() if text and text.strip()}


def add_cause(
    *, phase: Phase, title: dict[str, str], description: dict[str, str], needed: int
) -> Cause:
    """A cause, its title and description written once per city language."""
    if phase.method != "volunteering":
        raise Refused(_("Causes can only be added to a phase of the volunteering method."))
    if needed < 1:
        raise Refused(_("At least one volunteer must be needed."))
    if not _texts(title):
        raise Refused(_("Give the cause a title."))
    return Cause.objects.create(
        project=phase.project,
        phase=phase,
        title=_texts(title),
        description={code: sanitize(text) for code, text in _texts(description).items()},
        needed=needed,
    )


def sign_up(*, user: User, cause: Cause) -> SignUp:
    decision = can_act(user, cause.phase, Action.VOLUNTEER)
    if not decision.allowed:
        raise NotAllowed(decision)
    with transaction.atomic():
        cause = Cause.objects.select_for_update().get(pk=cause.pk)
        if SignUp.objects.filter(cause=cause, user=user).exists():
            raise Refused(_("You have already signed up for this cause."))
        if SignUp.objects.filter(cause=cause).count() >= cause.needed:
            raise Refused(_("This cause already has all the volunteers it needs. Thank you!"))
        try:
            with transaction.atomic():
                return SignUp.objects.create(cause=cause, user=user)
        except IntegrityError as exc:
            raise Refused(_("You have already signed up for this cause.")) from exc


def cancel_sign_up(*, user: User, cause: Cause) -> None:
    decision = can_act(user, cause.phase, Action.VOLUNTEER)
    if not decision.allowed:
        raise NotAllowed(decision)
    deleted, _rows = SignUp.objects.filter(cause=cause, user=user).delete()
    if not deleted:
        raise Refused(_("You have not signed up for this cause."))
