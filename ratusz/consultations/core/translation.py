"""Content a city writes holds one value per city language and falls back to the default."""

from __future__ import annotations

from django.utils import translation


def translated(
    values: dict[str, str] | None, default_language: str, language: str | None = None
) -> str:
    if not values:
        return ""
    language = language or translation.get_language() or default_language
    for code in (language, default_language, *values):
        text = values.get(code)
        if text:
            return text
    return ""


def in_languages(values: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Keep the city's languages; a language the template lacks gets the first text it has,
    for the city to translate (better than an empty title)."""
    fallback = next(iter(values.values()), "")
    return {language: values.get(language) or fallback for language in languages if fallback}
