"""The editor's forms: the survey's texts, a page, a question (what its kind asks for comes
from the kind, see `kinds`), and a skip rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.translated_forms import MultilingualForm, local_language_name
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds import get_kind
from ratusz.consultations.methods.surveys.models import Question, SurveyPage
from ratusz.consultations.methods.surveys.selectors import branching_values


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
        found = get_kind(kind)
        if found is None:
            raise ValueError(f"unknown question kind {kind!r}")
        self.kind_type = found
        self.kind_type.add_settings(self)
        if question is not None:
            self._load(question)

    def _load(self, question: Question) -> None:
        self.set_texts("text", question.text)
        self.set_texts("help", question.help)
        self.initial["page"] = question.page_id
        self.initial["required"] = question.required
        self.kind_type.load_settings(self, question.config)

    def options_from_lines(self, name: str, prefix: str) -> list[dict[str, Any]]:
        """Items typed one per line in each language ({"key": <prefix><n>, "label"}); a
        language with another number of lines than the default one gets an error."""
        by_language = {
            code: _lines(self.cleaned_data.get(f"{name}_{code}", "")) for code in self.languages
        }
        main = by_language[self.default_language]
        for code, lines in by_language.items():
            if lines and len(lines) != len(main):
                self.add_error(
                    f"{name}_{code}",
                    _("Give as many lines as in %(language)s (%(count)s).")
                    % {"language": local_language_name(self.default_language), "count": len(main)},
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
        self.config = self.kind_type.clean_settings(self, data)
        return data


class RuleForm(forms.Form):
    """On a page: "when <question> is <answer>, go to <page or the end>"."""

    when = forms.ChoiceField(label=gettext_lazy("When the answer is"))
    target = forms.ChoiceField(label=gettext_lazy("go to"))

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
