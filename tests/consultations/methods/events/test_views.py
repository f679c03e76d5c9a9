"""Resident pages, the calendar file, the back office and the isolation of cities."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar

from ratusz.consultations.core import services as project_services
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events.models import Event, Registration, RegistrationStatus
from ratusz.tenants.context import city_context
from tests.consultations.methods.events.conftest import make_event, make_events_project, person
from tests.consultations.test_pages import english


def test_a_resident_registers_then_lands_on_the_waiting_list_and_cancels(city, event, resident):
    with city_context(city.ref):
        make_event(None, title={"pl": "Dzień otwarty ratusza"})
        for i in range(2):
            Registration.objects.create(
                event=event, user=person(f"p{i}@example.com"), status=RegistrationStatus.REGISTERED
            )
    client = english(city, resident)
    listing = client.get("/events/").content.decode()
    # English where the city wrote it, else the city's default language (Polish).
    assert "Walk around Orunia" in listing and "Dzień otwarty ratusza" in listing
    assert "Park Oruński, brama główna" in listing
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "2 of 2 seats taken" in page
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert "you are on the waiting list" in response.content.decode()
    assert "Your place in the queue: 1." in response.content.decode()
    again = client.post(f"/events/{event.pk}/register/", follow=True).content.decode()
    assert "already on the waiting list" in again
    client.post(f"/events/{event.pk}/cancel/")
    with city_context(city.ref):
        assert not Registration.objects.filter(event=event, user=resident).exists()


def test_visitors_are_told_to_log_in_and_the_panel_lists_the_phase_events(city, event):
    page = english(city).get("/projects/spacery/").content.decode()
    assert "Walk around Orunia" in page
    assert "Log in or create an account to attend." in page
    response = english(city).post(f"/events/{event.pk}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_calendar_file_carries_the_event_in_utc(city, event):
    response = english(city).get(f"/events/{event.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    item = next(iter(calendar.walk("VEVENT")))
    assert str(item["summary"]) == "Walk around Orunia"
    assert item.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert str(item["location"]) == "Park Oruński, brama główna"


def test_staff_create_events_and_export_attendance(city, city_admin, events_phase, resident):
    client = english(city, city_admin)
    bad = client.post(
        "/admin/events/new/",
        {
            "phase": events_phase.pk,
            "title_pl": "Warsztaty",
            "title_en": "Workshops",
            "starts_at": "2031-03-01T18:00",
            "ends_at": "2031-03-01T16:00",
            "place_pl": "Ratusz",
            "capacity": "20",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "An event must end after it starts" in html
    assert 'value="Warsztaty"' in html and 'value="Workshops"' in html  # nothing is lost
    good = client.post(
        "/admin/events/new/",
        {
            "phase": events_phase.pk,
            "title_pl": "Warsztaty",
            "title_en": "Workshops",
            "description_pl": "<p>Zapraszamy</p><script>alert(1)</script>",
            "starts_at": "2031-03-01T18:00",
            "ends_at": "2031-03-01T20:00",
            "place_pl": "Ratusz",
            "latitude": "54.348",
            "longitude": "18.653",
            "capacity": "20",
        },
    )
    assert good.status_code == 302
    with city_context(city.ref):
        event = Event.objects.get(title__pl="Warsztaty")
        assert event.title == {"pl": "Warsztaty", "en": "Workshops"}
        assert event.description == {"pl": "<p>Zapraszamy</p>"}  # sanitised
        assert event.place == {"pl": "Ratusz"}
        # Typed in the city's time zone (Warsaw, UTC+1 in March), stored in UTC.
        assert event.starts_at.isoformat() == "2031-03-01T17:00:00+00:00"
        Registration.objects.create(event=event, user=resident, status="registered")
    detail = english(city).get(f"/events/{event.pk}/").content.decode()
    assert "event-map" in detail
    assert "<h1>Workshops</h1>" in detail and "<p>Zapraszamy</p>" in detail
    csv = client.get(f"/admin/events/{event.pk}/attendance.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Name,E-mail,Status,Registered,Present"
    assert "Anna Nowak,mieszkanka@example.com,Registered" in csv


def test_residents_get_403_and_managers_only_reach_their_projects(
    city, resident, events_manager, event
):
    assert english(city, resident).get("/admin/events/").status_code == 403
    manager = english(city, events_manager)
    assert manager.get(f"/admin/events/{event.pk}/").status_code == 200
    assert manager.get(f"/admin/events/phase/{event.phase_id}/").status_code == 200
    with city_context(city.ref):
        other = make_events_project("inny")
        foreign = make_event(other.phases.get(), title={"pl": "Cudze wydarzenie"})
        city_wide = make_event(None, title={"pl": "Miejskie"})
    assert manager.get(f"/admin/events/{foreign.pk}/").status_code == 404
    assert manager.get(f"/admin/events/{foreign.pk}/attendance.csv").status_code == 404
    assert manager.get(f"/admin/events/{city_wide.pk}/").status_code == 404
    listing = manager.get("/admin/events/").content.decode()
    assert "Walk around Orunia" in listing and "Cudze wydarzenie" not in listing
    # A manager may not make city-wide events: the phase is required.
    refused = manager.post(
        "/admin/events/new/",
        {"title_pl": "X", "starts_at": "2031-03-01T18:00", "ends_at": "2031-03-01T19:00",
         "place_pl": "Ratusz"},
    )  # fmt: skip
    assert refused.status_code == 400
    with city_context(city.ref):
        assert not Event.objects.filter(title__pl="X").exists()


def test_one_citys_events_never_reach_another(city, other_city, event, resident):
    with city_context(city.ref):
        Registration.objects.create(event=event, user=resident, status="registered")
    other = english(other_city)
    listing = other.get("/events/").content.decode()
    assert "Spacer po Oruni" not in listing and "Walk around Orunia" not in listing
    assert other.get(f"/events/{event.pk}/").status_code == 404
    with city_context(other_city.ref):
        assert not Event.objects.exists()
        assert not Registration.objects.exists()
        assert not Phase.objects.filter(method="events").exists()


def test_events_of_draft_projects_stay_hidden(city, in_city):
    project = project_services.create_project(slug="szkic", title={"pl": "Szkic"})
    project_services.add_phase(
        project=project, method="events", starts_at=timezone.now(), ends_at=None
    )
    hidden = make_event(project.phases.get(), title={"pl": "Ukryte"})
    assert english(city).get(f"/events/{hidden.pk}/").status_code == 404
    assert "Ukryte" not in english(city).get("/events/").content.decode()


def test_the_edit_form_has_one_field_per_city_language_filled_in(city, city_admin, event):
    page = english(city, city_admin).get(f"/admin/events/{event.pk}/").content.decode()
    assert 'name="title_pl"' in page and 'name="title_en"' in page
    assert 'value="Spacer po Oruni"' in page and 'value="Walk around Orunia"' in page
    assert 'lang="en"' in page
    assert "Title (Polish)" in page and "Place (English)" in page
    assert page.index('name="title_pl"') < page.index('name="title_en"')


def test_an_english_only_city_gets_english_fields_only(other_city):
    from ratusz.accounts.models import Role, User

    with city_context(other_city.ref):
        admin = User.objects.create_user(
            "admin-events@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    page = english(other_city, admin).get("/admin/events/new/").content.decode()
    assert 'name="title_en"' in page and 'name="title_pl"' not in page
