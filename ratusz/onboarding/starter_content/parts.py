"""The pieces the built-in templates are made of: texts in every city language, phases, topics,
a survey's questions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TemplateContent = dict[str, Any]


def in_languages(text: Promise | str, languages: Iterable[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            values[language] = str(text)
    return values


def _phase(
    method: str,
    title: Promise,
    description: Promise,
    starts: int,
    days: int,
    langs: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "method": method,
        "title": in_languages(title, langs),
        "description": in_languages(description, langs),
        "starts_in_days": starts,
        "days": days,
    }


def _common(langs: tuple[str, ...]) -> TemplateContent:
    topics = [
        ("greenery", _("Greenery")),
        ("transport", _("Transport")),
        ("culture", _("Culture and leisure")),
        ("safety", _("Safety")),
    ]
    return {
        "topics": [{"slug": slug, "name": in_languages(name, langs)} for slug, name in topics],
        "statuses": [],
        "projects": [],
        "pages": [],
        "standard_pages": True,
    }


def _choices(langs: tuple[str, ...], *labels: Promise) -> list[dict[str, Any]]:
    return [
        {"key": f"c{number}", "label": in_languages(label, langs)}
        for number, label in enumerate(labels, start=1)
    ]


def _question(
    kind: str,
    text: Promise,
    langs: tuple[str, ...],
    *,
    required: bool = True,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "text": in_languages(text, langs),
        "help": {},
        "required": required,
        "config": config or {},
    }


def _scale(langs: tuple[str, ...], low: Promise, high: Promise) -> dict[str, Any]:
    return {
        "min": 1,
        "max": 5,
        "min_label": in_languages(low, langs),
        "max_label": in_languages(high, langs),
    }
