"""E-mails about a proposal's outcome, to its author and supporters, in each person's language.
Someone who chose to receive no e-mails (notification preferences) gets none."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus
from ratusz.consultations.participation.notifications.describe import city_path
from ratusz.consultations.participation.notifications.emails import build_message
from ratusz.consultations.participation.notifications.models import Frequency
from ratusz.consultations.participation.notifications.selectors import (
    current_city,
    frequencies_of,
    language_for,
)
from ratusz.tenants.links import city_url


def recipients(proposal: Proposal) -> list[User]:
    """The author and the supporters, active, with an address, who accept e-mails."""
    ids = set(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    frequencies = frequencies_of(ids)
    people = User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk")
    return [p for p in people if frequencies.get(p.pk) != Frequency.NONE]


def outcome_email(proposal: Proposal, user: User) -> EmailMultiAlternatives:
    city = current_city()
    with translation.override(language_for(user, city)), timezone.override(city.time_zone):
        if proposal.status == ProposalStatus.THRESHOLD_REACHED:
            subject = _("The proposal “%(title)s” reached its threshold") % {
                "title": proposal.title
            }
        else:
            subject = _("The proposal “%(title)s” did not collect enough support") % {
                "title": proposal.title
            }
        return build_message(
            user=user,
            city=city,
            subject=subject,
            template="proposals/email/outcome",
            context={
                "proposal": proposal,
                "subject": subject,
                "is_author": user.pk == proposal.author_id,
                "reached": proposal.status == ProposalStatus.THRESHOLD_REACHED,
                "proposal_url": city_url(
                    city.primary_domain, city_path("proposals:detail", proposal.pk)
                ),
            },
        )
