"""Validation of survey input: the phase settings, the editor's forms, and a resident's answers
to one page (every problem said next to its question)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.models import (
    AREA_MAX_POINTS,
    AREA_MIN_POINTS,
    CHOICE_KINDS,
    Question,
    QuestionKind,
    SurveyPage,
)
from ratusz.consultations.methods.surveys.selectors import branching_values
from ratusz.tenants.uploads import UploadRefused, display_name, extension_of, inspect_upload

DEFAULT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
ALLOWED_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "txt", "odt", "docx", "xlsx", "ods", "csv"]
MAX_UPLOAD_MB = 20


class PhaseSettingsForm(forms.Form):
    """The survey's own settings of a phase (stored in `phase.options`)."""

    anonymous = forms.BooleanField(
        label=_lazy("Anonymous answers"),
        required=False,
        help_text=_lazy(
            "Results and exports do not say who answered; each account still answers once."
        ),
    )
    allow_without_account = forms.BooleanField(
        label=_lazy("Residents can answer without an account"),
        required=False,
        help_text=_lazy("Once per browser; only when answering is open to everyone."),
    )
    results_public = forms.BooleanField(
        label=_lazy("Show the results to residents"),
        required=False,
    )

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        initial = {name: bool(phase.options.get(name)) for name in self.base_fields}
        super().__init__(data, initial=initial, **kwargs)
        self.phase = phase


# --- the editor ----------------------------------------------------------------------------


def language_name(code: str) -> str:
    return str(LANG_INFO.get(code, {}).get("name_local", code))


