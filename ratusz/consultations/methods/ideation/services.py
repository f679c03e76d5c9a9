"""Writes on ideas: posting, discussing, reacting, following, and the city's answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.richtext import plain_text, sanitize
from ratusz.consultations.core.rules import Decision, can_act, is_administrator, is_project_staff
from ratusz.consultations.methods.ideation.models import (
    Comment,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaImage,
    IdeaStatus,
    Reaction,
    StatusChange,
    Visibility,
)
from ratusz.consultations.participation.events import InputEvent, announce
from ratusz.consultations.participation.moderation.selectors import (
    filtered_words_in,
    posting_too_fast,
)
from ratusz.consultations.participation.refusals import NotAllowed, Refused
from ratusz.tenants.uploads import display_name


def _require(decision: Decision) -> None:
    if not decision.allowed:
        raise NotAllowed(decision)


@dataclass(frozen=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    address: str = ""


def post_idea(
    *,
    author: User,
    phase: Phase,
    title: str,
    body: str,
    topics: Iterable[Topic] = (),
    location: Location | None = None,
    anonymous: bool = False,
    images: Sequence[tuple[UploadedFile, str]] = (),
    attachments: Sequence[UploadedFile] = (),
) -> Idea:
    """Post an idea in an ideation phase. Text matching the city's word filter is held for
    review instead of published; the author follows their idea."""
    _require(can_act(author, phase, Action.POST))
    if anonymous and not phase.options.get("anonymous_posting"):
        raise Refused(_("This phase does not allow anonymous ideas."))
    if posting_too_fast(author, "idea"):
        raise Refused(_("You have posted several ideas in a short time; please wait a while."))
    clean_body = sanitize(body)
    if not plain_text(clean_body):
        raise Refused(_("Describe your idea."))
    held = bool(filtered_words_in(f"{title} {plain_text(clean_body)}"))
    with transaction.atomic():
        idea = Idea.objects.create(
            project=phase.project,
            phase=phase,
            author=author,
            anonymous=anonymous,
            title=title.strip(),
            body=clean_body,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            address=location.address if location else "",
            status=IdeaStatus.objects.get(is_default=True),
            visibility=Visibility.HELD if held else Visibility.VISIBLE,
        )
        idea.topics.set(topics)
        for position, (image, alt_text) in enumerate(images):
            IdeaImage.objects.create(idea=idea, image=image, alt_text=alt_text, position=position)
        for upload in attachments:
            IdeaAttachment.objects.create(idea=idea, file=upload, name=display_name(upload.name))
        Follow.objects.create(idea=idea, user=author)
        announce(InputEvent("idea_posted", idea.pk, author.pk))
    return idea


def _open_for_discussion(idea: Idea, user: User) -> None:
    if idea.visibility != Visibility.VISIBLE and not is_project_staff(user, idea.project):
        raise Refused(_("This idea is not visible, so it cannot be discussed."))


def add_comment(*, author: User, idea: Idea, body: str, parent: Comment | None = None) -> Comment:
    """Comment on an idea, or reply to a comment (replies stay one level deep)."""
    _require(can_act(author, idea.phase, Action.COMMENT))
    _open_for_discussion(idea, author)
    text = body.strip()
    if not text:
        raise Refused(_("Write your comment first."))
    if len(text) > 5000:
        raise Refused(_("A comment can be at most 5000 characters long."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise Refused(_("You can only reply to a comment on the same idea."))
        parent = parent.parent or parent
    if posting_too_fast(author, "comment"):
        raise Refused(_("You have written many comments in a short time; please wait a while."))
    held = bool(filtered_words_in(text))
    with transaction.atomic():
        comment = Comment.objects.create(
            idea=idea,
            parent=parent,
            author=author,
            body=text,
            visibility=Visibility.HELD if held else Visibility.VISIBLE,
        )
        if not held:
            Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        announce(InputEvent("comment_added", idea.pk, author.pk, comment_id=comment.pk))
    return comment


def react(*, user: User, idea: Idea, kind: int) -> Reaction:
    """Like (1) or dislike (-1) an idea; changing one's mind replaces the reaction."""
    _require(can_act(user, idea.phase, Action.REACT))
    _open_for_discussion(idea, user)
    if kind not in (Reaction.Kind.LIKE, Reaction.Kind.DISLIKE):
        raise Refused(_("Unknown reaction."))
    if (
        kind == Reaction.Kind.DISLIKE
        and idea.phase.options.get("reaction_mode") != "likes_dislikes"
    ):
        raise Refused(_("In this phase ideas can only be liked."))
    with transaction.atomic():
        existing = Reaction.objects.select_for_update().filter(idea=idea, user=user).first()
        if existing is not None and existing.kind == kind:
            raise Refused(
                _("You already like this idea.")
                if kind == Reaction.Kind.LIKE
                else _("You already dislike this idea.")
            )
        if existing is not None:
            _count(idea, existing.kind, -1)
            existing.kind = kind
            existing.save(update_fields=["kind"])
            reaction = existing
        else:
            try:
                with transaction.atomic():
                    reaction = Reaction.objects.create(idea=idea, user=user, kind=kind)
            except IntegrityError as exc:  # a simultaneous click from the same person
                raise Refused(_("You already reacted to this idea.")) from exc
        _count(idea, kind, +1)
        announce(InputEvent("reacted", idea.pk, user.pk))
    return reaction


