"""The sign-up wizard through its views: a city is made, the browser lands signed in in the
new portal's back office, the administrator gets a one-time link; and every way to get it
wrong."""

from __future__ import annotations

import threading
import time
import zoneinfo
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.branding.models import Page
from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.consultations.methods.surveys.models import Question, Survey
from ratusz.consultations.methods.voting.models import Candidate
from ratusz.onboarding import throttling
from ratusz.onboarding.models import SignInLink, Signup
from ratusz.onboarding.selectors import city_ref
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City
from tests.onboarding.conftest import host_of, path_of, sign_in_link, wizard_data

pytestmark = pytest.mark.django_db


def submit(control, committed, **overrides):
    with committed():
        return control.post("/signup/", wizard_data(**overrides))


def test_landing_and_pricing_pages(control):
    landing = control.get("/")
    assert landing.status_code == 200
    assert "/signup/" in landing.content.decode()
    pricing = control.get("/pricing/").content.decode()
    # The plans come from billing's table, with their prices.
    assert "Starter" in pricing and "490 PLN" in pricing and "Premium" in pricing


def test_wizard_form_offers_plans_templates_and_a_fresh_key(control):
    page = control.get("/signup/?plan=standard").content.decode()
    assert 'name="idempotency_key"' in page
    assert 'value="standard"' in page and "Participatory budget" in page
    assert 'name="website"' in page  # the honeypot


def test_wizard_end_to_end(control, committed, outbox, settings):
    response = submit(control, committed)
    assert response.status_code == 302
    handoff = response["Location"]
    assert host_of(handoff) == "zielona.localhost"
    city = City.objects.get(slug="zielona")
    assert city.status == "trial" and city.languages == ["pl", "en"]
    signup = Signup.objects.get(city_id=city.pk)
    assert signup.confirmed_at is None and signup.population == 12000
    # Only hashes are stored.
    assert not SignInLink.objects.filter(token_hash__contains=path_of(handoff).split("/")[-2])

    # The browser is handed over to the city's host and lands in the back office, signed in.
    browser = __import__("django.test", fromlist=["Client"]).Client(HTTP_HOST="zielona.localhost")
    landed = browser.get(path_of(handoff))
    assert landed.status_code == 302 and landed["Location"] == "/admin/"
    back_office = browser.get("/admin/")
    assert back_office.status_code == 200
    with city_context(city_ref(city)):
        admin = User.objects.get(email="ewa@zielona.example")
        assert admin.role == Role.ADMINISTRATOR and admin.is_staff
        assert not admin.has_usable_password()
        # The idea-box template, in draft, in both languages.
        project = Project.objects.get(slug="idea-box")
        assert project.status == "draft" and set(project.title) == {"pl", "en"}
        assert project.phases.get().method == "ideation"
        assert Topic.objects.filter(slug="greenery").exists()
        assert IdeaStatus.objects.filter(code="to-be-implemented").exists()
        assert Page.objects.filter(kind="accessibility", status="draft").exists()

    # Residents see "coming soon" until the administrator confirms the address.
    resident = __import__("django.test", fromlist=["Client"]).Client(HTTP_HOST="zielona.localhost")
    soon = resident.get("/")
    assert soon.status_code == 503
    assert "opens soon" in soon.content.decode() or "wkrótce" in soon.content.decode()

    # The administrator got a one-time link by e-mail; it asks for a click, then confirms.
    message = next(m for m in outbox if "ewa@zielona.example" in m.to)
    host, path = sign_in_link(message.body)
    assert host == "zielona.localhost"
    other_browser = __import__("django.test", fromlist=["Client"]).Client(HTTP_HOST=host)
    assert other_browser.get(path).status_code == 200
    with committed():
        assert other_browser.post(path)["Location"] == "/admin/"
    signup.refresh_from_db()
    assert signup.confirmed_at is not None
    # Confirmed: the portal is open to residents.
    city.refresh_from_db()
    assert city.opened_at is not None
    assert resident.get("/").status_code == 200
    # Reused: a clear page.
    reused = other_browser.post(path)
    assert reused.status_code == 410
    assert (
        "already used" in reused.content.decode() or "został już użyty" in reused.content.decode()
    )
    # The hand-off link cannot be replayed either.
    assert browser.get(path_of(handoff)).status_code == 410


