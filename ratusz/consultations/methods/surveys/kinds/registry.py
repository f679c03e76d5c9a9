"""The kinds of question a survey offers, by key, in the order the editor lists them.

Adding a kind is one class registered here (`@register`); the editor's list, the residents'
form, validation, skip rules, results and exports all ask this registry. The database keeps
the stored keys in a check constraint (`models.QuestionKind`), so a kind shipped with Ratusz
also gets its key there and the migration `makemigrations` writes for it.
"""

from __future__ import annotations

from typing import TypeVar

from ratusz.consultations.methods.surveys.kinds.base import Kind
from ratusz.consultations.methods.surveys.models import Question

_KINDS: dict[str, Kind] = {}

K = TypeVar("K", bound=type[Kind])


def register(kind: K) -> K:
    """Register a kind class (usable as a decorator); a key registered twice is a mistake."""
    if kind.key in _KINDS:
        raise ValueError(f"question kind {kind.key!r} is already registered")
    _KINDS[kind.key] = kind()
    return kind


def unregister(key: str) -> None:
    """Forget a kind (tests that register a throw-away kind clean up with this)."""
    _KINDS.pop(key, None)


def get_kind(key: str) -> Kind | None:
    return _KINDS.get(key)


def kind_of(question: Question) -> Kind:
    """The kind of a stored question; a key no longer registered reads as free text, so an
    old answer still shows."""
    return _KINDS.get(question.kind) or _FALLBACK


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    """(key, label) of every kind, for the editor's "add a question of kind" list."""
    return [(kind.key, str(kind.label)) for kind in _KINDS.values()]


class _Unknown(Kind):
    key = ""
    label = ""


_FALLBACK = _Unknown()
