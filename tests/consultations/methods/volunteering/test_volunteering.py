"""Volunteering: causes, signing up and cancelling, counts, the staff export, isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services as project_services
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.volunteering import services
from ratusz.consultations.methods.volunteering.models import Cause, SignUp
from ratusz.tenants.context import city_context
from tests.consultations.test_pages import english


def make_phase(slug: str = "sprzatanie") -> Phase:
    project = project_services.create_project(
        slug=slug, title={"pl": "Sprzątanie", "en": "Clean-up"}
    )
    now = timezone.now()
    phase = project_services.add_phase(
        project=project, method="volunteering", starts_at=now - timedelta(days=1), ends_at=None
    )
    project_services.publish_project(project=project)
    return phase


@pytest.fixture
def cause(in_city) -> Cause:
    return services.add_cause(
        phase=make_phase(),
        title={"pl": "Sprzątanie plaży", "en": "Beach clean-up"},
        description={"pl": "<p>Worki dajemy</p>"},
        needed=1,
    )


def test_sign_up_once_until_the_cause_is_full_and_cancel(cause, resident):
    services.sign_up(user=resident, cause=cause)
    with pytest.raises(services.Refused, match="already signed up"):
        services.sign_up(user=resident, cause=cause)
    other = User.objects.create_user("inny@example.com", "correct horse battery")
    with pytest.raises(services.Refused, match="all the volunteers it needs"):
        services.sign_up(user=other, cause=cause)
    services.cancel_sign_up(user=resident, cause=cause)
    services.sign_up(user=other, cause=cause)
    assert list(SignUp.objects.values_list("user_id", flat=True)) == [other.pk]
    with pytest.raises(services.Refused, match="not signed up"):
        services.cancel_sign_up(user=resident, cause=cause)


def test_permission_messages_come_from_can_act(cause, resident):
    cause.phase.permissions = {"volunteer": {"who": "verified"}}
    cause.phase.save()
    with pytest.raises(services.NotAllowed) as refused:
        services.sign_up(user=resident, cause=cause)
    assert refused.value.decision.code == "not_verified"


def test_pages_counts_export_and_permissions(city, cause, resident, city_admin, manager):
    client = english(city, resident)
    project_page = client.get("/projects/sprzatanie/").content.decode()
    assert "0 of 1 volunteers signed up" in project_page
    # The English title, and the Polish description the city wrote in its default language only.
    assert "Beach clean-up" in project_page and "Worki dajemy" in project_page
    page = client.post(f"/volunteering/causes/{cause.pk}/sign-up/", follow=True).content.decode()
    assert "You signed up for “Beach clean-up”" in page and "1 of 1 volunteers signed up" in page
    admin = english(city, city_admin)
    csv = admin.get(f"/admin/volunteering/phase/{cause.phase_id}/volunteers.csv").content.decode(
        "utf-8-sig"
    )
    # In the language of the person downloading it (English), else the default one.
    assert "Beach clean-up,Anna Nowak,mieszkanka@example.com" in csv
    bad = admin.post(
        f"/admin/volunteering/phase/{cause.phase_id}/", {"title_pl": "Więcej", "needed": "0"}
    )
    assert bad.status_code == 400 and 'value="Więcej"' in bad.content.decode()
    untitled = admin.post(
        f"/admin/volunteering/phase/{cause.phase_id}/", {"title_en": "More", "needed": "2"}
    )
    # The city's default language (Polish) is the one a title must have.
    assert untitled.status_code == 400 and 'value="More"' in untitled.content.decode()
    assert 'name="title_pl"' in untitled.content.decode()
    good = admin.post(
        f"/admin/volunteering/phase/{cause.phase_id}/",
        {"title_pl": "Sadzenie drzew", "title_en": "Tree planting", "needed": "5"},
    )
    assert good.status_code == 302
    with city_context(city.ref):
        added = Cause.objects.get(title__pl="Sadzenie drzew")
        assert added.title == {"pl": "Sadzenie drzew", "en": "Tree planting"}
        assert added.description == {}
    assert client.get(f"/admin/volunteering/phase/{cause.phase_id}/").status_code == 403
    # `manager` manages another project.
    assert (
        english(city, manager).get(f"/admin/volunteering/phase/{cause.phase_id}/").status_code
        == 404
    )


def test_one_citys_sign_ups_never_reach_another(city, other_city, cause, resident):
    with city_context(city.ref):
        services.sign_up(user=resident, cause=cause)
    assert english(other_city).post(f"/volunteering/causes/{cause.pk}/sign-up/").status_code == 404
    with city_context(other_city.ref):
        assert not Cause.objects.exists() and not SignUp.objects.exists()
