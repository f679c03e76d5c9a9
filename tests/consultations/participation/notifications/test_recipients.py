"""Who hears what: one notification per person involved, never for one's own action."""

from __future__ import annotations

from ratusz.consultations.methods.ideation.models import Comment, Idea
from ratusz.consultations.methods.ideation.services import (
    add_comment,
    change_status,
    follow,
    post_idea,
    react,
)
from ratusz.consultations.participation.events import InputEvent
from ratusz.consultations.participation.moderation.models import FilteredWord
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.participation.notifications.services import record_notifications
from tests.consultations.participation.notifications.conftest import person, status


def recipients(kind: str | None = None) -> set[str]:
    notifications = Notification.objects.all()
    if kind:
        notifications = notifications.filter(kind=kind)
    return set(notifications.values_list("recipient__email", flat=True))


def test_a_status_change_reaches_author_commenters_reactors_and_followers(
    idea, resident, manager, committed
):
    commenter = person("komentujacy@example.com", "Kamil Komentarz")
    reactor = person("lubiacy@example.com", "Lena Lubi")
    follower = person("obserwator@example.com", "Olek Obserwuje")
    person("obok@example.com", "Bartek Obok")  # not involved: hears nothing
    add_comment(author=commenter, idea=idea, body="Popieram!")
    react(user=reactor, idea=idea, kind=1)
    follow(user=follower, idea=idea)
    follow(user=manager, idea=idea)  # staff following an idea still do not hear their own act

    with committed():
        change = change_status(
            staff=manager, idea=idea, status=status("accepted"), answer="<p>Zrobimy to.</p>"
        )

    assert recipients("status_changed") == {
        resident.email,
        commenter.email,
        reactor.email,
        follower.email,
    }
    notification = Notification.objects.get(recipient=resident, kind="status_changed")
    assert notification.status_change == change
    assert notification.idea == idea
    assert notification.actor == manager
    assert notification.read_at is None


def test_a_comment_reaches_the_author_and_followers_and_a_reply_the_parent_author(
    idea, resident, neighbour, committed
):
    follower = person("obserwator@example.com", "Olek Obserwuje")
    follow(user=follower, idea=idea)
    with committed():
        top = add_comment(author=neighbour, idea=idea, body="Tylko nie przy placu zabaw")
    # The commenter does not hear of their own comment; commenting does not make one a follower.
    assert recipients("comment_added") == {resident.email, follower.email}

    Notification.objects.all().delete()
    replier = person("odpowiada@example.com", "Rita Replika")
    with committed():
        add_comment(author=replier, idea=idea, body="Dlaczego?", parent=top)
    assert recipients("comment_reply") == {neighbour.email}
    assert recipients("comment_added") == {resident.email, follower.email}
    # One notification per person, even when they are involved in several ways.
    assert Notification.objects.filter(recipient=neighbour).count() == 1


def test_the_idea_author_replying_notifies_the_commenter_not_themselves(
    idea, resident, neighbour, committed
):
    top = add_comment(author=neighbour, idea=idea, body="Gdzie dokładnie?")
    with committed():
        add_comment(author=resident, idea=idea, body="Przy fontannie", parent=top)
    assert recipients() == {neighbour.email}
    assert Notification.objects.get().kind == "comment_reply"


def test_nobody_hears_their_own_action(resident, ideation_phase, committed):
    with committed():
        idea = post_idea(author=resident, phase=ideation_phase, title="Mój", body="<p>Tekst</p>")
        add_comment(author=resident, idea=idea, body="Dopisuję szczegóły")
        react(user=resident, idea=idea, kind=1)
    assert not Notification.objects.exists()


def test_posting_and_reacting_notify_nobody(idea, neighbour, manager, committed):
    with committed():
        react(user=neighbour, idea=idea, kind=1)
        post_idea(author=neighbour, phase=idea.phase, title="Drugi", body="<p>Pomysł</p>")
    assert not Notification.objects.exists()


def test_held_comments_are_announced_to_nobody_but_the_moderators(idea, neighbour, committed):
    FilteredWord.objects.create(language="pl", term="głupek")
    with committed():
        comment = add_comment(author=neighbour, idea=idea, body="Autor to głupek")
    assert comment.visibility == "held"
    # The idea's author hears nothing; only moderators (none in this city yet) would.
    assert not Notification.objects.exists()


def test_a_hidden_comment_is_not_announced_even_if_hidden_before_the_listener_ran(idea, neighbour):
    comment = add_comment(author=neighbour, idea=idea, body="Komentarz")
    Comment.objects.filter(pk=comment.pk).update(visibility="hidden")
    record_notifications(
        event=InputEvent("comment_added", idea.pk, neighbour.pk, comment_id=comment.pk)
    )
    assert not Notification.objects.exists()


def test_a_status_change_on_a_hidden_idea_concerns_its_author_only(
    idea, resident, neighbour, manager, committed
):
    follow(user=neighbour, idea=idea)
    Idea.objects.filter(pk=idea.pk).update(visibility="hidden")
    idea.refresh_from_db()
    with committed():
        change_status(staff=manager, idea=idea, status=status("rejected"), answer="<p>Nie.</p>")
    assert recipients() == {resident.email}


def test_inactive_accounts_hear_nothing(idea, neighbour, manager, committed):
    follow(user=neighbour, idea=idea)
    neighbour.is_active = False
    neighbour.save()
    with committed():
        change_status(staff=manager, idea=idea, status=status("under-consideration"), answer="")
    assert neighbour.email not in recipients()


def test_recording_the_same_event_twice_changes_nothing(idea, neighbour, manager, committed):
    follow(user=neighbour, idea=idea)
    with committed():
        change = change_status(staff=manager, idea=idea, status=status("accepted"), answer="Tak")
    event = InputEvent("status_changed", idea.pk, manager.pk, status_change_id=change.pk)
    before = Notification.objects.count()
    record_notifications(event=event)
    assert Notification.objects.count() == before == 2
