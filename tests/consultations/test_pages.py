"""The resident's pages: home, project, idea, posting and discussing, the staff's answer."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ratusz.consultations.methods.ideation.models import Comment, Idea, IdeaStatus, StatusChange
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project

PASSWORD = "correct horse battery"


def english(city, user=None):
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def idea(resident, ideation_phase):
    return post_idea(
        author=resident, phase=ideation_phase, title="Ławki w parku", body="<p>Więcej ławek</p>"
    )


def test_home_lists_open_consultations_and_latest_ideas(city, idea):
    html = english(city).get("/").content.decode()
    assert "Open consultations" in html
    assert "A park on the Motława" in html
    assert "Ławki w parku" in html


def test_the_project_page_shows_timeline_ideas_and_what_to_do(city, idea):
    response = english(city).get("/projects/park/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Timeline" in html
    assert 'aria-current="step"' in html
    assert "Ławki w parku" in html
    assert "Log in or create an account to post ideas." in html


def test_search_and_filters_on_the_project_page(city, idea, resident, ideation_phase):
    post_idea(author=resident, phase=ideation_phase, title="Tramwaj do Łodzi", body="<p>x</p>")
    html = english(city).get("/projects/park/", {"q": "lodzi"}).content.decode()
    assert "Tramwaj do Łodzi" in html
    assert "Ławki w parku" not in html
    assert (
        "Ławki w parku"
        in english(city).get("/projects/park/", {"status": "proposed"}).content.decode()
    )
    assert (
        "No ideas match yet."
        in english(city).get("/projects/park/", {"status": "rejected"}).content.decode()
    )


def test_the_list_and_map_switch_replaces_the_view_and_keeps_the_search(city, idea):
    html = english(city).get("/projects/park/", {"q": "park", "view": "map"}).content.decode()
    assert 'href="?q=park&view=list"' in html
    html = english(city).get("/projects/park/", {"q": "park", "view": "list"}).content.decode()
    assert 'href="?q=park&view=map"' in html
    assert "view=list&view=map" not in html


def test_loading_more_ideas_with_htmx_returns_only_the_cards(city, resident, ideation_phase):
    for number in range(5):
        post_idea(
            author=resident, phase=ideation_phase, title=f"Pomysł numer {number}", body="<p>x</p>"
        )
    from tests.consultations.conftest import make_project as _  # noqa: F401  (fixtures only)

    response = english(city).get("/projects/park/", {"page": 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Pomysł numer 4" in html


def test_the_map_data_is_geojson_of_visible_ideas_with_a_place(city, resident, ideation_phase):
    from decimal import Decimal

    from ratusz.consultations.methods.ideation.services import Location

    post_idea(
        author=resident,
        phase=ideation_phase,
        title="Na mapie",
        body="<p>x</p>",
        location=Location(Decimal("54.35"), Decimal("18.64")),
    )
    data = english(city).get("/projects/park/map.json").json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["title"] for f in data["features"]] == ["Na mapie"]


def test_posting_an_idea_through_the_form_with_a_photo(city, resident, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = english(city, resident)
    with city_context(city.ref):
        make_project(slug="ogrody")
    page = client.get("/projects/ogrody/ideas/new/")
    assert page.status_code == 200
    response = client.post(
        "/projects/ogrody/ideas/new/",
        {
            "title": "Ogród społeczny",
            "body": "<p>Wspólne grządki <script>alert(1)</script></p>",
            "images": [SimpleUploadedFile("ogrod.png", png_bytes(), content_type="image/png")],
            "image_description": "Grządki z warzywami",
            "latitude": "54.372100",
            "longitude": "18.638300",
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        idea = Idea.objects.get(title="Ogród społeczny")
        assert "script" not in idea.body
        assert idea.images.get().alt_text == "Grządki z warzywami"
        assert (tmp_path / "cities" / city.schema).exists()
    assert "Your idea is published" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png"),
            "not an image we can show",
        ),
        (
            SimpleUploadedFile(
                "huge.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"
            ),
            "too large",
        ),
    ],
)
def test_bad_uploads_are_refused_in_the_page_and_nothing_is_lost(
    city, resident, project, upload, message
):
    client = english(city, resident)
    response = client.post(
        "/projects/park/ideas/new/",
        {"title": "Pomysł z plikiem", "body": "<p>Treść, która nie zginie</p>", "images": [upload]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Treść, która nie zginie" in html  # what was typed is still there
    with city_context(city.ref):
        assert not Idea.objects.exists()


def test_empty_and_overlong_fields_are_refused_with_messages(city, resident, project):
    response = english(city, resident).post("/projects/park/ideas/new/", {"title": "", "body": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = english(city, resident).post(
        "/projects/park/ideas/new/", {"title": "x" * 161, "body": "ok"}
    )
    assert "Ensure this value has at most 160 characters" in response.content.decode()


def test_visitors_are_sent_to_log_in_before_posting(city, project):
    response = english(city).get("/projects/park/ideas/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/projects/park/ideas/new/")


def test_posting_when_the_phase_has_ended_explains_why(city, resident, in_city):
    from datetime import timedelta

    from django.utils import timezone

    from ratusz.consultations.core import services

    project = services.create_project(slug="stary", title={"en": "Old"})
    now = timezone.now()
    services.add_phase(
        project=project,
        method="ideation",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=1),
    )
    services.publish_project(project=project)
    response = english(city, resident).get("/projects/stary/ideas/new/")
    assert response.status_code == 403
    assert "no phase of this project is open" in response.content.decode().lower()


def test_commenting_and_replying_with_and_without_htmx(city, neighbour, idea):
    client = english(city, neighbour)
    response = client.post(f"/ideas/{idea.pk}/comments/", {"body": "Popieram!"})
    assert response.status_code == 302
    with city_context(city.ref):
        top = Comment.objects.get(body="Popieram!")
    fragment = client.post(
        f"/ideas/{idea.pk}/comments/", {"body": "Ja też", "parent": top.pk}, HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert "<html" not in html
    assert "Ja też" in html
    assert "2 comments" in html


def test_reacting_twice_shows_a_message_and_keeps_one_like(city, neighbour, idea):
    client = english(city, neighbour)
    first = client.post(f"/ideas/{idea.pk}/react/", {"kind": "1"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in first.content.decode()
    second = client.post(f"/ideas/{idea.pk}/react/", {"kind": "1"}, HTTP_HX_REQUEST="true")
    assert "You already like this idea." in second.content.decode()
    with city_context(city.ref):
        assert Idea.objects.get(pk=idea.pk).likes == 1


def test_commenting_on_a_hidden_idea_is_refused_in_the_page(city, neighbour, idea, manager):
    with city_context(city.ref):
        Idea.objects.filter(pk=idea.pk).update(visibility="hidden", moderation_reason="Spam")
    assert english(city, neighbour).get(f"/ideas/{idea.pk}/").status_code == 404
    assert (
        english(city, neighbour).post(f"/ideas/{idea.pk}/comments/", {"body": "x"}).status_code
        == 404
    )
    staff_page = english(city, manager).get(f"/ideas/{idea.pk}/").content.decode()
    assert "Moderators hid this." in staff_page
    assert "Spam" in staff_page


def test_staff_answer_and_the_history_shows_newest_first(city, manager, neighbour, idea):
    client = english(city, manager)
    with city_context(city.ref):
        considering = IdeaStatus.objects.get(code="under-consideration")
        accepted = IdeaStatus.objects.get(code="accepted")
    client.post(
        f"/ideas/{idea.pk}/status/", {"status": considering.pk, "answer": "Sprawdzamy miejsce."}
    )
    refused = client.post(f"/ideas/{idea.pk}/status/", {"status": accepted.pk, "answer": ""})
    assert refused.status_code == 400
    assert "Explain the decision" in refused.content.decode()
    client.post(
        f"/ideas/{idea.pk}/status/", {"status": accepted.pk, "answer": "<p>Ławki staną w maju.</p>"}
    )
    html = english(city, neighbour).get(f"/ideas/{idea.pk}/").content.decode()
    assert html.index("Ławki staną w maju.") < html.index("Sprawdzamy miejsce.")
    with city_context(city.ref):
        assert StatusChange.objects.filter(idea=idea).count() == 2
        assert Idea.objects.get(pk=idea.pk).first_answered_at is not None
    # A resident cannot answer.
    assert (
        english(city, neighbour)
        .post(f"/ideas/{idea.pk}/status/", {"status": accepted.pk, "answer": "x"})
        .status_code
        == 404
    )


def test_the_project_page_reports_answers(city, manager, idea):
    with city_context(city.ref):
        from ratusz.consultations.methods.ideation.services import change_status

        change_status(
            staff=manager, idea=idea, status=IdeaStatus.objects.get(code="accepted"), answer="Tak"
        )
    assert (
        "1 of 1 idea has an official answer."
        in english(city).get("/projects/park/").content.decode()
    )


def test_nothing_of_one_city_is_reachable_from_another(city, other_city, idea, neighbour):
    with city_context(city.ref):
        add_comment(author=neighbour, idea=idea, body="Tylko w Gdańsku")
    other = other_city.client()
    assert other.get(f"/ideas/{idea.pk}/").status_code == 404
    assert other.get("/projects/park/").status_code == 404
    assert other.get("/projects/park/map.json").status_code == 404
    assert "Ławki" not in other.get("/").content.decode()
    with city_context(other_city.ref):
        from ratusz.consultations.methods.ideation.selectors import idea_list

        projects = make_project(slug="park")  # the same address in Springfield is its own
        assert list(idea_list(project=projects, viewer=neighbour, search="Ławki")) == []
    assert "Ławki w parku" not in other.get("/projects/park/", {"q": "Ławki"}).content.decode()


def test_draft_projects_are_hidden_from_residents(city, resident, in_city):
    make_project(slug="szkic", published=False)
    assert english(city, resident).get("/projects/szkic/").status_code == 404


def test_a_folder_page_groups_its_visible_projects_and_hides_drafts(city, other_city, in_city):
    from ratusz.consultations.core.models import Folder

    folder = Folder.objects.create(
        slug="budzet-2026",
        title={"pl": "Budżet obywatelski 2026", "en": "Citizens' budget 2026"},
        status="published",
    )
    for project in (make_project(slug="ogrody"), make_project(slug="szkic", published=False)):
        project.folder = folder
        project.save(update_fields=["folder"])
    make_project(slug="poza")
    home = city.client().get("/").content.decode()
    assert 'href="/folders/budzet-2026/"' in home  # the card names its folder
    page = city.client().get("/folders/budzet-2026/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Budżet obywatelski 2026" in text
    assert 'href="/projects/ogrody/"' in text
    assert "/projects/szkic/" not in text and "/projects/poza/" not in text
    with city_context(city.ref):
        Folder.objects.filter(pk=folder.pk).update(status="draft")
    assert city.client().get("/folders/budzet-2026/").status_code == 404
    # Another city has no such folder.
    assert other_city.client().get("/folders/budzet-2026/").status_code == 404


def test_the_timeline_links_to_results_the_visitor_may_see(city, resident, in_city):
    from datetime import timedelta

    from django.utils import timezone

    from ratusz.consultations.core import services

    project = make_project(slug="ankieta")
    now = timezone.now()
    survey = services.add_phase(
        project=project,
        method="survey",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=40),
        title={"pl": "Ankieta", "en": "Survey"},
        options={"results_public": False},
    )
    results = f"/surveys/{survey.pk}/results/"
    assert results not in english(city, resident).get("/projects/ankieta/").content.decode()
    with city_context(city.ref):
        survey.options = {**survey.options, "results_public": True}
        survey.save(update_fields=["options"])
    assert results in english(city, resident).get("/projects/ankieta/").content.decode()


def test_public_pages_never_show_an_email_address(city, in_city, ideation_phase):
    from ratusz.accounts.models import User

    nameless = User.objects.create_user("bez.imienia@example.com", "correct horse battery")
    idea = post_idea(author=nameless, phase=ideation_phase, title="Pomysł bez imienia", body="x")
    add_comment(author=nameless, idea=idea, body="Komentarz bez imienia")
    for page in (f"/projects/{ideation_phase.project.slug}/", f"/ideas/{idea.pk}/"):
        html = english(city).get(page).content.decode()
        assert "bez.imienia" not in html, page
        assert "a resident" in html
