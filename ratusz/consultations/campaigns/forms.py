"""Input of the campaign pages: campaigns and the city's wording of automatic e-mails.

Subjects and bodies have one field per city language; the city's default language is required,
the others fall back to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.campaigns.models import Audience
from ratusz.consultations.campaigns.placeholders import UnknownPlaceholder, check_placeholders
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated

LANGUAGE_NAMES = dict(settings.LANGUAGES)
MAX_SUBJECT = 200


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


class PerLanguageForm(forms.Form):
    """Adds subject_<lang> and body_<lang> for each city language."""

    subject_label = _("Subject (%(language)s)")
    body_label = _("Message (%(language)s)")
    body_help = _("Simple formatting is kept: paragraphs, bold, lists and links.")

    def __init__(
        self, *args: Any, languages: tuple[str, ...], default_language: str, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.languages = [
            default_language,
            *(lang for lang in languages if lang != default_language),
        ]
        self.default_language = default_language
        for lang in self.languages:
            required = lang == default_language
            name = language_name(lang)
            self.fields[f"subject_{lang}"] = forms.CharField(
                label=self.subject_label % {"language": name},
                max_length=MAX_SUBJECT,
                required=required,
                error_messages={
                    "required": _("Write a subject in %(language)s.") % {"language": name}
                },
            )
            self.fields[f"body_{lang}"] = forms.CharField(
                label=self.body_label % {"language": name},
                widget=forms.Textarea(attrs={"rows": 10}),
                required=required,
                help_text=self.body_help
                if required
                else _(
                    "Optional: without it, people who read %(language)s get the %(default)s text."
                )
                % {"language": name, "default": language_name(default_language)},
                error_messages={
                    "required": _("Write the message in %(language)s.") % {"language": name}
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for lang in self.languages:
            body = data.get(f"body_{lang}")
            if body and not plain_text(body).strip():
                self.add_error(f"body_{lang}", _("The message has no words in it."))
        return data

    def per_language(self, prefix: str) -> dict[str, str]:
        return {
            lang: self.cleaned_data.get(f"{prefix}_{lang}", "") or "" for lang in self.languages
        }

    @staticmethod
    def initial_from(subject: dict[str, str], body: dict[str, str]) -> dict[str, str]:
        initial = {f"subject_{lang}": text for lang, text in subject.items()}
        initial.update({f"body_{lang}": text for lang, text in body.items()})
        return initial


class CampaignForm(PerLanguageForm):
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.EVERYONE,
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=ResidentGroup.objects.all(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), required=False
    )

    field_order = ["audience", "group", "project"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["project"].label_from_instance = self._project_label  # type: ignore[attr-defined]  # ModelChoiceField

    def _project_label(self, project: Project) -> str:
        return translated(project.title, self.default_language) or project.slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Audience.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group to write to."))
        if audience == Audience.PROJECT and not data.get("project"):
            self.add_error("project", _("Choose the project whose participants to write to."))
        return data


class EmailTemplateForm(PerLanguageForm):
    body_help = _("Use only the placeholders listed above; they are filled in for each person.")

    def __init__(self, *args: Any, placeholders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placeholders = placeholders

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if not value or not (name.startswith("subject_") or name.startswith("body_")):
                continue
            try:
                check_placeholders(str(value), self.placeholders)
            except UnknownPlaceholder as error:
                self.add_error(name, error.message)
        return data
