"""City-plane data of voting and participatory budgets.

Integrity is held by the database, not only by the services, because votes arrive from many
web processes at once:

- one ballot (the resident's basket) per person and phase: a unique constraint;
- a ballot row carries the limits it was filled under (votes in all, votes per idea, budget),
  copied from the phase's settings by the services; CHECK constraints keep them sane;
- a trigger on ballot items (migration 0002) locks the ballot row (SELECT ... FOR UPDATE) and
  re-counts the items in the same transaction, refusing any insert or update that would take
  the ballot past its limits, change a submitted ballot, or vote for an idea of another phase.
  The services lock the same row first, so concurrent requests queue on that row instead of
  both reading a total that is about to change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.ideation.models import Idea


class Mode(models.TextChoices):
    SINGLE = "single", _("One vote per person")
    MULTIPLE = "multiple", _("Several votes per person")
    BUDGET = "budget", _("Participatory budget (a basket within the budget)")


class Candidate(models.Model):
    """An idea on the ballot of a voting phase, with its cost in a budget vote."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="voting_candidates")
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="voting_candidacies")
    # In whole units of the city's currency (PLN); 0 outside budget votes.
    cost = models.PositiveBigIntegerField(_("cost"), default=0)
    included = models.BooleanField(_("on the ballot"), default=True)
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea on the ballot")
        verbose_name_plural = _("ideas on the ballot")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "idea"], name="voting_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"candidate {self.idea_id} in phase {self.phase_id}"


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted")


class Ballot(models.Model):
    """A resident's votes in one phase (their basket in a budget vote)."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="voting_ballots")
    # Kept when the account is deleted (the votes still count), without saying whose they were.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ballots"
    )
    status = models.CharField(max_length=16, choices=BallotStatus.choices, default="draft")
    # The limits this ballot is held to (from the phase's settings; see the module docstring).
    vote_limit = models.PositiveIntegerField()
    idea_limit = models.PositiveIntegerField()
    spend_limit = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["phase", "user"], name="voting_one_ballot_per_person"),
            models.CheckConstraint(
                condition=Q(status__in=BallotStatus.values), name="voting_ballot_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="voting_ballot_submitted_at",
            ),
            models.CheckConstraint(
                condition=Q(vote_limit__gte=1, idea_limit__gte=1), name="voting_ballot_limits"
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} in phase {self.phase_id}"


class BallotItem(models.Model):
    """Votes for one idea on a ballot; `cost` is the idea's cost when it was chosen."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="items")
    votes = models.PositiveIntegerField(default=1)
    cost = models.PositiveBigIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="voting_item_once"),
            models.CheckConstraint(condition=Q(votes__gte=1), name="voting_item_votes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.votes} for {self.candidate_id} on ballot {self.ballot_id}"


class PaperVotes(models.Model):
    """Votes cast on paper or in person, entered by staff: kept apart from online votes and
    added to them in the results."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="voting_paper_votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="paper_votes")
    votes = models.PositiveIntegerField(_("votes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper votes")
        verbose_name_plural = _("paper votes")
        ordering = ["-entered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.votes} paper votes for {self.candidate_id}"


class CitySecret(models.Model):
    """A random value per city, mixed with the installation's secret key to hash census
    identifiers and voting codes: a copy of one city's tables cannot be matched against
    another city's, nor without the installation's key."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="voting_secret_singleton"),
        ]

    def __str__(self) -> str:
        return "voting secret"


class CensusUpload(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    added = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class CensusEntry(models.Model):
    """One identifier (PESEL or another) of the city's list of residents, hashed; used once."""

    upload = models.ForeignKey(CensusUpload, on_delete=models.CASCADE, related_name="entries")
    digest = models.CharField(max_length=64, unique=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="census_entry",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"census entry {self.pk}"


class CodeBatch(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="voting_code_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.size} codes for phase {self.phase_id}"


class VotingCode(models.Model):
    """A one-time code printed for a resident; only its hash is stored."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="voting_codes")
    digest = models.CharField(max_length=64, unique=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voting_codes",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "used_by"],
                condition=Q(used_by__isnull=False),
                name="voting_one_code_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"voting code {self.pk}"
