"""The city's own switch of each feature: on only when the plan allows it and the city enabled
it; the Features page (administrators only); every place that uses a feature asks both switches;
one city's switches never reach another city."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.campaigns import services as campaigns
from ratusz.consultations.campaigns.models import Campaign, CampaignStatus
from ratusz.consultations.core import services
from ratusz.consultations.core.features import (
    FeatureSwitchedOff,
    UnknownFeature,
    check_feature_on,
    feature_on,
    features_enabled,
    set_features_enabled,
)
from ratusz.consultations.core.models import Phase, PortalSettings, Project
from ratusz.consultations.insight import services as insight
from ratusz.consultations.insight.models import ThemeRun
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import FeatureNotAllowed, forget_entitlements, set_entitlements
from ratusz.tenants.models import Domain
from tests.consultations.conftest import make_project

SWITCHED_OFF = "is switched off for this portal"
NOT_IN_PLAN = "is not part of your plan"


def english(city, user: User | None = None) -> Client:
    client = city.client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def allow(city, **features: bool) -> None:
    """The control plane's switch (the plan), forgotten at once as a commit would."""
    set_entitlements(city=city.model, features=features)
    forget_entitlements(city.model.pk)


@pytest.fixture
def switch(committed):
    """`switch(city, admin, surveys=False)`: the city's own switch, committed (the cached
    switches are forgotten on commit, as in production)."""

    def run(city, admin: User, **enabled: bool) -> None:
        with city_context(city.ref), committed():
            set_features_enabled(admin=admin, enabled=enabled)

    return run


def admin_of(city, email: str = "admin2@example.com") -> User:
    with city_context(city.ref):
        return User.objects.create_user(
            email, "correct horse battery", role=Role.ADMINISTRATOR, is_staff=True
        )


def survey_project(slug: str = "ankieta") -> Project:
    """A published project whose current phase is a survey."""
    project = services.create_project(slug=slug, title={"pl": "Ankieta", "en": "A survey"})
    now = timezone.now()
    services.add_phase(
        project=project,
        method="survey",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        title={"pl": "Ankieta o parku", "en": "Survey about the park"},
    )
    services.publish_project(project=project)
    return project


# --- both switches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allowed", "enabled", "on"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_a_feature_is_on_only_when_allowed_and_enabled(
    city, city_admin, switch, allowed, enabled, on
):
    allow(city, surveys=allowed)
    switch(city, city_admin, surveys=enabled)
    with city_context(city.ref):
        assert feature_on("surveys") is on
        assert feature_on("polls") is True  # the other features are untouched
        if on:
            check_feature_on("surveys")
        else:
            with pytest.raises(FeatureNotAllowed) as refused:
                check_feature_on("surveys")
            # Outside the plan the plan's message wins: switching on here would not help.
            expected = NOT_IN_PLAN if not allowed else SWITCHED_OFF
            assert expected in refused.value.message
            assert isinstance(refused.value, FeatureSwitchedOff) is allowed
            assert refused.value.message.startswith("Surveys ")


def test_a_city_that_never_switched_anything_keeps_every_feature(city, in_city):
    assert PortalSettings.objects.get().features_enabled == {}
    assert features_enabled() == {}
    assert all(
        feature_on(key)
        for key in ("surveys", "polls", "voting", "email_campaigns", "insight", "custom_domain")
    )


def test_switching_changes_only_the_features_given(city, city_admin, switch):
    switch(city, city_admin, surveys=False, polls=False)
    switch(city, city_admin, polls=True)
    with city_context(city.ref):
        assert PortalSettings.objects.get().features_enabled == {"surveys": False, "polls": True}
        assert not feature_on("surveys")
        assert feature_on("polls")


def test_only_administrators_switch_features(city, manager, in_city):
    with pytest.raises(PermissionDenied):
        set_features_enabled(admin=manager, enabled={"surveys": False})
    assert PortalSettings.objects.get().features_enabled == {}


def test_an_unknown_feature_is_refused_and_nothing_is_saved(city, city_admin, switch, in_city):
    switch(city, city_admin, polls=False)
    with pytest.raises(UnknownFeature) as refused:
        set_features_enabled(admin=city_admin, enabled={"surveys": False, "teleport": True})
    assert "teleport" in refused.value.message
    assert PortalSettings.objects.get().features_enabled == {"polls": False}


