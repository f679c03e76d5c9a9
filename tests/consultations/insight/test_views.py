"""Themes pages: staff only, project managers only for their projects, run/rename/tag/merge
through plain forms with clear errors, and no theme of one city shown in another."""

from __future__ import annotations

from django.urls import reverse

from ratusz.accounts.models import Role
from ratusz.consultations.insight import services
from ratusz.consultations.insight.models import Theme
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.consultations.participation.notifications.conftest import client_for, person

URLCONF = "ratusz.urls_city"


def url(name: str, *args: object) -> str:
    return reverse(f"backoffice:{name}", args=args, urlconf=URLCONF)


def analysed(project, staff, committed) -> list[Theme]:
    with committed():
        services.request_analysis(project=project, by=staff)
    return list(Theme.objects.filter(project=project))


def test_a_resident_gets_403(city, resident, project):
    client = client_for(city, resident)
    assert client.get(url("insight")).status_code == 403
    assert client.get(url("insight-project", project.slug)).status_code == 403
    assert client.post(url("insight-run", project.slug)).status_code == 403


def test_a_manager_sees_only_their_projects(city, manager, project, ideas, committed):
    other = make_project("plac")
    client = client_for(city, manager)
    index = client.get(url("insight")).content.decode()
    assert url("insight-project", "park") in index
    assert url("insight-project", "plac") not in index
    assert client.get(url("insight-project", other.slug)).status_code == 404
    assert client.post(url("insight-run", other.slug)).status_code == 404
    with committed():
        response = client.post(url("insight-run", project.slug))
    assert response.status_code == 302
    assert Theme.objects.filter(project=project).count() == 3
    assert not Theme.objects.filter(project=other).exists()


def test_a_manager_cannot_touch_themes_of_another_project(city, manager, staff, ideas, committed):
    other = make_project("plac")
    theme = Theme.objects.create(project=other, top_words=[["x", 1.0]])
    client = client_for(city, manager)
    response = client.post(
        url("insight-rename", other.slug, theme.pk), {f"theme-{theme.pk}-name": "Mine"}
    )
    assert response.status_code == 404
    # Nor through a project they do manage, with another project's theme id.
    response = client.post(
        url("insight-rename", "park", theme.pk), {f"theme-{theme.pk}-name": "Mine"}
    )
    assert response.status_code == 404
    theme.refresh_from_db()
    assert theme.name == ""


def test_the_page_shows_themes_with_words_and_member_links(city, staff, project, ideas, committed):
    analysed(project, staff, committed)
    content = client_for(city, staff).get(url("insight-project", project.slug)).content.decode()
    assert "rowerowa" in content
    assert f'href="/ideas/{ideas[0].pk}/"' in content
    assert "Ścieżka rowerowa na Grunwaldzkiej" in content


def test_rename_tag_and_merge_through_the_page(city, staff, project, ideas, committed):
    themes = analysed(project, staff, committed)
    first, second = themes[0], themes[1]
    client = client_for(city, staff)
    response = client.post(
        url("insight-rename", project.slug, first.pk), {f"theme-{first.pk}-name": "Ławki"}
    )
    assert response.status_code == 302
    response = client.post(
        url("insight-tags", project.slug, first.pk), {f"theme-{first.pk}-tags": "park, meble"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.name, first.tags) == ("Ławki", ["park", "meble"])
    response = client.post(
        url("insight-merge", project.slug), {"target": first.pk, "themes": [second.pk]}
    )
    assert response.status_code == 302
    assert Theme.objects.filter(project=project).count() == 2


def test_bad_input_is_explained_and_changes_nothing(city, staff, project, ideas, committed):
    themes = analysed(project, staff, committed)
    first = themes[0]
    client = client_for(city, staff)
    too_many = ",".join(f"t{n}" for n in range(11))
    response = client.post(
        url("insight-tags", project.slug, first.pk), {f"theme-{first.pk}-tags": too_many}
    )
    assert response.status_code == 400
    assert "at most 10 tags" in response.content.decode()
    response = client.post(
        url("insight-merge", project.slug), {"target": first.pk, "themes": [first.pk]}
    )
    assert response.status_code == 400
    assert "other than the one to merge into" in response.content.decode()
    assert Theme.objects.filter(project=project).count() == 3
    first.refresh_from_db()
    assert first.tags == []


def test_themes_of_city_a_never_show_in_city_b(city, other_city, staff, project, ideas, committed):
    themes = analysed(project, staff, committed)
    with city_context(other_city.ref):
        make_project("park")
        boss = person("boss@springfield.example", role=Role.ADMINISTRATOR, is_staff=True)
    client = client_for(other_city, boss)
    content = client.get(url("insight-project", "park")).content.decode()
    assert "rowerowa" not in content
    response = client.post(
        url("insight-rename", "park", themes[0].pk), {f"theme-{themes[0].pk}-name": "X"}
    )
    assert response.status_code == 404
