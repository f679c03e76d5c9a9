"""Moderation rules, each with the message a person sees: reports, the queue's decisions,
held content, blocks and the word filter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.ideation import selectors as ideas
from ratusz.consultations.methods.ideation.models import Comment, Idea
from ratusz.consultations.methods.ideation.services import (
    NotAllowed,
    Refused,
    add_comment,
    post_idea,
)
from ratusz.consultations.participation.moderation import selectors
from ratusz.consultations.participation.moderation.models import (
    Block,
    FilteredWord,
    ModerationAction,
    Report,
)
from ratusz.consultations.participation.moderation.services import (
    approve_content,
    block_resident,
    dismiss_reports,
    hide_content,
    lift_block,
    reject_content,
    report_content,
    restore_content,
    update_word_filter,
)
from ratusz.consultations.participation.moderation.wordlists import DEFAULT_FILTERED_WORDS

# --- reports -------------------------------------------------------------------------------


def test_a_resident_reports_an_idea_and_it_reaches_the_queue(idea, neighbour, manager):
    report = report_content(
        reporter=neighbour, item=idea, reason=Report.Reason.SPAM, explanation="Reklama"
    )
    assert report.idea == idea
    assert report.resolved_at is None
    [entry] = selectors.moderation_queue(staff=manager, default_language="pl")
    assert entry.item == idea
    assert entry.reports == [report]
    assert entry.reasons == ["Spam or advertising"]
    assert not entry.held


def test_a_comment_can_be_reported(comment, resident):
    report = report_content(reporter=resident, item=comment, reason=Report.Reason.OFFENSIVE)
    assert report.comment == comment
    assert report.idea is None


def test_reporting_your_own_content_is_refused(idea, comment, resident, neighbour):
    with pytest.raises(Refused, match="You cannot report your own idea"):
        report_content(reporter=resident, item=idea, reason=Report.Reason.SPAM)
    with pytest.raises(Refused, match="You cannot report your own comment"):
        report_content(reporter=neighbour, item=comment, reason=Report.Reason.SPAM)
    assert not Report.objects.exists()


def test_one_open_report_per_person_and_item(idea, neighbour, manager):
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    with pytest.raises(Refused, match="You have already reported this idea"):
        report_content(reporter=neighbour, item=idea, reason=Report.Reason.OFF_TOPIC)
    assert Report.objects.count() == 1
    dismiss_reports(staff=manager, item=idea)
    # Once the report is resolved, the same person may report again.
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.OFF_TOPIC)
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1


def test_reporting_hidden_or_held_content_is_refused(idea, comment, neighbour, resident, manager):
    hide_content(staff=manager, item=idea, reason="Dane osobowe")
    with pytest.raises(Refused, match="Moderators have already hidden this idea"):
        report_content(reporter=manager, item=idea, reason=Report.Reason.SPAM)
    # A hidden idea does not exist for other residents at all.
    with pytest.raises(Refused, match="not available"):
        report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    restore_content(staff=manager, item=idea)
    hide_content(staff=manager, item=comment, reason="Obraźliwy")
    with pytest.raises(Refused, match="Moderators have already hidden this comment"):
        report_content(reporter=manager, item=comment, reason=Report.Reason.SPAM)
    FilteredWord.objects.create(language="pl", term="bałwan")
    held = add_comment(author=resident, idea=idea, body="Ty bałwanie? Nie: bałwan.")
    assert held.visibility == "held"
    with pytest.raises(Refused, match="already waiting for a moderator"):
        report_content(reporter=manager, item=held, reason=Report.Reason.SPAM)
    assert not Report.objects.exists()


def test_a_report_needs_a_known_reason_and_an_explanation_for_something_else(idea, neighbour):
    with pytest.raises(Refused, match="Choose why"):
        report_content(reporter=neighbour, item=idea, reason="because")
    with pytest.raises(Refused, match="Tell the moderators what is wrong"):
        report_content(reporter=neighbour, item=idea, reason=Report.Reason.OTHER, explanation=" ")
    with pytest.raises(Refused, match="at most 2000"):
        report_content(
            reporter=neighbour, item=idea, reason=Report.Reason.OTHER, explanation="x" * 2001
        )
    assert not Report.objects.exists()


def test_content_of_a_project_one_cannot_see_cannot_be_reported(idea, neighbour, project):
    project.status = "draft"
    project.save()
    with pytest.raises(Refused, match="not available"):
        report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)


# --- hiding and restoring ------------------------------------------------------------------


def test_hiding_shows_the_reason_to_the_author_only(idea, resident, neighbour, manager):
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.PERSONAL_DATA)
    hide_content(staff=manager, item=idea, reason="Podaje numer telefonu sąsiada.")
    idea.refresh_from_db()
    assert idea.visibility == "hidden"
    assert idea.moderation_reason == "Podaje numer telefonu sąsiada."
    # The reports are resolved by the decision.
    assert Report.objects.get().resolution == "hidden"
    assert Report.objects.get().resolved_by == manager
    assert selectors.moderation_queue(staff=manager, default_language="pl") == []
    # The author sees the reason; other residents and visitors see nothing at all.
    notice = selectors.moderation_notice(viewer=resident, item=idea)
    assert notice is not None
    assert notice.state == "hidden"
    assert notice.reason == "Podaje numer telefonu sąsiada."
    assert selectors.moderation_notice(viewer=neighbour, item=idea) is None
    assert selectors.moderation_notice(viewer=AnonymousUser(), item=idea) is None
    assert idea not in ideas.idea_list(project=idea.project, viewer=neighbour)
    assert idea not in ideas.idea_list(project=idea.project, viewer=AnonymousUser())
    [mine] = selectors.moderated_content_of(resident)
    assert mine.item == idea
    assert mine.notice.reason == "Podaje numer telefonu sąsiada."
    assert selectors.moderated_content_of(neighbour) == []


def test_hiding_needs_a_reason_and_loses_nothing(idea, manager):
    with pytest.raises(Refused, match="Give a reason"):
        hide_content(staff=manager, item=idea, reason="   ")
    with pytest.raises(Refused, match="at most 1000"):
        hide_content(staff=manager, item=idea, reason="x" * 1001)
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    assert not ModerationAction.objects.exists()


def test_restoring_publishes_again_and_clears_the_reason(idea, resident, manager):
    hide_content(staff=manager, item=idea, reason="Do sprawdzenia")
    restore_content(staff=manager, item=idea, reason="Sprawdzone, w porządku")
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    assert idea.moderation_reason == ""
    assert selectors.moderation_notice(viewer=resident, item=idea) is None
    with pytest.raises(Refused, match="Only hidden content can be restored"):
        restore_content(staff=manager, item=idea)
    hide_content(staff=manager, item=idea, reason="x")
    with pytest.raises(Refused, match="already hidden"):
        hide_content(staff=manager, item=idea, reason="y")


def test_hiding_and_restoring_a_comment_keeps_the_count_of_published_comments(
    idea, comment, manager
):
    idea.refresh_from_db()
    assert idea.comment_count == 1
    hide_content(staff=manager, item=comment, reason="Obraźliwy")
    idea.refresh_from_db()
    assert idea.comment_count == 0
    assert comment not in ideas.visible_comments(idea, AnonymousUser())
    restore_content(staff=manager, item=comment)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert comment in ideas.visible_comments(idea, AnonymousUser())


def test_dismissing_keeps_the_content_and_closes_the_reports(idea, neighbour, manager):
    other = User.objects.create_user("trzeci@example.com", "correct horse battery")
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    report_content(reporter=other, item=idea, reason=Report.Reason.OFF_TOPIC)
    assert dismiss_reports(staff=manager, item=idea, reason="Na temat") == 2
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    assert set(Report.objects.values_list("resolution", flat=True)) == {"kept"}
    with pytest.raises(Refused, match="no open reports"):
        dismiss_reports(staff=manager, item=idea)


# --- held content --------------------------------------------------------------------------


def test_held_idea_flow_approve_publishes_it(resident, ideation_phase, manager, city_admin):
    update_word_filter(admin=city_admin, lists={"pl": ["bałwan"]})
    idea = post_idea(
        author=resident, phase=ideation_phase, title="Radny to BALWAN", body="<p>Tak.</p>"
    )
    assert idea.visibility == "held"
    assert idea not in ideas.idea_list(project=idea.project, viewer=AnonymousUser())
    notice = selectors.moderation_notice(viewer=resident, item=idea)
    assert notice is not None
    assert notice.state == "held"
    [entry] = selectors.moderation_queue(staff=manager, default_language="pl")
    assert entry.held and entry.item == idea
    approve_content(staff=manager, item=idea)
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    assert idea in ideas.idea_list(project=idea.project, viewer=AnonymousUser())
    assert selectors.moderation_queue(staff=manager, default_language="pl") == []
    with pytest.raises(Refused, match="Only content held for review can be approved"):
        approve_content(staff=manager, item=idea)


def test_held_comment_flow_approve_publishes_and_counts_it(idea, neighbour, manager, city_admin):
    update_word_filter(admin=city_admin, lists={"en": ["numpty"]})
    held = add_comment(author=neighbour, idea=idea, body="What a Numpty idea")
    idea.refresh_from_db()
    assert held.visibility == "held"
    assert idea.comment_count == 0
    assert held not in ideas.visible_comments(idea, AnonymousUser())
    approve_content(staff=manager, item=held)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert held in ideas.visible_comments(idea, AnonymousUser())


def test_rejecting_held_content_keeps_it_unpublished_with_a_reason(
    idea, neighbour, manager, city_admin
):
    update_word_filter(admin=city_admin, lists={"en": ["numpty"]})
    held = add_comment(author=neighbour, idea=idea, body="numpty")
    with pytest.raises(Refused, match="Give a reason"):
        reject_content(staff=manager, item=held, reason="")
    reject_content(staff=manager, item=held, reason="Obraźliwe słowo.")
    held.refresh_from_db()
    idea.refresh_from_db()
    assert held.visibility == "hidden"
    assert idea.comment_count == 0
    notice = selectors.moderation_notice(viewer=neighbour, item=held)
    assert notice is not None
    assert notice.reason == "Obraźliwe słowo."
    with pytest.raises(Refused, match="Only content held for review can be rejected"):
        reject_content(staff=manager, item=idea, reason="x")


# --- who may moderate ----------------------------------------------------------------------


def test_only_the_projects_staff_may_moderate(idea, comment, neighbour, other_manager, city_admin):
    for staff in (neighbour, other_manager):
        with pytest.raises(NotAllowed, match="Only the staff of this project can moderate"):
            hide_content(staff=staff, item=idea, reason="Nie podoba mi się")
        with pytest.raises(NotAllowed, match="Only the staff of this project"):
            hide_content(staff=staff, item=comment, reason="Nie")
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    # The other project's manager does not see this project's content in their queue.
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    assert selectors.moderation_queue(staff=other_manager, default_language="pl") == []
    assert selectors.moderation_queue(staff=neighbour, default_language="pl") == []
    # Administrators moderate every project.
    hide_content(staff=city_admin, item=idea, reason="Spam")
    idea.refresh_from_db()
    assert idea.visibility == "hidden"


def test_the_queue_is_newest_first_and_filters_by_project(
    idea, neighbour, resident, other_project, city_admin
):
    port_idea = post_idea(
        author=resident,
        phase=other_project.phases.get(method="ideation"),
        title="Prom na Westerplatte",
        body="<p>Częściej.</p>",
    )
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    report_content(reporter=neighbour, item=port_idea, reason=Report.Reason.SPAM)
    Report.objects.filter(idea=idea).update(created_at=timezone.now() - timedelta(hours=1))
    entries = selectors.moderation_queue(staff=city_admin, default_language="en")
    assert [entry.item for entry in entries] == [port_idea, idea]
    assert entries[1].project_title == "A park on the Motława"
    only_park = selectors.moderation_queue(
        staff=city_admin, default_language="en", project=idea.project
    )
    assert [entry.item for entry in only_park] == [idea]


def test_every_action_is_logged_with_who_and_when(idea, neighbour, manager):
    report_content(reporter=neighbour, item=idea, reason=Report.Reason.SPAM)
    dismiss_reports(staff=manager, item=idea, reason="W porządku")
    hide_content(staff=manager, item=idea, reason="Jednak nie")
    restore_content(staff=manager, item=idea)
    log = list(ModerationAction.objects.order_by("pk"))
    assert [action.kind for action in log] == ["dismiss", "hide", "restore"]
    assert {action.actor for action in log} == {manager}
    assert all(action.created_at and action.idea == idea for action in log)
    assert all(action.project == idea.project for action in log)
    assert log[1].reason == "Jednak nie"
    assert [a.kind for a in selectors.recent_actions(staff=manager)] == [
        "restore",
        "hide",
        "dismiss",
    ]


def test_hidden_content_is_listed_for_restoring(idea, comment, manager):
    hide_content(staff=manager, item=idea, reason="Pierwszy")
    hide_content(staff=manager, item=comment, reason="Drugi")
    hidden = selectors.hidden_content(staff=manager, default_language="pl")
    assert [entry.item for entry in hidden] == [comment, idea]


# --- blocks --------------------------------------------------------------------------------


def test_a_block_stops_posting_with_the_reason(resident, ideation_phase, city_admin):
    until = timezone.now() + timedelta(days=7)
    block_resident(admin=city_admin, resident=resident, reason="Obraźliwe komentarze", until=until)
    decision = can_act(resident, ideation_phase, Action.POST)
    assert decision.code == "blocked"
    with pytest.raises(NotAllowed, match=r"Your account is blocked until .*Obraźliwe komentarze"):
        post_idea(author=resident, phase=ideation_phase, title="Nowy", body="<p>Treść</p>")
    assert not Idea.objects.exists()
    log = ModerationAction.objects.get(kind="block")
    assert (log.actor, log.target_user) == (city_admin, resident)


def test_a_block_for_good_and_lifting_it(resident, ideation_phase, city_admin):
    block = block_resident(admin=city_admin, resident=resident, reason="Spam", until=None)
    with pytest.raises(NotAllowed, match="Your account is blocked: Spam"):
        post_idea(author=resident, phase=ideation_phase, title="Nowy", body="<p>Treść</p>")
    lift_block(admin=city_admin, block=block, reason="Przeprosił")
    assert can_act(resident, ideation_phase, Action.POST).allowed
    assert post_idea(author=resident, phase=ideation_phase, title="Nowy", body="<p>Treść</p>")
    with pytest.raises(Refused, match="already ended"):
        lift_block(admin=city_admin, block=block)
    assert list(selectors.ended_blocks()) == [block]
    assert list(selectors.active_blocks()) == []


def test_a_blocked_resident_cannot_comment_either(idea, neighbour, city_admin):
    block_resident(admin=city_admin, resident=neighbour, reason="Trolling", until=None)
    with pytest.raises(NotAllowed, match="Trolling"):
        add_comment(author=neighbour, idea=idea, body="Hej")
    assert not Comment.objects.exists()


def test_blocking_rules(resident, manager, city_admin):
    with pytest.raises(NotAllowed, match="Only the city's administrators can block residents"):
        block_resident(admin=manager, resident=resident, reason="x")
    with pytest.raises(Refused, match="You cannot block yourself"):
        block_resident(admin=city_admin, resident=city_admin, reason="x")
    with pytest.raises(Refused, match="Staff accounts cannot be blocked"):
        block_resident(admin=city_admin, resident=manager, reason="x")
    with pytest.raises(Refused, match="Give a reason; the resident will see it"):
        block_resident(admin=city_admin, resident=resident, reason=" ")
    with pytest.raises(Refused, match="must end in the future"):
        block_resident(
            admin=city_admin,
            resident=resident,
            reason="x",
            until=timezone.now() - timedelta(minutes=1),
        )
    assert not Block.objects.exists()
    block_resident(admin=city_admin, resident=resident, reason="Pierwszy")
    with pytest.raises(Refused, match="already blocked"):
        block_resident(admin=city_admin, resident=resident, reason="Drugi")
    assert Block.objects.count() == 1


def test_an_expired_block_no_longer_counts(resident, ideation_phase, city_admin):
    block = block_resident(
        admin=city_admin,
        resident=resident,
        reason="Krótko",
        until=timezone.now() + timedelta(days=1),
    )
    Block.objects.filter(pk=block.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert selectors.active_block(resident) is None
    assert can_act(resident, ideation_phase, Action.POST).allowed


# --- the word filter -----------------------------------------------------------------------


def test_a_new_city_starts_with_the_default_word_lists(in_city):
    for language, terms in DEFAULT_FILTERED_WORDS.items():
        stored = set(FilteredWord.objects.filter(language=language).values_list("term", flat=True))
        assert set(terms) <= stored
    assert selectors.filtered_words_in("What the FUCK is this") == ["fuck"]
    assert selectors.filtered_words_in("Scunthorpe") == []  # whole words only
    assert selectors.filtered_words_in("Lody w Parku") == []


def test_administrators_edit_the_word_filter(city_admin, manager):
    FilteredWord.objects.all().delete()
    [polish, _english] = update_word_filter(
        admin=city_admin,
        lists={"pl": ["  Bałwan ", "bałwan", "", "głupi  jak but"], "en": ["numpty"]},
    )
    assert polish.added == ["bałwan", "głupi jak but"]
    assert selectors.word_filter() == {"pl": ["bałwan", "głupi jak but"], "en": ["numpty"]}
    [polish] = update_word_filter(admin=city_admin, lists={"pl": ["bałwan"]})
    assert polish.removed == ["głupi jak but"]
    assert polish.added == []
    log = ModerationAction.objects.filter(kind="word_filter").first()
    assert log is not None
    assert log.actor == city_admin
    assert log.details == {"language": "pl", "added": [], "removed": ["głupi jak but"]}
    with pytest.raises(NotAllowed, match="Only the city's administrators can edit the word"):
        update_word_filter(admin=manager, lists={"pl": []})
    with pytest.raises(Refused, match="Polish and English only"):
        update_word_filter(admin=city_admin, lists={"de": ["dummkopf"]})
    with pytest.raises(Refused, match="at most 100"):
        update_word_filter(admin=city_admin, lists={"pl": ["x" * 101]})
    assert selectors.word_filter()["pl"] == ["bałwan"]


def test_role_checks_use_the_current_role(resident, idea, city_admin):
    resident.role = Role.PROJECT_MANAGER
    resident.save()
    # A project manager without projects opens the queue but sees nothing there.
    assert selectors.moderation_queue(staff=resident, default_language="pl") == []
    assert list(selectors.moderated_projects(resident)) == []
    assert list(selectors.moderated_projects(city_admin)) == [idea.project]
