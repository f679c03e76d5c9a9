"""The move to texts per language is reversible and keeps what was written: existing
single-language texts become {"<the city's default language>": text}, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.volunteering.models import Cause
from ratusz.tenants.context import city_context
from tests.consultations.methods.events.conftest import make_event, make_events_project
from tests.consultations.methods.volunteering.test_volunteering import make_phase

EVENTS_BEFORE = ("events", "0001_events_and_registrations")
EVENTS_AFTER = ("events", "0004_remove_single_language_texts")
CAUSES_BEFORE = ("volunteering", "0001_causes_and_sign_ups")
CAUSES_AFTER = ("volunteering", "0004_remove_single_language_texts")


def _migrate(*targets: tuple[str, str]) -> None:
    # Deferred foreign-key checks of rows written in this test would block ALTER TABLE.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))


def _row(table: str, pk: int) -> tuple[object, ...]:
    """The raw columns of a row, as the single-language schema had them (`table` is ours)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title, description FROM {table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.parametrize("place", ["Park Oruński", ""])
def test_texts_go_back_to_one_language_and_forward_again(city, events_phase, place):
    with city_context(city.ref):
        event = make_event(
            events_phase,
            title={"pl": "Spacer po Oruni", "en": "Walk around Orunia"},
            description={"pl": "<p>Zbiórka przy bramie</p>"},
            place={"pl": place} if place else {},
            online_url="" if place else "https://meet.example/spacer",
        )
        cause = make_cause()
        _migrate(EVENTS_BEFORE, CAUSES_BEFORE)
        # Back to one text: the city's default language (Polish) is kept.
        assert _row("events_event", event.pk) == ("Spacer po Oruni", "<p>Zbiórka przy bramie</p>")
        assert _row("volunteering_cause", cause.pk) == ("Sprzątanie plaży", "")
        _migrate(EVENTS_AFTER, CAUSES_AFTER)
        event = Event.objects.get(pk=event.pk)
        assert event.title == {"pl": "Spacer po Oruni"}
        assert event.description == {"pl": "<p>Zbiórka przy bramie</p>"}
        assert event.place == ({"pl": place} if place else {})
        assert Cause.objects.get(pk=cause.pk).title == {"pl": "Sprzątanie plaży"}
        assert Cause.objects.get(pk=cause.pk).description == {}


def test_an_english_city_keeps_its_texts_in_english(other_city):
    with city_context(other_city.ref):
        phase = make_events_project("walks").phases.get(method="events")
        event = make_event(phase, title={"en": "Riverside walk"}, place={"en": "Boathouse"})
        _migrate(EVENTS_BEFORE)
        _migrate(EVENTS_AFTER)
        event = Event.objects.get(pk=event.pk)
        assert event.title == {"en": "Riverside walk"}
        assert event.place == {"en": "Boathouse"}


def make_cause() -> Cause:
    from ratusz.consultations.methods.volunteering import services

    return services.add_cause(
        phase=make_phase("plaza"), title={"pl": "Sprzątanie plaży"}, description={}, needed=3
    )
