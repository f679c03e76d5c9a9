"""City templates: operators save a city's content as a template (never its residents or
their input), new cities start from it, retired templates are no longer offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import Question, Response, SkipRule, Survey
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.methods.voting.models import Candidate
from ratusz.onboarding.city_templates import (
    TemplateRefused,
    apply_template,
    available_templates,
    capture_city_content,
    plans_remark,
    retire_template,
    save_city_as_template,
)
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.selectors import city_ref
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import set_entitlements
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


# --- the templates' participation methods ------------------------------------------------------


def _phases(project: Project) -> list[Phase]:
    return list(project.phases.order_by("starts_at"))


def test_a_plan_without_voting_gets_an_information_phase_in_its_place(control, committed):
    response = control.post(
        "/signup/", wizard_data(template="participatory-budget", plan="starter")
    )
    assert response.status_code == 302
    new = City.objects.get(slug="zielona")
    with city_context(city_ref(new)):
        ideas, checking, vote = _phases(Project.objects.get(slug="participatory-budget"))
        assert [ideas.method, checking.method, vote.method] == [
            "ideation",
            "information",
            "information",
        ]
        # The phase keeps its title and says, in each city language, why it is not a vote.
        assert set(vote.title) == {"pl", "en"}
        assert "not part of this city's plan" in vote.description["en"]
        assert "Voting" in vote.description["en"]
        assert "<em>" in vote.description["pl"]
        assert "voting_mode" not in vote.options and "budget" not in vote.options
        assert not Candidate.objects.exists()


def test_starter_plan_keeps_surveys_and_events(control, committed):
    response = control.post("/signup/", wizard_data(template="urban-planning", plan="starter"))
    assert response.status_code == 302
    with city_context(city_ref(City.objects.get(slug="zielona"))):
        methods = [p.method for p in _phases(Project.objects.get(slug="urban-plan"))]
        assert methods == ["information", "survey", "events"]


def test_a_plan_without_surveys_and_events_makes_information_phases(city, city_admin):
    set_entitlements(city=city.model, features={"surveys": False, "events": False})
    with city_context(city.ref):
        apply_template(code="urban-planning", admin=city_admin, city=city.ref)
        phases = _phases(Project.objects.get(slug="urban-plan"))
        assert [p.method for p in phases] == ["information"] * 3
        assert all("not part of this city's plan" in p.description["en"] for p in phases[1:])
        assert "not part of" not in phases[0].description["en"]
        assert not Survey.objects.exists() and not Event.objects.exists()


def test_the_ballot_takes_the_accepted_ideas_of_the_ideation_phase(city, city_admin, resident):
    with city_context(city.ref):
        apply_template(code="participatory-budget", admin=city_admin, city=city.ref)
        project = Project.objects.get(slug="participatory-budget")
        ideas, _checking, vote = _phases(project)
        now = timezone.now()
        # Open the proposals today, as the city would when it starts.
        ideas = consultations.change_phase(
            phase=ideas,
            method="ideation",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=9),
            title=ideas.title,
            description=ideas.description,
        )
        consultations.publish_project(project=project)
        chosen = ideation.post_idea(
            author=resident, phase=ideas, title="Ławki w parku", body="Więcej ławek."
        )
        ideation.post_idea(author=resident, phase=ideas, title="Fontanna", body="Przy rynku.")
        ideation.change_status(
            staff=city_admin,
            idea=chosen,
            status=IdeaStatus.objects.get(code="eligible"),
            answer="",
        )
        assert voting.import_candidates(phase=vote) == 1
        candidate = Candidate.objects.get(phase=vote)
        # On the ballot, at no cost yet: staff set each idea's cost.
        assert candidate.idea_id == chosen.pk and candidate.cost == 0


def _customise(city, admin: User) -> None:
    """Both method templates in `city`, with settings and a survey the city changed."""
    with city_context(city.ref):
        apply_template(code="participatory-budget", admin=admin, city=city.ref)
        apply_template(code="urban-planning", admin=admin, city=city.ref)
        vote = Phase.objects.get(project__slug="participatory-budget", method="voting")
        consultations.update_phase_settings(
            phase=vote, options={"budget": 250_000, "min_spend": 1_000}, permissions={}
        )
        survey = Survey.objects.get(phase__project__slug="urban-plan")
        first = survey.pages.order_by("position").first()
        assert first is not None
        asked = first.questions.order_by("position").first()
        assert asked is not None
        # Someone who hardly knows the area skips to the end.
        surveys.add_rule(staff=admin, page=first, question=asked, value="c4", target=None)


def test_a_saved_template_reproduces_the_methods(city, city_admin, control, committed, other_city):
    _customise(city, city_admin)
    content = capture_city_content(city=city.ref)
    budget = next(p for p in content["projects"] if p["slug"] == "participatory-budget")
    assert budget["phases"][2]["source_phase"] == 0  # by place, not by id
    assert "source_phase" not in budget["phases"][2]["options"]
    save_city_as_template(city=city.ref, code="moja", name={"en": "Mine", "pl": "Mój"})

    with committed():
        response = control.post("/signup/", wizard_data(template="moja"))
    assert response.status_code == 302
    new = City.objects.get(slug="zielona")
    with city_context(city_ref(new)):
        ideas, _checking, vote = _phases(Project.objects.get(slug="participatory-budget"))
        assert vote.method == "voting"
        assert vote.options["voting_mode"] == "budget"
        assert (vote.options["budget"], vote.options["min_spend"]) == (250_000, 1_000)
        assert vote.options["source_phase"] == ideas.pk
        assert vote.options["source_statuses"] == ["accepted", "eligible"]

        about, consultation, meetings = _phases(Project.objects.get(slug="urban-plan"))
        assert [about.method, consultation.method, meetings.method] == [
            "information",
            "survey",
            "events",
        ]
        survey = Survey.objects.get(phase=consultation)
        pages = list(survey.pages.order_by("position"))
        assert len(pages) == 2
        kinds = [
            q.kind
            for q in Question.objects.filter(survey=survey).order_by("page__position", "position")
        ]
        assert kinds == ["single", "scale", "multiple", "scale", "long_text"]
        rule = SkipRule.objects.get(page__survey=survey)
        assert rule.page_id == pages[0].pk and rule.value == "c4" and rule.to_end
        assert rule.question is not None and rule.question.kind == "single"
        assert set(rule.question.text) == {"pl", "en"}

        event = Event.objects.get(phase=meetings)
        assert set(event.title) == {"pl", "en"} and event.starts_at > timezone.now()
        assert not Response.objects.exists()

    # The source city is untouched, and nothing shows up in a third one.
    with city_context(city.ref):
        assert Survey.objects.count() == 1 and SkipRule.objects.count() == 1
    with city_context(other_city.ref):
        assert not Project.objects.filter(slug__in=["urban-plan", "participatory-budget"]).exists()
        assert not Event.objects.exists()


def test_a_saved_template_with_broken_parts_still_makes_a_city(
    city, city_admin, control, committed
):
    """A saved template naming a method that no longer exists, a source phase that is not
    there, or a rule skipping backwards: the city is made, the broken parts are left out."""
    content = {
        "topics": [],
        "statuses": [],
        "projects": [
            {
                "slug": "stary",
                "title": {"pl": "Stary"},
                "phases": [
                    {
                        "method": "teleport",
                        "title": {"en": "Gone"},
                        "starts_in_days": 14,
                        "days": 7,
                    },
                    {
                        "method": "voting",
                        "title": {"en": "Vote"},
                        "starts_in_days": 21,
                        "days": 7,
                        "options": {"voting_mode": "single"},
                        "source_phase": 7,
                    },
                    {
                        "method": "survey",
                        "title": {"en": "Survey"},
                        "starts_in_days": 28,
                        "days": 7,
                        "survey": {
                            "pages": [
                                {
                                    "title": {"en": "Only"},
                                    "questions": [
                                        {"kind": "short_text", "text": {"en": "Name?"}},
                                    ],
                                    "rules": [{"question": 0, "value": "x", "to_page": 0}],
                                }
                            ]
                        },
                    },
                ],
            }
        ],
        "pages": [],
    }
    CityTemplate.objects.create(code="stary", name={"en": "Old"}, content=content, position=9)
    with committed():
        response = control.post("/signup/", wizard_data(template="stary"))
    assert response.status_code == 302
    with city_context(city_ref(City.objects.get(slug="zielona"))):
        gone, vote, asked = _phases(Project.objects.get(slug="stary"))
        assert gone.method == "information" and "teleport" in gone.description["en"]
        # Texts missing in a city language get the template's other one, to translate.
        assert gone.title == {"pl": "Gone", "en": "Gone"}
        assert vote.method == "voting" and vote.options["source_phase"] is None
        assert vote.options["voting_mode"] == "single"
        assert Question.objects.filter(survey__phase=asked).count() == 1
        assert not SkipRule.objects.exists()


def test_the_wizard_says_which_plans_include_a_templates_methods():
    remark = plans_remark(("ideation", "information", "voting"))
    assert "Standard" in remark and "Premium" in remark and "Starter" not in remark
    # Every plan includes surveys and events: nothing to say.
    assert plans_remark(("information", "survey", "events")) == ""
    choices = {choice.code: choice for choice in available_templates()}
    assert choices["participatory-budget"].remark and not choices["urban-planning"].remark
