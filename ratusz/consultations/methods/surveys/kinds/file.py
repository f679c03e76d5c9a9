"""A file upload: the answer names the stored file ({"file": id, "name"})."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.methods.surveys.kinds.base import Kind, QuestionResult
from ratusz.consultations.methods.surveys.kinds.registry import register
from ratusz.consultations.methods.surveys.models import Question, QuestionKind
from ratusz.tenants.uploads import UploadRefused, display_name, extension_of, inspect_upload

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm

DEFAULT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
ALLOWED_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "txt", "odt", "docx", "xlsx", "ods", "csv"]
MAX_UPLOAD_MB = 20


@register
class File(Kind):
    key = QuestionKind.FILE
    label = QuestionKind.FILE.label
    takes_files = True
    missing = gettext_lazy("Attach a file.")

    def add_settings(self, form: QuestionForm) -> None:
        form.fields["extensions"] = forms.MultipleChoiceField(
            label=_("Allowed file types"),
            choices=[(e, e.upper()) for e in ALLOWED_EXTENSIONS],
            widget=forms.CheckboxSelectMultiple,
            initial=DEFAULT_EXTENSIONS,
        )
        form.fields["max_mb"] = forms.IntegerField(
            label=_("Largest file (MB)"), min_value=1, max_value=MAX_UPLOAD_MB, initial=5
        )

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "extensions": list(data.get("extensions") or DEFAULT_EXTENSIONS),
            "max_mb": int(data.get("max_mb") or 5),
        }

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        extensions = question.config.get("extensions") or DEFAULT_EXTENSIONS
        form.fields[name] = forms.FileField(
            label=form.label_of(question),
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{e}" for e in extensions)}
            ),
        )

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        return {"saved_file": (form.saved.get(str(question.pk)) or {}).get("name", "")}

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        upload = data.get(f"q{question.pk}")
        if not upload:
            # A file sent earlier stays the answer when the page is sent again.
            return form.saved.get(str(question.pk))
        check_upload(question, upload)
        form.uploads[question.pk] = upload
        return {"name": display_name(upload.name)}

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        if staff:
            result.files = [(int(v["file"]), str(v.get("name", ""))) for v in given]

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        return str(value.get("name", ""))


def check_upload(question: Question, upload: UploadedFile) -> None:
    """Refuse a file of a type the question does not accept, or too big."""
    extensions = question.config.get("extensions") or DEFAULT_EXTENSIONS
    max_mb = int(question.config.get("max_mb") or 5)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
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
