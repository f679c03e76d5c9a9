"""What ideation holds about a person: ideas (with their photos and attachments), comments,
reactions and follows.

On account deletion the ideas and comments stay (others answered and commented on them) with
nobody's name on them, photos and attachments included (they belong to the idea); reactions
and follows go, and no longer count."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import User
from ratusz.accounts.personal_data import (
    NotPersonalData,
    OnDeletion,
    PersonalDataKind,
    describe_row,
)
from ratusz.consultations.methods.ideation.models import Idea, Reaction


def _idea(idea: Idea) -> dict[str, Any]:
    described = describe_row(
        idea, hidden=("author", "likes", "dislikes", "comment_count", "moderation_reason")
    )
    described["image_descriptions"] = [image.alt_text for image in idea.images.order_by("pk")]
    return described


def _idea_files(idea: Idea) -> Iterable[FieldFile]:
    return [image.image for image in idea.images.order_by("pk")] + [
        attachment.file for attachment in idea.attachments.order_by("pk")
    ]


def withdraw_all_reactions(user: User) -> None:
    """Account deletion: the person's likes and dislikes stop counting, as if withdrawn."""
    for kind, field in ((Reaction.Kind.LIKE, "likes"), (Reaction.Kind.DISLIKE, "dislikes")):
        reacted = Reaction.objects.filter(user=user, kind=kind).values("idea_id")
        Idea.objects.filter(pk__in=reacted, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})


DECLARATIONS = (
    PersonalDataKind(
        name="ideas",
        label=_("Your ideas"),
        model="ideation.Idea",
        person_fields=("author",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=_idea,
        files=_idea_files,
        file_models=("ideation.IdeaImage", "ideation.IdeaAttachment"),
    ),
    PersonalDataKind(
        name="comments",
        label=_("Your comments"),
        model="ideation.Comment",
        person_fields=("author",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("author", "moderation_reason"),
    ),
    PersonalDataKind(
        name="reactions",
        label=_("Your likes and dislikes"),
        model="ideation.Reaction",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
        before_deletion=withdraw_all_reactions,
    ),
    PersonalDataKind(
        name="follows",
        label=_("Ideas you follow"),
        model="ideation.Follow",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    NotPersonalData(
        model="ideation.StatusChange",
        fields=("answered_by",),
        reason=(
            "The city's official answer to an idea, with the staff member who gave it: the "
            "city's record, not the person's participation; emptied when the account goes."
        ),
    ),
)
