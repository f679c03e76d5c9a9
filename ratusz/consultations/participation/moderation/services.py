"""Writes for moderation: reports, the queue's decisions, blocks, and the word filter.

Every decision a moderator takes is written to the ModerationAction log with who and when.
Refusals use participation's shared exceptions: `NotAllowed` (not yours to decide) and
`Refused` (cannot be done as asked), each with a message for a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.rules import Decision
from ratusz.consultations.methods.ideation.models import Comment, Idea, Visibility
from ratusz.consultations.participation.events import InputEvent, announce
from ratusz.consultations.participation.moderation import rules
from ratusz.consultations.participation.moderation.models import (
    Block,
    FilteredWord,
    ModerationAction,
    Report,
)
from ratusz.consultations.participation.moderation.selectors import (
    Item,
    active_block,
    can_see_item,
    filter_languages,
    project_of,
)
from ratusz.consultations.participation.moderation.wordlists import DEFAULT_FILTERED_WORDS
from ratusz.consultations.participation.refusals import NotAllowed, Refused
from ratusz.tenants.initializers import NewCity

REASON_MAX_LENGTH = 1000
EXPLANATION_MAX_LENGTH = 2000
TERM_MAX_LENGTH = 100
TERMS_MAX = 500


def _is_idea(item: Item) -> bool:
    return isinstance(item, Idea)


def _log(
    kind: str,
    *,
    actor: User,
    item: Item | None = None,
    target_user: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        project=project_of(item) if item is not None else None,
        idea=(item if isinstance(item, Idea) else item.idea) if item is not None else None,
        comment=item if isinstance(item, Comment) else None,
        target_user=target_user,
        reason=reason,
        details=details or {},
    )


def _clean_reason(reason: str, *, required: bool) -> str:
    text = reason.strip()
    if required and not text:
        raise Refused(_("Give a reason; the author will see it."))
    if len(text) > REASON_MAX_LENGTH:
        raise Refused(
            _("A reason can be at most %(count)d characters long.") % {"count": REASON_MAX_LENGTH}
        )
    return text


# --- reports -------------------------------------------------------------------------------


def report_content(*, reporter: User, item: Item, reason: str, explanation: str = "") -> Report:
    """A resident reports an idea or a comment to the moderators of its project; one open
    report per person and item."""
    is_idea = _is_idea(item)
    if not reporter.is_authenticated or not reporter.is_active:
        raise NotAllowed(
            Decision(False, "login", _("Log in to report content to moderators."), "login")
        )
    if not can_see_item(reporter, item):
        raise Refused(_("This content is not available."))
    if item.author_id == reporter.pk:
        raise Refused(
            _("You cannot report your own idea.")
            if is_idea
            else _("You cannot report your own comment.")
        )
    if item.visibility == Visibility.HIDDEN:
        raise Refused(
            _("Moderators have already hidden this idea.")
            if is_idea
            else _("Moderators have already hidden this comment.")
        )
    if item.visibility == Visibility.HELD:
        raise Refused(_("This is already waiting for a moderator's review."))
    if reason not in Report.Reason.values:
        raise Refused(_("Choose why you are reporting this."))
    text = explanation.strip()
    if reason == Report.Reason.OTHER and not text:
        raise Refused(_("Tell the moderators what is wrong."))
    if len(text) > EXPLANATION_MAX_LENGTH:
        raise Refused(
            _("An explanation can be at most %(count)d characters long.")
            % {"count": EXPLANATION_MAX_LENGTH}
        )
    already = (
        _("You have already reported this idea; moderators will look at it soon.")
        if is_idea
        else _("You have already reported this comment; moderators will look at it soon.")
    )
    target: dict[str, Item] = {"idea": item} if is_idea else {"comment": item}
    if Report.objects.filter(reporter=reporter, resolved_at__isnull=True, **target).exists():
        raise Refused(already)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, reason=reason, explanation=text, **target
            )
    except IntegrityError as exc:  # the same person, twice at the same moment
        raise Refused(already) from exc
    # The project's moderators hear of it (notifications listen) once the report is saved.
    announce(
        InputEvent(
            "content_reported",
            item.pk if is_idea else item.idea_id,  # type: ignore[union-attr]  # a Comment
            reporter.pk,
            comment_id=None if is_idea else item.pk,
            report_id=report.pk,
        )
    )
    return report


# --- the queue's decisions ------------------------------------------------------------------


def _require_moderator(staff: User, project: Project) -> None:
    if not rules.can_moderate(staff, project):
        raise NotAllowed(
            Decision(
                False,
                "not_staff",
                _("Only the staff of this project can moderate its ideas and comments."),
            )
        )


def _locked(item: Item) -> Item:
    """The item's current row, locked until the transaction ends."""
    if isinstance(item, Idea):
        return Idea.objects.select_for_update().get(pk=item.pk)
    return Comment.objects.select_for_update().get(pk=item.pk)