def test_expired_link_gets_a_clear_page(control, committed):
    response = submit(control, committed)
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    browser = __import__("django.test", fromlist=["Client"]).Client(HTTP_HOST="zielona.localhost")
    expired = browser.get(path_of(response["Location"]))
    assert expired.status_code == 410
    assert "expired" in expired.content.decode() or "wygasł" in expired.content.decode()
    assert browser.get("/admin/").status_code == 302  # not signed in


def test_link_of_one_city_does_not_work_on_another(control, committed, city):
    response = submit(control, committed)
    elsewhere = city.client().get(path_of(response["Location"]))
    assert elsewhere.status_code == 410
    assert city.client().get("/admin/").status_code == 302


def test_double_submit_makes_one_city(control, committed):
    data = wizard_data()
    control.get("/signup/")  # the form, as a browser gets it (with its CSRF cookie)
    with committed():
        first = control.post("/signup/", data)
        second = control.post("/signup/", data)
    assert first.status_code == second.status_code == 302
    assert City.objects.filter(slug="zielona").count() == 1
    assert Signup.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1
    # Both responses sign the browser in (whichever the browser follows).
    assert host_of(second["Location"]) == "zielona.localhost"


def test_a_second_submission_waits_for_the_first_longer_than_the_statement_limit(
    control, committed, settings
):
    """A submission waits on its form's lock for as long as another submission of the form
    holds it (its provisioning); that wait is not cut by the web statement limit (503)."""
    data = wizard_data()
    control.get("/signup/")
    settings.DB_STATEMENT_TIMEOUT_MS = 50
    params = connection.settings_dict
    dsn = {
        "host": params["HOST"],
        "port": params["PORT"],
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": params["NAME"],
        "autocommit": True,
    }
    locked, released = threading.Event(), threading.Event()

    def first_submission_still_provisioning() -> None:
        with psycopg.connect(**dsn) as holder:
            holder.execute(
                "SELECT pg_advisory_lock(hashtextextended(%s, 0))", [str(data["idempotency_key"])]
            )
            locked.set()
            for _ in range(1000):
                waiting = holder.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'"
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.02)
            time.sleep(0.3)  # well past the 50 ms statement limit
            released.set()
            holder.execute("SELECT pg_advisory_unlock_all()")

    first = threading.Thread(target=first_submission_still_provisioning)
    first.start()
    assert locked.wait(30)
    with committed():
        second = control.post("/signup/", data)
    first.join()
    assert released.is_set()
    assert second.status_code == 302, second.content[:300]
    assert host_of(second["Location"]) == "zielona.localhost"  # the browser's hand-off
    assert Signup.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1


def test_the_forms_key_replayed_from_another_browser_gets_no_sign_in_link(control, committed):
    """Issue 12: the idempotency key replayed from elsewhere returned a fresh administrator
    sign-in link for the new city."""
    data = wizard_data()
    control.get("/signup/")
    with committed():
        assert control.post("/signup/", data).status_code == 302
    for other in (Client(HTTP_HOST=settings.BASE_DOMAIN), Client(HTTP_HOST=settings.BASE_DOMAIN)):
        other.get("/signup/")  # a browser of its own, with its own cookie
        with committed():
            replayed = other.post("/signup/", data)
        assert replayed.status_code == 200
        page = replayed.content.decode()
        assert "/welcome/sign-in/" not in page and "ewa@zielona.example" not in page
    bare = Client(HTTP_HOST=settings.BASE_DOMAIN)  # no cookie at all
    with committed():
        replayed = bare.post("/signup/", data)
    assert replayed.status_code == 200 and "/welcome/sign-in/" not in replayed.content.decode()


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("admin", "reserved"),
        ("gdansk-test", "taken"),
        ("Zielona", "lowercase"),
        ("-zielona", "hyphen"),
        ("ab", "too short"),
    ],
)
def test_bad_subdomains_are_refused_with_the_reason(control, committed, city, slug, reason):
    response = submit(control, committed, slug=slug)
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    # What the person typed is still there.
    assert "Gmina Zielona" in page and "ewa@zielona.example" in page
    assert not City.objects.filter(name="Gmina Zielona").exists()


