"""Forms with one field per city language for each text."""

from __future__ import annotations

from typing import Any


def _language_label(label: Any, code: str) -> str:
    return f"{label} ({code})"


class MultilingualMixin:
    """Fields named <prefix>_<language>, one per city language."""

    languages: tuple[str, ...]
    cleaned_data: dict[str, Any]

    def texts(self, prefix: str) -> dict[str, str]:
        return {
            code: (self.cleaned_data.get(f"{prefix}_{code}") or "").strip()
            for code in self.languages
        }
