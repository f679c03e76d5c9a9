"""A resident answers a survey in a real browser: a required question left out is explained,
a skip rule jumps over a page, the draft survives, and axe-core finds no serious or critical
problem on the way."""

from __future__ import annotations

import pytest

from ratusz.accounts.models import Role, User
from ratusz.consultations.methods.surveys.models import Response
from ratusz.tenants.context import city_context
from tests.consultations.methods.surveys.conftest import build_survey, make_survey_phase
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def test_a_resident_answers_a_survey_with_skip_logic(make_city, live_server_url, page):
    city = make_city(name="Gdynia", slug="gdynia-survey", languages=["pl", "en"])
    with city_context(city.ref):
        staff = User.objects.create_user(
            "urzad@gdynia.example", "Haslo-Urzednika-1", role=Role.ADMINISTRATOR, is_staff=True
        )
        phase = make_survey_phase("rowery", allow_without_account=True)
        survey = build_survey(staff, phase)
        survey.intro = {"pl": "Powiedz nam, jak jeździsz po mieście."}
        survey.save()
    base = live_server_url.format(host=city.host)

    page.goto(f"{base}/projects/rowery/")
    accessible(page, "project with the survey panel")
    page.click(f"a[href='/surveys/{phase.pk}/']")
    page.wait_for_load_state()
    assert "Do you cycle?" in page.content()
    accessible(page, "survey page 1")

    # The required question is left out: the message says so, the other answer stays.
    page.fill("input[type=text]", "Orłowo")
    page.click("button[name=next]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("input[type=text]").input_value() == "Orłowo"
    accessible(page, "survey page 1 with errors")
    screenshot(page, "survey-errors")

    # "No" skips the cycling questions: the next page is the third.
    page.check("input[type=radio][value=c2]")
    page.click("button[name=next]")
    page.wait_for_load_state()
    assert "Your age" in page.content()
    assert "How safe do you feel?" not in page.content()
    accessible(page, "survey page 3")
    page.fill("input[type=number]", "52")
    page.click("button[name=next]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/surveys/{phase.pk}/thanks/")
    accessible(page, "thank-you page")

    with city_context(city.ref):
        response = Response.objects.get(survey=survey)
        assert response.submitted_at is not None
        assert response.user is None
        assert sorted(map(str, response.answers.values())) == ["52", "Orłowo", "{'choice': 'c2'}"]


def test_a_resident_outlines_an_area_on_the_map(make_city, live_server_url, page):
    from ratusz.consultations.methods.surveys import services

    city = make_city(name="Sopot", slug="sopot-area", languages=["pl", "en"])
    with city_context(city.ref):
        staff = User.objects.create_user(
            "urzad@sopot.example", "Haslo-Urzednika-1", role=Role.ADMINISTRATOR, is_staff=True
        )
        phase = make_survey_phase("park", allow_without_account=True)
        survey = services.ensure_survey(phase=phase)
        area = services.save_question(
            staff=staff,
            survey=survey,
            page=survey.pages.get(),
            kind="area",
            text={"pl": "Gdzie park?", "en": "Where should the park be?"},
            help_text={},
            required=True,
            config={},
        )
    base = live_server_url.format(host=city.host)

    page.goto(f"{base}/surveys/{phase.pk}/")
    field = page.locator(f"textarea[name=q{area.pk}]")
    box = page.locator(".area-picker .leaflet-container").bounding_box()
    assert box is not None
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    assert len(field.input_value().splitlines()) == 4
    assert page.locator(".area-picker path.leaflet-interactive").count() >= 1
    # The first of the picker's buttons takes back the last point.
    page.locator(".area-picker-tools button").first.click()
    assert len(field.input_value().splitlines()) == 3
    accessible(page, "survey page with the area picker")
    page.click("button[name=next]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/surveys/{phase.pk}/thanks/")
    with city_context(city.ref):
        stored = Response.objects.get(survey=survey).answers[str(area.pk)]
    assert len(stored["points"]) == 3
