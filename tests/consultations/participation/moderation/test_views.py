"""Moderation pages: who may open them (login, 403 with a clear page), bad input, and each
action as a plain form and through HTMX."""

from __future__ import annotations

import pytest

from ratusz.consultations.methods.ideation.models import Comment, Idea
from ratusz.consultations.methods.ideation.services import add_comment
from ratusz.consultations.participation.moderation.models import Block, FilteredWord, Report
from ratusz.consultations.participation.moderation.services import block_resident, report_content
from ratusz.tenants.context import city_context
from tests.consultations.participation.moderation.conftest import english

HTMX = {"HX-Request": "true"}


def reload(city, obj):
    with city_context(city.ref):
        obj.refresh_from_db()
    return obj


# --- reporting -----------------------------------------------------------------------------


def test_reporting_asks_visitors_to_log_in(city, idea):
    response = english(city).get(f"/moderation/report/idea/{idea.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/moderation/report/idea/{idea.pk}/"


def test_a_resident_reports_an_idea_through_the_form(city, idea, neighbour):
    client = english(city, neighbour)
    page = client.get(f"/moderation/report/idea/{idea.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Report an idea" in html
    assert "Ławki w parku" in html
    assert "<legend>Why are you reporting this?</legend>" in html
    response = client.post(
        f"/moderation/report/idea/{idea.pk}/", {"reason": "spam", "explanation": "Reklama"}
    )
    assert response.status_code == 200
    assert "Thank you. Moderators will look at your report." in response.content.decode()
    with city_context(city.ref):
        report = Report.objects.get()
    assert (report.idea_id, report.reporter_id, report.reason) == (idea.pk, neighbour.pk, "spam")


def test_reporting_goes_back_to_a_safe_next_address(city, idea, neighbour):
    client = english(city, neighbour)
    back = f"/ideas/{idea.pk}/"
    response = client.post(f"/moderation/report/idea/{idea.pk}/", {"reason": "spam", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    response = client.post(
        f"/moderation/report/comment/{idea.pk}/",
        {"reason": "spam", "next": "https://evil.example/"},
    )
    assert response.status_code == 404  # no comment with this id


def test_reporting_a_comment_with_htmx_returns_the_fragment(city, comment, resident):
    client = english(city, resident)
    form = client.get(f"/moderation/report/comment/{comment.pk}/", headers=HTMX)
    assert "<html" not in form.content.decode()
    assert f'id="report-comment-{comment.pk}"' in form.content.decode()
    done = client.post(
        f"/moderation/report/comment/{comment.pk}/", {"reason": "offensive"}, headers=HTMX
    )
    html = done.content.decode()
    assert done.status_code == 200
    assert "<html" not in html
    assert 'role="status"' in html
    assert "Thank you" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose why you are reporting this."),
        ({"reason": "nonsense"}, "Select a valid choice."),
        ({"reason": "other", "explanation": "  "}, "Tell the moderators what is wrong."),
    ],
)
def test_a_report_without_a_reason_is_refused_with_a_linked_error(
    city, idea, neighbour, data, message
):
    response = english(city, neighbour).post(f"/moderation/report/idea/{idea.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'aria-describedby="id_' in html
    with city_context(city.ref):
        assert not Report.objects.exists()


def test_a_double_report_and_a_report_of_ones_own_idea_say_why(city, idea, neighbour, resident):
    client = english(city, neighbour)
    client.post(f"/moderation/report/idea/{idea.pk}/", {"reason": "spam"})
    again = client.post(f"/moderation/report/idea/{idea.pk}/", {"reason": "spam"})
    assert again.status_code == 400
    assert "You have already reported this idea" in again.content.decode()
    own = english(city, resident).post(f"/moderation/report/idea/{idea.pk}/", {"reason": "spam"})
    assert own.status_code == 400
    assert "You cannot report your own idea." in own.content.decode()
    with city_context(city.ref):
        assert Report.objects.count() == 1


def test_reporting_an_unknown_or_hidden_item_is_a_404(city, idea, neighbour, manager):
    client = english(city, neighbour)
    assert client.get("/moderation/report/idea/999999/").status_code == 404
    assert client.get("/moderation/report/poll/1/").status_code == 404
    with city_context(city.ref):
        Idea.objects.filter(pk=idea.pk).update(visibility="hidden")
    assert client.get(f"/moderation/report/idea/{idea.pk}/").status_code == 404


# --- the queue -----------------------------------------------------------------------------


def test_the_queue_is_for_staff_only(city, resident):
    anonymous = english(city).get("/moderation/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/accounts/login/?next=/moderation/"
    refused = english(city, resident).get("/moderation/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "You cannot open this page" in html
    assert "Only the city&#x27;s administrators and project managers can moderate." in html


def test_the_queue_shows_reports_and_held_content_of_ones_projects(
    city, idea, comment, neighbour, resident, manager, other_manager, city_admin
):
    with city_context(city.ref):
        report_content(reporter=resident, item=comment, reason="offensive", explanation="Hejt")
        FilteredWord.objects.create(language="pl", term="bałwan")
        held = add_comment(author=neighbour, idea=idea, body="Bałwan!")
    html = english(city, manager).get("/moderation/").content.decode()
    assert "Świetny pomysł, popieram." in html
    assert "Hejt" in html
    assert "1 report" in html
    assert "Held by the word filter" in html
    assert f"/moderation/comment/{held.pk}/approve/" in html
    assert f"/moderation/comment/{comment.pk}/hide/" in html
    assert "Block the author" not in html  # only administrators block
    elsewhere = english(city, other_manager).get("/moderation/").content.decode()
    assert "Świetny pomysł" not in elsewhere
    assert "Nothing waits for moderation." in elsewhere
    admin_view = english(city, city_admin).get("/moderation/").content.decode()
    assert "Block the author" in admin_view
    assert english(city, city_admin).get("/moderation/?project=port").status_code == 200
    assert "Świetny pomysł" not in (
        english(city, city_admin).get("/moderation/?project=port").content.decode()
    )
    assert english(city, other_manager).get("/moderation/?project=park").status_code == 404


# --- actions -------------------------------------------------------------------------------


def test_hiding_needs_a_reason(city, idea, manager):
    response = english(city, manager).post(f"/moderation/idea/{idea.pk}/hide/", {"reason": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a reason; the author will see it." in html
    assert 'aria-invalid="true"' in html
    assert reload(city, idea).visibility == "visible"


def test_hiding_and_restoring_with_plain_forms(city, idea, resident, neighbour, manager):
    client = english(city, manager)
    confirm = client.get(f"/moderation/idea/{idea.pk}/hide/")
    assert confirm.status_code == 200
    assert "Hide this idea" in confirm.content.decode()
    response = client.post(
        f"/moderation/idea/{idea.pk}/hide/", {"reason": "Podaje dane osobowe.", "next": "/x/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/x/"
    assert reload(city, idea).visibility == "hidden"
    # The author sees the reason on their own content; another resident does not.
    mine = english(city, resident).get("/moderation/mine/").content.decode()
    assert "Podaje dane osobowe." in mine
    assert "Moderators hid this." in mine
    assert "Podaje dane osobowe." not in (
        english(city, neighbour).get("/moderation/mine/").content.decode()
    )
    hidden = client.get("/moderation/?show=hidden").content.decode()
    assert "Podaje dane osobowe." in hidden
    restored = client.post(f"/moderation/idea/{idea.pk}/restore/", {"reason": ""})
    assert restored.status_code == 302
    assert restored["Location"] == "/moderation/"
    assert reload(city, idea).visibility == "visible"
    twice = client.post(f"/moderation/idea/{idea.pk}/restore/", {})
    assert twice.status_code == 400
    assert "Only hidden content can be restored." in twice.content.decode()


def test_an_action_with_htmx_returns_the_updated_entry(city, comment, resident, manager):
    with city_context(city.ref):
        report_content(reporter=resident, item=comment, reason="spam")
    response = english(city, manager).post(
        f"/moderation/comment/{comment.pk}/dismiss/", {"reason": ""}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="entry-comment-{comment.pk}"' in html
    assert "The reports are dismissed." in html
    with city_context(city.ref):
        assert Report.objects.get().resolution == "kept"


def test_approving_held_content_through_the_page(city, idea, neighbour, manager):
    with city_context(city.ref):
        FilteredWord.objects.create(language="en", term="numpty")
        held = add_comment(author=neighbour, idea=idea, body="numpty")
    response = english(city, manager).post(f"/moderation/comment/{held.pk}/approve/")
    assert response.status_code == 302
    assert reload(city, held).visibility == "visible"
    assert reload(city, idea).comment_count == 1


def test_rejecting_held_content_needs_a_reason(city, idea, neighbour, manager):
    with city_context(city.ref):
        FilteredWord.objects.create(language="en", term="numpty")
        held = add_comment(author=neighbour, idea=idea, body="numpty")
    client = english(city, manager)
    refused = client.post(f"/moderation/comment/{held.pk}/reject/", {"reason": ""})
    assert refused.status_code == 400
    assert "Give a reason; the author will see it." in refused.content.decode()
    client.post(f"/moderation/comment/{held.pk}/reject/", {"reason": "Wulgaryzm"})
    assert reload(city, held).visibility == "hidden"
    mine = english(city, neighbour).get("/moderation/mine/").content.decode()
    assert "Wulgaryzm" in mine


def test_moderating_another_projects_content_is_refused(
    city, idea, comment, other_manager, resident
):
    for user in (other_manager, resident):
        response = english(city, user).post(
            f"/moderation/idea/{idea.pk}/hide/", {"reason": "Nie podoba mi się"}
        )
        assert response.status_code == 403
        html = response.content.decode()
        assert "Only the staff of this project can moderate its ideas and comments." in html
    response = english(city, other_manager).post(f"/moderation/comment/{comment.pk}/hide/")
    assert response.status_code == 403
    assert reload(city, idea).visibility == "visible"
    assert reload(city, comment).visibility == "visible"


def test_actions_send_visitors_to_log_in_and_unknown_items_are_404(city, idea, manager):
    response = english(city).post(f"/moderation/idea/{idea.pk}/hide/", {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert english(city, manager).post("/moderation/idea/999999/hide/").status_code == 404


# --- blocks --------------------------------------------------------------------------------


def test_blocks_are_for_administrators(city, manager, resident):
    assert english(city).get("/moderation/blocks/")["Location"].startswith("/accounts/login/")
    refused = english(city, manager).get("/moderation/blocks/")
    assert refused.status_code == 403
    assert "Only the city&#x27;s administrators can block residents." in refused.content.decode()
    assert english(city, manager).post("/moderation/blocks/new/").status_code == 403


def test_an_administrator_blocks_and_lifts(city, resident, city_admin, ideation_phase):
    client = english(city, city_admin)
    page = client.get(f"/moderation/blocks/?user={resident.pk}").content.decode()
    assert 'value="mieszkanka@example.com"' in page
    response = client.post(
        "/moderation/blocks/new/",
        {"email": "MIESZKANKA@example.com", "duration": "7", "reason": "Obraźliwe komentarze"},
    )
    assert response.status_code == 302
    with city_context(city.ref):
        block = Block.objects.get()
    assert block.user_id == resident.pk
    assert block.until is not None
    # The resident is told why when they try to post.
    idea_page = english(city, resident).post(
        "/projects/park/ideas/new/", {"title": "Nowy", "body": "<p>Treść</p>"}
    )
    assert "Obraźliwe komentarze" in idea_page.content.decode()
    with city_context(city.ref):
        assert not Idea.objects.exists()
    listing = client.get("/moderation/blocks/").content.decode()
    assert "Obraźliwe komentarze" in listing
    assert client.get(f"/moderation/blocks/{block.pk}/lift/").status_code == 405
    assert client.post(f"/moderation/blocks/{block.pk}/lift/").status_code == 302
    assert reload(city, block).lifted_at is not None
    again = client.post(f"/moderation/blocks/{block.pk}/lift/", follow=True)
    assert "This block has already ended." in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "duration": "7", "reason": "x"}, "Enter the e-mail address"),
        ({"email": "nikt@example.com", "duration": "7", "reason": "x"}, "No account in this city"),
        ({"email": "koordynator@gdansk.example", "duration": "7", "reason": "x"}, "Staff accounts"),
        ({"email": "mieszkanka@example.com", "duration": "7", "reason": ""}, "Give a reason"),
        ({"email": "mieszkanka@example.com", "duration": "2", "reason": "x"}, "valid choice"),
    ],
)
def test_bad_block_input_is_refused(city, resident, manager, city_admin, data, message):
    response = english(city, city_admin).post("/moderation/blocks/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    with city_context(city.ref):
        assert not Block.objects.exists()


def test_blocking_a_blocked_resident_says_so(city, resident, city_admin):
    with city_context(city.ref):
        block_resident(admin=city_admin, resident=resident, reason="Pierwszy")
    response = english(city, city_admin).post(
        "/moderation/blocks/new/",
        {"email": resident.email, "duration": "forever", "reason": "Drugi"},
    )
    assert response.status_code == 400
    assert "already blocked" in response.content.decode()


# --- the word filter -----------------------------------------------------------------------


def test_the_word_filter_is_for_administrators(city, manager):
    response = english(city, manager).get("/moderation/words/")
    assert response.status_code == 403
    assert "Only the city&#x27;s administrators can edit the word filter." in (
        response.content.decode()
    )


def test_an_administrator_edits_the_word_filter(city, city_admin, resident, ideation_phase):
    client = english(city, city_admin)
    page = client.get("/moderation/words/").content.decode()
    assert "kurwa" in page  # the defaults a new city starts with
    assert "motherfucker" in page
    response = client.post("/moderation/words/", {"pl": "bałwan\n  Głupi jak but ", "en": ""})
    assert response.status_code == 302
    with city_context(city.ref):
        assert sorted(FilteredWord.objects.values_list("term", flat=True)) == [
            "bałwan",
            "głupi jak but",
        ]
    saved = client.get("/moderation/words/")
    assert "The word filter is saved." in saved.content.decode()


def test_bad_word_filter_input_loses_nothing(city, city_admin):
    with city_context(city.ref):
        before = set(FilteredWord.objects.values_list("language", "term"))
    response = english(city, city_admin).post(
        "/moderation/words/", {"pl": "dobre\n" + "x" * 101, "en": "!!!"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "at most 100 characters" in html
    assert "Each line needs at least one letter or digit" in html
    with city_context(city.ref):
        assert set(FilteredWord.objects.values_list("language", "term")) == before


def test_posting_a_comment_with_a_filtered_word_holds_it(city, idea, neighbour):
    with city_context(city.ref):
        FilteredWord.objects.create(language="en", term="numpty")
    english(city, neighbour).post(f"/ideas/{idea.pk}/comments/", {"body": "You numpty"})
    with city_context(city.ref):
        comment = Comment.objects.get()
    assert comment.visibility == "held"
    assert reload(city, idea).comment_count == 0
