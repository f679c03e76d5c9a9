"""Every form that takes a file, as a person (or an attacker) uses it: what is stored has a
random name with the extension of its real type, is never served as a page, a refused file
gets a clear message, and nothing already saved is lost. And the media route serves only the
current city's public files, however a path is spelled."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import ratusz
from ratusz.consultations.branding.models import Branding
from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import AnswerFile, Response
from ratusz.tenants.context import city_context
from tests.consultations.branding.test_branding import look
from tests.consultations.conftest import make_project
from tests.consultations.methods.surveys.conftest import make_survey_phase
from tests.tenants.upload_samples import HOSTILE_CONTENTS, HOSTILE_NAMES, image

RANDOM_NAME = re.compile(
    r"^[\w/-]+/[0-9a-f]{32}\.(png|jpg|webp|ico|pdf|docx|xlsx|odt|ods|txt|csv)$"
)
TOO_MANY_PIXELS = "has too many pixels: an image can have at most 40 million pixels"


def english(city, user=None):
    client = city.client()
    client.city = city  # for the doors that look up what they post to
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@dataclass
class Door:
    """One form that takes a file: how to send one, and where the stored name is found."""

    send: Callable[..., Any]
    stored: Callable[..., list[str]]
    kept_text: str = ""  # typed text that a refused file must not lose
    served_publicly: bool = True
    refuses_by_name: bool = False  # the form also asks for an allowed name ending
    reset: Callable[[], Any] = lambda: None  # lets the same person send again


def _send_idea(client, upload):
    return client.post(
        "/projects/park/ideas/new/",
        {"title": "Pomysł z plikiem", "body": "<p>Treść, która nie zginie</p>", "images": [upload]},
    )


def _send_attachment(client, upload):
    return client.post(
        "/projects/park/ideas/new/",
        {
            "title": "Pomysł z plikiem",
            "body": "<p>Treść, która nie zginie</p>",
            "attachments": [upload],
        },
    )


def _ideas_files(attribute):
    def stored():
        return [
            getattr(f, attribute).name
            for i in Idea.objects.all()
            for f in (i.images.all() if attribute == "image" else i.attachments.all())
        ]

    return stored


def _send_logo(client, upload):
    return client.post("/admin/site/", {**look(), "logo": upload})


def _send_cover(client, upload):
    return client.post(
        "/admin/projects/park/",
        {
            "title_pl": "Park",
            "visibility": "everyone",
            "cover_image": upload,
            "cover_alt_pl": "Okładka",
        },
    )


def _send_answer(client, upload):
    with city_context(client.city.ref):
        phase = Project.objects.get(slug="ankieta").phases.get()
        page = phase.survey.pages.get()
        question = phase.survey.questions.get()
    return client.post(f"/surveys/{phase.pk}/", {"page": str(page.pk), f"q{question.pk}": upload})


DOORS = {
    "idea photo": Door(_send_idea, _ideas_files("image"), "Treść, która nie zginie"),
    "idea attachment": Door(_send_attachment, _ideas_files("file"), "Treść, która nie zginie"),
    "city logo": Door(
        _send_logo, lambda: [b.logo.name for b in Branding.objects.all() if b.logo], "Herb Gdańska"
    ),
    "project cover": Door(
        _send_cover,
        lambda: [p.cover_image.name for p in Project.objects.all() if p.cover_image],
        "Okładka",
    ),
    "survey answer": Door(
        _send_answer,
        lambda: [a.file.name for a in AnswerFile.objects.all()],
        served_publicly=False,
        refuses_by_name=True,
        reset=lambda: Response.objects.all().delete(),  # one answer a person: start again
    ),
}
# Forms that take a file and store none: they read it and keep what they read.
READ_NOT_STORED = {
    "ratusz.consultations.methods.voting.forms.CensusUploadForm": "a census list, parsed into rows",
    "ratusz.platform.forms.cities.RestoreForm": "a city archive, restored by an operator",
}
# Forms whose file fields are added per question, not declared on the class.
DYNAMIC = {"ratusz.consultations.methods.surveys.forms.answering.AnswerForm": "survey answer"}
DECLARED = {
    "ratusz.consultations.methods.ideation.forms.IdeaForm": {"idea photo", "idea attachment"},
    "ratusz.consultations.branding.forms.look.BrandingForm": {"city logo"},
    "ratusz.consultations.backoffice.builder.forms.projects.ProjectForm": {"project cover"},
}


def upload_forms() -> set[str]:
    found = set()
    for module_info in pkgutil.walk_packages(ratusz.__path__, "ratusz."):
        # forms.py, or a forms/ package split by topic (its modules: ...forms.<topic>).
        if "forms" not in module_info.name.split(".")[-2:]:
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and any(
                    isinstance(f, forms.FileField) for f in getattr(cls, "base_fields", {}).values()
                )
            ):
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_form_taking_a_file_is_tried_here():
    untried = upload_forms() - set(DECLARED) - set(READ_NOT_STORED)
    assert not untried, f"Add these forms to DOORS/DECLARED (or READ_NOT_STORED): {untried}"
    assert set(DYNAMIC.values()) | {d for v in DECLARED.values() for d in v} == set(DOORS)


@pytest.fixture
def doors(city, city_admin, resident, media):
    """The projects and survey the doors post to, and who posts."""
    with city_context(city.ref):
        make_project("park")
        phase = make_survey_phase("ankieta")
        survey = surveys.ensure_survey(phase=phase)
        surveys.save_question(
            staff=city_admin,
            survey=survey,
            page=survey.pages.get(),
            kind="file",
            text={"en": "A file"},
            help_text={},
            required=True,
            config={"extensions": ["pdf", "jpg", "png"], "max_mb": 5},
        )
        # The idea attachment door takes documents; allow ideas with both.
    return {
        "idea photo": resident,
        "idea attachment": resident,
        "city logo": city_admin,
        "project cover": city_admin,
        "survey answer": resident,
    }


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_png_with_html_named_html_is_stored_as_a_plain_png(city, city_admin, doors, door, media):
    polyglot = SimpleUploadedFile(
        "poly.html", HOSTILE_CONTENTS["png+html"], content_type="text/html"
    )
    client = english(city, doors[door])
    response = DOORS[door].send(client, polyglot)
    if DOORS[door].refuses_by_name:
        assert response.status_code == 400
        assert "This kind of file is not accepted here." in response.content.decode()
        polyglot = SimpleUploadedFile("poly.png", HOSTILE_CONTENTS["png+html"])
        response = DOORS[door].send(client, polyglot)
    assert response.status_code == 302, response.content.decode()[:2000]
    with city_context(city.ref):
        (stored,) = DOORS[door].stored()
    assert RANDOM_NAME.match(stored) and stored.endswith(".png"), stored
    on_disk = (media / "cities" / city.schema / stored).read_bytes()
    assert b"<html" not in on_disk and b"<script" not in on_disk
    served = english(city).get(f"/media/cities/{city.schema}/{stored}")
    if DOORS[door].served_publicly:
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
        assert served["X-Content-Type-Options"] == "nosniff"
    else:
        assert served.status_code == 404  # a respondent's file: only staff, through their view
        with city_context(city.ref):
            answer = AnswerFile.objects.get()
        staff = english(city, city_admin).get(f"/admin/surveys/files/{answer.pk}/")
        assert staff.status_code == 200
        assert staff["Content-Disposition"].startswith('attachment; filename="poly.png"')
        assert staff["Content-Type"] == "image/png"
        assert staff["X-Content-Type-Options"] == "nosniff"
        assert english(city, doors[door]).get(f"/admin/surveys/files/{answer.pk}/").status_code in {
            302,
            403,
        }


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("30000x30000 png", TOO_MANY_PIXELS),
        ("10000x10000 png", TOO_MANY_PIXELS),
        ("svg+script", "is an SVG drawing, which is not accepted"),
    ],
)
def test_a_refused_file_gets_a_clear_message_and_nothing_is_lost(
    city, doors, door, sample, message
):
    client = english(city, doors[door])
    upload = SimpleUploadedFile("drawing.png", HOSTILE_CONTENTS[sample], content_type="image/png")
    response = DOORS[door].send(client, upload)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if DOORS[door].kept_text:
        assert DOORS[door].kept_text in html
    with city_context(city.ref):
        assert DOORS[door].stored() == []


def test_a_refused_logo_keeps_the_logo_already_saved(city, city_admin, media):
    client = english(city, city_admin)
    assert (
        client.post(
            "/admin/site/", {**look(), "logo": SimpleUploadedFile("a.png", image((200, 80)))}
        ).status_code
        == 302
    )
    with city_context(city.ref):
        saved = Branding.objects.get().logo.name
    bomb = SimpleUploadedFile("b.png", HOSTILE_CONTENTS["30000x30000 png"])
    refused = client.post("/admin/site/", {**look(), "logo": bomb})
    assert refused.status_code == 400 and TOO_MANY_PIXELS in refused.content.decode()
    with city_context(city.ref):
        assert Branding.objects.get().logo.name == saved
    assert (media / "cities" / city.schema / saved).exists()


# --- the media route ----------------------------------------------------------------------------


def _spellings(own: str, target: str) -> list[str]:
    """Ways to write a path from the current city's folder to `target` (relative to the media
    root), as an attacker would try them."""
    up = f"cities/{own}/../../{target}"
    variants = [
        up,
        f"cities/{own}/./../../{target}",
        up.replace("..", "%2e%2e"),
        up.replace("..", "%2E%2E"),
        up.replace("..", "%252e%252e"),
        up.replace("..", ".%2e"),
        up.replace("/", "%2f"),
        up.replace("/", "%252f"),
        up.replace("/", "\\"),
        up.replace("/", "%5c"),
        up.replace("..", "\uff0e\uff0e"),  # fullwidth full stops
        up.replace("..", "\u2025"),  # two-dot leader
        f"cities/{own}//../../{target}",
        f"cities/{own}/..%00/../{target}",
        f"/{target}",
        f"//{target}",
        target,
        f"cities/{own}/%2F{target}",
    ]
    return variants


def test_the_media_route_never_leaves_the_citys_public_files(city, other_city, media):
    files = {
        f"cities/{city.schema}/ideas/images/own.png": 200,
        f"cities/{city.schema}/exports/people.csv": 404,
        f"cities/{city.schema}/survey-answers/answer.pdf": 404,
        f"cities/{other_city.schema}/ideas/images/theirs.png": 404,
        f"cities/{other_city.schema}/exports/people.csv": 404,
        "control/exports/all.zip": 404,
    }
    for relative in files:
        target = media / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image())
    client = city.client()
    assert client.get(f"/media/cities/{city.schema}/ideas/images/own.png").status_code == 200
    tried = 0
    for relative, expected in files.items():
        spellings = [relative, *_spellings(city.schema, relative)]
        for spelling in spellings:
            answer = client.get(f"/media/{spelling}")
            tried += 1
            if expected == 404 or spelling != relative:
                assert answer.status_code == 404, (spelling, answer.status_code)
    assert tried > 100
    # The other way round, the same.
    other = other_city.client().get(
        f"/media/cities/{other_city.schema}/../{city.schema}/ideas/images/own.png"
    )
    assert other.status_code == 404


def test_a_file_stored_before_names_were_safe_is_never_served_as_a_page(city, media):
    legacy = media / "cities" / city.schema / "ideas" / "images" / "poly.html"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(HOSTILE_CONTENTS["png+html"])
    served = city.client().get(f"/media/cities/{city.schema}/ideas/images/poly.html")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("door", sorted(DOORS))
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.sampled_from(sorted(HOSTILE_CONTENTS)),
    name=st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(min_size=1, max_size=200)),
)
def test_every_upload_form_refuses_or_stores_hostile_files_safely(
    city, doors, door, media, content, name
):
    """Whatever is sent under whatever name: a page with a message, or a stored file with a
    random name of its real type, never an error and never a page from the file."""
    parsed = MultiPartParser.sanitize_file_name(MultiPartParser, name)  # type: ignore[arg-type]  # a static helper in all but name
    assume(parsed)
    assert parsed is not None
    client = english(city, doors[door])
    with city_context(city.ref):
        DOORS[door].reset()
        before = set(DOORS[door].stored())
    upload = SimpleUploadedFile(parsed, HOSTILE_CONTENTS[content], content_type="text/html")
    response = DOORS[door].send(client, upload)
    with city_context(city.ref):
        new = set(DOORS[door].stored()) - before
    assert response.status_code in {302, 400}, response.status_code
    if response.status_code == 400:
        assert 'role="alert"' in response.content.decode()
        assert not new  # nothing stored from a refused form
        return
    assert new, "accepted but nothing stored"
    for stored in new:
        assert RANDOM_NAME.match(stored), stored
        if DOORS[door].served_publicly:
            served = client.get(f"/media/cities/{city.schema}/{stored}")
            assert served["X-Content-Type-Options"] == "nosniff"
            assert served["Content-Type"].split(";")[0] not in {"text/html", "image/svg+xml"}
