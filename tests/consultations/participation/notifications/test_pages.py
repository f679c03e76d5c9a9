"""The notifications page, marking read (plain forms and HTMX), preferences, unsubscribing."""

from __future__ import annotations

import re
from typing import Any

from django.core import signing

from ratusz.consultations.methods.ideation.models import Comment
from ratusz.consultations.methods.ideation.services import add_comment, change_status, follow
from ratusz.consultations.participation.notifications.models import (
    Notification,
    NotificationPreference,
)
from ratusz.consultations.participation.notifications.selectors import frequency_of, unread_count
from ratusz.consultations.participation.notifications.unsubscribe import SALT, make_token
from tests.consultations.participation.notifications.conftest import client_for, status

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def notify_twice(idea, neighbour, manager, committed):
    with committed():
        add_comment(author=neighbour, idea=idea, body="Pierwszy komentarz")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak.</p>")


def test_the_pages_need_a_signed_in_person(city):
    client = client_for(city)
    for method, path in [
        ("get", "/notifications/"),
        ("get", "/notifications/preferences/"),
        ("post", "/notifications/read-all/"),
        ("post", "/notifications/1/read/"),
    ]:
        response = client.get(path) if method == "get" else client.post(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_newest_first_and_highlights_unread(
    city, idea, resident, neighbour, manager, committed
):
    notify_twice(idea, neighbour, manager, committed)
    Notification.objects.filter(kind="comment_added").update(read_at="2030-01-01T00:00:00Z")
    html = client_for(city, resident).get("/notifications/").content.decode()
    status_at = html.index("is now: Accepted")
    comment_at = html.index("Ola Sąsiad commented on the idea “Ławki w parku”")
    assert status_at < comment_at  # newest first
    assert html.count("notification-unread") == 1
    assert "You have 1 unread notification." in html
    assert f'href="/ideas/{idea.pk}/"' in html
    assert "Official answer" in html
    assert "Pierwszy komentarz" in html


def test_marking_one_read_without_javascript(city, idea, resident, neighbour, manager, committed):
    notify_twice(idea, neighbour, manager, committed)
    notification = Notification.objects.get(recipient=resident, kind="comment_added")
    client = client_for(city, resident)
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    response = client.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == f"/notifications/#notification-{notification.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(resident) == 1
    assert "marked as read" in client.get("/notifications/").content.decode()


def test_marking_one_read_with_htmx_returns_the_item_and_the_new_count(
    city, idea, resident, neighbour, manager, committed
):
    notify_twice(idea, neighbour, manager, committed)
    notification = Notification.objects.get(recipient=resident, kind="comment_added")
    response = client_for(city, resident).post(f"/notifications/{notification.pk}/read/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="notification-{notification.pk}"' in html
    assert "notification-unread" not in html
    assert 'hx-swap-oob="true"' in html
    assert "You have 1 unread notification." in html


def test_marking_all_read(city, idea, resident, neighbour, manager, committed):
    notify_twice(idea, neighbour, manager, committed)
    client = client_for(city, resident)
    response = client.post("/notifications/read-all/", **HTMX)
    assert "You have no unread notifications." in response.content.decode()
    assert unread_count(resident) == 0
    assert client.post("/notifications/read-all/").status_code == 302


def test_nobody_can_mark_another_persons_notification(
    city, idea, resident, neighbour, manager, committed
):
    notify_twice(idea, neighbour, manager, committed)
    theirs = Notification.objects.get(recipient=resident, kind="status_changed")
    response = client_for(city, neighbour).post(f"/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Ola sees only her own notification on her page.
    html = client_for(city, neighbour).get("/notifications/").content.decode()
    assert html.count('<li id="notification-') == 1


def test_older_notifications_load_with_htmx(city, idea, resident, neighbour):
    # (Made directly: the services' rate limit would rightly stop 32 comments in a row.)
    comments = Comment.objects.bulk_create(
        Comment(idea=idea, author=neighbour, body=f"Komentarz {n}") for n in range(32)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=resident, kind="comment_added", idea=idea, comment=comment, actor=neighbour
        )
        for comment in comments
    )
    client = client_for(city, resident)
    first = client.get("/notifications/").content.decode()
    assert first.count('<li id="notification-') == 30
    assert 'hx-get="?page=2"' in first
    more = client.get("/notifications/?page=2", **HTMX).content.decode()
    assert "<html" not in more
    assert more.count('<li id="notification-') == 2
    assert "Show older notifications" not in more


def test_preferences_are_saved_and_bad_input_is_explained(city, resident, in_city):
    client = client_for(city, resident)
    page = client.get("/notifications/preferences/").content.decode()
    assert re.search(r'value="instant"[^>]*checked', page)
    assert client.post("/notifications/preferences/", {"frequency": "daily"}).status_code == 302
    assert frequency_of(NotificationPreference.objects.get(user=resident).user) == "daily"
    response = client.post("/notifications/preferences/", {"frequency": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert NotificationPreference.objects.get(user=resident).frequency == "daily"
    response = client.post("/notifications/preferences/", {})
    assert "Choose how often we may e-mail you." in response.content.decode()


def test_city_news_by_email_can_be_stopped_and_wanted_again(city, resident, in_city):
    from ratusz.consultations.campaigns.selectors import is_opted_out

    client = client_for(city, resident)
    page = client.get("/notifications/preferences/").content.decode()
    assert re.search(r'name="campaigns"[^>]*checked', page)  # wanted until said otherwise
    client.post("/notifications/preferences/", {"frequency": "instant"})
    assert is_opted_out(resident)
    client.post("/notifications/preferences/", {"frequency": "instant", "campaigns": "on"})
    assert not is_opted_out(resident)


def unsubscribe_link_in(message) -> str:
    return message.extra_headers["List-Unsubscribe"][1:-1]


def test_unsubscribing_from_the_email_link_without_signing_in(
    city, idea, resident, neighbour, committed, outbox
):
    with committed():
        add_comment(author=neighbour, idea=idea, body="Hej")
    link = unsubscribe_link_in(outbox[0])
    path = link.split(city.host, 1)[1]
    client = client_for(city)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop notification e-mails?" in page.content.decode()
    assert "mi***@example.com" in page.content.decode()
    assert frequency_of(resident) == "instant"  # a GET (a link preview, a scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert NotificationPreference.objects.get(user=resident).frequency == "none"


def test_one_click_unsubscribe_by_the_mail_provider(city, resident, in_city):
    client = client_for(city, enforce_csrf_checks=True)
    response = client.post(
        f"/notifications/unsubscribe/{make_token(resident.pk)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=resident).frequency == "none"


def test_a_forged_or_altered_link_is_refused_with_a_clear_page(city, resident, in_city):
    genuine = make_token(resident.pk)
    payload = {"c": city.schema, "u": resident.pk}
    forged = signing.dumps(payload, salt=SALT, key="not-the-secret-key-of-this-installation")
    other_purpose = signing.dumps(payload, salt="another.purpose")
    client = client_for(city)
    for token in ("nonsense", genuine[:-3] + "abc", forged, other_purpose):
        for method in (client.get, client.post):
            response = method(f"/notifications/unsubscribe/{token}/")
            assert response.status_code == 400
            assert "This unsubscribe link does not work" in response.content.decode()
            assert "Nothing was changed." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_follow_then_unsubscribe_stops_emails_but_not_the_page(
    city, idea, neighbour, manager, committed, outbox
):
    follow(user=neighbour, idea=idea)
    client_for(city).post(f"/notifications/unsubscribe/{make_token(neighbour.pk)}/")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    assert [m for m in outbox if m.to == [neighbour.email]] == []
    html = client_for(city, neighbour).get("/notifications/").content.decode()
    assert "is now: Accepted" in html
