"""The project builder's services and rules: timelines that explain refusals, phase settings
from the method registry, the "verified residents" rule, copying, ordering and the plan limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import selectors, services
from ratusz.consultations.core.models import Phase, Project, PublicationStatus
from ratusz.consultations.core.registry import Action, get_method
from ratusz.consultations.core.rules import action_rule, can_act
from ratusz.consultations.core.services import ProjectRefused, SettingsRefused, TimelineRefused
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction
from ratusz.consultations.methods.ideation.services import add_comment, post_idea, react
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import LimitReached, forget_entitlements, set_entitlements
from tests.consultations.conftest import make_project

DAY = timedelta(days=1)


def _draft(slug: str = "plan") -> Project:
    return services.create_project(slug=slug, title={"pl": "Plan", "en": "Plan"})


# --- timeline ---------------------------------------------------------------------------------


def test_a_phase_moves_and_resizes_within_the_timeline(in_city):
    project = _draft()
    now = timezone.now()
    first = services.add_phase(
        project=project, method="information", starts_at=now, ends_at=now + 5 * DAY
    )
    services.add_phase(
        project=project, method="ideation", starts_at=now + 10 * DAY, ends_at=now + 20 * DAY
    )
    services.change_phase(
        phase=first,
        method="information",
        starts_at=now + DAY,
        ends_at=now + 10 * DAY,  # touches the next phase: allowed, ranges are half-open
        title={"pl": "Informacja", "en": ""},
        description={"pl": "<p>Opis</p><script>x</script>"},
    )
    first.refresh_from_db()
    assert (first.starts_at, first.ends_at) == (now + DAY, now + 10 * DAY)
    assert first.title == {"pl": "Informacja"}
    assert "<script>" not in first.description["pl"]


def test_moving_a_phase_onto_another_is_refused_with_the_phase_it_overlaps(in_city):
    project = _draft()
    now = timezone.now()
    first = services.add_phase(
        project=project, method="information", starts_at=now, ends_at=now + 5 * DAY
    )
    services.add_phase(
        project=project,
        method="ideation",
        starts_at=now + 10 * DAY,
        ends_at=now + 20 * DAY,
        title={"pl": "Pomysły"},
    )
    with pytest.raises(TimelineRefused, match="overlaps “Pomysły”"):
        services.change_phase(
            phase=first,
            method="information",
            starts_at=now,
            ends_at=now + 12 * DAY,
            title={"pl": "Informacja"},
            description={},
        )
    first.refresh_from_db()
    assert first.ends_at == now + 5 * DAY  # nothing saved is lost


def test_only_the_last_phase_may_lose_its_end(in_city):
    project = _draft()
    now = timezone.now()
    first = services.add_phase(
        project=project, method="information", starts_at=now, ends_at=now + 5 * DAY
    )
    last = services.add_phase(
        project=project, method="ideation", starts_at=now + 5 * DAY, ends_at=now + 9 * DAY
    )
    with pytest.raises(TimelineRefused, match="Only the last phase may be open-ended"):
        services.change_phase(
            phase=first, method="information", starts_at=now, ends_at=None, title={}, description={}
        )
    services.change_phase(
        phase=last,
        method="ideation",
        starts_at=now + 5 * DAY,
        ends_at=None,
        title={},
        description={},
    )
    with pytest.raises(TimelineRefused, match=r"which has no end\. Give that phase an end first"):
        services.add_phase(
            project=project, method="information", starts_at=now + 30 * DAY, ends_at=now + 31 * DAY
        )


def test_a_phase_ending_before_it_starts_is_refused(in_city):
    project = _draft()
    now = timezone.now()
    phase = services.add_phase(project=project, method="ideation", starts_at=now, ends_at=None)
    with pytest.raises(TimelineRefused, match="must end after it starts"):
        services.change_phase(
            phase=phase,
            method="ideation",
            starts_at=now,
            ends_at=now - DAY,
            title={},
            description={},
        )


def test_an_unused_phase_is_deleted(in_city):
    project = _draft()
    now = timezone.now()
    phase = services.add_phase(project=project, method="ideation", starts_at=now, ends_at=None)
    services.delete_phase(phase=phase)
    assert not project.phases.exists()


def test_a_phase_with_ideas_is_not_deleted_and_keeps_its_method(project, resident, ideation_phase):
    post_idea(author=resident, phase=ideation_phase, title="Ławki w parku", body="<p>Więcej</p>")
    with pytest.raises(TimelineRefused, match="Residents already took part in this phase"):
        services.delete_phase(phase=ideation_phase)
    with pytest.raises(TimelineRefused, match="participation method cannot change"):
        services.change_phase(
            phase=ideation_phase,
            method="information",
            starts_at=ideation_phase.starts_at,
            ends_at=ideation_phase.ends_at,
            title=ideation_phase.title,
            description={},
        )
    assert Phase.objects.filter(pk=ideation_phase.pk, method="ideation").exists()


def test_changing_the_method_starts_from_the_new_methods_defaults(in_city):
    project = _draft()
    now = timezone.now()
    phase = services.add_phase(
        project=project,
        method="ideation",
        starts_at=now,
        ends_at=None,
        options={"reaction_mode": "likes_dislikes"},
        permissions={"post": {"who": "confirmed"}},
    )
    services.change_phase(
        phase=phase, method="information", starts_at=now, ends_at=None, title={}, description={}
    )
    phase.refresh_from_db()
    assert phase.method == "information"
    assert phase.options == get_method("information").default_options
    assert phase.permissions == {}


# --- phase settings and rules -------------------------------------------------------------------


def test_phase_settings_are_saved_as_the_rules_read_them(ideation_phase):
    group = services.create_group(name="Rada dzielnicy")
    services.update_phase_settings(
        phase=ideation_phase,
        options={
            "reaction_mode": "likes_dislikes",
            "anonymous_posting": True,
            "fields": {"images": "required", "location": "off"},
        },
        permissions={
            "post": {"open": True, "who": "groups", "groups": [group.pk]},
            "comment": {"open": False, "who": "everyone", "groups": [group.pk]},
            "react": {"open": True, "who": "verified", "groups": []},
        },
    )
    ideation_phase.refresh_from_db()
    assert ideation_phase.options["reaction_mode"] == "likes_dislikes"
    assert ideation_phase.options["anonymous_posting"] is True
    assert ideation_phase.options["fields"] == {
        "images": "required",
        "attachments": "optional",
        "location": "off",
        "topics": "optional",
    }
    assert action_rule(ideation_phase, Action.POST) == {
        "open": True,
        "who": "groups",
        "groups": [group.pk],
    }
    # Groups only matter for the "groups" rule.
    assert action_rule(ideation_phase, Action.COMMENT)["groups"] == []


def test_settings_the_method_does_not_declare_are_refused(project):
    information = project.phases.get(method="information")
    with pytest.raises(SettingsRefused, match="does not offer: post"):
        services.update_phase_settings(
            phase=information, options={}, permissions={"post": {"who": "everyone"}}
        )
    with pytest.raises(SettingsRefused, match="no setting: reaction_mode"):
        services.update_phase_settings(
            phase=information, options={"reaction_mode": "likes"}, permissions={}
        )
    ideation = project.phases.get(method="ideation")
    with pytest.raises(SettingsRefused, match="at least one group"):
        services.update_phase_settings(
            phase=ideation, options={}, permissions={"post": {"who": "groups", "groups": []}}
        )
    with pytest.raises(SettingsRefused, match="off, optional or required"):
        services.update_phase_settings(
            phase=ideation, options={"fields": {"images": "sometimes"}}, permissions={}
        )


def test_only_verified_residents_act_when_the_phase_says_so(ideation_phase, resident):
    services.update_phase_settings(
        phase=ideation_phase,
        options={},
        permissions={"post": {"open": True, "who": "verified", "groups": []}},
    )
    decision = can_act(resident, ideation_phase, Action.POST)
    assert not decision.allowed
    assert decision.code == "not_verified"
    assert decision.next_step == "verify"
    assert "only verified residents" in decision.message
    assert "ask the city office" in decision.message
    User.objects.filter(pk=resident.pk).update(verified_at=timezone.now())
    resident.refresh_from_db()
    assert can_act(resident, ideation_phase, Action.POST).allowed


def test_an_action_the_city_closed_is_refused_with_a_reason(ideation_phase, resident):
    services.update_phase_settings(
        phase=ideation_phase,
        options={},
        permissions={"comment": {"open": False, "who": "everyone", "groups": []}},
    )
    decision = can_act(resident, ideation_phase, Action.COMMENT)
    assert (decision.allowed, decision.code) == (False, "closed")
    assert "has not opened this phase" in decision.message
    assert can_act(resident, ideation_phase, Action.POST).allowed


# --- projects -------------------------------------------------------------------------------------


def test_publishing_respects_the_plans_limit_of_active_projects(city, in_city):
    make_project("first")
    draft = make_project("second", published=False)
    set_entitlements(city=city.model, limits={"active_projects": 1})
    forget_entitlements(city.model.pk)  # on commit in production; tests roll back
    with pytest.raises(LimitReached) as refused:
        services.publish_project(project=draft)
    assert "Your plan allows 1 active project and 1 are in use" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    # Publishing again what is already published does not count twice.
    services.publish_project(project=Project.objects.get(slug="first"))
    set_entitlements(city=city.model, limits={"active_projects": 2})
    forget_entitlements(city.model.pk)
    services.publish_project(project=draft)
    assert selectors.published_project_count() == 2


def test_archiving_and_returning_to_draft(project):
    services.archive_project(project=project)
    assert project.status == PublicationStatus.ARCHIVED
    services.return_project_to_draft(project=project)
    project.refresh_from_db()
    assert project.status == PublicationStatus.DRAFT


def test_projects_move_up_and_down_the_home_page(in_city):
    a, b, c = (_draft(slug) for slug in ("a", "b", "c"))
    order = lambda: list(  # noqa: E731
        Project.objects.order_by("position", "-created_at").values_list("slug", flat=True)
    )
    start = order()
    services.move_project(project=Project.objects.get(slug=start[2]), direction="up")
    assert order() == [start[0], start[2], start[1]]
    services.move_project(project=Project.objects.get(slug=start[0]), direction="down")
    assert order() == [start[2], start[0], start[1]]
    services.move_project(project=Project.objects.get(slug=start[2]), direction="up")  # first
    assert order() == [start[2], start[0], start[1]]
    with pytest.raises(ProjectRefused):
        services.move_project(project=a, direction="sideways")
    assert {a.slug, b.slug, c.slug} == set(order())


def test_a_copy_keeps_the_timeline_and_settings_but_not_the_inputs(project, resident):
    phase = project.phases.get(method="ideation")
    post_idea(author=resident, phase=phase, title="Ławki w parku", body="<p>Więcej</p>")
    copy = services.copy_project(project=project, slug="park-2", with_inputs=False)
    assert copy.status == PublicationStatus.DRAFT
    # Each language's title says "copy" in that language.
    assert copy.title["en"] == "A park on the Motława (copy)"
    assert copy.title["pl"].startswith("Park nad Motławą (")
    assert [(p.method, p.starts_at, p.options) for p in copy.phases.order_by("starts_at")] == [
        (p.method, p.starts_at, p.options) for p in project.phases.order_by("starts_at")
    ]
    assert not Idea.objects.filter(project=copy).exists()


def test_a_copy_with_inputs_carries_ideas_comments_and_reactions(project, resident, neighbour):
    phase = project.phases.get(method="ideation")
    idea = post_idea(author=resident, phase=phase, title="Ławki w parku", body="<p>Więcej</p>")
    top = add_comment(author=neighbour, idea=idea, body="Dobry pomysł")
    add_comment(author=resident, idea=idea, body="Dziękuję", parent=top)
    react(user=neighbour, idea=idea, kind=Reaction.Kind.LIKE)
    copy = services.copy_project(project=project, slug="park-kopia", with_inputs=True)
    copied = Idea.objects.get(project=copy)
    assert copied.phase.project_id == copy.pk
    assert (copied.title, copied.author_id, copied.likes) == ("Ławki w parku", resident.pk, 1)
    assert copied.created_at == idea.created_at
    reply = Comment.objects.get(idea=copied, parent__isnull=False)
    assert reply.parent is not None and reply.parent.body == "Dobry pomysł"
    assert Reaction.objects.filter(idea=copied, user=neighbour).exists()
    # The original is untouched.
    assert Idea.objects.filter(project=project).count() == 1


def test_folders_are_created_as_drafts_and_change_status(in_city):
    folder = services.create_folder(
        slug="budzet-2026", title={"pl": "Budżet 2026"}, status=PublicationStatus.DRAFT
    )
    services.set_folder_status(folder=folder, status=PublicationStatus.PUBLISHED)
    assert folder.status == PublicationStatus.PUBLISHED
    with pytest.raises(ProjectRefused):
        services.set_folder_status(folder=folder, status="gone")


def test_builder_reads_stay_in_their_city(city, other_city):
    with city_context(city.ref):
        make_project("gdansk-only")
    with city_context(other_city.ref):
        assert selectors.published_project_count() == 0
        assert not Project.objects.filter(slug="gdansk-only").exists()
        assert not any(
            u.email == "urzednik@gdansk.example" for u in selectors.assignable_managers()
        )
