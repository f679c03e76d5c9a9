"""Reads for campaigns: who a campaign reaches, who must not be e-mailed, usage this month."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.campaigns.models import (
    Audience,
    Campaign,
    CampaignOptOut,
    Delivery,
    DeliveryStatus,
    EmailTemplate,
)
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.core.usage import RECENT
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    NotificationPreference,
)

# Accounts of a city; operator and partner accounts live in the control plane, never here,
# but a role check costs nothing and keeps a stray one out of a campaign.
CITY_ROLES = (Role.RESIDENT, Role.PROJECT_MANAGER, Role.ADMINISTRATOR)


class SkipReason:
    INACTIVE = "inactive"
    UNSUBSCRIBED = "unsubscribed"  # stopped all e-mails (notification preference "never")
    OPTED_OUT = "opted_out"  # stopped campaigns only


def project_participants(project: Project) -> QuerySet[User]:
    """Everyone who took part in a project: authors of its ideas, commenters and reactors."""
    ideas = Idea.objects.filter(project=project)
    return User.objects.filter(
        Q(pk__in=ideas.filter(author__isnull=False).values("author_id"))
        | Q(pk__in=Comment.objects.filter(idea__in=ideas, author__isnull=False).values("author_id"))
        | Q(pk__in=Reaction.objects.filter(idea__in=ideas).values("user_id"))
    )


def audience_of(
    *, audience: str, group: ResidentGroup | None = None, project: Project | None = None
) -> QuerySet[User]:
    """The accounts a campaign is addressed to (before unsubscribes are taken out)."""
    users = User.objects.filter(role__in=CITY_ROLES)
    if audience == Audience.GROUP:
        users = users.filter(resident_groups=group) if group is not None else users.none()
    elif audience == Audience.PROJECT:
        users = users.filter(pk__in=project_participants(project)) if project else users.none()
    return users.order_by("pk").distinct()


def reachable(users: QuerySet[User]) -> QuerySet[User]:
    """Of `users`, those a campaign may e-mail now."""
    return (
        users.filter(is_active=True)
        .exclude(pk__in=unsubscribed_ids())
        .exclude(pk__in=CampaignOptOut.objects.values("user_id"))
    )


def unsubscribed_ids() -> QuerySet[NotificationPreference, int]:
    """People who turned all e-mails off (the notifications' "never", which their one-click
    unsubscribe sets): they get no campaigns either."""
    return NotificationPreference.objects.filter(frequency=Frequency.NONE).values_list(
        "user_id", flat=True
    )


def skip_reason(user: User) -> str | None:
    """Why this person must not get a campaign now (None: they may)."""
    if not user.is_active or not user.email:
        return SkipReason.INACTIVE
    if unsubscribed_ids().filter(user_id=user.pk).exists():
        return SkipReason.UNSUBSCRIBED
    if CampaignOptOut.objects.filter(user_id=user.pk).exists():
        return SkipReason.OPTED_OUT
    return None


def month_start(time_zone: str, now: datetime | None = None) -> datetime:
    """The first instant of the current month in the city's time zone."""
    local = (now or timezone.now()).astimezone(ZoneInfo(time_zone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def campaigns_sent_this_month(time_zone: str) -> int:
    """Campaigns an administrator sent since the month began (what the plan's limit counts)."""
    return Campaign.objects.filter(queued_at__gte=month_start(time_zone)).count()


def delivery_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("group", "project", "created_by")


def email_template(kind: str) -> EmailTemplate | None:
    """The city's own wording of an automatic e-mail, if it wrote one."""
    return EmailTemplate.objects.filter(kind=kind).first()


def is_opted_out(user: User) -> bool:
    return CampaignOptOut.objects.filter(user_id=user.pk).exists()


def usage_counts() -> dict[str, int]:
    """Campaign e-mails sent lately, for the city's usage (ratusz.consultations.core.usage)."""
    since = timezone.now() - RECENT
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT, processed_at__gte=since)
    return {"emails_sent_30_days": sent.count()}
