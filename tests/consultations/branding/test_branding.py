"""Administrators change the portal's look; every page and e-mail shows it at once, only in
their own city; unreadable colours and bad images are refused with a clear reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from ratusz.accounts.models import Role, User
from ratusz.consultations.branding.models import Branding
from ratusz.consultations.branding.selectors import site_branding
from ratusz.consultations.branding.services import BrandingRefused, update_branding
from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants.context import city_context
from tests.consultations.branding.conftest import image_bytes
from tests.consultations.test_pages import english


def look(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "primary_color": "#0b5e3c",
        "primary_text": "white",
        "secondary_color": "#3b1f5c",
        "secondary_text": "white",
        "font": "serif",
        "logo_alt_pl": "Herb Gdańska",
        "logo_alt_en": "Gdańsk coat of arms",
        "welcome_title_pl": "Witamy w Gdańsku",
        "welcome_title_en": "Welcome to Gdańsk",
        "welcome_text_pl": "",
        "welcome_text_en": "",
        "cookie_notice_pl": "",
        "cookie_notice_en": "",
    }
    data.update(changes)
    return data


def test_an_administrator_changes_the_look_and_every_page_shows_it_at_once(
    city, other_city, city_admin, committed
):
    client = english(city, city_admin)
    before = client.get("/").content.decode()  # caches the old look
    assert "--brand: #1f4e8c" in before
    logo = SimpleUploadedFile("herb.png", image_bytes((200, 80)), content_type="image/png")
    with committed():
        response = client.post("/admin/site/", {**look(), "logo": logo})
    assert response.status_code == 302, response.content.decode()[:3000]
    home = client.get("/").content.decode()
    assert "--brand: #0b5e3c" in home
    assert "--brand-secondary: #3b1f5c" in home
    assert "Georgia" in home
    assert 'class="brand-logo"' in home and 'alt="Gdańsk coat of arms"' in home
    assert "/media/cities/" in home and city.schema in home
    assert "Welcome to Gdańsk" in home
    # Not only the home page: a resident page and the back office too.
    assert "--brand: #0b5e3c" in client.get("/profile/").content.decode()
    # The other city keeps its own look.
    other = other_city.client().get("/").content.decode()
    assert "#0b5e3c" not in other and "brand-logo" not in other and "Gdańsk" not in other


def test_an_unreadable_colour_is_refused_with_the_ratio_and_a_better_shade(city, city_admin):
    client = english(city, city_admin)
    response = client.post("/admin/site/", look(primary_color="#ffcc00"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "White text on #ffcc00 has a contrast ratio of 1.5" in html
    assert "white text fails" in html
    assert "Choose a darker shade such as #" in html
    dark = client.post(
        "/admin/site/", look(secondary_color="#1f4e8c", secondary_text="black")
    ).content.decode()
    assert "Black text on #1f4e8c" in dark and "lighter shade" in dark
    with city_context(city.ref):
        assert PortalSettings.objects.get().primary_color == "#1f4e8c"  # nothing saved
        assert not Branding.objects.exists()
    # Yellow with black text is readable, so it is accepted.
    assert (
        client.post("/admin/site/", look(primary_color="#ffcc00", primary_text="black")).status_code
        == 302
    )


def test_the_service_refuses_unreadable_colours_too(city):
    with city_context(city.ref), pytest.raises(BrandingRefused):
        update_branding(
            primary_color="#ffff00",
            primary_text="white",
            secondary_color="#000000",
            secondary_text="white",
            font="system",
            logo_alt={},
            welcome_title={},
            welcome_text={},
            cookie_notice={},
        )


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("logo", SimpleUploadedFile("logo.png", b"not an image"), "is not an image we can read"),
        ("logo", SimpleUploadedFile("logo.gif", b""), "The submitted file is empty"),
        ("logo", ("tiny.png", (20, 20), "PNG"), "it must be at least 40×40 pixels"),
        ("favicon", ("icon.png", (64, 32), "PNG"), "this icon must be square"),
        (
            "favicon",
            ("icon.jpg", (64, 64), "JPEG"),
            "is a JPEG image; use a file of type: ICO, PNG",
        ),
        ("social_image", ("share.png", (300, 200), "PNG"), "at least 600×315 pixels"),
    ],
)
def test_bad_images_are_refused_with_a_clear_message(city, city_admin, field, upload, message):
    if isinstance(upload, tuple):
        name, size, image_format = upload
        upload = SimpleUploadedFile(name, image_bytes(size, image_format))
    client = english(city, city_admin)
    response = client.post("/admin/site/", {**look(), field: upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    with city_context(city.ref):
        assert not Branding.objects.exists()


def test_too_heavy_an_image_is_refused(city, city_admin):
    heavy = SimpleUploadedFile("icon.png", image_bytes((64, 64)) + b"\0" * 210 * 1024)
    response = english(city, city_admin).post("/admin/site/", {**look(), "favicon": heavy})
    assert "this image can be at most 200 KB" in response.content.decode()


def test_replacing_and_removing_images(city, city_admin, committed):
    client = english(city, city_admin)
    first = SimpleUploadedFile("a.png", image_bytes())
    with committed():
        client.post("/admin/site/", {**look(), "logo": first})
    with city_context(city.ref):
        old_name = Branding.objects.get().logo.name
        storage = Branding.objects.get().logo.storage
        assert storage.exists(old_name)
    with committed():
        client.post("/admin/site/", {**look(), "logo": SimpleUploadedFile("b.png", image_bytes())})
    with city_context(city.ref):
        assert not storage.exists(old_name)  # the replaced file is gone
    with committed():
        client.post("/admin/site/", {**look(), "remove_logo": "on"})
    with city_context(city.ref):
        assert not Branding.objects.get().logo
    assert "brand-logo" not in client.get("/").content.decode()


def test_only_administrators_open_the_branding_pages(city, city_admin, resident):
    for path in (
        "/admin/site/",
        "/admin/site/languages/",
        "/admin/site/pages/",
        "/admin/site/links/",
        "/admin/site/domain/",
    ):
        assert english(city, resident).get(path).status_code == 403
        assert english(city, city_admin).get(path).status_code == 200
        anonymous = english(city).get(path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    with city_context(city.ref):
        manager = User.objects.create_user(
            "pm@gdansk.example", "correct horse battery", role=Role.PROJECT_MANAGER, is_staff=True
        )
    assert english(city, manager).get("/admin/site/").status_code == 403
    assert english(city, manager).post("/admin/site/", look()).status_code == 403


def test_the_look_is_cached_per_city(city, other_city, committed):
    with city_context(city.ref), committed():
        update_branding(
            primary_color="#0b5e3c",
            primary_text="white",
            secondary_color="#000000",
            secondary_text="white",
            font="system",
            logo_alt={},
            welcome_title={},
            welcome_text={},
            cookie_notice={"pl": "Używamy ciasteczek."},
        )
    with city_context(city.ref):
        assert site_branding(default_language="pl").primary == "#0b5e3c"
    with city_context(other_city.ref):
        # Same cache key name, other city's entry.
        assert site_branding(default_language="en").primary == "#1f4e8c"
        assert site_branding(default_language="en").cookie_notice == ""


def test_emails_show_the_citys_logo_and_colour(city, other_city, city_admin, committed):
    client = english(city, city_admin)
    with committed():
        client.post(
            "/admin/site/",
            {**look(), "logo": SimpleUploadedFile("herb.png", image_bytes())},
        )
    with city_context(city.ref):
        html = render_to_string(
            "emails/base_email.html",
            {"city": city.ref, "portal_url": f"http://{city.host}/"},
        )
    assert "background:#0b5e3c" in html
    assert f'src="http://{city.host}/media/cities/{city.schema}/branding/' in html
    with city_context(other_city.ref):
        other = render_to_string(
            "emails/base_email.html",
            {"city": other_city.ref, "portal_url": f"http://{other_city.host}/"},
        )
    assert "#0b5e3c" not in other and "<img" not in other


def test_the_cookie_notice_shows_once_and_goes_without_javascript(city, city_admin, committed):
    with committed():
        english(city, city_admin).post(
            "/admin/site/",
            look(cookie_notice_pl="Używamy ciasteczek.", cookie_notice_en="We use cookies."),
        )
    visitor = english(city)
    assert "We use cookies." in visitor.get("/").content.decode()
    response = visitor.post("/cookie-notice/dismiss/", {"next": "/profile/"})
    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert "We use cookies." not in visitor.get("/").content.decode()
    # Only addresses on this portal are followed.
    elsewhere = english(city).post("/cookie-notice/dismiss/", {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"


def test_social_preview_and_favicon_tags(city, city_admin, committed):
    with committed():
        english(city, city_admin).post(
            "/admin/site/",
            {
                **look(),
                "favicon": SimpleUploadedFile("icon.png", image_bytes((64, 64))),
                "social_image": SimpleUploadedFile("share.jpg", image_bytes((1200, 630), "JPEG")),
            },
        )
    html = english(city).get("/").content.decode()
    assert '<link rel="icon" href="/media/cities/' in html
    assert f'<meta property="og:image" content="http://{city.host}/media/cities/' in html
    assert f'<meta property="og:site_name" content="{city.ref.name}">' in html