def _set_visibility(item: Item, current: Item, visibility: str, reason: str) -> None:
    """Change the item's visibility (`current` is its locked row); a comment's idea counts
    only its published comments."""
    before = current.visibility
    type(item).objects.filter(pk=item.pk).update(visibility=visibility, moderation_reason=reason)
    if isinstance(item, Comment):
        delta = int(visibility == Visibility.VISIBLE) - int(before == Visibility.VISIBLE)
        if delta:
            Idea.objects.filter(pk=item.idea_id).update(comment_count=F("comment_count") + delta)
    item.visibility = visibility
    item.moderation_reason = reason


def _resolve_reports(item: Item, *, staff: User, resolution: str) -> int:
    target: dict[str, Item] = {"idea": item} if isinstance(item, Idea) else {"comment": item}
    return Report.objects.filter(resolved_at__isnull=True, **target).update(
        resolved_at=timezone.now(), resolved_by=staff, resolution=resolution
    )


def hide_content(*, staff: User, item: Item, reason: str) -> Item:
    """Hide a published (or held) idea or comment; its author sees the reason. Open reports
    about it are resolved as "hidden"."""
    _require_moderator(staff, project_of(item))
    text = _clean_reason(reason, required=True)
    with transaction.atomic():
        current = _locked(item)
        if current.visibility == Visibility.HIDDEN:
            raise Refused(_("This is already hidden."))
        _set_visibility(item, current, Visibility.HIDDEN, text)
        _resolve_reports(item, staff=staff, resolution="hidden")
        _log(ModerationAction.Kind.HIDE, actor=staff, item=item, reason=text)
    return item


def restore_content(*, staff: User, item: Item, reason: str = "") -> Item:
    """Publish a hidden idea or comment again."""
    _require_moderator(staff, project_of(item))
    text = _clean_reason(reason, required=False)
    with transaction.atomic():
        current = _locked(item)
        if current.visibility != Visibility.HIDDEN:
            raise Refused(_("Only hidden content can be restored."))
        _set_visibility(item, current, Visibility.VISIBLE, "")
        _log(ModerationAction.Kind.RESTORE, actor=staff, item=item, reason=text)
    return item


def dismiss_reports(*, staff: User, item: Item, reason: str = "") -> int:
    """Keep the item as it is and close the open reports about it; returns how many."""
    _require_moderator(staff, project_of(item))
    text = _clean_reason(reason, required=False)
    with transaction.atomic():
        _locked(item)
        closed = _resolve_reports(item, staff=staff, resolution="kept")
        if not closed:
            raise Refused(_("There are no open reports about this."))
        _log(
            ModerationAction.Kind.DISMISS,
            actor=staff,
            item=item,
            reason=text,
            details={"reports": closed},
        )
    return closed


def approve_content(*, staff: User, item: Item) -> Item:
    """Publish an idea or comment the word filter held; a comment now counts on its idea."""
    _require_moderator(staff, project_of(item))
    with transaction.atomic():
        current = _locked(item)
        if current.visibility != Visibility.HELD:
            raise Refused(_("Only content held for review can be approved."))
        _set_visibility(item, current, Visibility.VISIBLE, "")
        _log(ModerationAction.Kind.APPROVE, actor=staff, item=item)
    return item


def reject_content(*, staff: User, item: Item, reason: str) -> Item:
    """Keep an idea or comment the word filter held unpublished; its author sees the reason."""
    _require_moderator(staff, project_of(item))
    text = _clean_reason(reason, required=True)
    with transaction.atomic():
        current = _locked(item)
        if current.visibility != Visibility.HELD:
            raise Refused(_("Only content held for review can be rejected."))
        _set_visibility(item, current, Visibility.HIDDEN, text)
        _log(ModerationAction.Kind.REJECT, actor=staff, item=item, reason=text)
    return item


# --- blocks --------------------------------------------------------------------------------


def _require_block_rights(admin: User) -> None:
    if not rules.can_block(admin):
        raise NotAllowed(
            Decision(
                False,
                "not_administrator",
                _("Only the city's administrators can block residents."),
            )
        )


