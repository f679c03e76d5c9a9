"""How much a city uses, read from its own schema: the one visible crossing into a city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.campaigns.models import Delivery, DeliveryStatus
from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.polls.models import PollVote
from ratusz.consultations.methods.voting.models import Ballot, BallotStatus
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City


@dataclass(frozen=True)
class Usage:
    residents: int
    staff: int
    projects: int
    ideas: int
    votes: int  # submitted ballots and poll votes (paper votes are counts, not people)
    storage_bytes: int
    emails_sent_30_days: int

    @property
    def storage_mb(self) -> float:
        return round(self.storage_bytes / (1024 * 1024), 1)


def _storage_bytes(path: str = "") -> int:
    try:
        folders, files = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    total = 0
    for name in files:
        total += default_storage.size(f"{path}/{name}" if path else name)
    for folder in folders:
        total += _storage_bytes(f"{path}/{folder}" if path else folder)
    return total


def city_usage(city: City) -> Usage:
    since = timezone.now() - timedelta(days=30)
    with city_context(city):
        return Usage(
            residents=User.objects.filter(role=Role.RESIDENT, is_active=True).count(),
            staff=User.objects.filter(
                role__in=[Role.ADMINISTRATOR, Role.PROJECT_MANAGER], is_active=True
            ).count(),  # partner consultants and support visits are not the city's staff
            projects=Project.objects.count(),
            ideas=Idea.objects.count(),
            votes=Ballot.objects.filter(status=BallotStatus.SUBMITTED).count()
            + PollVote.objects.count(),
            storage_bytes=_storage_bytes(),
            # Campaign e-mails and notifications (alone or in a digest).
            emails_sent_30_days=Delivery.objects.filter(
                status=DeliveryStatus.SENT, processed_at__gte=since
            ).count()
            + Notification.objects.filter(emailed_at__gte=since).count(),
        )
