"""A resident downloads their data and checks their identifier against the census list, in a
real browser, in Polish and in English: the ZIP holds their idea and its photo, and the census
check answers a wrong identifier and one used by another account with the same words."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.voting import services as voting
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.consultations.methods.voting.conftest import make_vote, make_voter
from tests.e2e.conftest import axe_violations, screenshot
from tests.security.isolation_world import png

pytestmark = pytest.mark.browser

PASSWORD = "Bardzo-Dlugie-Haslo-2026"


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_my_data_download_and_the_census_check(make_city, live_server_url, browser, language):
    city = make_city(name="Gdańsk", slug=f"gdansk-dane-{language}", languages=["pl", "en"])
    with city_context(city.ref):
        vote = make_vote(
            "budzet", permissions={"vote": {"who": "verified"}}, verification=["census"]
        )
        email = f"anna-{language}@example.com"
        resident = User.objects.create_user(email, PASSWORD, full_name="Anna Mieszkanka")
        EmailAddress.objects.create(user=resident, email=email, verified=True, primary=True)
        park = make_project("park").phases.get(method="ideation")
        ideation.post_idea(
            author=resident, phase=park, title="Ławki nad Motławą", body="<p>Więcej ławek</p>",
            images=[(png("photo.png"), "Ławka")],
        )  # fmt: skip
        voting.upload_census(
            staff=vote.staff, file_name="l.csv", content=b"ABC123\nXYZ789\n", pesel=False,
            has_header=False,
        )  # fmt: skip
        voting.verify_with_census(
            user=make_voter("pierwsza@example.com"), identifier="ABC123", ip=""
        )
    base = live_server_url.format(host=city.host)
    context = browser.new_context(locale="pl-PL" if language == "pl" else "en-GB")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base.split("{")[0]}]
    )
    page = context.new_page()
    try:
        sign_in(page, base, email)

        # Download my data.
        page.goto(base + "/accounts/data/")
        assert page.locator("html").get_attribute("lang") == language
        problems = axe_violations(page)
        assert not problems, problems
        screenshot(page, f"my-data-{language}")
        with page.expect_download() as download:
            page.click("main form button[type=submit]")
        archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
        names = set(archive.namelist())
        assert {"README.txt", "profile.json", "ideas.json", "ideas.csv"} <= names
        [idea] = json.loads(archive.read("ideas.json"))
        assert idea["title"] == "Ławki nad Motławą"
        [photo] = idea["files"]
        assert photo in names and archive.read(photo).startswith(b"\x89PNG")
        assert json.loads(archive.read("profile.json"))["account"]["email"] == email

        # The census check: a wrong identifier and one used by someone else, answered alike.
        page.goto(base + "/projects/budzet/")
        panel = page.locator("#voting-panel")
        answers = []
        for identifier in ("QQQ000", "ABC123"):
            page.fill("#id_identifier", identifier)
            page.click("form.voting-verify button[type=submit]")
            page.wait_for_selector("#voting-panel .message.error")
            answers.append(panel.locator(".message.error").inner_text())
        assert answers[0] == answers[1] and answers[0]
        problems = axe_violations(page)
        assert not problems, problems
        screenshot(page, f"census-check-{language}")
        page.fill("#id_identifier", "xyz-789")
        page.click("form.voting-verify button[type=submit]")
        page.wait_for_selector("#voting-panel .message.success")
        with city_context(city.ref):
            resident.refresh_from_db()
            assert resident.verified_at is not None
    finally:
        context.close()
