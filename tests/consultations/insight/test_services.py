"""Theme services: analysis in the background, staff's renames/tags/merges, re-runs keeping
staff's names where members overlap, plan feature, and isolation between cities."""

from __future__ import annotations

import pytest

from ratusz.consultations.insight import selectors, services
from ratusz.consultations.insight.models import RunStatus, Theme, ThemeRun
from ratusz.consultations.methods.ideation.models import Visibility
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import FeatureNotAllowed, forget_entitlements, set_entitlements
from tests.consultations.conftest import make_project
from tests.consultations.participation.notifications.conftest import person


def analyse(project, staff, committed) -> ThemeRun:
    with committed():
        run = services.request_analysis(project=project, by=staff)
    run.refresh_from_db()
    return run


def theme_with(project, title: str) -> Theme:
    return Theme.objects.get(project=project, members__idea__title=title)


def test_an_analysis_groups_ideas_and_comments_into_themes(project, ideas, staff, committed):
    comment = add_comment(author=staff, idea=ideas[3], body="Ścieżka rowerowa to dobry pomysł")
    run = analyse(project, staff, committed)
    assert run.status == RunStatus.DONE
    assert (run.documents, run.clusters) == (10, 3)
    bikes = theme_with(project, "Ścieżka rowerowa na Grunwaldzkiej")
    assert {m.idea_id for m in bikes.members.all() if m.idea_id} == {i.pk for i in ideas[3:6]}
    assert comment.pk in {m.comment_id for m in bikes.members.all()}
    assert "rowerowa" in bikes.words


def test_hidden_ideas_are_not_analysed(project, ideas, staff, committed):
    ideas[0].visibility = Visibility.HIDDEN
    ideas[0].save()
    analyse(project, staff, committed)
    assert not Theme.objects.filter(members__idea=ideas[0]).exists()


def test_rerunning_keeps_staff_names_and_tags_where_members_overlap(
    project, ideas, staff, committed, ideation_phase
):
    analyse(project, staff, committed)
    services.rename_theme(theme=theme_with(project, "Drzewa przy szkole"), name="Zieleń")
    services.tag_theme(
        theme=theme_with(project, "Więcej ławek w parku"), tags=["meble", " ", "park"]
    )
    # A new idea on trees: the trees theme changes a little, but is mostly the same.
    post_idea(
        author=person("nowy@example.com"),
        phase=ideation_phase,
        title="Drzewa na osiedlu",
        body="<p>Więcej drzew.</p>",
    )
    run = analyse(project, staff, committed)
    assert run.kept_names == 2
    trees = theme_with(project, "Drzewa na osiedlu")
    assert trees.name == "Zieleń"
    assert theme_with(project, "Ławki przy placu zabaw").tags == ["meble", "park"]
    assert theme_with(project, "Trasa rowerowa wzdłuż rzeki").name == ""


def test_a_name_does_not_follow_a_theme_whose_members_changed_completely(
    project, ideas, staff, committed
):
    analyse(project, staff, committed)
    services.rename_theme(theme=theme_with(project, "Drzewa przy szkole"), name="Zieleń")
    for idea in ideas[6:]:
        idea.visibility = Visibility.HIDDEN
        idea.save()
    analyse(project, staff, committed)
    assert not Theme.objects.filter(project=project, name="Zieleń").exists()


def test_merging_moves_members_tags_and_words(project, ideas, staff, committed):
    analyse(project, staff, committed)
    benches = theme_with(project, "Więcej ławek w parku")
    trees = theme_with(project, "Drzewa przy szkole")
    services.tag_theme(theme=trees, tags=["zieleń"])
    merged = services.merge_themes(target=benches, others=[trees])
    assert merged.members.count() == 6
    assert merged.tags == ["zieleń"]
    assert "drzewa" in merged.words
    assert not Theme.objects.filter(pk=trees.pk).exists()
    assert Theme.objects.filter(project=project).count() == 2


def test_a_second_request_while_one_waits_returns_the_same_run(
    project, ideas, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.request_analysis(project=project, by=staff)
        second = services.request_analysis(project=project, by=staff)
    assert first.pk == second.pk
    done = services.run_analysis(run_id=first.pk)
    assert done is not None and done.status == RunStatus.DONE
    again = services.run_analysis(run_id=first.pk)
    assert again is not None and again.clusters == 3  # done: nothing changes
    assert ThemeRun.objects.filter(project=project).count() == 1


def test_a_city_without_themes_in_its_plan_is_told_so(city, project, ideas, staff):
    set_entitlements(city=city.model, features={"insight": False})
    forget_entitlements(city.model.pk)
    with pytest.raises(FeatureNotAllowed) as refused:
        services.request_analysis(project=project, by=staff)
    assert refused.value.message
    assert not ThemeRun.objects.exists()


def test_themes_of_one_city_never_appear_in_another(
    city, other_city, project, ideas, staff, committed
):
    analyse(project, staff, committed)
    assert Theme.objects.filter(project=project).count() == 3
    with city_context(other_city.ref):
        other_project = make_project("park")  # the same address, another city
        assert selectors.themes_of(other_project).count() == 0
        assert Theme.objects.count() == 0
        assert selectors.project_documents(other_project) == []
