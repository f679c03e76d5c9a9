"""Questions answered by choosing from a list: one answer, several, or all in order."""

from __future__ import annotations

from collections import Counter
from statistics import mean
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds.base import (
    Kind,
    QuestionResult,
    choice_label,
    counted,
    labelled_options,
)
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm

OTHER = "other"


def one_per_line() -> str:
    return _("One per line, in the same order in every language.")


class Listed(Kind):
    """A kind whose configuration holds a list of choices."""

    def add_settings(self, form: QuestionForm) -> None:
        form.add_texts(
            "choices", _("Answers"), required=True, textarea=True, help_text=one_per_line()
        )

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        config: dict[str, Any] = {"choices": form.options_from_lines("choices", "c")}
        if len(config["choices"]) < 2 and not form.errors.get(f"choices_{form.default_language}"):
            form.add_error(f"choices_{form.default_language}", _("Give at least two answers."))
        return config

    def problems(self, question: Question, name: str) -> list[str]:
        if len(question.config.get("choices", [])) < 2:
            return [
                _("The question “%(question)s” needs at least two answers to choose from.")
                % {"question": name}
            ]
        return []

    def value_label(self, question: Question, value: str, language: str) -> str:
        if value == OTHER:
            return _("Other")
        return choice_label(question.config.get("choices", []), value, language)


