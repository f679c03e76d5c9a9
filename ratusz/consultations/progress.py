"""What the control plane reads of a city, as city-plane selectors: its progress through its
first steps (onboarding's checklist, partners' dashboards) and when residents last took part.

They read the current city only: the control plane calls them inside the city's context
(`with city_context(city): ...`, ARCHITECTURE.md §1), and that one line is the crossing. This
module is the only one of the city plane that onboarding imports (pyproject.toml's contracts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from ratusz.consultations.branding.models import Branding, Page, PageKind, PageStatus
from ratusz.consultations.core.models import Project, PublicationStatus
from ratusz.consultations.methods.ideation.models import Comment, Idea, StatusChange


@dataclass(frozen=True)
class FirstSteps:
    branding_set: bool
    accessibility_statement: bool  # published
    project_published: bool
    participants: int
    official_answer: bool  # staff answered an idea when changing its status


def participant_count() -> int:
    """People who took part in the current city: posted an idea or a comment."""
    authors: set[int | None] = set(Idea.objects.values_list("author_id", flat=True))
    authors |= set(Comment.objects.values_list("author_id", flat=True))
    authors.discard(None)
    return len(authors)


def first_steps() -> FirstSteps:
    """What the current city has done of its first steps, read from its own data."""
    return FirstSteps(
        branding_set=Branding.objects.exists(),
        accessibility_statement=Page.objects.filter(
            kind=PageKind.ACCESSIBILITY, status=PageStatus.PUBLISHED
        ).exists(),
        project_published=Project.objects.filter(status=PublicationStatus.PUBLISHED).exists(),
        participants=participant_count(),
        official_answer=StatusChange.objects.exclude(answer="").exists(),
    )


def last_activity() -> datetime | None:
    """When residents of the current city last posted an idea or a comment."""
    ideas = Idea.objects.aggregate(last=Max("created_at"))["last"]
    comments = Comment.objects.aggregate(last=Max("created_at"))["last"]
    moments = [moment for moment in (ideas, comments) if moment is not None]
    return max(moments) if moments else None
