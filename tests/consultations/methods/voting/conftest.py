"""Voting fixtures: a project whose ideas were collected, then put to a vote; made through
the same services production uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.methods.voting.models import Candidate


@dataclass
class Vote:
    project: Project
    ideation: Phase
    phase: Phase
    ideas: list[Idea]
    candidates: list[Candidate]
    staff: User


def make_vote(
    slug: str = "budzet",
    *,
    costs: tuple[int, ...] = (40_000, 30_000, 20_000, 10_000, 5_000),
    accepted: int | None = None,
    permissions: dict[str, Any] | None = None,
    **options: Any,
) -> Vote:
    """A published project: an ideation phase (ended yesterday) whose ideas went through the
    city's answer, then a voting phase running now, with the ideas on the ballot."""
    now = timezone.now()
    staff = User.objects.create_user(
        f"urzad-{slug}@example.com", "correct horse battery", role=Role.ADMINISTRATOR,
        is_staff=True, full_name="Urzędniczka",
    )  # fmt: skip
    project = services.create_project(slug=slug, title={"pl": "Budżet obywatelski", "en": "Budget"})
    ideas_phase = services.add_phase(
        project=project, method="ideation", starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(hours=1), title={"pl": "Pomysły", "en": "Ideas"},
    )  # fmt: skip
    services.publish_project(project=project)
    ideas = []
    accepted_status = IdeaStatus.objects.get(code="accepted")
    for number, _cost in enumerate(costs):
        author = User.objects.create_user(
            f"autor{number}-{slug}@example.com", "correct horse battery"
        )
        idea = ideation.post_idea(
            author=author, phase=ideas_phase, title=f"Pomysł {number + 1}",
            body=f"<p>Opis pomysłu {number + 1}</p>",
        )  # fmt: skip
        if accepted is None or number < accepted:
            ideation.change_status(
                staff=staff, idea=idea, status=accepted_status, answer="<p>Tak</p>"
            )
        ideas.append(idea)
    services.change_phase(
        phase=ideas_phase, method="ideation", starts_at=ideas_phase.starts_at,
        ends_at=now - timedelta(days=1), title=ideas_phase.title, description={},
    )  # fmt: skip
    settings = {
        "voting_mode": "budget", "budget": 60_000, "min_spend": 0,
        "source_phase": ideas_phase.pk, "source_statuses": ["accepted"],
    }  # fmt: skip
    settings.update(options)
    phase = services.add_phase(
        project=project, method="voting", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=14), title={"pl": "Głosowanie", "en": "Vote"},
        options=settings, permissions=permissions,
    )  # fmt: skip
    voting.import_candidates(phase=phase)
    candidates = list(
        Candidate.objects.filter(phase=phase).select_related("idea").order_by("position")
    )
    for candidate in candidates:
        voting.update_candidate(
            candidate=candidate, cost=costs[ideas.index(candidate.idea)], included=True
        )
    candidates = list(
        Candidate.objects.filter(phase=phase).select_related("idea").order_by("position")
    )
    return Vote(project, ideas_phase, phase, ideas, candidates, staff)


def make_voter(email: str) -> User:
    """A resident who signed up and confirmed the e-mail address (what a vote asks unless the
    city chooses otherwise)."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, "correct horse battery")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def vote(in_city) -> Vote:
    return make_vote()
