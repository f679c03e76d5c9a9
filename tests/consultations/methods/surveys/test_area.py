"""The "area on a map" question: answering with a polygon (through the service, and through the
page without JavaScript), each kind of bad input refused with its own message while the other
answers are kept, and the areas in the staff results and the exports."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.exports import SURVEY_DATASET, survey_table
from ratusz.consultations.methods.surveys.forms import AnswerForm
from ratusz.consultations.methods.surveys.kinds.geometry import parse_area
from ratusz.consultations.methods.surveys.models import Question, QuestionKind, Response, Survey
from ratusz.consultations.methods.surveys.services import Refused, Respondent
from ratusz.consultations.reports.registry import Scope
from ratusz.tenants.context import city_context
from tests.consultations.methods.surveys.conftest import english, make_survey_phase

PARK = [[54.35, 18.64], [54.36, 18.64], [54.36, 18.66], [54.35, 18.66]]
PARK_TEXT = "54.35, 18.64\n54.36, 18.64\n54.36, 18.66\n54.35, 18.66"
PARK_WKT = "POLYGON((18.64 54.35, 18.64 54.36, 18.66 54.36, 18.66 54.35, 18.64 54.35))"


def _ask(staff: User, survey: Survey, kind: str, text: str, required: bool = False) -> Question:
    return services.save_question(
        staff=staff,
        survey=survey,
        page=survey.pages.get(),
        kind=kind,
        text={"en": text, "pl": text},
        help_text={},
        required=required,
        config={},
    )


@pytest.fixture
def area_phase(in_city) -> Phase:
    return make_survey_phase("zielen")


@pytest.fixture
def area_survey(city_admin, area_phase) -> Survey:
    """One page: the area (required) and a short text."""
    survey = services.ensure_survey(phase=area_phase)
    _ask(city_admin, survey, QuestionKind.AREA, "Where should the new park be?", required=True)
    _ask(city_admin, survey, QuestionKind.SHORT_TEXT, "Your district")
    return survey


def _area(survey: Survey) -> Question:
    return survey.questions.get(kind=QuestionKind.AREA)


def _district(survey: Survey) -> Question:
    return survey.questions.get(kind=QuestionKind.SHORT_TEXT)


# --- the service ---------------------------------------------------------------------------


def test_a_polygon_is_stored_through_the_service(area_survey, resident):
    area = _area(area_survey)
    response, following = services.answer_page(
        survey=area_survey,
        respondent=Respondent(user=resident),
        page=area_survey.pages.get(),
        answers={area.pk: {"points": PARK}},
    )
    assert following is None and response.submitted_at is not None
    response.refresh_from_db()
    assert response.answers == {str(area.pk): {"points": PARK}}


@pytest.mark.parametrize(
    "bad",
    [
        {"points": PARK[:2]},  # too few
        {"points": [[54.35, 18.64]] * 51},  # too many
        {"points": [[54.35, 18.64], [54.35, 18.64], [54.36, 18.66]]},  # two distinct only
        {"points": [[95.0, 18.64], [54.36, 18.64], [54.36, 18.66]]},  # out of range
        {"points": [["54.35", "18.64"], [54.36, 18.64], [54.36, 18.66]]},  # not numbers
        [[54.35, 18.64], [54.36, 18.64], [54.36, 18.66]],  # not the stored shape
    ],
)
def test_the_service_refuses_what_is_not_a_polygon_and_saves_nothing(area_survey, resident, bad):
    with pytest.raises(Refused, match="not a polygon of 3 to 50 points"):
        services.answer_page(
            survey=area_survey,
            respondent=Respondent(user=resident),
            page=area_survey.pages.get(),
            answers={_area(area_survey).pk: bad, _district(area_survey).pk: "Oliwa"},
        )
    assert not Response.objects.filter(survey=area_survey).exists()


# --- the form ------------------------------------------------------------------------------


def test_typed_lines_become_points_in_several_notations():
    assert parse_area(PARK_TEXT) == PARK
    # Spaces or semicolons between the numbers, a decimal comma with a semicolon, blank
    # lines, and a closed ring (the first point repeated at the end) all read the same.
    typed = "54.35 18.64\n\n54.36;18.64\n54,36; 18,66\n54.35, 18.66\n54.35, 18.64\n"
    assert parse_area(typed) == PARK
    assert parse_area("  \n ") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("54.35, 18.64\n54.36, 18.64", "An area needs at least 3 points; you gave 2."),
        (
            "54.35, 18.64\nsomewhere in Oliwa\n54.36, 18.66",
            "Line 2 (“somewhere in Oliwa”) is not two numbers",
        ),
        ("54.35, 18.64\n54.36, 18.64\n54.36, 200", "Line 3 is out of range"),
        ("54.35, 18.64\n54.35, 18.64\n54.36, 18.66", "at least 3 different points"),
        (
            "\n".join(f"54.{n:02d}, 18.{n:02d}" for n in range(51)),
            "An area can have at most 50 points; you gave 51.",
        ),
    ],
)
def test_each_bad_input_has_its_own_message(area_survey, text, message):
    area = _area(area_survey)
    form = AnswerForm(
        {f"q{area.pk}": text, f"q{_district(area_survey).pk}": "Oliwa"},
        questions=list(area_survey.questions.all()),
        language="en",
    )
    assert not form.is_valid()
    assert any(message in error for error in form.question_errors(area))
    # The other answer on the page is still taken.
    assert form.answers == {_district(area_survey).pk: "Oliwa"}


# --- the page, without JavaScript ----------------------------------------------------------


def test_a_resident_answers_with_the_textarea(city, area_survey, resident):
    area, page_pk = _area(area_survey), area_survey.pages.get().pk
    client = english(city, resident)
    url = f"/surveys/{area_survey.phase_id}/"
    page = client.get(url).content.decode()
    assert f'<textarea name="q{area.pk}"' in page
    assert "area-picker.js" in page and "leaflet.js" in page
    assert "Undo the last point" in page and "Clear the area" in page
    sent = client.post(
        url,
        {"page": str(page_pk), f"q{area.pk}": PARK_TEXT, "next": "1"},
    )
    assert sent.status_code == 302
    assert sent["Location"] == f"/surveys/{area_survey.phase_id}/thanks/"
    with city_context(city.ref):
        response = Response.objects.get(survey=area_survey)
    assert response.answers[str(area.pk)] == {"points": PARK}
    assert response.submitted_at is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("54.35, 18.64\n54.36, 18.64", "An area needs at least 3 points; you gave 2."),
        ("54.35, 18.64\n54.36 N, 18.64 E\n54.36, 18.66", "Line 2 (“54.36 N, 18.64 E”)"),
        ("54.35, 18.64\n-91, 18.64\n54.36, 18.66", "Line 2 is out of range"),
        ("", "Outline the area: click at least 3 points on the map, or type them."),
    ],
)
def test_bad_areas_are_explained_and_the_other_answers_kept(
    city, area_survey, resident, text, message
):
    area, district = _area(area_survey), _district(area_survey)
    page_pk = area_survey.pages.get().pk
    client = english(city, resident)
    url = f"/surveys/{area_survey.phase_id}/"
    refused = client.post(
        url,
        {
            "page": str(page_pk),
            f"q{area.pk}": text,
            f"q{district.pk}": "Oliwa",
            "next": "1",
        },
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert message in html
    assert "Some answers need your attention" in html
    assert 'value="Oliwa"' in html
    if text:  # what was typed is shown again, to be corrected
        assert text.splitlines()[0] in html
    with city_context(city.ref):
        draft = Response.objects.get(survey=area_survey)
    assert draft.submitted_at is None
    assert draft.answers == {str(district.pk): "Oliwa"}


def test_a_saved_area_is_shown_again_as_lines(city, area_survey, resident):
    area, district = _area(area_survey), _district(area_survey)
    services.answer_page(
        survey=area_survey,
        respondent=Respondent(user=resident),
        page=area_survey.pages.get(),
        answers={area.pk: {"points": PARK}, district.pk: "Oliwa"},
        move="stay",
    )
    html = english(city, resident).get(f"/surveys/{area_survey.phase_id}/").content.decode()
    assert "54.35, 18.64\n54.36, 18.64\n54.36, 18.66\n54.35, 18.66</textarea>" in html


# --- results and exports -------------------------------------------------------------------


def _answered(area_survey: Survey, *people: User) -> None:
    shapes = [PARK, [[54.40, 18.50], [54.41, 18.50], [54.40, 18.52]]]
    for person, points in zip(people, shapes, strict=False):
        services.answer_page(
            survey=area_survey,
            respondent=Respondent(user=person),
            page=area_survey.pages.get(),
            answers={_area(area_survey).pk: {"points": points}},
        )


def test_results_list_each_area_with_its_centre(area_survey, resident, neighbour):
    _answered(area_survey, resident, neighbour)
    results = {r.question.pk: r for r in selectors.question_results(area_survey, "en", staff=True)}
    found = results[_area(area_survey).pk]
    assert found.answered == 2
    assert found.areas[0].points == PARK
    assert found.areas[0].centre == (54.355, 18.65)
    assert found.areas[0].map_url == (
        "https://www.openstreetmap.org/?mlat=54.355&mlon=18.65#map=16/54.355/18.65"
    )
    assert selectors.area_centroid([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]) == (2.0, 2.0)


def test_the_results_page_and_the_exports_show_the_area(
    city, area_survey, city_admin, resident, neighbour
):
    _answered(area_survey, resident, neighbour)
    client = english(city, city_admin)
    page = client.get(f"/admin/surveys/{area_survey.phase_id}/results/").content.decode()
    assert "Areas outlined in answer to “Where should the new park be?”" in page
    assert "54.35, 18.64; 54.36, 18.64; 54.36, 18.66; 54.35, 18.66" in page
    assert "https://www.openstreetmap.org/?mlat=54.355&amp;mlon=18.65#map=16/54.355/18.65" in page
    assert "View on OpenStreetMap" in page
    exported = client.get(f"/admin/surveys/{area_survey.phase_id}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    column = rows[0].index("Where should the new park be?")
    assert rows[1][column] == PARK_WKT
    assert rows[2][column] == "POLYGON((18.5 54.4, 18.5 54.41, 18.52 54.4, 18.5 54.4))"
    with city_context(city.ref):
        headers, table = survey_table(area_survey, language="en", zone=None, default_language="pl")
        assert next(table)[headers.index("Where should the new park be?")] == PARK_WKT
        scope = Scope(
            projects=Project.objects.all(),
            whole_city=True,
            administrator=True,
            zone=ZoneInfo("Europe/Warsaw"),
            default_language="en",
        )
        assert PARK_WKT in [row[-1] for row in SURVEY_DATASET.rows(scope)]


def test_the_editor_offers_the_area_kind(city, area_phase, city_admin):
    client = english(city, city_admin)
    editor = client.get(f"/admin/surveys/{area_phase.pk}/").content.decode()
    assert '<option value="area">Area on a map</option>' in editor
    with city_context(city.ref):
        page = services.ensure_survey(phase=area_phase).pages.get()
    added = client.post(
        f"/admin/surveys/{area_phase.pk}/questions/add/?kind=area&page={page.pk}",
        {"text_pl": "Gdzie park?", "text_en": "Where a park?", "page": page.pk},
    )
    assert added.status_code == 302
    with city_context(city.ref):
        assert area_phase.survey.questions.get().kind == QuestionKind.AREA


def test_one_city_never_sees_another_citys_areas(
    city, other_city, area_survey, city_admin, resident
):
    _answered(area_survey, resident)
    phase_id = area_survey.phase_id
    with city_context(other_city.ref):
        from ratusz.accounts.models import Role

        boss = User.objects.create_user(
            "boss@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
        assert not Response.objects.exists()
    client = english(other_city, boss)
    assert client.get(f"/admin/surveys/{phase_id}/results/").status_code == 404
    assert client.get(f"/admin/surveys/{phase_id}/export.csv").status_code == 404
