"""The forms of a page as a browser would submit them, read from the HTML, so that a test can
fill every text field of every form people can reach without knowing the forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "url", "tel", ""}
KEEP_TYPES = {"hidden", "number", "date", "datetime-local", "time", "color", "range", "month"}


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)
    submit_text: str = ""

    @property
    def text_fields(self) -> list[Field]:
        return [f for f in self.fields if f.kind in TEXT_TYPES | {"textarea", "email"}]

    def signature(self) -> tuple[str, tuple[str, ...]]:
        """Forms of the same kind (the same fields posting to the same view for another
        object) are tried once."""
        return re.sub(r"\d+", "N", self.action), tuple(sorted(f.name for f in self.fields))

    def data(self, text: Callable[[Field], str]) -> dict[str, str | list[str]]:
        """What submitting the form sends, with `text(field)` in each text field."""
        data: dict[str, str | list[str]] = {}
        for f in self.fields:
            if f.kind in {"checkbox", "radio"}:
                if f.kind == "radio" and f.name in data:
                    continue
                data.setdefault(f.name, [])
                values = data[f.name]
                assert isinstance(values, list)
                values.append(f.value or "on")
            elif f.kind == "select":
                data[f.name] = f.value or next((o for o in f.options if o), "")
            elif f.kind == "email":
                data[f.name] = f.value or "fuzz@example.com"
            elif f.kind in TEXT_TYPES or f.kind == "textarea":
                data[f.name] = text(f)
            elif f.kind in KEEP_TYPES:
                data[f.name] = f.value
        return data


class _Reader(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._button: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.page_path)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file", "password"}:
                if kind == "password":
                    form.fields.append(Field(name, "password"))
                return
            form.fields.append(Field(name, kind, a.get("value", ""), checked="checked" in a))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = value
        elif tag == "button":
            self._button = True

    def handle_data(self, data: str) -> None:
        if self._button and self._form is not None:
            self._form.submit_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button":
            self._button = False


def forms_of(html: str, page_path: str) -> list[Form]:
    reader = _Reader(page_path)
    reader.feed(html)
    return reader.forms
