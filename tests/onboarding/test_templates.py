"""City templates: operators save a city's content as a template (never its residents or
their input), new cities start from it, retired templates are no longer offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations import services as consultations
from ratusz.consultations.ideation import services as ideation
from ratusz.consultations.ideation.models import Idea
from ratusz.consultations.models import Project
from ratusz.onboarding.city_templates import (
    TemplateRefused,
    available_templates,
    capture_city_content,
    retire_template,
    save_city_as_template,
)
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.selectors import city_ref
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City
from tests.onboarding.conftest import wizard_data

pytestmark = pytest.mark.django_db


def _fill(city) -> None:
    with city_context(city.ref):
        project = consultations.create_project(slug="rowery", title={"pl": "Rowery", "en": "Bikes"})
        now = timezone.now()
        phase = consultations.add_phase(
            project=project,
            method="ideation",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=9),
            title={"pl": "Pomysły"},
        )
        consultations.publish_project(project=project)
        author = User.objects.create_user("anna@example.com", "x" * 12, full_name="Anna")
        ideation.post_idea(
            author=author, phase=phase, title="Stojaki przy szkole", body="Proszę o stojaki."
        )


def test_save_city_as_template_keeps_content_not_residents(city):
    _fill(city)
    content = capture_city_content(city=city.ref)
    assert [p["slug"] for p in content["projects"]] == ["rowery"]
    assert content["projects"][0]["phases"][0]["method"] == "ideation"
    text = str(content)
    assert "anna@example.com" not in text and "Stojaki" not in text and "Anna" not in text
    template = save_city_as_template(
        city=city.ref, code="rowerowa", name={"en": "Bike city", "pl": "Rowerowe miasto"}
    )
    assert template.source_city_id == city.model.pk
    assert "rowerowa" in [choice.code for choice in available_templates()]


def test_new_city_starts_from_a_saved_template(city, control, committed):
    _fill(city)
    save_city_as_template(city=city.ref, code="rowerowa", name={"en": "Bike city"})
    with committed():
        response = control.post("/signup/", wizard_data(template="rowerowa"))
    assert response.status_code == 302
    new = City.objects.get(slug="zielona")
    with city_context(city_ref(new)):
        project = Project.objects.get(slug="rowery")
        assert project.status == "draft"  # published in the source city, a draft here
        assert project.phases.count() == 1
        assert not Idea.objects.exists()
        assert User.objects.filter(email="anna@example.com").count() == 0


def test_template_codes_are_unique_and_builtins_reserved(city):
    save_city_as_template(city=city.ref, code="moja", name={"en": "Mine"})
    with pytest.raises(TemplateRefused):
        save_city_as_template(city=city.ref, code="moja", name={"en": "Again"})
    with pytest.raises(TemplateRefused):
        save_city_as_template(city=city.ref, code="idea-box", name={"en": "Clash"})


def test_retired_templates_are_no_longer_offered(city, control, committed):
    save_city_as_template(city=city.ref, code="moja", name={"en": "Mine"})
    retire_template(code="moja")
    retire_template(code="urban-planning")
    codes = [choice.code for choice in available_templates()]
    assert "moja" not in codes and "urban-planning" not in codes and "idea-box" in codes
    assert CityTemplate.objects.get(code="urban-planning").retired_at is not None
    with committed():
        response = control.post("/signup/", wizard_data(template="urban-planning"))
    assert response.status_code == 400
    assert not City.objects.filter(slug="zielona").exists()
    with pytest.raises(TemplateRefused):
        retire_template(code="never-existed")


def test_templates_are_written_in_the_citys_languages(control, committed):
    with committed():
        control.post(
            "/signup/", wizard_data(languages=["en"], default_language="en", template="idea-box")
        )
    new = City.objects.get(slug="zielona")
    with city_context(city_ref(new)):
        project = Project.objects.get(slug="idea-box")
        assert project.title == {"en": "Idea box"}
