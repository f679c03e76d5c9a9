"""The survey pages: answering without JavaScript, clear errors, the editor, results,
exports, permissions, and one city's survey never reachable from another."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratusz.consultations.methods.surveys import services
from ratusz.consultations.methods.surveys.models import AnswerFile, Response
from ratusz.tenants.context import city_context
from tests.consultations.branding.conftest import image_bytes
from tests.consultations.methods.surveys.conftest import english, make_survey_phase, question


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def page_id(survey, number):
    return str(list(survey.pages.order_by("position"))[number - 1].pk)


def test_a_resident_answers_page_by_page_with_skip_logic(city, survey, resident):
    cycle = question(survey, "Do you cycle?")
    age = question(survey, "Your age")
    first_page, third_page = page_id(survey, 1), page_id(survey, 3)
    client = english(city, resident)
    url = f"/surveys/{survey.phase_id}/"
    start = client.get(url)
    assert start.status_code == 200
    html = start.content.decode()
    assert "Page 1 of 3" in html and "Do you cycle?" in html
    moved = client.post(url, {"page": first_page, f"q{cycle.pk}": "c2", "next": "1"})
    assert moved.status_code == 302
    third = client.get(url).content.decode()
    assert "Page 3 of 3" in third and "Your age" in third
    done = client.post(url, {"page": third_page, f"q{age.pk}": "41"})
    assert done["Location"] == f"/surveys/{survey.phase_id}/thanks/"
    assert "Thank you" in client.get(done["Location"]).content.decode()
    # Answering twice: the survey page sends the resident to the thank-you page.
    assert client.get(url)["Location"] == f"/surveys/{survey.phase_id}/thanks/"


def test_a_missing_required_answer_is_explained_and_other_answers_are_kept(city, survey, resident):
    district = question(survey, "Your district")
    first_page = page_id(survey, 1)
    client = english(city, resident)
    url = f"/surveys/{survey.phase_id}/"
    refused = client.post(url, {"page": first_page, f"q{district.pk}": "Wrzeszcz"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Choose an answer to this question." in html
    assert "Some answers need your attention" in html
    assert 'value="Wrzeszcz"' in html
    with city_context(city.ref):
        draft = Response.objects.get(survey=survey)
    assert draft.answers == {str(district.pk): "Wrzeszcz"}
    assert 'value="Wrzeszcz"' in client.get(url).content.decode()  # resumed later


def test_bad_values_get_their_own_messages(city, city_admin, resident, in_city):
    phase = make_survey_phase("rodzaje")
    survey = services.ensure_survey(phase=phase)
    page = survey.pages.get()

    def ask(kind, text, **config):
        return services.save_question(
            staff=city_admin,
            survey=survey,
            page=page,
            kind=kind,
            text={"en": text},
            help_text={},
            required=True,
            config=config,
        )

    ranking = ask(
        "ranking",
        "Order these",
        choices=[
            {"key": "c1", "label": {"en": "Trees"}},
            {"key": "c2", "label": {"en": "Benches"}},
        ],
    )
    place = ask("map", "Where?")
    upload = ask("file", "A photo", extensions=["png"], max_mb=1)
    number = ask("number", "How many?", min="1", max="10")
    client = english(city, resident)
    refused = client.post(
        f"/surveys/{phase.pk}/",
        {
            "page": str(page.pk),
            f"q{ranking.pk}_c1": "1",
            f"q{ranking.pk}_c2": "1",
            f"q{place.pk}_lat": "54.3",
            f"q{number.pk}": "99",
            f"q{upload.pk}": SimpleUploadedFile("photo.png", b"not really a png"),
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Give every item a different place, from 1 to 2." in html
    assert "Give both the latitude and the longitude." in html
    assert "is not a PNG file" in html
    assert "less than or equal to 10" in html
    wrong_type = client.post(
        f"/surveys/{phase.pk}/",
        {"page": str(page.pk), f"q{upload.pk}": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert "This kind of file is not accepted here. Allowed: PNG." in wrong_type.content.decode()
    png = image_bytes((40, 30))  # a real PNG: a renamed or truncated one is refused
    accepted = client.post(
        f"/surveys/{phase.pk}/",
        {
            "page": str(page.pk),
            f"q{ranking.pk}_c1": "2",
            f"q{ranking.pk}_c2": "1",
            f"q{place.pk}_lat": "54.35",
            f"q{place.pk}_lon": "18.65",
            f"q{number.pk}": "3",
            f"q{upload.pk}": SimpleUploadedFile("photo.png", png),
        },
    )
    assert accepted.status_code == 302
    with city_context(city.ref):
        response = Response.objects.get(survey=survey)
        assert response.answers[str(ranking.pk)] == ["c2", "c1"]
        assert response.answers[str(place.pk)] == {"lat": 54.35, "lon": 18.65}
        assert AnswerFile.objects.get(response=response).name == "photo.png"


def test_visitors_are_asked_to_log_in_unless_the_phase_allows_browsers(city, in_city, city_admin):
    from tests.consultations.methods.surveys.conftest import build_survey

    closed = build_survey(city_admin, make_survey_phase("z-kontem"))
    open_survey = build_survey(
        city_admin, make_survey_phase("bez-konta", allow_without_account=True)
    )
    cycle = question(open_survey, "Do you cycle?")
    first_page, third_page = page_id(open_survey, 1), page_id(open_survey, 3)
    visitor = english(city)
    assert "/accounts/login/" in visitor.get(f"/surveys/{closed.phase_id}/")["Location"]
    url = f"/surveys/{open_survey.phase_id}/"
    first = visitor.get(url)
    assert first.status_code == 200 and "ratusz_survey" in first.cookies
    visitor.post(url, {"page": first_page, f"q{cycle.pk}": "c2"})
    visitor.post(url, {"page": third_page})
    assert visitor.get(url)["Location"] == f"/surveys/{open_survey.phase_id}/thanks/"
    with city_context(city.ref):
        stored = Response.objects.get(survey=open_survey)
    assert stored.submitted_at and stored.user is None
    assert stored.respondent_key != visitor.cookies["ratusz_survey"].value


def test_a_broken_survey_cannot_be_opened_and_the_editor_says_why(
    city, survey, city_admin, resident
):
    services.delete_page(staff=city_admin, page=survey.pages.order_by("position").last())
    blocked = english(city, resident).get(f"/surveys/{survey.phase_id}/")
    assert blocked.status_code == 503
    assert "The city is correcting this survey" in blocked.content.decode()
    editor = english(city, city_admin).get(f"/admin/surveys/{survey.phase_id}/").content.decode()
    assert "Residents cannot open this survey until these are fixed" in editor
    assert "skips to a page that was deleted" in editor


def test_staff_build_a_survey_in_the_editor(city, survey_phase, city_admin):
    client = english(city, city_admin)
    editor = client.get(f"/admin/surveys/{survey_phase.pk}/")
    assert editor.status_code == 200
    assert "The survey has no questions yet" in editor.content.decode()
    with city_context(city.ref):
        page = survey_phase.survey.pages.get()
    url = f"/admin/surveys/{survey_phase.pk}/questions/add/?kind=single&page={page.pk}"
    bad = client.post(url, {"text_pl": "Czy?", "page": page.pk, "choices_pl": "Tak"})
    assert bad.status_code == 400
    assert "Give at least two answers." in bad.content.decode()
    mismatch = client.post(
        url, {"text_pl": "Czy?", "page": page.pk, "choices_pl": "Tak\nNie", "choices_en": "Yes"}
    )
    assert "Give as many lines as in" in mismatch.content.decode()
    saved = client.post(
        url,
        {
            "text_pl": "Czy jeździsz?",
            "text_en": "Do you cycle?",
            "page": page.pk,
            "choices_pl": "Tak\nNie",
            "choices_en": "Yes\nNo",
            "required": "on",
        },
    )
    assert saved.status_code == 302
    with city_context(city.ref):
        created = survey_phase.survey.questions.get()
    assert created.config["choices"][1] == {"key": "c2", "label": {"pl": "Nie", "en": "No"}}
    client.post(f"/admin/surveys/{survey_phase.pk}/pages/add/", {"title_pl": "Druga"})
    client.post(
        f"/admin/surveys/pages/{page.pk}/rules/add/", {"when": f"{created.pk}:c2", "target": "end"}
    )
    texts = client.post(
        f"/admin/surveys/{survey_phase.pk}/", {"intro_pl": "Witamy", "thank_you_en": "Thanks!"}
    )
    assert texts.status_code == 302
    with city_context(city.ref):
        assert page.rules.get().to_end
        survey_phase.survey.refresh_from_db()
        assert survey_phase.survey.intro == {"pl": "Witamy"}
        assert survey_phase.survey.pages.order_by("position").last().title == {"pl": "Druga"}


def test_residents_get_403_and_managers_only_reach_their_projects(city, survey, resident, manager):
    assert english(city, resident).get(f"/admin/surveys/{survey.phase_id}/").status_code == 403
    assert english(city, manager).get(f"/admin/surveys/{survey.phase_id}/").status_code == 404
    with city_context(city.ref):
        survey.phase.project.managers.add(manager)
    assert english(city, manager).get(f"/admin/surveys/{survey.phase_id}/").status_code == 200


def test_results_exports_and_themes(city, survey, city_admin, resident, neighbour):
    from tests.consultations.methods.surveys.test_services import answer_all

    answer_all(survey, services.Respondent(user=resident))
    answer_all(survey, services.Respondent(user=neighbour))
    text = question(survey, "What should change?")
    client = english(city, city_admin)
    page = client.get(f"/admin/surveys/{survey.phase_id}/results/").content.decode()
    assert "<svg" in page and "<caption>" in page and "100%" in page
    themed = client.get(f"/admin/surveys/{survey.phase_id}/results/?themes={text.pk}")
    assert "Theme 1" in themed.content.decode()
    exported = client.get(f"/admin/surveys/{survey.phase_id}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Response number", "Submitted", "Respondent"]
    assert {rows[1][2], rows[2][2]} == {"Anna Nowak", "Ola Sąsiad"}
    xlsx = client.get(f"/admin/surveys/{survey.phase_id}/export.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_results_are_public_only_when_the_city_chooses(city, survey, resident):
    client = english(city, resident)
    assert client.get(f"/surveys/{survey.phase_id}/results/").status_code == 404
    with city_context(city.ref):
        survey.phase.options = {**survey.phase.options, "results_public": True}
        survey.phase.save(update_fields=["options"])
    shown = client.get(f"/surveys/{survey.phase_id}/results/")
    assert shown.status_code == 200 and "Do you cycle?" in shown.content.decode()


def test_the_project_page_shows_the_survey_panel(city, survey, resident):
    html = english(city, resident).get(f"/projects/{survey.phase.project.slug}/").content.decode()
    assert f"/surveys/{survey.phase_id}/" in html and "Answer the survey" in html


def test_a_survey_of_one_city_is_not_reachable_from_another(city, other_city, survey, resident):
    phase_id = survey.phase_id
    question_id = question(survey, "Do you cycle?").pk
    with city_context(other_city.ref):
        from ratusz.accounts.models import User

        stranger = User.objects.create_user("obcy@example.com", "correct horse battery")
        from ratusz.accounts.models import Role

        boss = User.objects.create_user(
            "boss@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    assert english(other_city, stranger).get(f"/surveys/{phase_id}/").status_code == 404
    assert english(other_city, stranger).get(f"/surveys/{phase_id}/results/").status_code == 404
    for url in (
        f"/admin/surveys/{phase_id}/",
        f"/admin/surveys/{phase_id}/results/",
        f"/admin/surveys/{phase_id}/export.csv",
        f"/admin/surveys/questions/{question_id}/",
    ):
        assert english(other_city, boss).get(url).status_code == 404, url
