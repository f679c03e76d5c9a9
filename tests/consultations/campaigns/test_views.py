"""Campaign pages: administrators only, drafting with clear errors, preview, test e-mail,
sending, the automatic e-mails editor, and the public one-click unsubscribe page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratusz.accounts.models import Role
from ratusz.consultations.campaigns.models import Campaign, CampaignStatus, EmailTemplate
from ratusz.consultations.campaigns.unsubscribe import make_token
from ratusz.tenants.context import city_context
from tests.consultations.campaigns.conftest import draft
from tests.consultations.participation.notifications.conftest import client_for, person

URLCONF = "ratusz.urls_city"


def url(name: str, *args: object) -> str:
    return reverse(f"backoffice:{name}", args=args, urlconf=URLCONF)


def valid_post(**overrides: str) -> dict[str, str]:
    data = {
        "audience": "everyone",
        "subject_pl": "Spotkanie",
        "body_pl": "<p>Zapraszamy</p>",
        "subject_en": "",
        "body_en": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["campaigns", "campaign-create", "campaign-templates"])
def test_residents_and_project_managers_get_403(city, resident, manager, name):
    assert client_for(city, resident).get(url(name)).status_code == 403
    assert client_for(city, manager).get(url(name)).status_code == 403
    anonymous = client_for(city).get(url(name))
    assert anonymous.status_code == 302


def test_a_resident_cannot_send_a_campaign(city, admin, resident, members, group, outbox):
    campaign = draft(admin, audience="group", group=group)
    response = client_for(city, resident).post(url("campaign-send", campaign.pk))
    assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_an_administrator_drafts_previews_and_sends(city, admin, group, members, outbox):
    client = client_for(city, admin)
    assert client.get(url("campaigns")).status_code == 200
    assert client.get(url("campaign-templates")).status_code == 200
    assert client.get(url("campaign-create")).status_code == 200
    response = client.post(
        url("campaign-create"), valid_post(audience="group", group=str(group.pk))
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "campaign-detail", campaign.pk
    )
    page = client.get(url("campaign-detail", campaign.pk))
    assert page.status_code == 200
    assert "Zapraszamy" in page.content.decode()
    assert "Spotkanie" in page.content.decode()
    response = client.post(url("campaign-send", campaign.pk), follow=True)
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status != CampaignStatus.DRAFT


def test_empty_subject_shows_a_clear_error_and_saves_nothing(city, admin):
    response = client_for(city, admin).post(url("campaign-create"), valid_post(subject_pl=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Write a subject in Polish." in content
    assert 'href="#id_subject_pl"' in content  # listed in the summary, linked to the field
    assert "Zapraszamy" in content  # what was typed is kept
    assert not Campaign.objects.exists()


def test_group_audience_without_a_group_is_refused(city, admin):
    response = client_for(city, admin).post(url("campaign-create"), valid_post(audience="group"))
    assert "Choose the group to write to." in response.content.decode()
    assert not Campaign.objects.exists()


def test_sending_to_an_empty_group_shows_why(city, admin, group, outbox):
    campaign = draft(admin, audience="group", group=group)
    response = client_for(city, admin).post(url("campaign-send", campaign.pk), follow=True)
    assert "has no members" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT
    assert outbox == []


def test_the_limit_message_is_shown(city, admin, group, members, outbox):
    from ratusz.tenants.entitlements import forget_entitlements, set_entitlements

    set_entitlements(city=city.model, limits={"campaigns_per_month": 0})
    forget_entitlements(city.model.pk)
    campaign = draft(admin, audience="group", group=group)
    response = client_for(city, admin).post(url("campaign-send", campaign.pk), follow=True)
    assert "Billing" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_a_sent_campaign_cannot_be_edited(city, admin):
    campaign = draft(admin)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)
    response = client_for(city, admin).post(url("campaign-edit", campaign.pk), valid_post())
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).subject["pl"] == "Zaproszenie na spotkanie"


def test_the_automatic_email_editor_refuses_unknown_placeholders(city, admin):
    client = client_for(city, admin)
    page = client.get(url("campaign-template-edit", "status_changed"))
    assert page.status_code == 200
    assert "{{ idea_title }}" in page.content.decode()  # starts from the built-in wording
    response = client.post(
        url("campaign-template-edit", "status_changed"),
        valid_post(subject_pl="{{ idea_title }}", body_pl="<p>{{ secret }}</p>"),
    )
    assert response.status_code == 200
    assert "“{{ secret }}” is not a placeholder this e-mail knows" in response.content.decode()
    assert not EmailTemplate.objects.exists()
    response = client.post(
        url("campaign-template-edit", "status_changed"),
        valid_post(subject_pl="{{ idea_title }}", body_pl="<p>{{ status }}</p>"),
    )
    assert response.status_code == 302
    assert EmailTemplate.objects.get().subject == {"pl": "{{ idea_title }}"}
    assert client.get(url("campaign-template-edit", "nonsense")).status_code == 404


def test_the_one_click_unsubscribe_page(city, resident, in_city):
    client = client_for(city)
    token = make_token(resident.pk)
    address = reverse("campaigns:unsubscribe", args=[token], urlconf=URLCONF)
    assert address.startswith("/campaigns/")  # public, not under the back office
    assert client.get(address).status_code == 200
    assert client.post(address).status_code == 200
    from ratusz.consultations.campaigns.selectors import is_opted_out

    assert is_opted_out(resident)
    assert (
        client.post(
            reverse("campaigns:unsubscribe", args=[token + "x"], urlconf=URLCONF)
        ).status_code
        == 400
    )


def test_an_unsubscribe_link_of_one_city_does_nothing_in_another(city, other_city, resident):
    with city_context(city.ref):
        token = make_token(resident.pk)
    with city_context(other_city.ref):
        twin = person("twin@example.com")
        assert twin.pk  # an account of Springfield, maybe with the same id
    response = client_for(other_city).post(
        reverse("campaigns:unsubscribe", args=[token], urlconf=URLCONF)
    )
    assert response.status_code == 400


def test_city_b_staff_never_see_city_a_campaigns(city, other_city, admin):
    campaign = draft(admin)
    with city_context(other_city.ref):
        other_admin = person("boss@springfield.example", role=Role.ADMINISTRATOR, is_staff=True)
    client = client_for(other_city, other_admin)
    assert client.get(url("campaign-detail", campaign.pk)).status_code == 404
    assert "Zaproszenie" not in client.get(url("campaigns")).content.decode()
