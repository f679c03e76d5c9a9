"""Notification e-mails: who gets them and when (preferences), what they say (language, the
city's host, the answer, the unsubscribe link and headers), the daily digest, idempotence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.consultations.methods.ideation.services import add_comment, change_status, follow
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.participation.notifications.services import set_frequency
from ratusz.consultations.participation.notifications.tasks import (
    send_daily_digests,
    send_digest,
    send_notification_email,
)
from tests.consultations.participation.notifications.conftest import person, status

ANSWER = "<p>Ławki staną <strong>w maju</strong> &amp; w czerwcu.</p>"


def accept(idea, manager, committed, answer=ANSWER):
    with committed():
        return change_status(staff=manager, idea=idea, status=status("accepted"), answer=answer)


def mail_to(outbox, email):
    return [message for message in outbox if message.to == [email]]


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_a_status_change_is_emailed_at_once_in_the_city_language(
    city, idea, resident, manager, committed, outbox
):
    accept(idea, manager, committed)
    [message] = outbox
    assert message.to == [resident.email]
    # Anna has no language of her own: Gdańsk's default, Polish, names the status.
    assert message.extra_headers["Content-Language"] == "pl"
    assert "Przyjęty" in message.subject
    assert "Ławki w parku" in message.subject
    assert "Przyjęty" in message.body
    assert "Accepted" not in message.body
    assert "Gdańsk" in message.from_email
    # The official answer, as plain text and as the sanitised HTML.
    assert "Ławki staną w maju & w czerwcu." in message.body
    assert "<strong>w maju</strong>" in html_of(message)
    # Links lead to the idea on the city's own host.
    idea_url = f"://{city.host}/ideas/{idea.pk}/"
    assert idea_url in message.body
    assert idea_url in html_of(message)
    Notification.objects.get(recipient=resident)  # recorded, and stamped as e-mailed
    assert Notification.objects.get(recipient=resident).emailed_at is not None


def test_the_recipients_own_language_wins_if_the_city_speaks_it(idea, manager, committed, outbox):
    english = person("english@example.com", "Emma English", language="en")
    german = person("deutsch@example.com", "Doris Deutsch", language="de")  # not a city language
    follow(user=english, idea=idea)
    follow(user=german, idea=idea)
    accept(idea, manager, committed)
    [to_english] = mail_to(outbox, english.email)
    assert to_english.extra_headers["Content-Language"] == "en"
    assert to_english.subject == "“Ławki w parku” is now: Accepted"
    assert "Official answer:" in to_english.body
    [to_german] = mail_to(outbox, german.email)
    assert to_german.extra_headers["Content-Language"] == "pl"  # Gdańsk's default
    assert "Przyjęty" in to_german.subject


def test_every_email_has_a_one_click_unsubscribe_link_and_headers(
    city, idea, resident, neighbour, manager, committed, outbox
):
    with committed():
        add_comment(author=neighbour, idea=idea, body="Świetny pomysł")
    [message] = outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<http://{city.host}/notifications/unsubscribe/")
    assert header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    assert link in message.body
    assert link in html_of(message)
    assert "Świetny pomysł" in message.body  # the comment itself
    assert "Ola Sąsiad" in message.body  # who wrote it, by name
    assert neighbour.email not in message.body  # never by e-mail address


@pytest.mark.parametrize("frequency", ["none", "daily"])
def test_no_instant_email_for_people_who_chose_otherwise(
    frequency, idea, resident, manager, committed, outbox
):
    set_frequency(user=resident, frequency=frequency)
    accept(idea, manager, committed)
    assert outbox == []
    # The notification is on the notifications page all the same.
    assert Notification.objects.filter(recipient=resident, emailed_at__isnull=True).count() == 1


def record_only(manager, idea, capture):
    """Change the status and run the listener, but queue no e-mail yet."""
    with capture(execute=False) as later:
        change_status(staff=manager, idea=idea, status=status("accepted"), answer=ANSWER)
    for callback in later:
        callback()


def test_the_send_task_is_idempotent(
    idea, resident, manager, outbox, django_capture_on_commit_callbacks
):
    record_only(manager, idea, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=resident)
    assert send_notification_email.delay(notification.pk).result is True
    assert send_notification_email.delay(notification.pk).result is False
    assert len(outbox) == 1


def test_a_notification_read_or_unsubscribed_before_the_task_runs_is_not_emailed(
    idea, resident, neighbour, manager, committed, outbox, django_capture_on_commit_callbacks
):
    follow(user=neighbour, idea=idea)
    record_only(manager, idea, django_capture_on_commit_callbacks)
    Notification.objects.filter(recipient=resident).update(read_at=timezone.now())
    set_frequency(user=neighbour, frequency="none")
    for notification in Notification.objects.all():
        assert send_notification_email.delay(notification.pk).result is False
    assert outbox == []


def test_the_daily_digest_groups_a_days_notifications_in_one_email(
    city, idea, resident, neighbour, manager, committed, outbox
):
    set_frequency(user=resident, frequency="daily")
    with committed():
        add_comment(author=neighbour, idea=idea, body="Pierwszy komentarz")
    with committed():
        add_comment(author=manager, idea=idea, body="Drugi komentarz")
    accept(idea, manager, committed)
    assert mail_to(outbox, resident.email) == []  # nothing at once
    outbox.clear()  # (Ola, who commented, wants hers at once)
    read = Notification.objects.filter(recipient=resident, comment__body="Drugi komentarz")
    read.update(read_at=timezone.now())  # already seen in the portal: not repeated
    old = Notification.objects.create(
        recipient=resident, kind="comment_added", idea=idea, actor=neighbour
    )
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))

    assert send_daily_digests.delay(None).result == 1
    [digest] = outbox
    assert digest.to == [resident.email]
    assert digest.subject.startswith("2 ")
    assert "Gdańsk" in digest.subject
    assert "Pierwszy komentarz" in digest.body
    assert "Przyjęty" in digest.body
    assert "Drugi komentarz" not in digest.body
    assert f"://{city.host}/ideas/{idea.pk}/" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(recipient=resident, emailed_at__isnull=False).count() == 2

    # Run again (a retried task, a second beat): nothing is sent twice.
    send_daily_digests.delay(None)
    send_digest.delay(resident.pk, (timezone.now() - timedelta(days=2)).isoformat())
    assert len(outbox) == 1


def test_the_digest_skips_people_without_news_and_people_who_did_not_choose_it(
    idea, resident, neighbour, manager, committed, outbox
):
    set_frequency(user=neighbour, frequency="daily")  # involved in nothing
    set_frequency(user=resident, frequency="none")
    accept(idea, manager, committed)
    send_daily_digests.delay(None)
    assert send_digest.delay(resident.pk, timezone.now().isoformat()).result == 0
    assert outbox == []


def test_the_digest_waits_for_the_morning_in_the_citys_own_time_zone(
    city, idea, resident, manager, committed, outbox
):
    set_frequency(user=resident, frequency="daily")
    accept(idea, manager, committed)
    local_hour = timezone.localtime(timezone.now(), timezone=_zone(city)).hour
    assert send_daily_digests.delay((local_hour + 1) % 24).result == 0
    assert outbox == []
    assert send_daily_digests.delay(local_hour).result == 1
    assert len(outbox) == 1


def _zone(city):
    from zoneinfo import ZoneInfo

    return ZoneInfo(city.ref.time_zone)


def test_beat_runs_the_digest_in_every_city_through_fan_out(
    idea, resident, manager, committed, outbox
):
    from ratusz.celery import app
    from ratusz.consultations.participation.notifications.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "tenants.fan_out"
    assert entry["args"][0] in app.tasks
    set_frequency(user=resident, frequency="daily")
    accept(idea, manager, committed)
    # As beat would, with "now" instead of the morning hour: every live city runs it once.
    cities = app.tasks[entry["task"]].delay(*entry["args"], None).result
    assert isinstance(cities, int)
    assert cities >= 2
    assert [m.to for m in mail_to(outbox, resident.email)] == [[resident.email]]


def test_notifications_are_in_the_persons_data_download(idea, resident, manager, committed):
    from ratusz.accounts.personal_data import kind_rows, personal_data_kinds

    set_frequency(user=resident, frequency="daily")
    accept(idea, manager, committed)
    kinds = {kind.name: kind for kind in personal_data_kinds()}
    [(setting, _files)] = kind_rows(kinds["notification_settings"], resident)
    assert setting["frequency"] == "Once a day, a summary of the day"
    [(notification, _files)] = kind_rows(kinds["notifications"], resident)
    assert notification["kind"] == "The city changed the status of an idea"
    assert notification["idea"] == idea.title


def test_emails_whose_task_was_lost_are_swept_up_once(
    idea, resident, neighbour, manager, outbox, django_capture_on_commit_callbacks
):
    from ratusz.consultations.participation.notifications.tasks import (
        SWEEP_HORIZON,
        sweep_unsent_emails,
    )

    follow(user=neighbour, idea=idea)
    set_frequency(user=neighbour, frequency="daily")  # the digest carries hers, not the sweeper
    # The status change is recorded but the broker is down: no e-mail task ever runs.
    record_only(manager, idea, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 2
    assert outbox == []
    # Too fresh: its own task may still be on the way.
    assert sweep_unsent_emails.delay().result == 0
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    assert sweep_unsent_emails.delay().result == 1
    assert [m.to for m in outbox] == [[resident.email]]
    # Sent and stamped: the next sweep finds nothing, and news older than the horizon is left.
    assert sweep_unsent_emails.delay().result == 0
    Notification.objects.update(
        emailed_at=None, created_at=timezone.now() - SWEEP_HORIZON - timedelta(hours=1)
    )
    assert sweep_unsent_emails.delay().result == 0
    assert len(outbox) == 1


def test_beat_sweeps_every_city():
    from ratusz.celery import app
    from ratusz.consultations.participation.notifications.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["notifications-sweep-unsent"]
    assert entry["task"] == "tenants.fan_out"
    assert entry["args"][0] in app.tasks
