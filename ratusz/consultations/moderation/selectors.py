"""Reads for moderation: blocks, the word filter, posting rate."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.moderation.models import Block, FilteredWord
from ratusz.tenants.slugs import transliterate

# How much one account may post before being asked to slow down: (count, window).
RATE_LIMITS = {
    "idea": (5, timedelta(hours=1)),
    "comment": (20, timedelta(minutes=10)),
}


def active_block(user: User) -> Block | None:
    now = timezone.now()
    return (
        Block.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("-created_at")
        .first()
    )


def _fold(text: str) -> str:
    return transliterate(text).lower()


def filtered_words_in(text: str) -> list[str]:
    """The city's filtered words found in `text` (whole words, ignoring case and accents)."""
    folded = _fold(text)
    found = []
    for term in FilteredWord.objects.values_list("term", flat=True):
        if re.search(rf"(?<!\w){re.escape(_fold(term))}(?!\w)", folded):
            found.append(term)
    return found


def posting_too_fast(user: User, kind: str) -> bool:
    from ratusz.consultations.ideation.models import Comment, Idea

    limit, window = RATE_LIMITS[kind]
    model = Idea if kind == "idea" else Comment
    since = timezone.now() - window
    return model.objects.filter(author=user, created_at__gte=since).count() >= limit
