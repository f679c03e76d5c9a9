"""The project builder's pages: who may open what, each action as a plain form, bad input that
explains itself without losing what was saved, and cities that never see each other's data."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Folder, Phase, Project, PublicationStatus
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import forget_entitlements, set_entitlements
from tests.consultations.conftest import make_project


def english(city, user: User | None = None) -> Client:
    client = city.client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def reload(city, obj):
    with city_context(city.ref):
        obj.refresh_from_db()
    return obj


def png(name: str = "cover.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 90, 160)).save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


@pytest.fixture
def other_project(in_city) -> Project:
    """A project nobody assigned to the `manager`."""
    return make_project("tramwaj")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- who may enter ----------------------------------------------------------------------------


def test_visitors_sign_in_and_residents_are_refused(city, resident):
    response = english(city).get("/admin/projects/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert english(city, resident).get("/admin/projects/").status_code == 403
    assert english(city, resident).get("/admin/projects/new/").status_code == 403


def test_a_manager_sees_and_edits_only_assigned_projects(city, manager, project, other_project):
    client = english(city, manager)
    listing = client.get("/admin/projects/").content.decode()
    assert "A park on the Motława" in listing
    assert "/admin/projects/tramwaj/" not in listing
    assert "New project" not in listing
    for path in ("", "timeline/"):
        assert client.get(f"/admin/projects/tramwaj/{path}").status_code == 404
    assert client.post("/admin/projects/tramwaj/publish/").status_code == 404
    assert client.post("/admin/projects/tramwaj/archive/").status_code == 404
    assert reload(city, other_project).status == PublicationStatus.PUBLISHED
    # Only administrators create, copy and reorder projects and assign managers.
    assert client.get("/admin/projects/new/").status_code == 403
    assert client.get("/admin/projects/park/copy/").status_code == 403
    assert client.get("/admin/folders/new/").status_code == 403
    assert client.post("/admin/projects/park/move/", {"direction": "up"}).status_code == 403
    edit = client.get("/admin/projects/park/")
    assert edit.status_code == 200
    assert 'name="managers"' not in edit.content.decode()


def test_a_manager_saving_a_project_keeps_its_managers(city, manager, project):
    client = english(city, manager)
    response = client.post(
        "/admin/projects/park/",
        {"title_pl": "Nowy park", "title_en": "New park", "visibility": "everyone"},
    )
    assert response.status_code == 302
    with city_context(city.ref):
        project.refresh_from_db()
        assert project.title == {"pl": "Nowy park", "en": "New park"}
        assert list(project.managers.all()) == [manager]


# --- projects ----------------------------------------------------------------------------------


def test_an_administrator_creates_a_draft_project_with_a_manager(city, city_admin, manager):
    client = english(city, city_admin)
    page = client.get("/admin/projects/new/").content.decode()
    assert 'lang="en"' in page and "Title (Polish)" in page
    response = client.post(
        "/admin/projects/new/",
        {
            "slug": "rowery",
            "title_pl": "Rowery miejskie",
            "title_en": "City bikes",
            "description_pl": "<p>Gdzie stacje?</p><script>alert(1)</script>",
            "visibility": "everyone",
            "managers": [manager.pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/projects/rowery/timeline/"
    with city_context(city.ref):
        created = Project.objects.get(slug="rowery")
        assert created.status == PublicationStatus.DRAFT
        assert created.title == {"pl": "Rowery miejskie", "en": "City bikes"}
        assert "<script>" not in created.description["pl"]
        assert list(created.managers.all()) == [manager]


def test_bad_project_input_explains_itself(city, city_admin, project):
    client = english(city, city_admin)
    response = client.post(
        "/admin/projects/new/",
        {"slug": "park", "title_en": "Only English", "visibility": "groups"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the following" in html
    assert "Another project already uses this address" in html
    assert "This field is required." in html  # the title in the city's default language
    assert "Choose at least one group, or make the project visible to everyone." in html
    assert 'value="Only English"' in html  # what was typed stays
    with city_context(city.ref):
        assert Project.objects.count() == 1


def test_a_cover_image_is_checked_and_needs_a_description(
    city, city_admin, project, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = english(city, city_admin)
    base = {"title_pl": "Park", "visibility": "everyone"}
    fake = SimpleUploadedFile("cover.png", b"not an image", content_type="image/png")
    html = client.post("/admin/projects/park/", {**base, "cover_image": fake}).content.decode()
    assert "is not an image we can show" in html
    html = client.post("/admin/projects/park/", {**base, "cover_image": png()}).content.decode()
    assert "Describe the cover image in a few words" in html
    assert not reload(city, project).cover_image
    response = client.post(
        "/admin/projects/park/", {**base, "cover_image": png(), "cover_alt_pl": "Staw w parku"}
    )
    assert response.status_code == 302
    project = reload(city, project)
    assert project.cover_image.name.endswith(".png")
    assert project.cover_alt == {"pl": "Staw w parku"}


def test_publishing_checks_the_timeline_and_the_plans_limit(city, city_admin, project):
    client = english(city, city_admin)
    with city_context(city.ref):
        empty = services.create_project(slug="pusty", title={"pl": "Pusty"})
    page = client.post("/admin/projects/pusty/publish/", follow=True).content.decode()
    assert "Add at least one phase before publishing the project." in page
    with city_context(city.ref):
        draft = make_project("drugi", published=False)
    set_entitlements(city=city.model, limits={"active_projects": 1})
    forget_entitlements(city.model.pk)  # on commit in production; tests roll back
    response = client.post("/admin/projects/drugi/publish/", follow=True)
    assert response.status_code == 200
    assert "Your plan allows 1 active project and 1 are in use" in response.content.decode()
    assert reload(city, draft).status == PublicationStatus.DRAFT
    assert reload(city, empty).status == PublicationStatus.DRAFT


def test_publish_archive_and_back_to_draft(city, city_admin):
    with city_context(city.ref):
        draft = make_project("nowy", published=False)
    client = english(city, city_admin)
    page = client.post("/admin/projects/nowy/publish/", follow=True).content.decode()
    assert "residents can see it now" in page
    assert reload(city, draft).status == PublicationStatus.PUBLISHED
    assert "A park on the Motława" in english(city).get("/").content.decode()
    client.post("/admin/projects/nowy/archive/")
    assert reload(city, draft).status == PublicationStatus.ARCHIVED
    client.post("/admin/projects/nowy/draft/")
    assert reload(city, draft).status == PublicationStatus.DRAFT
    assert client.get("/admin/projects/nowy/publish/").status_code == 405


def test_staff_preview_a_draft_that_residents_cannot_see(city, manager, resident):
    with city_context(city.ref):
        draft = make_project("szkic", published=False)
        draft.managers.add(manager)
    edit = english(city, manager).get("/admin/projects/szkic/").content.decode()
    assert 'href="/projects/szkic/"' in edit
    preview = english(city, manager).get("/projects/szkic/")
    assert preview.status_code == 200
    assert "Draft: only staff can see this project." in preview.content.decode()
    assert english(city, resident).get("/projects/szkic/").status_code == 404


def test_projects_move_with_plain_forms(city, city_admin):
    with city_context(city.ref):
        for slug in ("a-one", "b-two"):
            make_project(slug)
        first = Project.objects.order_by("position", "-created_at").first()
        assert first is not None
    client = english(city, city_admin)
    response = client.post(f"/admin/projects/{first.slug}/move/", {"direction": "down"})
    assert response.status_code == 302
    with city_context(city.ref):
        order = list(Project.objects.order_by("position").values_list("slug", flat=True))
    assert order[1] == first.slug
    listing = client.get("/admin/projects/").content.decode()
    assert 'name="direction" value="up"' in listing
    assert 'name="direction" value="down"' in listing


def test_an_administrator_copies_a_project(city, city_admin, project):
    client = english(city, city_admin)
    page = client.get("/admin/projects/park/copy/").content.decode()
    assert 'value="park-2"' in page
    taken = client.post("/admin/projects/park/copy/", {"slug": "park"})
    assert "Another project already uses this address" in taken.content.decode()
    response = client.post("/admin/projects/park/copy/", {"slug": "park-2", "with_inputs": "on"})
    assert response.status_code == 302
    with city_context(city.ref):
        copy = Project.objects.get(slug="park-2")
        assert copy.status == PublicationStatus.DRAFT
        assert copy.phases.count() == 2


# --- the timeline --------------------------------------------------------------------------------


def test_adding_phases_and_refusing_an_overlap(city, city_admin):
    with city_context(city.ref):
        project = services.create_project(slug="plan", title={"pl": "Plan"})
    client = english(city, city_admin)
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    response = client.post(
        "/admin/projects/plan/phases/new/",
        {
            "title_pl": "Informacja",
            "method": "information",
            "starts_at": local(start),
            "ends_at": local(start + timedelta(days=7)),
        },
    )
    assert response.status_code == 302
    overlap = client.post(
        "/admin/projects/plan/phases/new/",
        {
            "title_pl": "Pomysły",
            "method": "ideation",
            "starts_at": local(start + timedelta(days=3)),
            "ends_at": "",
        },
    )
    html = overlap.content.decode()
    assert overlap.status_code == 400
    assert "Phases cannot overlap: this one overlaps “Informacja”" in html
    assert 'value="Pomysły"' in html
    client.post(
        "/admin/projects/plan/phases/new/",
        {
            "title_pl": "Pomysły",
            "method": "ideation",
            "starts_at": local(start + timedelta(days=7)),
        },
    )
    with city_context(city.ref):
        assert [p.method for p in project.phases.order_by("starts_at")] == [
            "information",
            "ideation",
        ]
    timeline = client.get("/admin/projects/plan/timeline/").content.decode()
    assert "Informacja" in timeline and "no end" in timeline


def test_bad_dates_are_explained(city, city_admin):
    with city_context(city.ref):
        services.create_project(slug="plan", title={"pl": "Plan"})
    client = english(city, city_admin)
    response = client.post(
        "/admin/projects/plan/phases/new/",
        {
            "title_pl": "X",
            "method": "nonsense",
            "starts_at": "tomorrow",
            "ends_at": "2026-01-01T10:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the date and time as YYYY-MM-DD HH:MM." in html
    assert "Select a valid choice." in html


def test_moving_a_phase_and_keeping_it_on_refusal(city, city_admin, project):
    with city_context(city.ref):
        information = project.phases.get(method="information")
        ideation = project.phases.get(method="ideation")
    client = english(city, city_admin)
    url = f"/admin/projects/park/phases/{information.pk}/"
    form = client.get(url).content.decode()
    assert f'value="{local(information.starts_at)}"' in form
    refused = client.post(
        url,
        {
            "title_pl": "Informacja",
            "method": "information",
            "starts_at": local(information.starts_at),
            "ends_at": local(ideation.starts_at + timedelta(days=1)),
        },
    )
    assert refused.status_code == 400
    assert "overlaps “Collecting ideas”" in refused.content.decode()
    earlier = information.starts_at - timedelta(days=5)
    response = client.post(
        url,
        {
            "title_pl": "Informacja",
            "title_en": "Information",
            "method": "information",
            "starts_at": local(earlier),
            "ends_at": local(ideation.starts_at),
        },
    )
    assert response.status_code == 302
    information = reload(city, information)
    assert local(information.starts_at) == local(earlier)


def test_deleting_a_phase_asks_first_and_keeps_one_with_ideas(city, city_admin, project, resident):
    with city_context(city.ref):
        information = project.phases.get(method="information")
        ideation = project.phases.get(method="ideation")
        post_idea(author=resident, phase=ideation, title="Ławki w parku", body="<p>Więcej</p>")
    client = english(city, city_admin)
    confirm = client.get(f"/admin/projects/park/phases/{ideation.pk}/delete/")
    assert "Delete the phase?" in confirm.content.decode()
    page = client.post(f"/admin/projects/park/phases/{ideation.pk}/delete/", follow=True)
    assert "Residents already took part in this phase" in page.content.decode()
    client.post(f"/admin/projects/park/phases/{information.pk}/delete/")
    with city_context(city.ref):
        assert list(Phase.objects.filter(project=project)) == [ideation]


def test_phase_settings_come_from_the_method(city, city_admin, project):
    with city_context(city.ref):
        ideation = project.phases.get(method="ideation")
        information = project.phases.get(method="information")
        group = services.create_group(name="Rada seniorów")
    client = english(city, city_admin)
    url = f"/admin/projects/park/phases/{ideation.pk}/settings/"
    html = client.get(url).content.decode()
    for name in ("open_post", "who_comment", "groups_react", "reaction_mode", "field_location"):
        assert f'name="{name}"' in html
    assert "Verified residents" in html
    info = client.get(f"/admin/projects/park/phases/{information.pk}/settings/").content.decode()
    assert 'name="open_post"' not in info and 'name="reaction_mode"' not in info

    missing_group = client.post(
        url,
        {
            "open_post": "on",
            "who_post": "groups",
            "who_comment": "everyone",
            "who_react": "everyone",
            "reaction_mode": "likes",
            "field_images": "optional",
            "field_attachments": "optional",
            "field_location": "optional",
            "field_topics": "optional",
        },
    )
    assert missing_group.status_code == 400
    assert "Choose at least one group that may post ideas." in missing_group.content.decode()
    assert reload(city, ideation).permissions == {}

    response = client.post(
        url,
        {
            "open_post": "on",
            "who_post": "groups",
            "groups_post": [group.pk],
            "who_comment": "confirmed",
            "open_react": "on",
            "who_react": "verified",
            "reaction_mode": "likes_dislikes",
            "anonymous_posting": "on",
            "field_images": "required",
            "field_attachments": "off",
            "field_location": "optional",
            "field_topics": "off",
        },
    )
    assert response.status_code == 302
    ideation = reload(city, ideation)
    assert ideation.permissions == {
        "post": {"open": True, "who": "groups", "groups": [group.pk]},
        "comment": {"open": False, "who": "confirmed", "groups": []},
        "react": {"open": True, "who": "verified", "groups": []},
    }
    assert ideation.options["reaction_mode"] == "likes_dislikes"
    assert ideation.options["anonymous_posting"] is True
    assert ideation.options["fields"]["images"] == "required"
    assert ideation.options["fields"]["attachments"] == "off"


# --- folders -------------------------------------------------------------------------------------


def test_an_administrator_manages_folders(city, city_admin):
    client = english(city, city_admin)
    response = client.post(
        "/admin/folders/new/", {"slug": "budzet", "title_pl": "Budżet 2026", "title_en": "Budget"}
    )
    assert response.status_code == 302
    with city_context(city.ref):
        folder = Folder.objects.get(slug="budzet")
    assert folder.status == PublicationStatus.DRAFT
    assert "Budget" in client.get("/admin/projects/").content.decode()
    client.post("/admin/folders/budzet/", {"title_pl": "Budżet obywatelski"})
    client.post("/admin/folders/budzet/status/", {"status": "published"})
    folder = reload(city, folder)
    assert (folder.title, folder.status) == ({"pl": "Budżet obywatelski"}, "published")
    duplicate = client.post("/admin/folders/new/", {"slug": "budzet", "title_pl": "Znowu"})
    assert "Another folder already uses this address" in duplicate.content.decode()


# --- cities never mix -------------------------------------------------------------------------


def test_another_citys_administrator_never_sees_this_citys_projects(city, other_city, project):
    with city_context(other_city.ref):
        springfield_admin = User.objects.create_user(
            "mayor@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    client = english(other_city, springfield_admin)
    listing = client.get("/admin/projects/")
    assert listing.status_code == 200
    assert "A park on the Motława" not in listing.content.decode()
    assert client.get("/admin/projects/park/").status_code == 404
    assert client.post("/admin/projects/park/publish/").status_code == 404
    assert reload(city, project).status == PublicationStatus.PUBLISHED


def test_topics_area_folder_and_visibility_are_saved(city, city_admin, project):
    with city_context(city.ref):
        topic = services.create_topic(slug="zielen", name={"pl": "Zieleń", "en": "Greenery"})
        area = services.create_area(slug="srodmiescie", name={"pl": "Śródmieście"})
        folder = services.create_folder(slug="budzet", title={"pl": "Budżet"})
        group = services.create_group(name="Rada osiedla")
    client = english(city, city_admin)
    page = client.get("/admin/projects/park/").content.decode()
    assert "Greenery" in page and "Śródmieście" in page
    assert "<legend>Topics</legend>" in page
    response = client.post(
        "/admin/projects/park/",
        {
            "title_pl": "Park",
            "topics": [topic.pk],
            "area": area.pk,
            "folder": folder.pk,
            "visibility": "groups",
            "visible_to": [group.pk],
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        project.refresh_from_db()
        assert list(project.topics.all()) == [topic]
        assert (project.area, project.folder, project.visibility) == (area, folder, "groups")
        assert list(project.visible_to.all()) == [group]
        assert list(project.managers.all()) == []  # the administrator's form sets managers
