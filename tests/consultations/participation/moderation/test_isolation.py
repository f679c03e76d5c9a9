"""Nothing of Gdańsk's moderation (reports, held and hidden content, blocks, the word filter,
the log) reaches Springfield: not through its selectors, its pages, nor by guessing ids."""

from __future__ import annotations

import pytest

from ratusz.accounts.models import Role, User
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.consultations.participation.moderation import selectors
from ratusz.consultations.participation.moderation.models import (
    Block,
    FilteredWord,
    ModerationAction,
    Report,
)
from ratusz.consultations.participation.moderation.services import (
    block_resident,
    hide_content,
    report_content,
    update_word_filter,
)
from ratusz.tenants.context import city_context
from tests.consultations.participation.moderation.conftest import english


@pytest.fixture
def gdansk_moderation(city, idea, comment, resident, neighbour, manager, city_admin):
    """Gdańsk with a report, held content, hidden content, a block and its own filter word."""
    with city_context(city.ref):
        update_word_filter(admin=city_admin, lists={"pl": ["gdańskiesłowo"]})
        report_content(reporter=resident, item=comment, reason="spam", explanation="Gdańsk spam")
        held = post_idea(
            author=neighbour,
            phase=idea.phase,
            title="Gdańskiesłowo w tytule",
            body="<p>Treść</p>",
        )
        hidden = add_comment(author=resident, idea=idea, body="Ukryty komentarz z Gdańska")
        hide_content(staff=manager, item=hidden, reason="Gdańsk powód")
        block_resident(admin=city_admin, resident=neighbour, reason="Gdańsk blokada")
    return {"idea": idea, "comment": comment, "held": held, "hidden": hidden}


@pytest.fixture
def springfield_admin(other_city) -> User:
    with city_context(other_city.ref):
        return User.objects.create_user(
            "mayor@springfield.example",
            "correct horse battery",
            full_name="Mayor Quimby",
            role=Role.ADMINISTRATOR,
        )


def test_springfields_selectors_see_nothing_of_gdansk(
    gdansk_moderation, other_city, springfield_admin, city, city_admin
):
    with city_context(city.ref):  # Gdańsk really has all of it
        assert len(selectors.moderation_queue(staff=city_admin, default_language="pl")) == 2
        assert Block.objects.exists()
    with city_context(other_city.ref):
        assert selectors.moderation_queue(staff=springfield_admin, default_language="en") == []
        assert selectors.hidden_content(staff=springfield_admin, default_language="en") == []
        assert selectors.open_report_count(springfield_admin) == 0
        assert list(selectors.recent_actions(staff=springfield_admin)) == []
        assert list(selectors.active_blocks()) == []
        assert list(selectors.ended_blocks()) == []
        assert list(selectors.moderated_projects(springfield_admin)) == []
        assert selectors.moderated_content_of(springfield_admin) == []
        assert "gdańskiesłowo" not in selectors.word_filter()["pl"]
        assert selectors.filtered_words_in("Gdańskiesłowo") == []
        assert selectors.resident_by_email("sasiad@example.com") is None
        assert selectors.find_item("idea", gdansk_moderation["idea"].pk) is None
        assert selectors.find_item("comment", gdansk_moderation["comment"].pk) is None
        assert not Report.objects.exists()
        assert not ModerationAction.objects.exists()
        assert not FilteredWord.objects.filter(term="gdańskiesłowo").exists()


def test_springfields_pages_show_nothing_of_gdansk(
    gdansk_moderation, other_city, springfield_admin
):
    client = english(other_city, springfield_admin)
    queue = client.get("/moderation/").content.decode()
    assert "Nothing waits for moderation." in queue
    for text in ("Gdańsk spam", "Gdańskiesłowo", "Świetny pomysł"):
        assert text not in queue
    hidden = client.get("/moderation/?show=hidden").content.decode()
    assert "Gdańsk powód" not in hidden
    assert "Nothing is hidden." in hidden
    blocks = client.get("/moderation/blocks/").content.decode()
    assert "Gdańsk blokada" not in blocks
    assert "Nobody is blocked." in blocks
    words = client.get("/moderation/words/").content.decode()
    assert "gdańskiesłowo" not in words
    assert client.get("/moderation/?project=park").status_code == 404


def test_a_gdansk_id_on_springfields_host_is_a_404(
    gdansk_moderation, other_city, springfield_admin
):
    client = english(other_city, springfield_admin)
    idea = gdansk_moderation["idea"]
    comment = gdansk_moderation["comment"]
    held = gdansk_moderation["held"]
    hidden = gdansk_moderation["hidden"]
    assert client.get(f"/moderation/report/idea/{idea.pk}/").status_code == 404
    assert client.post(f"/moderation/report/idea/{idea.pk}/", {"reason": "spam"}).status_code == (
        404
    )
    assert client.post(f"/moderation/idea/{idea.pk}/hide/", {"reason": "x"}).status_code == 404
    assert client.post(f"/moderation/comment/{comment.pk}/hide/", {"reason": "x"}).status_code == (
        404
    )
    assert client.post(f"/moderation/idea/{held.pk}/approve/").status_code == 404
    assert client.post(f"/moderation/comment/{hidden.pk}/restore/").status_code == 404
    with city_context(other_city.ref):
        assert not Report.objects.exists()


def test_a_gdansk_account_is_unknown_to_springfields_block_form(
    gdansk_moderation, other_city, springfield_admin
):
    response = english(other_city, springfield_admin).post(
        "/moderation/blocks/new/",
        {"email": "mieszkanka@example.com", "duration": "7", "reason": "x"},
    )
    assert response.status_code == 400
    assert "No account in this city uses this e-mail address." in response.content.decode()
    with city_context(other_city.ref):
        assert not Block.objects.exists()


def test_a_gdansk_session_does_not_open_springfields_moderation(city, other_city, city_admin):
    client = english(city, city_admin)
    assert client.get("/moderation/").status_code == 200
    client.defaults["HTTP_HOST"] = other_city.host
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