def block_resident(
    *, admin: User, resident: User, reason: str, until: datetime | None = None
) -> Block:
    """Stop a resident from posting, commenting and reacting until `until`, or for good."""
    _require_block_rights(admin)
    if resident.pk == admin.pk:
        raise Refused(_("You cannot block yourself."))
    if resident.role != Role.RESIDENT:
        raise Refused(_("Staff accounts cannot be blocked; change their role first."))
    text = reason.strip()
    if not text:
        raise Refused(_("Give a reason; the resident will see it."))
    if len(text) > REASON_MAX_LENGTH:
        raise Refused(
            _("A reason can be at most %(count)d characters long.") % {"count": REASON_MAX_LENGTH}
        )
    if until is not None and until <= timezone.now():
        raise Refused(_("A block must end in the future."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=resident.pk).first()
        if active_block(resident) is not None:
            raise Refused(_("This resident is already blocked; lift that block to change it."))
        block = Block.objects.create(user=resident, reason=text, until=until, blocked_by=admin)
        _log(
            ModerationAction.Kind.BLOCK,
            actor=admin,
            target_user=resident,
            reason=text,
            details={"until": until.isoformat() if until else None},
        )
    return block


def lift_block(*, admin: User, block: Block, reason: str = "") -> Block:
    _require_block_rights(admin)
    text = _clean_reason(reason, required=False)
    with transaction.atomic():
        current = Block.objects.select_for_update().get(pk=block.pk)
        ended = current.lifted_at is not None or (
            current.until is not None and current.until <= timezone.now()
        )
        if ended:
            raise Refused(_("This block has already ended."))
        current.lifted_at = timezone.now()
        current.save(update_fields=["lifted_at"])
        _log(ModerationAction.Kind.UNBLOCK, actor=admin, target_user=current.user, reason=text)
    return current


# --- the word filter -----------------------------------------------------------------------


@dataclass(frozen=True)
class WordFilterChange:
    language: str
    added: list[str]
    removed: list[str]


def normalize_terms(terms: Iterable[str]) -> list[str]:
    """Terms as the filter keeps them: spaces collapsed, lower case, each once, in order."""
    return list(dict.fromkeys(t for t in (" ".join(term.split()).lower() for term in terms) if t))


def update_word_filter(
    *, admin: User, lists: Mapping[str, Iterable[str]]
) -> list[WordFilterChange]:
    """Replace the city's lists of filtered words (by language) given in `lists`."""
    if not rules.can_edit_word_filter(admin):
        raise NotAllowed(
            Decision(
                False,
                "not_administrator",
                _("Only the city's administrators can edit the word filter."),
            )
        )
    languages = dict(filter_languages())
    wanted: dict[str, list[str]] = {}
    for language, terms in lists.items():
        if language not in languages:
            raise Refused(_("The word filter has lists for Polish and English only."))
        wanted[language] = normalize_terms(terms)
        if len(wanted[language]) > TERMS_MAX:
            raise Refused(_("A list can hold at most %(count)d words.") % {"count": TERMS_MAX})
        if any(len(term) > TERM_MAX_LENGTH for term in wanted[language]):
            raise Refused(
                _("A word or phrase can be at most %(count)d characters long.")
                % {"count": TERM_MAX_LENGTH}
            )
    changes = []
    with transaction.atomic():
        for language, terms in wanted.items():
            existing = list(
                FilteredWord.objects.select_for_update()
                .filter(language=language)
                .values_list("term", flat=True)
            )
            removed = [term for term in existing if term not in terms]
            added = [term for term in terms if term not in existing]
            FilteredWord.objects.filter(language=language, term__in=removed).delete()
            FilteredWord.objects.bulk_create(
                [FilteredWord(language=language, term=term) for term in added],
                ignore_conflicts=True,
            )
            if added or removed:
                _log(
                    ModerationAction.Kind.WORD_FILTER,
                    actor=admin,
                    details={"language": language, "added": added, "removed": removed},
                )
            changes.append(WordFilterChange(language=language, added=added, removed=removed))
    return changes


def seed_word_filter(new_city: NewCity) -> None:
    """A new city starts with short Polish and English lists of slurs and vulgar insults."""
    FilteredWord.objects.bulk_create(
        [
            FilteredWord(language=language, term=term)
            for language, terms in DEFAULT_FILTERED_WORDS.items()
            for term in terms
        ],
        ignore_conflicts=True,
    )
