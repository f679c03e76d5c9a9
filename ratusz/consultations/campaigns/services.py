"""Writes for campaigns: drafting, test e-mails, sending in batches, opting out, and the city's
wording of the automatic e-mails.

Sending is two steps. `send_campaign` (the administrator's click) fixes the audience: one
pending delivery row per person, in one transaction, then queues the first batch. Each batch
(`deliver_batch`, run by a task) takes pending rows one at a time, locked, and sends and marks
each in its own transaction: a row leaves "pending" only when its e-mail went out, so a task
that is retried, or runs twice at once, never e-mails anyone twice; unsubscribes are read at
that moment, so someone who unsubscribed after the click is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.emails import queue_email
from ratusz.accounts.models import User
from ratusz.consultations.campaigns import selectors
from ratusz.consultations.campaigns.emails import campaign_email
from ratusz.consultations.campaigns.models import (
    Audience,
    Campaign,
    CampaignOptOut,
    CampaignStatus,
    Delivery,
    DeliveryStatus,
    EmailTemplate,
)
from ratusz.consultations.campaigns.placeholders import PLACEHOLDERS, check_placeholders
from ratusz.consultations.campaigns.unsubscribe import read_token
from ratusz.consultations.core.features import check_feature_on
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.participation.notifications.selectors import current_city, language_for
from ratusz.tenants.entitlements import check_limit
from ratusz.tenants.queue import enqueue_on_commit

BATCH_SIZE = 100


class CampaignError(Exception):
    """A campaign that cannot be sent or changed; `message` tells the administrator why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _clean(values: dict[str, str], *, rich: bool) -> dict[str, str]:
    cleaned = {
        lang: (sanitize(text) if rich else " ".join(text.split())) for lang, text in values.items()
    }
    return {lang: text for lang, text in cleaned.items() if text}


def create_campaign(
    *,
    author: User,
    subject: dict[str, str],
    body: dict[str, str],
    audience: str,
    group: ResidentGroup | None = None,
    project: Project | None = None,
) -> Campaign:
    return Campaign.objects.create(
        created_by=author,
        subject=_clean(subject, rich=False),
        body=_clean(body, rich=True),
        audience=audience,
        group=group if audience == Audience.GROUP else None,
        project=project if audience == Audience.PROJECT else None,
    )


def update_campaign(
    *,
    campaign: Campaign,
    subject: dict[str, str],
    body: dict[str, str],
    audience: str,
    group: ResidentGroup | None = None,
    project: Project | None = None,
) -> Campaign:
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise CampaignError(_("This campaign was already sent; it can no longer be changed."))
        locked.subject = _clean(subject, rich=False)
        locked.body = _clean(body, rich=True)
        locked.audience = audience
        locked.group = group if audience == Audience.GROUP else None
        locked.project = project if audience == Audience.PROJECT else None
        locked.save()
    return locked


def recipients_of(campaign: Campaign) -> list[int]:
    return list(
        selectors.audience_of(
            audience=campaign.audience, group=campaign.group, project=campaign.project
        ).values_list("pk", flat=True)
    )


def _no_recipients_message(campaign: Campaign) -> str:
    if campaign.audience == Audience.GROUP:
        if campaign.group is None:
            return _("Choose the group to write to.")
        return _("The group “%(group)s” has no members: there is nobody to send to.") % {
            "group": campaign.group.name
        }
    if campaign.audience == Audience.PROJECT:
        return _("Nobody has taken part in this project yet: there is nobody to send to.")
    return _("There are no accounts to send to yet.")


def send_test(*, campaign: Campaign, to: User) -> None:
    """E-mail the campaign, marked as a test, to the administrator only (after commit)."""
    city = current_city()
    queue_email(
        campaign_email(
            subject=campaign.subject, body=campaign.body, user=to, city=city, is_test=True
        )
    )


