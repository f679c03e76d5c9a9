"""Ideas, their discussion and the city's answers (the feedback loop)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.tenants.uploads import UploadedDocumentField, UploadedImageField


class IdeaStatus(models.Model):
    """A stage of the city's answer; defaults are made for each new city, cities add theirs."""

    code = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    color = models.CharField(_("colour"), max_length=7, default="#4a4a4a")
    position = models.PositiveIntegerField(default=0)
    is_default = models.BooleanField(default=False)  # the status of a newly posted idea
    # Whether an idea with this status counts as answered, and as closed to new reactions.
    is_final = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("idea status")
        verbose_name_plural = _("idea statuses")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_status"
            ),
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="idea_status_color_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")  # matched the word filter
    HIDDEN = "hidden", _("Hidden by moderators")


# "Trending" is a hot rank that never needs recomputing as time passes: the log of the
# engagement plus the idea's age on a fixed clock. Every HOT_DECAY_SECONDS an idea must have
# ten times the engagement to stay level with a newer one, so engaged and recent come first.
HOT_DECAY_SECONDS = 172800  # two days
HOT_RANK_SQL = (
    "log(10, likes + 2 * comment_count + 1)"
    " + extract(epoch from (created_at - '2024-01-01 00:00:00+00'::timestamptz))"
    f" / {HOT_DECAY_SECONDS}"
)
# What search reads: the title (weight A) and the body (weight B, HTML tags are skipped by the
# parser), folded with ratusz_unaccent so "lodz" finds "Łódź"; "simple" keeps every Polish
# word as written (PostgreSQL has no Polish stemmer), "english" adds English stems.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, public.ratusz_unaccent(title)), 'A')"
    " || setweight(to_tsvector('english'::regconfig, public.ratusz_unaccent(title)), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, public.ratusz_unaccent(body)), 'B')"
    " || setweight(to_tsvector('english'::regconfig, public.ratusz_unaccent(body)), 'B')"
)


class Folded(Func):
    """Lower-cased and unaccented text, as the trigram indexes hold it."""

    function = "public.ratusz_unaccent"
    output_field = models.TextField()

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(Lower(expression), **extra)


class Idea(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ideas")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    # Shown as "anonymous" to the public; staff still see the author.
    anonymous = models.BooleanField(default=False)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("description"))  # sanitised HTML
    topics = models.ManyToManyField(Topic, blank=True, related_name="ideas")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("place"), max_length=200, blank=True)
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="ideas")
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default="visible")
    moderation_reason = models.TextField(blank=True)
    # Counters kept by the services, so that lists sort without aggregating.
    likes = models.PositiveIntegerField(default=0)
    dislikes = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    # Kept by PostgreSQL from the counters above in the very UPDATE that changes them, so
    # every writer (services, moderation, account deletion, seeding) keeps them right and
    # each sort of the list is an index scan.
    trending = models.GeneratedField(
        expression=RawSQL(HOT_RANK_SQL, ()),  # noqa: S611  # constant SQL, no input
        output_field=models.FloatField(),
        db_persist=True,
    )
    reaction_count = models.GeneratedField(
        expression=F("likes") + F("dislikes"),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=RawSQL(SEARCH_VECTOR_SQL, ()),  # noqa: S611  # constant SQL, no input
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["project", "visibility", "-created_at"]),
            # One per sort of the project page (the tie-break keeps pages stable).
            models.Index(fields=["project", "-trending", "-id"], name="idea_sort_trending"),
            models.Index(fields=["project", "-created_at", "-id"], name="idea_sort_newest"),
            models.Index(fields=["project", "-reaction_count", "-id"], name="idea_sort_reacted"),
            models.Index(fields=["project", "-comment_count", "-id"], name="idea_sort_commented"),
            GinIndex(fields=["search_vector"], name="idea_search_vector"),
            # Parts of words ("fount" finds "fountain") through trigrams of the folded text.
            GinIndex(OpClass(Folded("title"), name="gin_trgm_ops"), name="idea_title_trgm"),
            GinIndex(OpClass(Folded("body"), name="gin_trgm_ops"), name="idea_body_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="idea_location_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaImage(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = UploadedImageField(upload_to="ideas/images/")
    alt_text = models.CharField(_("image description"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.image.name


class IdeaAttachment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = UploadedDocumentField(upload_to="ideas/files/")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("comment"))
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default="visible")
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on idea {self.idea_id}"


class Reaction(models.Model):
    class Kind(models.IntegerChoices):
        LIKE = 1, _("Like")
        DISLIKE = -1, _("Dislike")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.SmallIntegerField(choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_reaction_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind:+d} on idea {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_follow_per_person"),
        ]

    def __str__(self) -> str:
        return f"follow of idea {self.idea_id}"


class StatusChange(models.Model):
    """The history of an idea's statuses, each with the city's official answer."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("official answer"), blank=True)  # sanitised HTML
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"idea {self.idea_id} -> {self.status_id}"
