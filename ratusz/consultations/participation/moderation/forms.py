"""Input for moderation: the only place that turns what people typed into errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import Role, User
from ratusz.consultations.participation.moderation.models import Report
from ratusz.consultations.participation.moderation.selectors import (
    filter_languages,
    resident_by_email,
)
from ratusz.consultations.participation.moderation.services import (
    EXPLANATION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TERM_MAX_LENGTH,
    TERMS_MAX,
    normalize_terms,
)


class LinkedErrorsForm(forms.Form):
    """Marks fields with errors as invalid and points them at their error list
    (`<id>-errors`), so screen readers read the error with the field."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                described_by = [f"{self[name].auto_id}-errors"]
                if field.help_text:
                    described_by.insert(0, f"{self[name].auto_id}_helptext")
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


class ReportForm(LinkedErrorsForm):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are reporting this.")},
    )
    explanation = forms.CharField(
        label=_("What is wrong? (optional unless you chose “Something else”)"),
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == Report.Reason.OTHER and not data.get("explanation", "").strip():
            self.add_error("explanation", _("Tell the moderators what is wrong."))
        return data


class ReasonForm(LinkedErrorsForm):
    """A moderator's reason; required for hiding and rejecting (the author sees it)."""

    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason; the author will see it.")},
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = _("Note for the moderation log (optional)")


DURATIONS = [
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("forever", _("For good")),
]


class BlockForm(LinkedErrorsForm):
    email = forms.EmailField(
        label=_("The resident's e-mail address"),
        error_messages={"required": _("Enter the e-mail address of the resident to block.")},
    )
    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, initial="7")
    reason = forms.CharField(
        label=_("Reason (the resident sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason; the resident will see it.")},
    )

    def clean_email(self) -> User:
        resident = resident_by_email(self.cleaned_data["email"])
        if resident is None:
            raise forms.ValidationError(_("No account in this city uses this e-mail address."))
        if resident.role != Role.RESIDENT:
            raise forms.ValidationError(
                _("Staff accounts cannot be blocked; change their role first.")
            )
        return resident

    def until(self) -> datetime | None:
        duration = self.cleaned_data["duration"]
        if duration == "forever":
            return None
        return timezone.now() + timedelta(days=int(duration))


class WordFilterForm(LinkedErrorsForm):
    """One list per language, one word or phrase a line."""

    def __init__(self, *args: Any, lists: dict[str, list[str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for code, name in filter_languages():
            self.fields[code] = forms.CharField(
                label=_("Words and phrases (%(language)s)") % {"language": name},
                help_text=_("One a line. Capital letters and Polish accents do not matter."),
                required=False,
                initial="\n".join((lists or {}).get(code, [])),
                widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
            )

    def _clean_list(self, code: str) -> list[str]:
        terms = normalize_terms(self.cleaned_data.get(code, "").splitlines())
        if len(terms) > TERMS_MAX:
            raise forms.ValidationError(
                _("A list can hold at most %(count)d words.") % {"count": TERMS_MAX}
            )
        too_long = [term for term in terms if len(term) > TERM_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A word or phrase can be at most %(count)d characters long: %(term)s")
                % {"count": TERM_MAX_LENGTH, "term": too_long[0][:40] + "…"}
            )
        no_letters = [term for term in terms if not any(ch.isalnum() for ch in term)]
        if no_letters:
            raise forms.ValidationError(
                _("Each line needs at least one letter or digit: %(term)s")
                % {"term": no_letters[0]}
            )
        return terms

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, _name in filter_languages():
            if code in data:
                try:
                    data[code] = self._clean_list(code)
                except forms.ValidationError as error:
                    self.add_error(code, error)
        return data