def send_campaign(*, campaign: Campaign, by: User) -> int:
    """Fix the audience of a draft and start sending it in the background; returns how many
    people it is addressed to. Raises FeatureNotAllowed or LimitReached (plan),
    FeatureSwitchedOff (the city's Features switch), CampaignError."""
    check_feature_on("email_campaigns")
    city = current_city()
    check_limit("campaigns_per_month", used=selectors.campaigns_sent_this_month(city.time_zone))
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("group", "project")
            .get(pk=campaign.pk)
        )
        if locked.status != CampaignStatus.DRAFT:
            raise CampaignError(_("This campaign was already sent."))
        if not locked.subject or not locked.body:
            raise CampaignError(_("Write a subject and a message before sending."))
        people = recipients_of(locked)
        if not people:
            raise CampaignError(_no_recipients_message(locked))
        Delivery.objects.bulk_create(
            [Delivery(campaign=locked, user_id=person) for person in people],
            batch_size=1000,
            ignore_conflicts=True,
        )
        locked.status = CampaignStatus.SENDING
        locked.queued_at = timezone.now()
        locked.save(update_fields=["status", "queued_at", "updated_at"])

        enqueue_on_commit("campaigns.send_campaign_batch", locked.pk)
    return len(people)


@dataclass(frozen=True)
class BatchResult:
    sent: int
    skipped: int
    remaining: int


def deliver_batch(*, campaign_id: int, batch_size: int = BATCH_SIZE) -> BatchResult:
    """Send up to `batch_size` pending deliveries of a campaign; finish it when none remain."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status == CampaignStatus.DRAFT:
        return BatchResult(0, 0, 0)
    city = current_city()
    sent = skipped = 0
    for _n in range(batch_size):
        with transaction.atomic():
            # skip_locked: a second copy of the task works on other rows instead of waiting.
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(campaign_id=campaign_id, status=DeliveryStatus.PENDING)
                .order_by("pk")
                .first()
            )
            if delivery is None:
                break
            reason = selectors.skip_reason(delivery.user)
            if reason is None:
                language = language_for(delivery.user, city)
                campaign_email(
                    subject=campaign.subject,
                    body=campaign.body,
                    user=delivery.user,
                    city=city,
                    language=language,
                ).send()
                delivery.status, delivery.language = DeliveryStatus.SENT, language
                sent += 1
            else:
                delivery.status, delivery.reason = DeliveryStatus.SKIPPED, reason
                skipped += 1
            delivery.processed_at = timezone.now()
            delivery.save(update_fields=["status", "reason", "language", "processed_at"])
    remaining = Delivery.objects.filter(
        campaign_id=campaign_id, status=DeliveryStatus.PENDING
    ).count()
    if remaining == 0:
        finish_campaign(campaign_id=campaign_id)
    return BatchResult(sent=sent, skipped=skipped, remaining=remaining)


def finish_campaign(*, campaign_id: int) -> Campaign:
    """Record the counts and mark the campaign sent (again, harmlessly, if it already was)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        counts = selectors.delivery_counts(campaign)
        campaign.sent_count = counts[DeliveryStatus.SENT]
        campaign.skipped_count = counts[DeliveryStatus.SKIPPED]
        campaign.status = CampaignStatus.SENT
        campaign.sent_at = campaign.sent_at or timezone.now()
        campaign.save(
            update_fields=["sent_count", "skipped_count", "status", "sent_at", "updated_at"]
        )
    return campaign


class InvalidUnsubscribeLink(ValueError):
    """The link was altered, made for another city, or its account no longer exists."""


def opt_out(*, token: str) -> User:
    """Stop campaigns to the account a genuine link was made for (notifications go on)."""
    user_id = read_token(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        raise InvalidUnsubscribeLink(token)
    CampaignOptOut.objects.get_or_create(user=user)
    return user


def opt_in(*, user: User) -> None:
    CampaignOptOut.objects.filter(user=user).delete()


def set_campaigns_wanted(*, user: User, wanted: bool) -> None:
    """The person's own choice on their e-mail preferences page."""
    if wanted:
        opt_in(user=user)
    else:
        CampaignOptOut.objects.get_or_create(user=user)


def save_email_template(
    *, kind: str, subject: dict[str, str], body: dict[str, str], by: User
) -> EmailTemplate:
    """Save the city's wording of an automatic e-mail. Raises UnknownPlaceholder (the form
    checks first; this keeps anything else from storing what the renderer would refuse)."""
    allowed = PLACEHOLDERS[kind].keys()
    subject, body = _clean(subject, rich=False), _clean(body, rich=True)
    for text in (*subject.values(), *body.values()):
        check_placeholders(text, allowed)
    template, _created = EmailTemplate.objects.update_or_create(
        kind=kind, defaults={"subject": subject, "body": body, "updated_by": by}
    )
    return template


def reset_email_template(*, kind: str) -> None:
    """Back to the built-in wording."""
    EmailTemplate.objects.filter(kind=kind).delete()