def withdraw_reaction(*, user: User, idea: Idea) -> None:
    _require(can_act(user, idea.phase, Action.REACT))
    with transaction.atomic():
        existing = Reaction.objects.select_for_update().filter(idea=idea, user=user).first()
        if existing is None:
            raise Refused(_("You have not reacted to this idea."))
        _count(idea, existing.kind, -1)
        existing.delete()


def _count(idea: Idea, kind: int, delta: int) -> None:
    field = "likes" if kind == Reaction.Kind.LIKE else "dislikes"
    Idea.objects.filter(pk=idea.pk).update(**{field: F(field) + delta})


def follow(*, user: User, idea: Idea) -> None:
    Follow.objects.get_or_create(idea=idea, user=user)


def unfollow(*, user: User, idea: Idea) -> None:
    Follow.objects.filter(idea=idea, user=user).delete()


def change_status(*, staff: User, idea: Idea, status: IdeaStatus, answer: str) -> StatusChange:
    """Give an idea a new status with the city's official answer; everyone involved hears."""
    if not is_project_staff(staff, idea.project):
        raise NotAllowed(Decision(False, "not_staff", _("Only the project's staff can answer.")))
    clean_answer = sanitize(answer)
    if status.is_final and not plain_text(clean_answer):
        raise Refused(_("Explain the decision in an official answer."))
    with transaction.atomic():
        change = StatusChange.objects.create(
            idea=idea, status=status, answer=clean_answer, answered_by=staff
        )
        now = timezone.now()
        Idea.objects.filter(pk=idea.pk).update(status=status, updated_at=now)
        if plain_text(clean_answer):
            Idea.objects.filter(pk=idea.pk, first_answered_at__isnull=True).update(
                first_answered_at=now
            )
        announce(InputEvent("status_changed", idea.pk, staff.pk, status_change_id=change.pk))
    idea.refresh_from_db()
    return change


def save_status(
    *,
    staff: User,
    code: str,
    name: dict[str, str],
    description: dict[str, str],
    color: str,
    is_final: bool,
    status: IdeaStatus | None = None,
) -> IdeaStatus:
    """Add a status of the city's own, or edit one (defaults included: names, colour...)."""
    if not is_administrator(staff):
        raise NotAllowed(Decision(False, "not_admin", _("Only administrators can edit statuses.")))
    with transaction.atomic():
        if status is None:
            if IdeaStatus.objects.filter(code=code).exists():
                raise Refused(_("A status with this identifier already exists."))
            position = (
                IdeaStatus.objects.order_by("-position").values_list("position", flat=True).first()
                or 0
            ) + 1
            status = IdeaStatus(code=code, position=position)
        status.name = {k: v.strip() for k, v in name.items() if v.strip()}
        status.description = {k: v.strip() for k, v in description.items() if v.strip()}
        status.color = color
        status.is_final = is_final
        status.save()
    return status


def copy_ideas(*, project: Project, copy: Project, phases: Mapping[int, Phase]) -> None:
    """Ideation's `copy_inputs`: the ideas of `project` into its `copy` (phases: old id -> new
    phase), with their topics, photos, attachments, comments, reactions and counters, each
    keeping its author and when it was written. Nobody is notified."""
    for idea in Idea.objects.filter(project=project).prefetch_related(
        "topics", "images", "attachments"
    ):
        new = Idea.objects.create(
            project=copy,
            phase=phases[idea.phase_id],
            author=idea.author,
            anonymous=idea.anonymous,
            title=idea.title,
            body=idea.body,
            latitude=idea.latitude,
            longitude=idea.longitude,
            address=idea.address,
            status=idea.status,
            visibility=idea.visibility,
            moderation_reason=idea.moderation_reason,
            likes=idea.likes,
            dislikes=idea.dislikes,
            comment_count=idea.comment_count,
            first_answered_at=idea.first_answered_at,
        )
        # Keep when it was posted (auto_now_add would say "now").
        Idea.objects.filter(pk=new.pk).update(created_at=idea.created_at)
        new.topics.set(idea.topics.all())
        for image in idea.images.all():
            new.images.create(
                image=image.image.name, alt_text=image.alt_text, position=image.position
            )
        for attachment in idea.attachments.all():
            new.attachments.create(file=attachment.file.name, name=attachment.name)
        comments: dict[int, Comment] = {}
        for comment in Comment.objects.filter(idea=idea).order_by(
            F("parent_id").asc(nulls_first=True), "created_at"
        ):
            # Replies are one level deep, so top-level comments (no parent) come first.
            copied = Comment.objects.create(
                idea=new,
                parent=comments.get(comment.parent_id) if comment.parent_id else None,
                author=comment.author,
                body=comment.body,
                visibility=comment.visibility,
                moderation_reason=comment.moderation_reason,
            )
            Comment.objects.filter(pk=copied.pk).update(created_at=comment.created_at)
            comments[comment.pk] = copied
        Reaction.objects.bulk_create(
            Reaction(idea=new, user_id=r.user_id, kind=r.kind)
            for r in Reaction.objects.filter(idea=idea)
        )