class Chosen(Listed):
    """One or several answers out of the list, and perhaps "Other" with a text."""

    single_input = False
    template = "surveys/partials/kinds/choice.html"
    branching = True

    def add_settings(self, form: QuestionForm) -> None:
        super().add_settings(form)
        form.fields["allow_other"] = forms.BooleanField(
            label=_("Offer “Other” with a text field"), required=False
        )

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        return {**super().clean_settings(form, data), "allow_other": bool(data.get("allow_other"))}

    def branching_values(self, question: Question, language: str) -> list[tuple[str, str]]:
        values = labelled_options(question.config.get("choices", []), language)
        if question.config.get("allow_other"):
            values.append((OTHER, _("Other")))
        return values

    def choice_field(self, label: str, options: list[tuple[str, str]]) -> forms.Field:
        raise NotImplementedError

    def initial(self, saved: dict[str, Any]) -> Any:
        raise NotImplementedError

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        options = self.branching_values(question, form.language)
        form.fields[name] = self.choice_field(form.label_of(question), options)
        form.initial[name] = self.initial(saved or {})
        if question.config.get("allow_other"):
            form.fields[f"{name}_other"] = forms.CharField(
                label=_("Other (please say what)"), required=False, max_length=500
            )
            form.initial[f"{name}_other"] = (saved or {}).get("other", "")

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        other = f"q{question.pk}_other"
        return {"other": form[other] if other in form.fields else None}

    def chosen(self, value: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        counts: Counter[str] = Counter()
        for value in given:
            counts.update(self.chosen(value))
            if value.get("other"):
                result.texts.append(value["other"])
        result.chart, result.table = counted(
            result.text,
            counts,
            self.branching_values(result.question, language),
            len(given),
            f"q{result.question.pk}",
        )


def _other_text(data: dict[str, Any], name: str) -> str:
    return (data.get(f"{name}_other") or "").strip()


def _say_what() -> forms.ValidationError:
    return forms.ValidationError(_("You chose “Other”: say what, in the text field."))


@register
class Single(Chosen):
    key = QuestionKind.SINGLE
    label = QuestionKind.SINGLE.label
    missing = gettext_lazy("Choose an answer to this question.")

    def choice_field(self, label: str, options: list[tuple[str, str]]) -> forms.Field:
        return forms.ChoiceField(
            label=label, required=False, choices=options, widget=forms.RadioSelect
        )

    def initial(self, saved: dict[str, Any]) -> Any:
        return saved.get("choice")

    def chosen(self, value: dict[str, Any]) -> list[str]:
        return [value.get("choice", "")]

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        name = f"q{question.pk}"
        choice = data.get(name) or ""
        if not choice:
            return None
        if choice == OTHER:
            other = _other_text(data, name)
            if not other:
                raise _say_what()
            return {"choice": OTHER, "other": other}
        return {"choice": choice}

    def matches(self, answer: Any, value: str) -> bool:
        return bool(isinstance(answer, dict) and answer.get("choice") == value)

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        if value.get("choice") == OTHER:
            return f"{_('Other')}: {value.get('other', '')}"
        return choice_label(question.config.get("choices", []), value.get("choice", ""), language)


@register
class Multiple(Chosen):
    key = QuestionKind.MULTIPLE
    label = QuestionKind.MULTIPLE.label
    missing = gettext_lazy("Choose at least one answer.")

    def choice_field(self, label: str, options: list[tuple[str, str]]) -> forms.Field:
        return forms.MultipleChoiceField(
            label=label, required=False, choices=options, widget=forms.CheckboxSelectMultiple
        )

    def initial(self, saved: dict[str, Any]) -> Any:
        return saved.get("choices")

    def chosen(self, value: dict[str, Any]) -> list[str]:
        return list(value.get("choices", []))

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        name = f"q{question.pk}"
        choices = list(data.get(name) or [])
        if not choices:
            return None
        other = _other_text(data, name)
        if OTHER in choices and not other:
            raise _say_what()
        answer: dict[str, Any] = {"choices": choices}
        if OTHER in choices:
            answer["other"] = other
        return answer

    def matches(self, answer: Any, value: str) -> bool:
        return bool(isinstance(answer, dict) and value in answer.get("choices", []))

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        choices = question.config.get("choices", [])
        parts = [
            choice_label(choices, key, language) for key in value.get("choices", []) if key != OTHER
        ]
        if OTHER in value.get("choices", []):
            parts.append(f"{_('Other')}: {value.get('other', '')}")
        return "; ".join(parts)


@register
class Ranking(Listed):
    """Every item of the list given a place, 1 being the most important; stored as the keys
    in order."""

    key = QuestionKind.RANKING
    label = QuestionKind.RANKING.label
    single_input = False
    template = "surveys/partials/kinds/ranking.html"
    missing = gettext_lazy("Put every item in order, 1 being the most important.")

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        choices = question.config.get("choices", [])
        places = [("", "—")] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
        order = list(saved or [])
        for key, option in labelled_options(choices, form.language):
            form.fields[f"{name}_{key}"] = forms.TypedChoiceField(
                label=option, required=False, choices=places, coerce=int, empty_value=None
            )
            if key in order:
                form.initial[f"{name}_{key}"] = str(order.index(key) + 1)

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        name = f"q{question.pk}"
        places = {
            c["key"]: data.get(f"{name}_{c['key']}") for c in question.config.get("choices", [])
        }
        given = {k: v for k, v in places.items() if v is not None}
        if not given:
            return None
        if len(given) != len(places) or sorted(given.values()) != list(range(1, len(places) + 1)):
            raise forms.ValidationError(
                _("Give every item a different place, from 1 to %(count)s.")
                % {"count": len(places)}
            )
        return sorted(given, key=lambda k: given[k])

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        choices = result.question.config.get("choices", [])
        places: dict[str, list[int]] = {c["key"]: [] for c in choices}
        for ranking in given:
            for place, choice in enumerate(ranking, start=1):
                places.setdefault(choice, []).append(place)
        ordered = sorted(choices, key=lambda c: mean(places[c["key"]]) if places[c["key"]] else 1e9)
        result.summary = [
            (
                translated(c.get("label"), language) or c["key"],
                _("average place %(place)s")
                % {"place": f"{mean(places[c['key']]):.2f}" if places[c["key"]] else "—"},
            )
            for c in ordered
        ]

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        choices = question.config.get("choices", [])
        return "; ".join(
            f"{place}. {choice_label(choices, key, language)}"
            for place, key in enumerate(value, start=1)
        )