class MultilingualForm(forms.Form):
    """A form with some fields asked once per city language (`<name>_<code>`)."""

    def __init__(
        self,
        *args: Any,
        languages: tuple[str, ...] | list[str],
        default_language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        self.default_language = default_language

    def add_texts(
        self,
        name: str,
        label: str,
        *,
        required: bool = False,
        textarea: bool = False,
        help_text: str = "",
        max_length: int = 2000,
    ) -> None:
        for code in self.languages:
            self.fields[f"{name}_{code}"] = forms.CharField(
                label=f"{label} ({language_name(code)})",
                required=required and code == self.default_language,
                widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
                help_text=help_text,
                max_length=max_length,
            )

    def texts(self, name: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{name}_{code}", "") or "" for code in self.languages}

    def set_texts(self, name: str, values: dict[str, str]) -> None:
        for code in self.languages:
            self.initial[f"{name}_{code}"] = values.get(code, "")


class TextsForm(MultilingualForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts("intro", _("Introduction"), textarea=True, max_length=5000)
        self.add_texts("thank_you", _("Thank-you text"), textarea=True, max_length=5000)


class PageForm(MultilingualForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts("title", _("Page title"), max_length=200)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(MultilingualForm):
    """A question of one kind: its text, whether it is required, and what the kind needs."""

    def __init__(
        self,
        *args: Any,
        kind: str,
        pages: list[SurveyPage],
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.add_texts("text", _("Question"), required=True, max_length=500)
        self.add_texts("help", _("Help text"), max_length=1000)
        self.fields["page"] = forms.ModelChoiceField(
            queryset=SurveyPage.objects.filter(pk__in=[p.pk for p in pages]),
            label=_("Page"),
            empty_label=None,
        )
        self.fields["page"].label_from_instance = lambda page: (  # type: ignore[attr-defined]  # ModelChoiceField
            _("Page %(number)s") % {"number": [p.pk for p in pages].index(page.pk) + 1}
        )
        self.fields["required"] = forms.BooleanField(label=_("Required"), required=False)
        one_per_line = _("One per line, in the same order in every language.")
        if kind in CHOICE_KINDS:
            self.add_texts(
                "choices", _("Answers"), required=True, textarea=True, help_text=one_per_line
            )
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            self.fields["allow_other"] = forms.BooleanField(
                label=_("Offer “Other” with a text field"), required=False
            )
        if kind == QuestionKind.MATRIX:
            self.add_texts(
                "rows", _("Rows (statements)"), required=True, textarea=True, help_text=one_per_line
            )
            self.add_texts(
                "columns",
                _("Columns (answers)"),
                required=True,
                textarea=True,
                help_text=one_per_line,
            )
        if kind == QuestionKind.SCALE:
            self.fields["min"] = forms.IntegerField(
                label=_("From"), min_value=0, max_value=1, initial=1
            )
            self.fields["max"] = forms.IntegerField(
                label=_("To"), min_value=2, max_value=10, initial=5
            )
            self.add_texts("min_label", _("Label of the lowest value"), max_length=100)
            self.add_texts("max_label", _("Label of the highest value"), max_length=100)
        if kind == QuestionKind.NUMBER:
            self.fields["min"] = forms.DecimalField(label=_("Smallest allowed"), required=False)
            self.fields["max"] = forms.DecimalField(label=_("Largest allowed"), required=False)
        if kind == QuestionKind.FILE:
            self.fields["extensions"] = forms.MultipleChoiceField(
                label=_("Allowed file types"),
                choices=[(e, e.upper()) for e in ALLOWED_EXTENSIONS],
                widget=forms.CheckboxSelectMultiple,
                initial=DEFAULT_EXTENSIONS,
            )
            self.fields["max_mb"] = forms.IntegerField(
                label=_("Largest file (MB)"), min_value=1, max_value=MAX_UPLOAD_MB, initial=5
            )
        if question is not None:
            self._load(question)

    def _load(self, question: Question) -> None:
        config = question.config
        self.set_texts("text", question.text)
        self.set_texts("help", question.help)
        self.initial["page"] = question.page_id
        self.initial["required"] = question.required
        for name in ("choices", "rows", "columns"):
            if name in config:
                for code in self.languages:
                    self.initial[f"{name}_{code}"] = "\n".join(
                        item.get("label", {}).get(code, "") for item in config[name]
                    )
        for name in ("allow_other", "min", "max", "extensions", "max_mb"):
            if name in config:
                self.initial[name] = config[name]
        for name in ("min_label", "max_label"):
            if name in config:
                self.set_texts(name, config[name])

    def _options(self, name: str, prefix: str) -> list[dict[str, Any]]:
        by_language = {
            code: _lines(self.cleaned_data.get(f"{name}_{code}", "")) for code in self.languages
        }
        main = by_language[self.default_language]
        for code, lines in by_language.items():
            if lines and len(lines) != len(main):
                self.add_error(
                    f"{name}_{code}",
                    _("Give as many lines as in %(language)s (%(count)s).")
                    % {"language": language_name(self.default_language), "count": len(main)},
                )
        return [
            {
                "key": f"{prefix}{index}",
                "label": {
                    code: lines[index - 1]
                    for code, lines in by_language.items()
                    if len(lines) >= index
                },
            }
            for index in range(1, len(main) + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        config: dict[str, Any] = {}
        if self.kind in CHOICE_KINDS:
            config["choices"] = self._options("choices", "c")
            if len(config["choices"]) < 2 and not self.errors.get(
                f"choices_{self.default_language}"
            ):
                self.add_error(f"choices_{self.default_language}", _("Give at least two answers."))
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            config["allow_other"] = bool(data.get("allow_other"))
        if self.kind == QuestionKind.MATRIX:
            config["rows"] = self._options("rows", "r")
            config["columns"] = self._options("columns", "c")
        if self.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            low, high = data.get("min"), data.get("max")
            if low is not None and high is not None and low >= high:
                self.add_error("max", _("The largest value must be bigger than the smallest."))
            config["min"] = (
                None if low is None else (int(low) if self.kind == QuestionKind.SCALE else str(low))
            )
            config["max"] = (
                None
                if high is None
                else (int(high) if self.kind == QuestionKind.SCALE else str(high))
            )
        if self.kind == QuestionKind.SCALE:
            config["min_label"] = {k: v for k, v in self.texts("min_label").items() if v}
            config["max_label"] = {k: v for k, v in self.texts("max_label").items() if v}
        if self.kind == QuestionKind.FILE:
            config["extensions"] = list(data.get("extensions") or DEFAULT_EXTENSIONS)
            config["max_mb"] = int(data.get("max_mb") or 5)
        self.config = config
        return data


class RuleForm(forms.Form):
    """On a page: "when <question> is <answer>, go to <page or the end>"."""

    when = forms.ChoiceField(label=_lazy("When the answer is"))
    target = forms.ChoiceField(label=_lazy("go to"))

    def __init__(
        self,
        *args: Any,
        page: SurveyPage,
        pages: list[SurveyPage],
        language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        whens = []
        for question in page.questions.all():
            name = translated(question.text, language) or _("(untitled question)")
            for value, label in branching_values(question, language):
                whens.append((f"{question.pk}:{value}", f"{name} → {label}"))
        self.fields["when"].choices = whens  # type: ignore[attr-defined]  # a ChoiceField
        numbers = {p.pk: n for n, p in enumerate(pages, start=1)}
        self.fields["target"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (str(p.pk), _("Page %(number)s") % {"number": numbers[p.pk]})
            for p in pages
            if numbers[p.pk] > numbers[page.pk]
        ] + [("end", _("The end of the survey"))]

    def clean_when(self) -> tuple[Question, str]:
        question_id, _sep, value = self.cleaned_data["when"].partition(":")
        question = self.page.questions.filter(pk=int(question_id)).first()
        if question is None:
            raise forms.ValidationError(_("Choose a question on this page."))
        return question, value

    def clean_target(self) -> SurveyPage | None:
        value = self.cleaned_data["target"]
        if value == "end":
            return None
        return SurveyPage.objects.get(pk=int(value))


# --- answering -----------------------------------------------------------------------------


_NUMBER = r"[-+]?\d+(?:\.\d+)?"
# "54.35, 18.65", "54.35 18.65" or "54.35;18.65"; with a semicolon or a tab between them the
# numbers may use a decimal comma, as Polish spreadsheets write them ("54,35; 18,65").
_POINT = re.compile(rf"^({_NUMBER})\s*[,;\s]\s*({_NUMBER})$")
_POINT_DECIMAL_COMMA = re.compile(r"^([-+]?\d+(?:,\d+)?)\s*[;\t]\s*([-+]?\d+(?:,\d+)?)$")


def area_lines(points: list[list[float]]) -> str:
    """A stored area as the text the fallback field shows: one "latitude, longitude" a line."""
    return "\n".join(f"{lat}, {lon}" for lat, lon in points)


def parse_area(text: str) -> list[list[float]] | None:
    """The polygon typed (or written by the map picker) as one "latitude, longitude" a line;
    None when nothing was given. Every problem is said with the line it is on."""
    lines = [line.strip() for line in (text or "").splitlines()]
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line]
    if not numbered:
        return None
    points: list[list[float]] = []
    for number, line in numbered:
        found = _POINT.match(line)
        if found is None:
            found = _POINT_DECIMAL_COMMA.match(line)
        if found is None:
            raise forms.ValidationError(
                _(
                    "Line %(line)s (“%(text)s”) is not two numbers: write the latitude and the "
                    "longitude separated by a comma, for example 54.35, 18.65."
                )
                % {"line": number, "text": line[:60]}
            )
        lat, lon = (float(part.replace(",", ".")) for part in found.groups())
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise forms.ValidationError(
                _(
                    "Line %(line)s is out of range: the latitude must be between -90 and 90 "
                    "and the longitude between -180 and 180."
                )
                % {"line": number}
            )
        points.append([round(lat, 6), round(lon, 6)])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # a closed ring, as GIS tools write it: the last point repeats the first
    if len(points) < AREA_MIN_POINTS:
        raise forms.ValidationError(
            _("An area needs at least %(min)s points; you gave %(count)s.")
            % {"min": AREA_MIN_POINTS, "count": len(points)}
        )
    if len(points) > AREA_MAX_POINTS:
        raise forms.ValidationError(
            _("An area can have at most %(max)s points; you gave %(count)s.")
            % {"max": AREA_MAX_POINTS, "count": len(points)}
        )
    if len({tuple(point) for point in points}) < AREA_MIN_POINTS:
        raise forms.ValidationError(
            _("An area needs at least %(min)s different points; some of yours repeat.")
            % {"min": AREA_MIN_POINTS}
        )
    return points


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


class AnswerForm(forms.Form):
    """The questions of one survey page. Each question's answer is assembled in `clean` into
    `self.answers` (question id -> stored value); a question with a problem gets its message
    and is left out, so the draft keeps every other answer."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        questions: list[Question],
        language: str,
        saved: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files)
        self.questions = questions
        self.language = language
        self.saved = saved or {}
        self.answers: dict[int, Any] = {}
        self.uploads: dict[int, UploadedFile] = {}
        self.map_used = False
        self.area_used = False
        for question in questions:
            self._add_fields(question)

    def _label(self, question: Question) -> str:
        return translated(question.text, self.language) or _("(untitled question)")

    def _options(self, items: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(i["key"], translated(i.get("label"), self.language) or i["key"]) for i in items]

    def _add_fields(self, question: Question) -> None:
        name, kind, config = f"q{question.pk}", question.kind, question.config
        saved = self.saved.get(str(question.pk))
        label = self._label(question)
        if kind == QuestionKind.SHORT_TEXT:
            self.fields[name] = forms.CharField(label=label, required=False, max_length=500)
            self.initial[name] = saved
        elif kind == QuestionKind.LONG_TEXT:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.initial[name] = saved
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = self._options(config.get("choices", []))
            if config.get("allow_other"):
                options.append(("other", _("Other")))
            if kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    label=label, required=False, choices=options, widget=forms.RadioSelect
                )
                self.initial[name] = (saved or {}).get("choice")
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.initial[name] = (saved or {}).get("choices")
            if config.get("allow_other"):
                self.fields[f"{name}_other"] = forms.CharField(
                    label=_("Other (please say what)"), required=False, max_length=500
                )
                self.initial[f"{name}_other"] = (saved or {}).get("other", "")
        elif kind == QuestionKind.RANKING:
            choices = config.get("choices", [])
            places = [("", "—")] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
            order = list(saved or [])
            for key, option in self._options(choices):
                self.fields[f"{name}_{key}"] = forms.TypedChoiceField(
                    label=option, required=False, choices=places, coerce=int, empty_value=None
                )
                if key in order:
                    self.initial[f"{name}_{key}"] = str(order.index(key) + 1)
        elif kind == QuestionKind.SCALE:
            low, high = int(config.get("min", 1)), int(config.get("max", 5))
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                required=False,
                choices=[(str(n), str(n)) for n in range(low, high + 1)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
            )
            self.initial[name] = None if saved is None else str(saved)
        elif kind == QuestionKind.MATRIX:
            columns = self._options(config.get("columns", []))
            for key, row in self._options(config.get("rows", [])):
                self.fields[f"{name}_{key}"] = forms.ChoiceField(
                    label=row, required=False, choices=columns, widget=forms.RadioSelect
                )
                self.initial[f"{name}_{key}"] = (saved or {}).get(key)
        elif kind == QuestionKind.NUMBER:
            low, high = config.get("min"), config.get("max")
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                min_value=None if low is None else Decimal(str(low)),
                max_value=None if high is None else Decimal(str(high)),
                max_digits=18,
                decimal_places=6,
            )
            self.initial[name] = saved
        elif kind == QuestionKind.DATE:
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.initial[name] = saved
        elif kind == QuestionKind.MAP:
            # The first map of a page uses the ids the shared place picker (ideas-map.js) fills.
            first = not self.map_used
            self.map_used = True
            lat_attrs = {"id": "id_latitude"} if first else {}
            lon_attrs = {"id": "id_longitude"} if first else {}
            self.fields[f"{name}_lat"] = forms.FloatField(
                label=_("Latitude"),
                required=False,
                min_value=-90,
                max_value=90,
                widget=forms.NumberInput(attrs={**lat_attrs, "step": "any"}),
            )
            self.fields[f"{name}_lon"] = forms.FloatField(
                label=_("Longitude"),
                required=False,
                min_value=-180,
                max_value=180,
                widget=forms.NumberInput(attrs={**lon_attrs, "step": "any"}),
            )
            self.initial[f"{name}_lat"] = (saved or {}).get("lat")
            self.initial[f"{name}_lon"] = (saved or {}).get("lon")
        elif kind == QuestionKind.AREA:
            # The text field is the answer: without JavaScript it is typed, with it the map
            # picker (area-picker.js) writes the points clicked into it.
            self.area_used = True
            self.fields[name] = forms.CharField(
                label=_("Points of the area, one “latitude, longitude” a line"),
                required=False,
                max_length=AREA_MAX_POINTS * 60,
                widget=forms.Textarea(
                    attrs={
                        "rows": 5,
                        "class": "area-points",
                        "spellcheck": "false",
                        "aria-describedby": f"{name}-how",
                    }
                ),
            )
            self.initial[name] = area_lines((saved or {}).get("points", []))
        elif kind == QuestionKind.FILE:
            extensions = config.get("extensions") or DEFAULT_EXTENSIONS
            self.fields[name] = forms.FileField(
                label=label,
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ",".join(f".{e}" for e in extensions)}
                ),
            )

    def field_names(self, question: Question) -> list[str]:
        prefix = f"q{question.pk}"
        return [n for n in self.fields if n == prefix or n.startswith(prefix + "_")]

    def question_errors(self, question: Question) -> list[str]:
        return [str(e) for n in self.field_names(question) for e in self.errors.get(n, [])]

    def items(self) -> list[dict[str, Any]]:
        """What the template shows per question: its texts, fields and errors."""
        listed = []
        for question in self.questions:
            names = self.field_names(question)
            config = question.config
            listed.append(
                {
                    "question": question,
                    "kind": question.kind,
                    "name": f"q{question.pk}",
                    "text": self._label(question),
                    "help": translated(question.help, self.language),
                    "fields": [self[n] for n in names],
                    "main": self[f"q{question.pk}"] if f"q{question.pk}" in self.fields else None,
                    "other": self[f"q{question.pk}_other"]
                    if f"q{question.pk}_other" in self.fields
                    else None,
                    "errors": self.question_errors(question) if self.is_bound else [],
                    "min_label": translated(config.get("min_label"), self.language),
                    "max_label": translated(config.get("max_label"), self.language),
                    "columns": self._options(config.get("columns", [])),
                    "saved_file": (self.saved.get(str(question.pk)) or {}).get("name", "")
                    if question.kind == QuestionKind.FILE
                    else "",
                    "map_picker": question.kind == QuestionKind.MAP
                    and self.fields[f"q{question.pk}_lat"].widget.attrs.get("id") == "id_latitude",
                }
            )
        return listed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            names = self.field_names(question)
            if any(n in self.errors for n in names):
                continue
            try:
                value = self._assemble(question, data)
            except forms.ValidationError as problem:
                self.add_error(names[0], problem)
                continue
            if _empty(value) and question.required:
                self.add_error(names[0], self._missing(question))
                continue
            self.answers[question.pk] = None if _empty(value) else value
        return data

    def _missing(self, question: Question) -> str:
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            return _("Choose an answer to this question.")
        if kind == QuestionKind.MULTIPLE:
            return _("Choose at least one answer.")
        if kind == QuestionKind.RANKING:
            return _("Put every item in order, 1 being the most important.")
        if kind == QuestionKind.MATRIX:
            return _("Choose an answer in every row.")
        if kind == QuestionKind.MAP:
            return _("Mark a place on the map, or type its latitude and longitude.")
        if kind == QuestionKind.AREA:
            return _("Outline the area: click at least 3 points on the map, or type them.")
        if kind == QuestionKind.FILE:
            return _("Attach a file.")
        return _("Answer this question.")

    def _assemble(self, question: Question, data: dict[str, Any]) -> Any:
        name, kind, config = f"q{question.pk}", question.kind, question.config
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            return (data.get(name) or "").strip()
        if kind == QuestionKind.SINGLE:
            choice = data.get(name) or ""
            if not choice:
                return None
            other = (data.get(f"{name}_other") or "").strip()
            if choice == "other":
                if not other:
                    raise forms.ValidationError(
                        _("You chose “Other”: say what, in the text field.")
                    )
                return {"choice": "other", "other": other}
            return {"choice": choice}
        if kind == QuestionKind.MULTIPLE:
            choices = list(data.get(name) or [])
            if not choices:
                return None
            other = (data.get(f"{name}_other") or "").strip()
            if "other" in choices and not other:
                raise forms.ValidationError(_("You chose “Other”: say what, in the text field."))
            answer: dict[str, Any] = {"choices": choices}
            if "other" in choices:
                answer["other"] = other
            return answer
        if kind == QuestionKind.RANKING:
            places = {c["key"]: data.get(f"{name}_{c['key']}") for c in config.get("choices", [])}
            given = {k: v for k, v in places.items() if v is not None}
            if not given:
                return None
            if len(given) != len(places) or sorted(given.values()) != list(
                range(1, len(places) + 1)
            ):
                raise forms.ValidationError(
                    _("Give every item a different place, from 1 to %(count)s.")
                    % {"count": len(places)}
                )
            return sorted(given, key=lambda k: given[k])
        if kind == QuestionKind.SCALE:
            return data.get(name)
        if kind == QuestionKind.MATRIX:
            rows = {r["key"]: data.get(f"{name}_{r['key']}") for r in config.get("rows", [])}
            given = {k: v for k, v in rows.items() if v}
            if given and question.required and len(given) != len(rows):
                raise forms.ValidationError(self._missing(question))
            return given
        if kind == QuestionKind.NUMBER:
            number = data.get(name)
            return None if number is None else str(number.normalize())
        if kind == QuestionKind.DATE:
            day: date | None = data.get(name)
            return None if day is None else day.isoformat()
        if kind == QuestionKind.MAP:
            lat, lon = data.get(f"{name}_lat"), data.get(f"{name}_lon")
            if lat is None and lon is None:
                return None
            if lat is None or lon is None:
                raise forms.ValidationError(_("Give both the latitude and the longitude."))
            return {"lat": round(lat, 6), "lon": round(lon, 6)}
        if kind == QuestionKind.AREA:
            points = parse_area(data.get(name) or "")
            return None if points is None else {"points": points}
        if kind == QuestionKind.FILE:
            upload = data.get(name)
            if not upload:
                # A file sent earlier stays the answer when the page is sent again.
                return self.saved.get(str(question.pk))
            self._check_upload(question, upload)
            self.uploads[question.pk] = upload
            return {"name": display_name(upload.name)}
        return data.get(name)

    def _check_upload(self, question: Question, upload: UploadedFile) -> None:
        extensions = question.config.get("extensions") or DEFAULT_EXTENSIONS
        max_mb = int(question.config.get("max_mb") or 5)
        extension = (
            (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
        )
        if extension not in extensions:
            raise forms.ValidationError(
                _("This kind of file is not accepted here. Allowed: %(types)s.")
                % {"types": ", ".join(e.upper() for e in extensions)}
            )
        if (upload.size or 0) > max_mb * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is too big: at most %(size)s MB.") % {"size": max_mb}
            )
        # The content must be of an accepted type too, whatever the name says; what is stored
        # is then named from the content (ratusz.tenants.uploads).
        try:
            inspect_upload(upload, accept={extension_of(f"x.{e}") for e in extensions})
        except UploadRefused as refused:
            if refused.code in {"too_many_pixels", "svg"}:
                raise
            raise forms.ValidationError(
                _("The file's content is not a %(type)s file.") % {"type": extension.upper()}
            ) from refused
