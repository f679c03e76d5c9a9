"""Registering, the waiting list, cancelling, reminders: the services and the task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events import services, tasks
from ratusz.consultations.methods.events.forms import EventForm, PhaseSettingsForm
from ratusz.consultations.methods.events.models import Event, Registration, RegistrationStatus
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    NotificationPreference,
)
from tests.consultations.methods.events.conftest import make_event, person


def test_an_event_that_ends_before_it_starts_is_refused(events_phase):
    start = timezone.now() + timedelta(days=2)
    details = services.EventDetails(
        title={"pl": "Warsztat"}, starts_at=start, ends_at=start - timedelta(hours=1)
    )
    with pytest.raises(services.Refused, match="must end after it starts"):
        services.create_event(details=details, phase=events_phase)
    assert not Event.objects.exists()
    form = EventForm(
        {
            "phase": events_phase.pk,
            "title_pl": "Warsztat",
            "starts_at": "2030-05-01T18:00",
            "ends_at": "2030-05-01T17:00",
            "place_pl": "Ratusz",
        },
        phases=Phase.objects.filter(pk=events_phase.pk),
        city_wide_allowed=False,
        languages=("pl", "en"),
        default_language="pl",
    )
    assert not form.is_valid()
    assert "An event must end after it starts" in str(form.errors["ends_at"])


def test_registering_fills_seats_then_the_waiting_list(event, resident):
    anna, bartek, celina = resident, person("b@example.com"), person("c@example.com")
    assert services.register(user=anna, event=event).status == RegistrationStatus.REGISTERED
    assert services.register(user=bartek, event=event).status == RegistrationStatus.REGISTERED
    waiting = services.register(user=celina, event=event)
    assert waiting.status == RegistrationStatus.WAITING
    with pytest.raises(services.Refused, match="already registered"):
        services.register(user=anna, event=event)
    with pytest.raises(services.Refused, match="already on the waiting list"):
        services.register(user=celina, event=event)
    assert Registration.objects.filter(event=event).count() == 3


def test_a_cancellation_promotes_the_first_person_waiting_and_tells_them(
    event, resident, django_capture_on_commit_callbacks, eager_tasks
):
    bartek, celina, dawid = (
        person("b@example.com"),
        person("c@example.com"),
        person("d@example.com"),
    )
    services.register(user=resident, event=event)
    services.register(user=bartek, event=event)
    services.register(user=celina, event=event)
    services.register(user=dawid, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(user=resident, event=event)
    promoted = Registration.objects.get(event=event, user=celina)
    assert promoted.status == RegistrationStatus.REGISTERED
    assert promoted.promoted_at is not None
    assert Registration.objects.get(event=event, user=dawid).status == RegistrationStatus.WAITING
    assert not Registration.objects.filter(event=event, user=resident).exists()
    assert [m.to for m in mail.outbox] == [["c@example.com"]]
    with pytest.raises(services.Refused, match="not registered"):
        services.cancel_registration(user=resident, event=event)


def test_raising_the_capacity_gives_seats_to_people_waiting(event, resident):
    others = [person(f"p{i}@example.com") for i in range(3)]
    services.register(user=resident, event=event)
    for someone in others:
        services.register(user=someone, event=event)
    details = services.EventDetails(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at,
        place={"pl": "Ratusz"},
        capacity=3,
    )  # fmt: skip
    services.update_event(event=event, details=details)
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses[others[1].pk] == RegistrationStatus.REGISTERED
    assert statuses[others[2].pk] == RegistrationStatus.WAITING


def test_permissions_come_from_the_phase_and_say_why(events_phase, resident):
    events_phase.permissions = {"attend": {"who": "verified"}}
    events_phase.save()
    event = make_event(events_phase)
    with pytest.raises(services.NotAllowed) as refused:
        services.register(user=resident, event=event)
    assert refused.value.decision.code == "not_verified"
    assert "verified residents" in str(refused.value)


def test_a_started_event_takes_no_more_registrations(event, resident):
    later = event.starts_at + timedelta(minutes=5)
    with pytest.raises(services.NotAllowed, match="already started"):
        services.register(user=resident, event=event, now=later)


def test_without_a_waiting_list_a_full_event_refuses(in_city, resident):
    from tests.consultations.methods.events.conftest import make_events_project

    project = make_events_project("bez-kolejki", waiting_list=False)
    event = make_event(project.phases.get(), capacity=1)
    services.register(user=person("x@example.com"), event=event)
    with pytest.raises(services.Refused, match="full"):
        services.register(user=resident, event=event)


def test_city_wide_events_need_an_account_only(in_city, resident):
    event = make_event(None, capacity=None, title={"pl": "Dzień otwarty ratusza"})
    assert event.project is None
    assert services.register(user=resident, event=event).status == RegistrationStatus.REGISTERED


def test_reminders_go_once_the_day_before_and_respect_preferences(event, resident, eager_tasks):
    quiet = person("cicho@example.com")
    NotificationPreference.objects.create(user=quiet, frequency=Frequency.NONE)
    resident.language = "en"
    resident.save(update_fields=["language"])
    services.register(user=resident, event=event)
    services.register(user=quiet, event=event)
    mail.outbox.clear()
    # Three days before: nothing is due yet.
    assert tasks.send_reminders.delay(timezone.now().isoformat()).result == 0
    day_before = (event.starts_at - timedelta(hours=20)).isoformat()
    assert tasks.send_reminders.delay(day_before).result == 2
    assert [m.to for m in mail.outbox] == [["mieszkanka@example.com"]]
    # In the resident's language (English), not the city's default.
    assert "Walk around Orunia" in mail.outbox[0].subject
    assert "Park Oruński, brama główna" in mail.outbox[0].body  # no English place: Polish
    # Beat runs every hour: the next run sends nothing again.
    assert tasks.send_reminders.delay(day_before).result == 0
    assert len(mail.outbox) == 1
    assert Registration.objects.filter(event=event, reminded_at__isnull=False).count() == 2


def test_the_settings_form_keeps_the_waiting_list_option(events_phase):
    form = PhaseSettingsForm({"waiting_list": ""}, phase=events_phase)
    assert form.is_valid()
    assert form.cleaned_data == {"waiting_list": False}
    assert PhaseSettingsForm(phase=events_phase).initial["waiting_list"] is True


def test_an_event_needs_a_title_and_keeps_only_the_languages_written(events_phase):
    start = timezone.now() + timedelta(days=2)
    untitled = services.EventDetails(
        title={"pl": "  ", "en": ""}, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    with pytest.raises(services.Refused, match="title"):
        services.create_event(details=untitled, phase=events_phase)
    assert not Event.objects.exists()
    event = services.create_event(
        details=services.EventDetails(
            title={"pl": " Warsztat ", "en": ""},
            description={"pl": "<p>Opis</p><script>x()</script>", "en": ""},
            place={"pl": "Ratusz", "en": "City Hall"},
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ),
        phase=events_phase,
    )
    event.refresh_from_db()
    assert event.title == {"pl": "Warsztat"}
    assert event.description == {"pl": "<p>Opis</p>"}
    assert event.place == {"pl": "Ratusz", "en": "City Hall"}


def test_the_form_has_a_field_per_city_language_and_needs_the_default_one(events_phase):
    def form(data: dict[str, str]) -> EventForm:
        return EventForm(
            {"phase": events_phase.pk, "starts_at": "2030-05-01T18:00",
             "ends_at": "2030-05-01T19:00", **data},
            phases=Phase.objects.filter(pk=events_phase.pk),
            city_wide_allowed=False,
            languages=("en", "pl"),
            default_language="pl",
        )  # fmt: skip

    fields = list(form({}).fields)
    assert fields[:5] == ["phase", "title_pl", "title_en", "description_pl", "description_en"]
    assert "place_pl" in fields and "place_en" in fields
    english_only = form({"title_en": "Workshop", "place_en": "City Hall"})
    assert not english_only.is_valid()
    assert "title_pl" in english_only.errors
    missing_place = form({"title_pl": "Warsztat", "place_en": "City Hall"})
    assert not missing_place.is_valid()
    assert "default language" in str(missing_place.errors["place_pl"])
    online = form({"title_pl": "Warsztat", "online_url": "https://meet.example/x"})
    assert online.is_valid(), online.errors
    assert online.details().title == {"pl": "Warsztat", "en": ""}


def test_the_data_migration_reads_each_citys_default_language(city, other_city):
    from importlib import import_module

    from django.db import connection

    from ratusz.tenants.context import city_context

    migration = import_module(
        "ratusz.consultations.methods.events.migrations.0003_event_texts_into_languages"
    )
    with city_context(city.ref):
        assert migration.city_default_language(connection) == "pl"
    with city_context(other_city.ref):
        assert migration.city_default_language(connection) == "en"


def test_a_deleted_account_gives_its_seat_to_the_first_person_waiting(event, resident):
    from ratusz.accounts.services import delete_account

    bartek, celina = person("b@example.com"), person("c@example.com")
    services.register(user=resident, event=event)
    services.register(user=bartek, event=event)
    services.register(user=celina, event=event)
    assert Registration.objects.get(user=celina).status == RegistrationStatus.WAITING
    delete_account(user=resident)
    assert Registration.objects.get(user=celina).status == RegistrationStatus.REGISTERED
    assert Registration.objects.filter(event=event).count() == 2
