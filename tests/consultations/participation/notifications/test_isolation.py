"""Nothing of one city's notifications reaches another: not the rows, not the e-mails, not the
pages, not the unsubscribe links, not the tasks. Account ids repeat from city to city, so the
Springfield accounts here share their ids with Gdańsk's on purpose."""

from __future__ import annotations

import pytest
from django.core import mail

from ratusz.accounts.models import User
from ratusz.accounts.personal_data import personal_data_kinds
from ratusz.consultations.methods.ideation.services import change_status, follow, post_idea
from ratusz.consultations.participation.notifications import selectors
from ratusz.consultations.participation.notifications.models import (
    Notification,
    NotificationPreference,
)
from ratusz.consultations.participation.notifications.services import set_frequency
from ratusz.consultations.participation.notifications.tasks import (
    send_daily_digests,
    send_notification_email,
)
from ratusz.consultations.participation.notifications.unsubscribe import make_token
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.consultations.participation.notifications.conftest import PASSWORD, client_for, status


def twin(user: User, email: str) -> User:
    """A Springfield account with the same id as a Gdańsk one (made last: ids are explicit)."""
    return User.objects.create_user(email, PASSWORD, full_name="Homer Twin", pk=user.pk)


@pytest.fixture
def springfield(other_city, idea, resident, neighbour, manager):
    """Springfield with its own project, idea and a follower; its accounts `twin_resident` and
    `twin_neighbour` have the ids of Gdańsk's resident and neighbour."""
    with city_context(other_city.ref):
        project = make_project("springfield-park")
        phase = project.phases.get(method="ideation")
        staff = User.objects.create_user(
            "staff@springfield.example", PASSWORD, role="administrator", is_staff=True
        )
        twin_resident = twin(resident, "homer@springfield.example")
        twin_neighbour = twin(neighbour, "marge@springfield.example")
        their_idea = post_idea(
            author=twin_resident, phase=phase, title="Donut stand", body="<p>On Main St.</p>"
        )
        follow(user=twin_neighbour, idea=their_idea)
    return {
        "idea": their_idea,
        "staff": staff,
        "resident": twin_resident,
        "neighbour": twin_neighbour,
    }


def in_springfield(other_city, function, *args, **kwargs):
    with city_context(other_city.ref):
        return function(*args, **kwargs)


def test_a_gdansk_status_change_reaches_only_gdansk_accounts_and_hosts(
    city, other_city, idea, resident, neighbour, manager, springfield, committed, outbox
):
    follow(user=neighbour, idea=idea)
    # Springfield's twin of Anna (same account id) wants no e-mails: that is not Anna's choice.
    in_springfield(other_city, set_frequency, user=springfield["resident"], frequency="none")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    assert sorted(m.to[0] for m in outbox) == sorted([resident.email, neighbour.email])
    for message in outbox:
        text = message.body + message.alternatives[0][0] + str(message.extra_headers)
        assert other_city.host not in text
        assert "Springfield" not in text
        assert city.host in text
    assert in_springfield(other_city, Notification.objects.count) == 0


def test_the_notifications_page_of_one_city_lists_only_its_own(
    city, other_city, idea, resident, neighbour, manager, springfield, committed
):
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    assert Notification.objects.filter(recipient_id=resident.pk).count() == 1
    homer = springfield["resident"]
    page = client_for(other_city, homer).get("/notifications/").content.decode()
    assert "Ławki w parku" not in page
    assert "You have no unread notifications." in page
    assert in_springfield(other_city, selectors.unread_count, homer) == 0
    assert in_springfield(other_city, lambda: selectors.inbox(homer).count()) == 0
    notifications_kind = next(k for k in personal_data_kinds() if k.name == "notifications")
    assert in_springfield(other_city, lambda: list(notifications_kind.rows(homer))) == []
    # And Springfield's own notification does not show in Gdańsk.
    with city_context(other_city.ref), committed():
        change_status(
            staff=springfield["staff"],
            idea=springfield["idea"],
            status=status("accepted"),
            answer="<p>Sure</p>",
        )
    assert in_springfield(other_city, selectors.unread_count, homer) == 1
    page = client_for(city, resident).get("/notifications/").content.decode()
    assert "Donut stand" not in page
    assert selectors.unread_count(resident) == 1


def test_a_gdansk_unsubscribe_link_does_nothing_in_springfield(
    city, other_city, resident, springfield
):
    gdansk_token = make_token(resident.pk)  # Anna's id is also Homer's id in Springfield
    response = client_for(other_city).post(f"/notifications/unsubscribe/{gdansk_token}/")
    assert response.status_code == 400
    assert in_springfield(other_city, NotificationPreference.objects.exists) is False
    springfield_token = in_springfield(other_city, make_token, springfield["resident"].pk)
    assert client_for(city).get(f"/notifications/unsubscribe/{springfield_token}/").status_code == (
        400
    )
    assert not NotificationPreference.objects.exists()


def test_a_task_queued_in_one_city_acts_only_there(
    city, other_city, idea, resident, neighbour, manager, springfield, outbox, committed
):
    set_frequency(user=resident, frequency="none")  # keep Gdańsk's row un-e-mailed
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    gdansk_row = Notification.objects.get(recipient=resident)
    # Springfield has a notification with the very same id, for its own account.
    with city_context(other_city.ref):
        Notification.objects.create(
            pk=gdansk_row.pk,
            recipient=springfield["resident"],
            kind="status_changed",
            idea=springfield["idea"],
            status_change=change_status(
                staff=springfield["staff"],
                idea=springfield["idea"],
                status=status("rejected"),
                answer="<p>No</p>",
            ),
        )
        assert send_notification_email.delay(gdansk_row.pk).result is True
    [message] = outbox
    assert message.to == ["homer@springfield.example"]
    assert other_city.host in message.body
    assert city.host not in message.body
    assert "Gdańsk" not in message.body + message.from_email
    gdansk_row.refresh_from_db()
    assert gdansk_row.emailed_at is None  # Gdańsk's row was not touched


def test_daily_digests_run_per_city(
    city, other_city, idea, resident, manager, springfield, committed, outbox
):
    set_frequency(user=resident, frequency="daily")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    with city_context(other_city.ref):
        assert send_daily_digests.delay(None).result == 0  # nobody in Springfield chose it
    assert mail.outbox == []
    assert send_daily_digests.delay(None).result == 1
    assert [m.to for m in outbox] == [[resident.email]]


def test_the_current_city_of_a_task_is_its_own(city, other_city):
    from ratusz.celery import app

    @app.task(name="tests.notifications.current_city")
    def which() -> str:
        return selectors.current_city().primary_domain

    with city_context(other_city.ref):
        assert which.delay().result == other_city.host
    with city_context(city.ref):
        assert which.delay().result == city.host
