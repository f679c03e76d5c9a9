"""Moderators hear of reports and of posts the word filter held: the city's administrators and
the project's managers, in the portal and by e-mail, with a link to their queue."""

from __future__ import annotations

from ratusz.accounts.models import Role
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.consultations.participation.events import InputEvent
from ratusz.consultations.participation.moderation.models import FilteredWord
from ratusz.consultations.participation.moderation.services import dismiss_reports, report_content
from ratusz.consultations.participation.notifications.models import Kind, Notification
from ratusz.consultations.participation.notifications.services import record_notifications
from tests.consultations.conftest import make_project
from tests.consultations.participation.notifications.conftest import person


def kinds_by_recipient() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for email, kind in Notification.objects.values_list("recipient__email", "kind"):
        found.setdefault(email, set()).add(kind)
    return found


def test_a_report_reaches_administrators_and_the_projects_managers_only(
    idea, resident, neighbour, manager, committed, outbox
):
    admin = person("admin@gdansk.example", "Ala Admin", role=Role.ADMINISTRATOR)
    elsewhere = person("inny@gdansk.example", "Inny Kierownik", role=Role.PROJECT_MANAGER)
    make_project("inny").managers.add(elsewhere)
    with committed():
        report = report_content(
            reporter=neighbour, item=idea, reason="offensive", explanation="Obraźliwe słowa"
        )
    assert kinds_by_recipient() == {
        admin.email: {Kind.CONTENT_REPORTED},
        manager.email: {Kind.CONTENT_REPORTED},
    }
    notification = Notification.objects.get(recipient=manager)
    assert notification.report == report
    [to_manager] = [m for m in outbox if m.to == [manager.email]]
    assert "Ławki w parku" in to_manager.subject
    assert "Obraźliwe" in to_manager.body
    assert "/moderation/" in to_manager.body  # straight to the queue
    assert resident.email not in {m.to[0] for m in outbox}  # the author is not told


def test_a_reported_comment_names_the_comment_and_shows_it_to_moderators(
    idea, resident, neighbour, manager, committed, outbox
):
    comment = add_comment(author=resident, idea=idea, body="Mój komentarz do zgłoszenia")
    with committed():
        report_content(reporter=neighbour, item=comment, reason="spam")
    notification = Notification.objects.get(recipient=manager, kind=Kind.CONTENT_REPORTED)
    assert notification.comment == comment
    [message] = [m for m in outbox if m.to == [manager.email]]
    assert "Mój komentarz do zgłoszenia" in message.body


def test_held_ideas_and_comments_wait_for_moderators_who_are_told(
    idea, neighbour, manager, committed, outbox
):
    FilteredWord.objects.create(language="pl", term="głupek")
    with committed():
        held_idea = post_idea(
            author=neighbour, phase=idea.phase, title="Sąsiad to głupek", body="<p>Tak</p>"
        )
        held_comment = add_comment(author=neighbour, idea=idea, body="Autor to głupek")
    held = Notification.objects.filter(recipient=manager, kind=Kind.CONTENT_HELD)
    assert {(n.idea_id, n.comment_id) for n in held} == {
        (held_idea.pk, None),
        (idea.pk, held_comment.pk),
    }
    assert not Notification.objects.exclude(recipient=manager).exists()
    assert len([m for m in outbox if m.to == [manager.email]]) == 2


def test_recording_a_report_or_a_hold_twice_changes_nothing(idea, neighbour, manager, committed):
    FilteredWord.objects.create(language="pl", term="głupek")
    with committed():
        report = report_content(reporter=neighbour, item=idea, reason="spam")
        comment = add_comment(author=neighbour, idea=idea, body="Autor to głupek")
    before = Notification.objects.count()
    assert before == 2
    record_notifications(
        event=InputEvent("content_reported", idea.pk, neighbour.pk, report_id=report.pk)
    )
    record_notifications(
        event=InputEvent("comment_added", idea.pk, neighbour.pk, comment_id=comment.pk)
    )
    assert Notification.objects.count() == before


def test_a_report_resolved_before_the_listener_ran_is_not_announced(
    idea, neighbour, manager, committed
):
    report = report_content(reporter=neighbour, item=idea, reason="spam")
    dismiss_reports(staff=manager, item=idea)
    record_notifications(
        event=InputEvent("content_reported", idea.pk, neighbour.pk, report_id=report.pk)
    )
    assert not Notification.objects.filter(kind=Kind.CONTENT_REPORTED).exists()


def test_the_notifications_page_shows_the_report_with_a_link_to_the_queue(
    city, idea, neighbour, manager, committed
):
    from django.test import Client

    with committed():
        report_content(reporter=neighbour, item=idea, reason="spam")
    client = Client(HTTP_HOST=city.host)
    client.force_login(manager)
    page = client.get("/notifications/").content.decode()
    assert "Ławki w parku" in page
    assert 'href="/moderation/"' in page