def test_invalid_email_and_missing_terms(control, committed):
    response = submit(control, committed, admin_email="ewa@", accept_terms="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid e-mail address" in page
    assert "Accept the terms" in page
    assert not City.objects.filter(slug="zielona").exists()


def test_main_language_must_be_chosen(control, committed):
    response = submit(control, committed, languages=["en"], default_language="pl")
    assert response.status_code == 400
    assert "main language must be one of" in response.content.decode()


def test_empty_subdomain_is_suggested_from_the_name(control, committed):
    response = submit(control, committed, slug="", name="Łódź Bałuty")
    assert response.status_code == 302
    assert City.objects.filter(slug="lodz-baluty").exists()


def test_slug_check_says_why(control, city):
    assert "available" in control.get("/signup/check-subdomain/?slug=wolne").content.decode()
    assert "taken" in control.get("/signup/check-subdomain/?slug=gdansk-test").content.decode()
    assert "reserved" in control.get("/signup/check-subdomain/?slug=admin").content.decode()
    suggestion = control.get("/signup/check-subdomain/?slug=&name=Gdańsk Oliwa")
    assert "gdansk-oliwa" in suggestion.content.decode()


def test_honeypot_makes_nothing(control, committed, outbox):
    response = submit(control, committed, website="http://spam.example")
    assert response.status_code == 200
    assert not City.objects.filter(slug="zielona").exists()
    assert not outbox


def test_rate_limit_per_email(control, committed):
    for number in range(throttling.SIGNUPS_PER_EMAIL_PER_DAY):
        assert submit(control, committed, slug=f"zielona-{number}").status_code == 302
    refused = submit(control, committed, slug="zielona-more")
    assert refused.status_code == 429
    assert "Too many portals" in refused.content.decode()
    assert not City.objects.filter(slug="zielona-more").exists()


def test_rate_limit_per_ip_counts_submissions(control, committed):
    for _ in range(throttling.SUBMISSIONS_PER_IP_PER_HOUR):
        submit(control, committed, admin_email="bad")
    assert submit(control, committed).status_code == 429
    assert not City.objects.filter(slug="zielona").exists()


BOTH = {"pl", "en"}


def _in_both(values: dict[str, str]) -> bool:
    return set(values) == BOTH and all(text.strip() for text in values.values())


def _check_participatory_budget(project: Project) -> None:
    ideas, checking, vote = project.phases.order_by("starts_at")
    assert [ideas.method, checking.method, vote.method] == ["ideation", "information", "voting"]
    assert all(_in_both(phase.title) and _in_both(phase.description) for phase in (ideas, vote))
    # A budget vote with an example budget; its ideas come from the ideation phase once the
    # city accepted them or found them eligible. Nothing is on the ballot yet: staff set costs.
    assert vote.options["voting_mode"] == "budget"
    assert vote.options["budget"] == 500_000 and vote.options["min_spend"] == 0
    assert vote.options["source_phase"] == ideas.pk
    assert vote.options["source_statuses"] == ["accepted", "eligible"]
    assert not Candidate.objects.filter(phase=vote).exists()
    assert IdeaStatus.objects.filter(code="eligible").exists()


def _check_urban_planning(project: Project) -> None:
    about, consultation, meetings = project.phases.order_by("starts_at")
    assert [about.method, consultation.method, meetings.method] == [
        "information",
        "survey",
        "events",
    ]
    # The information phase has a draft section for the plan's documents.
    assert all("<h3>" in text for text in about.description.values())
    assert _in_both(about.description)

    survey = Survey.objects.get(phase=consultation)
    assert _in_both(survey.intro) and _in_both(survey.thank_you)
    pages = list(survey.pages.order_by("position"))
    assert len(pages) == 2 and all(_in_both(page.title) for page in pages)
    questions = list(Question.objects.filter(survey=survey).order_by("page__position", "position"))
    kinds = [question.kind for question in questions]
    assert kinds == ["single", "scale", "multiple", "scale", "long_text"]
    assert all(_in_both(question.text) for question in questions)
    single = questions[0]
    assert len(single.config["choices"]) == 4
    assert all(_in_both(choice["label"]) for choice in single.config["choices"])
    scale = questions[1]
    assert (scale.config["min"], scale.config["max"]) == (1, 5)
    assert _in_both(scale.config["min_label"]) and _in_both(scale.config["max_label"])

    # One placeholder meeting, three weeks into its phase, at 18:00 in the city's time zone.
    event = Event.objects.get(phase=meetings)
    assert event.project_id == project.pk
    assert _in_both(event.title) and _in_both(event.place) and _in_both(event.description)
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Warsaw"))
    first_day = meetings.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Warsaw")).date()
    assert (local.date() - first_day).days == 21 and local.strftime("%H:%M") == "18:00"
    assert event.starts_at > timezone.now()
    assert meetings.ends_at is not None and event.ends_at <= meetings.ends_at


@pytest.mark.parametrize(
    ("template", "slug"),
    [
        ("idea-box", "idea-box"),
        ("participatory-budget", "participatory-budget"),
        ("urban-planning", "urban-plan"),
        ("empty", None),
    ],
)
def test_each_template(control, committed, template, slug):
    assert submit(control, committed, template=template).status_code == 302
    city = City.objects.get(slug="zielona")
    with city_context(city_ref(city)):
        projects = list(Project.objects.all())
        if slug is None:
            assert not projects
            assert Page.objects.filter(kind="accessibility").exists()
            return
        assert [project.slug for project in projects] == [slug]
        project = projects[0]
        assert project.status == "draft"
        assert _in_both(project.title) and _in_both(project.description)
        assert Topic.objects.filter(slug="greenery").exists()
        if template == "idea-box":
            assert list(project.phases.values_list("method", flat=True)) == ["ideation"]
        elif template == "participatory-budget":
            _check_participatory_budget(project)
        else:
            _check_urban_planning(project)


def test_the_wizard_no_longer_calls_method_phases_information_phases(control):
    page = control.get("/signup/").content.decode()
    assert "not available yet" not in page
    # It says which plans include voting instead (the trial includes everything).
    assert "Standard" in page and "information phase" in page


def test_chosen_plan_sets_the_trial_entitlements(control, committed):
    assert submit(control, committed, plan="standard").status_code == 302
    city = City.objects.get(slug="zielona")
    assert city.plan == "standard"
    assert Signup.objects.get(city_id=city.pk).plan == "standard"


@pytest.mark.parametrize(
    ("template", "method", "url_name", "shown"),
    [
        ("participatory-budget", "voting", "backoffice:voting-phase", "Voting"),
        ("urban-planning", "survey", "backoffice:surveys-edit", "How do you rate the area"),
        ("urban-planning", "events", "backoffice:events-phase", "Public meeting about the draft"),
    ],
)
def test_the_administrator_finds_each_methods_content_in_the_back_office(
    control, committed, template, method, url_name, shown
):
    response = submit(control, committed, template=template, default_language="en")
    city = City.objects.get(slug="zielona")
    with city_context(city_ref(city)):
        phase = Phase.objects.get(method=method)
    browser = Client(HTTP_HOST="zielona.localhost")
    assert browser.get(path_of(response["Location"])).status_code == 302
    page = browser.get(reverse(url_name, args=[phase.pk], urlconf="ratusz.urls_city"))
    assert page.status_code == 200
    assert shown in page.content.decode()


@pytest.mark.parametrize("name", ["🎉🏙️🎉", "🌳 🌳", "！？"])
def test_a_name_without_letters_asks_for_a_subdomain_instead_of_making_city(
    control, committed, name
):
    """Issue 12: an emoji-only name became the subdomain `city`."""
    status = control.get("/signup/check-subdomain/", {"name": name}).content.decode()
    assert "city" not in status and 'class="errors"' in status
    response = submit(control, committed, name=name, slug="")
    assert response.status_code == 400
    assert response.context["form"].errors["slug"]
    assert not City.objects.filter(slug__in=["city", "zielona"]).exists()
    # With a subdomain of their choosing, the same name is fine.
    assert submit(control, committed, name=name, slug="swieto").status_code == 302
    assert City.objects.get(slug="swieto").name == name


def test_the_wizard_says_how_long_names_may_be(control):
    """Issue 12: a 300-character name was cut by the browser without a word."""
    page = control.get("/signup/").content.decode()
    assert 'maxlength="200"' in page and "200" in page.split('maxlength="200"')[0][-600:]
    response = control.post("/signup/", wizard_data(name="x" * 300))
    assert response.status_code == 400
    assert "200" in str(response.context["form"].errors["name"])
