"""The city's wording of automatic e-mails: used when present (per language, placeholders
filled and escaped), the built-in one otherwise; unknown placeholders are refused."""

from __future__ import annotations

import pytest

from ratusz.consultations.campaigns import services
from ratusz.consultations.campaigns.models import EmailTemplate
from ratusz.consultations.campaigns.placeholders import UnknownPlaceholder
from ratusz.consultations.methods.ideation.services import change_status, follow, post_idea
from ratusz.consultations.participation.notifications.emails import welcome_email
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.participation.notifications.selectors import current_city
from ratusz.consultations.participation.notifications.services import email_digest, set_frequency
from tests.consultations.campaigns.conftest import html_of
from tests.consultations.participation.notifications.conftest import person, status


@pytest.fixture
def idea(resident, ideation_phase):
    return post_idea(
        author=resident, phase=ideation_phase, title="Ławki <w> parku", body="<p>Ławki</p>"
    )


def save_status_template(admin):
    return services.save_email_template(
        kind="status_changed",
        subject={"pl": "{{ idea_title }}: {{ status }}", "en": "News about {{ idea_title }}"},
        body={
            "pl": '<p>Cześć {{ name }}!</p>{{ answer }}<p><a href="{{ link }}">Zobacz</a></p>',
            "en": "<p>Hi {{ name }}, it is now {{ status }}.</p>",
        },
        by=admin,
    )


def test_the_citys_status_email_is_used_with_placeholders_filled(
    city, admin, idea, resident, manager, committed, outbox
):
    save_status_template(admin)
    english = person("en@example.com", "Emma <Eng>", language="en")
    follow(user=english, idea=idea)
    with committed():
        change_status(
            staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak, <b>w maju</b></p>"
        )
    by_address = {m.to[0]: m for m in outbox}
    polish = by_address[resident.email]
    assert polish.subject == "Ławki <w> parku: Przyjęty"
    html = html_of(polish)
    assert "Cześć Anna Nowak!" in html
    assert "<b>w maju</b>" in html  # the answer is sanitised HTML and stays HTML
    assert f'href="http://{city.host}/ideas/{idea.pk}/"' in html
    assert "Tak, w maju" in polish.body
    assert polish.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    to_emma = by_address[english.email]
    assert to_emma.subject == "News about Ławki <w> parku"
    assert "Hi Emma &lt;Eng&gt;, it is now Accepted." in html_of(to_emma)  # escaped


def test_without_a_city_version_the_built_in_email_goes_out(
    idea, resident, manager, committed, outbox
):
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    [message] = outbox
    assert "Przyjęty" in message.subject
    assert "Ławki <w> parku" in message.subject


def test_a_reset_brings_back_the_built_in_email(admin, idea, resident, manager, committed, outbox):
    save_status_template(admin)
    services.reset_email_template(kind="status_changed")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    assert outbox[0].subject == "„Ławki <w> parku” – nowy status: Przyjęty"
    assert not EmailTemplate.objects.exists()


def test_the_citys_daily_digest_intro_and_subject(
    admin, idea, resident, manager, outbox, committed
):
    from datetime import timedelta

    from django.utils import timezone

    services.save_email_template(
        kind="daily_digest",
        subject={"pl": "{{ count }} nowości w {{ city }}"},
        body={"pl": "<p>Dzień dobry {{ name }}, oto nowości:</p>"},
        by=admin,
    )
    set_frequency(user=resident, frequency="daily")
    with committed():
        change_status(staff=manager, idea=idea, status=status("accepted"), answer="<p>Tak</p>")
    assert outbox == []
    assert email_digest(user_id=resident.pk, since=timezone.now() - timedelta(hours=1)) == 1
    [message] = outbox
    assert message.subject == "1 nowości w Gdańsk"
    assert "Dzień dobry Anna Nowak, oto nowości:" in message.body
    assert "Ławki <w> parku" in message.body  # the entries follow the city's intro
    assert Notification.objects.get(recipient=resident).emailed_at is not None


def test_the_welcome_email_built_in_and_the_citys(admin, resident, in_city):
    city = current_city()
    built_in = welcome_email(resident, city)
    assert "Gdańsk" in built_in.subject
    assert "Anna Nowak" in built_in.body
    services.save_email_template(
        kind="welcome",
        subject={"pl": "Witaj {{ name }}"},
        body={"pl": '<p>Miło Cię widzieć w {{ city }}: <a href="{{ link }}">portal</a></p>'},
        by=admin,
    )
    custom = welcome_email(resident, city)
    assert custom.subject == "Witaj Anna Nowak"
    assert f"portal (http://{city.primary_domain}/)" in custom.body
    assert custom.extra_headers["List-Unsubscribe"]


@pytest.mark.parametrize(
    "body", ["<p>{{ password }}</p>", "<p>{{ name|upper }}</p>", "<p>{% if x %}a{% endif %}</p>"]
)
def test_unknown_placeholders_are_never_saved(admin, body):
    with pytest.raises(UnknownPlaceholder):
        services.save_email_template(
            kind="welcome", subject={"pl": "Hej"}, body={"pl": body}, by=admin
        )
    assert not EmailTemplate.objects.exists()


def test_a_placeholder_of_another_email_is_unknown_here(admin):
    with pytest.raises(UnknownPlaceholder) as refused:
        services.save_email_template(
            kind="welcome", subject={"pl": "{{ idea_title }}"}, body={"pl": "<p>x</p>"}, by=admin
        )
    assert "{{ idea_title }}" in refused.value.message