def test_switching_off_in_one_city_leaves_the_other_alone(city, other_city, city_admin, switch):
    switch(city, city_admin, surveys=False, email_campaigns=False)
    with city_context(other_city.ref):
        assert feature_on("surveys") and feature_on("email_campaigns")
        assert PortalSettings.objects.get().features_enabled == {}
    springfield_admin = admin_of(other_city)
    switch(other_city, springfield_admin, polls=False)
    with city_context(city.ref):
        assert feature_on("polls")
        assert not feature_on("surveys")
    page = english(other_city, springfield_admin).get("/admin/features/").content.decode()
    assert 'name="surveys" id="id_surveys" checked' in page
    assert 'name="polls" id="id_polls" aria' in page  # not checked


# --- the Features page ------------------------------------------------------------------------


def test_the_administrator_sees_both_switches(city, city_admin):
    allow(city, voting=False)
    client = english(city, city_admin)
    page = client.get("/admin/features/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<legend>Included in your plan</legend>" in html
    assert '<label for="id_surveys">Surveys</label>' in html
    assert 'name="surveys" id="id_surveys" checked' in html
    # Outside the plan: no checkbox, the plan's message and the way to billing.
    assert 'name="voting"' not in html
    assert "Voting and participatory budgets is not part of your plan" in html
    assert 'href="/admin/billing/"' in html
    assert 'href="/admin/features/" aria-current="page"' in html  # in the navigation


def test_the_administrator_saves_the_switches(city, city_admin, committed):
    allow(city, voting=False)
    with city_context(city.ref):
        set_features_enabled(admin=city_admin, enabled={"voting": False})
    client = english(city, city_admin)
    ticked = {"surveys": "on", "email_campaigns": "on", "insight": "on", "custom_domain": "on"}
    with committed():
        # Polls, proposals, events and volunteering unticked; voting (outside the plan) posted
        # but ignored, as is a key nobody knows.
        response = client.post("/admin/features/", {**ticked, "voting": "on", "teleport": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/features/"
    with city_context(city.ref):
        stored = PortalSettings.objects.get().features_enabled
        assert "teleport" not in stored
        assert stored["voting"] is False  # the city's earlier choice is kept
        assert stored["polls"] is False and stored["surveys"] is True
        assert not feature_on("polls")
        assert feature_on("surveys")
    page = client.get("/admin/features/").content.decode()
    assert "The features are saved." in page
    assert 'name="polls" id="id_polls" checked' not in page
    assert "Now: switched off." in page


def test_staff_who_are_not_administrators_and_residents_are_refused(city, manager, resident):
    assert english(city, manager).get("/admin/features/").status_code == 403
    assert english(city, manager).post("/admin/features/", {}).status_code == 403
    assert english(city, resident).get("/admin/features/").status_code == 403
    visitor = english(city).get("/admin/features/")
    assert visitor.status_code == 302 and visitor["Location"].startswith("/accounts/login/")
    home = english(city, manager).get("/admin/").content.decode()
    assert "/admin/features/" not in home
    with city_context(city.ref):
        assert PortalSettings.objects.get().features_enabled == {}


def test_partner_consultants_do_not_switch_the_citys_features(city):
    with city_context(city.ref):
        partner = User.objects.create_user(
            "konsultant@partner.example", "correct horse battery", role=Role.PARTNER, is_staff=True
        )
    client = english(city, partner)
    assert client.get("/admin/site/").status_code == 200  # other administrators' pages open
    assert client.get("/admin/features/").status_code == 403
    assert client.post("/admin/features/", {}).status_code == 403
    assert "/admin/features/" not in client.get("/admin/").content.decode()


# --- where features are used --------------------------------------------------------------------


def test_a_switched_off_method_is_not_offered_and_refused_when_posted(
    city, city_admin, switch, committed
):
    with city_context(city.ref):
        services.create_project(slug="plan", title={"pl": "Plan"})
    client = english(city, city_admin)
    assert 'value="survey"' in client.get("/admin/projects/plan/timeline/").content.decode()
    switch(city, city_admin, surveys=False)
    timeline = client.get("/admin/projects/plan/timeline/").content.decode()
    assert 'value="survey"' not in timeline
    assert 'value="poll"' in timeline or 'value="ideation"' in timeline
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    response = client.post(
        "/admin/projects/plan/phases/new/",
        {"title_pl": "Ankieta", "method": "survey", "starts_at": local(start)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Surveys is switched off for this portal." in html
    assert "under Features in the back office" in html
    with city_context(city.ref):
        assert not Phase.objects.filter(project__slug="plan").exists()


def test_a_method_outside_the_plan_posted_anyway_gets_the_plans_reason(city, city_admin):
    with city_context(city.ref):
        services.create_project(slug="plan", title={"pl": "Plan"})
    allow(city, surveys=False)
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    response = english(city, city_admin).post(
        "/admin/projects/plan/phases/new/",
        {"title_pl": "Ankieta", "method": "survey", "starts_at": local(start)},
    )
    assert response.status_code == 400
    assert "Surveys is not part of your plan" in response.content.decode()


def test_phases_made_before_switching_off_stay_and_residents_see_a_notice(city, city_admin, switch):
    with city_context(city.ref):
        project = survey_project()
    before = english(city).get("/projects/ankieta/").content.decode()
    assert 'class="method-panel"' in before
    switch(city, city_admin, surveys=False)
    after = english(city).get("/projects/ankieta/")
    html = after.content.decode()
    assert after.status_code == 200
    assert 'class="method-panel"' not in html
    assert "not available on this portal at the moment" in html
    assert "Survey about the park" in html  # the phase is still on the timeline
    with city_context(city.ref):
        assert project.phases.filter(method="survey").count() == 1
    # Its edit form keeps the phase's own method on offer.
    with city_context(city.ref):
        phase = project.phases.get()
    edit = english(city, city_admin).get(f"/admin/projects/ankieta/phases/{phase.pk}/")
    assert 'value="survey" selected' in edit.content.decode()


def test_a_campaign_is_not_sent_when_campaigns_are_switched_off(city, city_admin, switch):
    switch(city, city_admin, email_campaigns=False)
    with city_context(city.ref):
        campaign = campaigns.create_campaign(
            author=city_admin,
            subject={"pl": "Zaproszenie"},
            body={"pl": "<p>Zapraszamy.</p>"},
            audience="everyone",
        )
        with pytest.raises(FeatureSwitchedOff) as refused:
            campaigns.send_campaign(campaign=campaign, by=city_admin)
        assert "E-mail campaigns is switched off for this portal" in refused.value.message
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.DRAFT
    response = english(city, city_admin).post(f"/admin/campaigns/{campaign.pk}/send/", follow=True)
    assert "E-mail campaigns is switched off for this portal" in response.content.decode()
    with city_context(city.ref):
        assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_themes_are_refused_when_switched_off(city, city_admin, switch):
    switch(city, city_admin, insight=False)
    with city_context(city.ref):
        project = make_project()
        with pytest.raises(FeatureSwitchedOff) as refused:
            insight.request_analysis(project=project, by=city_admin)
        assert "Themes in what people said is switched off" in refused.value.message
    response = english(city, city_admin).post("/admin/themes/park/run/", follow=True)
    assert "Themes in what people said is switched off" in response.content.decode()
    with city_context(city.ref):
        assert not ThemeRun.objects.exists()


def test_a_custom_domain_is_refused_when_switched_off(city, city_admin, switch):
    switch(city, city_admin, custom_domain=False)
    client = english(city, city_admin)
    html = client.get("/admin/site/domain/").content.decode()
    assert "Custom domain is switched off for this portal" in html
    response = client.post("/admin/site/domain/", {"domain": "konsultacje.gdansk.pl"})
    assert response.status_code == 400
    assert not Domain.objects.filter(domain="konsultacje.gdansk.pl").exists()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_residents_cannot_take_part_in_a_switched_off_method_even_by_its_address(
    city, city_admin, resident, switch, in_city
):
    from ratusz.consultations.core.registry import Action
    from ratusz.consultations.core.rules import can_act

    project = survey_project()
    phase = project.phases.get()
    assert can_act(resident, phase, Action.ANSWER).allowed
    switch(city, city_admin, surveys=False)
    with city_context(city.ref):
        decision = can_act(resident, phase, Action.ANSWER)
        assert (decision.allowed, decision.code) == (False, "feature_off")
        # Nor can staff add another phase of it: the service says why.
        with pytest.raises(services.TimelineRefused, match="switched off"):
            services.add_phase(
                project=project,
                method="survey",
                starts_at=timezone.now() + timedelta(days=20),
                ends_at=timezone.now() + timedelta(days=30),
                title={"pl": "Druga ankieta"},
            )
    response = english(city, resident).post(f"/surveys/{phase.pk}/", {})
    assert response.status_code in (403, 404)
