"""Campaign services: audiences, sending in batches, unsubscribes, languages, idempotence,
plan limits, and the restricted placeholders of automatic e-mails."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ratusz.consultations.campaigns import selectors, services
from ratusz.consultations.campaigns.models import (
    Campaign,
    CampaignOptOut,
    CampaignStatus,
    Delivery,
    DeliveryStatus,
)
from ratusz.consultations.campaigns.placeholders import (
    UnknownPlaceholder,
    check_placeholders,
    render_placeholders,
)
from ratusz.consultations.campaigns.tasks import send_campaign_batch
from ratusz.consultations.methods.ideation.services import add_comment, post_idea, react
from ratusz.consultations.participation.notifications.services import set_frequency
from ratusz.tenants.entitlements import (
    FeatureNotAllowed,
    LimitReached,
    forget_entitlements,
    set_entitlements,
)
from tests.consultations.campaigns.conftest import draft, html_of
from tests.consultations.participation.notifications.conftest import person


def recipients(outbox) -> set[str]:
    return {message.to[0] for message in outbox}


def test_a_campaign_to_a_group_reaches_its_members_in_their_language(
    city, admin, group, members, committed, outbox
):
    campaign = draft(admin, audience="group", group=group)
    with committed():
        assert services.send_campaign(campaign=campaign, by=admin) == 2
    assert recipients(outbox) == {"ewa@example.com", "emma@example.com"}
    by_address = {message.to[0]: message for message in outbox}
    polish, english = by_address["ewa@example.com"], by_address["emma@example.com"]
    # Ewa has no language: Gdańsk's default, Polish; Emma chose English.
    assert polish.subject == "Zaproszenie na spotkanie"
    assert polish.extra_headers["Content-Language"] == "pl"
    assert "Zapraszamy we wtorek." in polish.body
    assert english.subject == "Invitation to a meeting"
    assert "Join us on Tuesday." in english.body
    assert "<strong>on Tuesday</strong>" in html_of(english)
    assert "<script>" not in html_of(polish)  # the body was sanitised
    assert "Gdańsk" in polish.from_email
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert (campaign.sent_count, campaign.skipped_count) == (2, 0)


def test_a_language_without_text_falls_back_to_the_city_default(
    admin, group, members, committed, outbox
):
    campaign = draft(
        admin,
        audience="group",
        group=group,
        subject={"pl": "Tylko po polsku"},
        body={"pl": "<p>Treść</p>"},
    )
    with committed():
        services.send_campaign(campaign=campaign, by=admin)
    assert {m.subject for m in outbox} == {"Tylko po polsku"}


def test_every_campaign_email_has_a_one_click_unsubscribe_link_and_headers(
    city, admin, group, members, committed, outbox
):
    with committed():
        services.send_campaign(campaign=draft(admin, audience="group", group=group), by=admin)
    message = outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<http://{city.host}/campaigns/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    assert link in message.body
    assert link in html_of(message)


def test_unsubscribed_and_opted_out_people_are_skipped_and_counted(
    admin, group, members, committed, outbox
):
    ewa, emma = members
    set_frequency(user=emma, frequency="none")  # stopped all e-mails
    inactive = person("gone@example.com", is_active=False)
    opted = person("optout@example.com")
    CampaignOptOut.objects.create(user=opted)
    group.members.add(inactive, opted)
    campaign = draft(admin, audience="group", group=group)
    with committed():
        assert services.send_campaign(campaign=campaign, by=admin) == 4
    assert recipients(outbox) == {ewa.email}
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.skipped_count) == (1, 3)
    reasons = dict(Delivery.objects.filter(campaign=campaign).values_list("user__email", "reason"))
    assert reasons == {
        ewa.email: "",
        emma.email: "unsubscribed",
        "gone@example.com": "inactive",
        "optout@example.com": "opted_out",
    }


def test_everyone_means_every_account_of_this_city_only(
    city, other_city, admin, resident, committed, outbox
):
    from ratusz.accounts.models import User
    from ratusz.tenants.context import city_context

    with city_context(other_city.ref):
        User.objects.create_user("homer@springfield.example", "x", full_name="Homer")
    with committed():
        services.send_campaign(campaign=draft(admin), by=admin)
    assert "homer@springfield.example" not in recipients(outbox)
    assert {resident.email, admin.email} <= recipients(outbox)


def test_participants_of_a_project_are_authors_commenters_and_reactors(
    admin, resident, ideation_phase, project, committed, outbox
):
    commenter = person("komentarz@example.com")
    reactor = person("reakcja@example.com")
    person("obok@example.com")  # took no part
    idea = post_idea(author=resident, phase=ideation_phase, title="Ławki", body="<p>Więcej</p>")
    add_comment(author=commenter, idea=idea, body="Tak!")
    react(user=reactor, idea=idea, kind=1)
    outbox.clear()
    with committed():
        services.send_campaign(campaign=draft(admin, audience="project", project=project), by=admin)
    assert recipients(outbox) == {resident.email, commenter.email, reactor.email}


def test_a_campaign_to_an_empty_group_is_refused_with_a_clear_message(admin, group, outbox):
    campaign = draft(admin, audience="group", group=group)
    with pytest.raises(services.CampaignError) as refused:
        services.send_campaign(campaign=campaign, by=admin)
    assert "Rada seniorów" in refused.value.message
    assert "no members" in refused.value.message or "nie ma" in refused.value.message
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT  # still a draft, nothing lost
    assert outbox == []


def test_batches_and_a_retried_task_never_send_twice(
    admin, group, members, outbox, django_capture_on_commit_callbacks
):
    group.members.add(*(person(f"p{n}@example.com") for n in range(3)))
    campaign = draft(admin, audience="group", group=group)
    with django_capture_on_commit_callbacks(execute=False):  # nothing queued: we run batches
        services.send_campaign(campaign=campaign, by=admin)
    first = services.deliver_batch(campaign_id=campaign.pk, batch_size=2)
    assert (first.sent, first.remaining) == (2, 3)
    assert len(outbox) == 2
    # The task goes on where the first batch stopped, and queues the next batch itself.
    assert send_campaign_batch.delay(campaign.pk, 2).result == 2
    assert len(outbox) == 5
    # A retried (or duplicated) task finds nothing left to send.
    assert send_campaign_batch.delay(campaign.pk, 2).result == 0
    assert services.deliver_batch(campaign_id=campaign.pk).sent == 0
    assert len(outbox) == 5
    assert len(recipients(outbox)) == 5
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.sent_count == 5


def test_a_delivery_exists_once_per_person(
    admin, group, members, django_capture_on_commit_callbacks
):
    from django.db import IntegrityError, transaction

    campaign = draft(admin, audience="group", group=group)
    with django_capture_on_commit_callbacks(execute=False):
        services.send_campaign(campaign=campaign, by=admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(campaign=campaign, user=members[0])


def test_a_failing_mail_server_leaves_the_person_pending_for_the_retry(
    admin, group, members, outbox, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = draft(admin, audience="group", group=group)
    with django_capture_on_commit_callbacks(execute=False):
        services.send_campaign(campaign=campaign, by=admin)
    from django.core.mail import EmailMultiAlternatives

    def broken(self, fail_silently=False):
        raise ConnectionError("mail server away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(ConnectionError):
        services.deliver_batch(campaign_id=campaign.pk)
    assert Delivery.objects.filter(campaign=campaign, status=DeliveryStatus.PENDING).count() == 2
    monkeypatch.undo()
    assert services.deliver_batch(campaign_id=campaign.pk).sent == 2
    assert len(outbox) == 2


def test_a_sent_campaign_is_not_sent_or_changed_again(admin, group, members, committed, outbox):
    campaign = draft(admin, audience="group", group=group)
    with committed():
        services.send_campaign(campaign=campaign, by=admin)
    with pytest.raises(services.CampaignError):
        services.send_campaign(campaign=campaign, by=admin)
    with pytest.raises(services.CampaignError):
        services.update_campaign(
            campaign=campaign, subject={"pl": "x"}, body={"pl": "y"}, audience="everyone"
        )
    assert len(outbox) == 2


def test_the_plan_limit_and_feature_are_checked_with_their_message(
    city, admin, group, members, committed, outbox
):
    set_entitlements(city=city.model, limits={"campaigns_per_month": 1})
    forget_entitlements(city.model.pk)
    with committed():
        services.send_campaign(campaign=draft(admin, audience="group", group=group), by=admin)
    assert selectors.campaigns_sent_this_month(city.ref.time_zone) == 1
    second = draft(admin, audience="group", group=group)
    with pytest.raises(LimitReached) as refused:
        services.send_campaign(campaign=second, by=admin)
    assert "1" in refused.value.message
    set_entitlements(city=city.model, features={"email_campaigns": False})
    forget_entitlements(city.model.pk)
    with pytest.raises(FeatureNotAllowed) as not_allowed:
        services.send_campaign(campaign=second, by=admin)
    assert not_allowed.value.message
    second.refresh_from_db()
    assert second.status == CampaignStatus.DRAFT
    assert len(outbox) == 2


def test_a_test_email_goes_to_the_administrator_only(admin, group, members, committed, outbox):
    campaign = draft(admin, audience="group", group=group)
    with committed():
        services.send_test(campaign=campaign, to=admin)
    [message] = outbox
    assert message.to == [admin.email]
    assert "Zaproszenie na spotkanie" in message.subject
    assert "[" in message.subject  # marked as a test
    assert not Delivery.objects.filter(campaign=campaign).exists()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_opting_out_by_token_stops_campaigns_only(city, resident, in_city):
    from ratusz.consultations.campaigns.unsubscribe import make_token
    from ratusz.consultations.participation.notifications.selectors import frequency_of

    services.opt_out(token=make_token(resident.pk))
    assert selectors.is_opted_out(resident)
    assert frequency_of(resident) == "instant"
    with pytest.raises(services.InvalidUnsubscribeLink):
        services.opt_out(token=make_token(resident.pk) + "x")
    with pytest.raises(services.InvalidUnsubscribeLink):
        services.opt_out(token=make_token(resident.pk, replace(city.ref, schema_name="other")))
    # The same schema name in another registry entry: a new city at a removed city's address.
    with pytest.raises(services.InvalidUnsubscribeLink):
        services.opt_out(token=make_token(resident.pk, replace(city.ref, id=city.ref.id + 1)))


# --- placeholders ------------------------------------------------------------------------


def test_placeholders_are_substituted_and_escaped():
    text = '<p>Hello {{ name }}, <a href="{{ link }}">{{idea_title}}</a></p>'
    out = render_placeholders(
        text,
        {"name": "<b>Ann</b>", "link": "https://x.example/?a=1&b=2", "idea_title": "T"},
        html=True,
    )
    assert (
        out == '<p>Hello &lt;b&gt;Ann&lt;/b&gt;, <a href="https://x.example/?a=1&amp;b=2">T</a></p>'
    )
    assert render_placeholders("Hi {{ name }}", {"name": "<b>"}, html=False) == "Hi <b>"


@pytest.mark.parametrize(
    "text",
    [
        "{{ password }}",
        "{{ name|safe }}",
        "{% load static %}",
        "{{ request.user.email }}",
        "{{ name",
    ],
)
def test_unknown_placeholders_and_template_syntax_are_refused(text):
    with pytest.raises(UnknownPlaceholder) as refused:
        check_placeholders(text, ["name", "link"])
    assert "{{ link }}, {{ name }}" in refused.value.message
