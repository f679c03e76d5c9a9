"""Custom pages at /pages/<slug>/, standard drafts (with the Polish accessibility statement),
and the links in the navigation bar and the footer."""

from __future__ import annotations

from ratusz.consultations.branding.models import Page, SiteLink
from ratusz.consultations.branding.services import add_link, add_standard_pages, save_page
from ratusz.tenants.context import city_context
from tests.consultations.test_pages import english


def page_data(**changes: str) -> dict[str, str]:
    data = {
        "slug": "kontakt",
        "status": "published",
        "title_pl": "Kontakt",
        "title_en": "Contact",
        "body_pl": "<p>Pisz do nas</p><script>alert(1)</script>",
        "body_en": "<p onclick='x()'>Write to us</p>",
    }
    data.update(changes)
    return data


def test_an_administrator_publishes_a_page_and_residents_read_it(city, other_city, city_admin):
    client = english(city, city_admin)
    response = client.post("/admin/site/pages/new/", page_data())
    assert response.status_code == 302
    html = english(city).get("/pages/kontakt/").content.decode()
    assert "<h1>Contact</h1>" in html and "Write to us" in html
    assert "onclick" not in html and "<script>alert" not in html  # sanitised on write
    with city_context(city.ref):
        assert "<script>" not in Page.objects.get(slug="kontakt").body["pl"]
    # Another city has no such page.
    assert other_city.client().get("/pages/kontakt/").status_code == 404


def test_a_draft_page_is_not_shown_and_can_be_published_later(city, city_admin):
    client = english(city, city_admin)
    client.post("/admin/site/pages/new/", page_data(status="draft"))
    assert english(city).get("/pages/kontakt/").status_code == 404
    response = client.post("/admin/site/pages/kontakt/", page_data(title_en="Write to us"))
    assert response.status_code == 302
    assert "<h1>Write to us</h1>" in english(city).get("/pages/kontakt/").content.decode()


def test_bad_page_input_is_refused_and_keeps_what_was_typed(city, city_admin):
    client = english(city, city_admin)
    client.post("/admin/site/pages/new/", page_data())
    duplicate = client.post("/admin/site/pages/new/", page_data(title_en="Again"))
    assert duplicate.status_code == 400
    html = duplicate.content.decode()
    assert "A page at /pages/kontakt/ already exists" in html
    assert 'value="Again"' in html  # what was typed stays in the form
    empty = client.post(
        "/admin/site/pages/new/", page_data(slug="pusta", body_pl="<p> </p>", body_en="")
    ).content.decode()
    assert "A published page needs its text in the default language (pl)." in empty
    with city_context(city.ref):
        assert not Page.objects.filter(slug="pusta").exists()
        assert Page.objects.get(slug="kontakt").title["en"] == "Contact"


def test_standard_pages_include_the_polish_accessibility_statement(city, city_admin):
    client = english(city, city_admin)
    assert client.post("/admin/site/pages/standard/").status_code == 302
    with city_context(city.ref):
        statement = Page.objects.get(kind="accessibility")
        assert statement.status == "draft"
        assert statement.title["pl"] == "Deklaracja dostępności"
        body = statement.body["pl"]
        for heading in (
            "Status pod względem zgodności z ustawą",
            "Treści niedostępne",
            "Przygotowanie deklaracji dostępności",
            "Informacje zwrotne i dane kontaktowe",
            "Obsługa wniosków i skarg związanych z dostępnością",
            "Dostępność architektoniczna",
        ):
            assert heading in body
        assert "Gdańsk" in body
        assert set(Page.objects.values_list("kind", flat=True)) == {
            "about",
            "privacy",
            "terms",
            "faq",
            "accessibility",
        }
        # Asking again adds nothing and keeps the city's edits.
        save_page(
            slug="about",
            title={"pl": "O nas"},
            body={"pl": "<p>Nasz tekst</p>"},
            status="published",
            page=Page.objects.get(slug="about"),
        )
        assert add_standard_pages(city_name="Gdańsk", languages=["pl", "en"]) == []
        assert Page.objects.get(slug="about").body == {"pl": "<p>Nasz tekst</p>"}


def test_links_show_in_the_navigation_bar_and_footer_of_their_city_only(
    city, other_city, city_admin, committed
):
    client = english(city, city_admin)
    client.post("/admin/site/pages/new/", page_data())
    with committed():
        assert (
            client.post(
                "/admin/site/links/",
                {
                    "place": "header",
                    "url": "https://www.gdansk.pl/",
                    "page": "",
                    "position": "1",
                    "label_pl": "Urząd",
                    "label_en": "City hall",
                },
            ).status_code
            == 302
        )
        with city_context(city.ref):
            page_id = Page.objects.get(slug="kontakt").pk
        assert (
            client.post(
                "/admin/site/links/",
                {
                    "place": "footer",
                    "url": "",
                    "page": str(page_id),
                    "position": "0",
                    "label_pl": "Kontakt",
                    "label_en": "Contact us",
                },
            ).status_code
            == 302
        )
    html = english(city).get("/").content.decode()
    header = html.split("</header>")[0]
    footer = html.split("<footer")[1]
    assert '<a href="https://www.gdansk.pl/">City hall</a>' in header
    assert '<a href="/pages/kontakt/">Contact us</a>' in footer
    other = other_city.client().get("/").content.decode()
    assert "City hall" not in other and "/pages/kontakt/" not in other


def test_a_link_needs_exactly_one_target(city, city_admin):
    response = english(city, city_admin).post(
        "/admin/site/links/",
        {"place": "header", "url": "", "page": "", "position": "0", "label_pl": "Nic"},
    )
    assert response.status_code == 400
    assert "Choose one page of the portal or give one address" in response.content.decode()
    with city_context(city.ref):
        assert not SiteLink.objects.exists()


def test_a_link_to_a_draft_page_stays_hidden(city, committed):
    with city_context(city.ref), committed():
        page = save_page(slug="plan", title={"pl": "Plan"}, body={}, status="draft")
        add_link(place="header", label={"pl": "Plan"}, page=page)
    assert "/pages/plan/" not in city.client().get("/").content.decode()
