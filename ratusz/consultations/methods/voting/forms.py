"""Validation of voting's input: phase settings, residents' verification, staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Capability, get_method
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.consultations.methods.voting.models import Mode
from ratusz.consultations.methods.voting.rules import DEFAULT_OPTIONS, MAX_VOTES
from ratusz.consultations.methods.voting.services import MAX_CENSUS_FILE_MB, MAX_CODES

VERIFICATION_CHOICES = [
    ("census", _("Residents check their identifier (e.g. PESEL) against the city's list")),
    ("codes", _("Residents enter a one-time code printed by the city")),
]


class PhaseSettingsForm(forms.Form):
    """The settings of a voting phase; `cleaned_data` become the phase's options."""

    voting_mode = forms.ChoiceField(label=_("Kind of vote"), choices=Mode.choices)
    votes_per_person = forms.IntegerField(
        label=_("Votes per person"),
        min_value=1,
        max_value=MAX_VOTES,
        help_text=_("For several votes per person."),
    )
    votes_per_idea = forms.IntegerField(
        label=_("At most votes for one idea"),
        min_value=1,
        max_value=MAX_VOTES,
        help_text=_("For several votes per person."),
    )
    budget = forms.IntegerField(
        label=_("Budget (zł)"), min_value=0, help_text=_("For a participatory budget.")
    )
    min_spend = forms.IntegerField(
        label=_("A basket must use at least (zł)"),
        min_value=0,
        help_text=_("0 lets residents submit a basket of any size."),
    )
    source_phase = forms.TypedChoiceField(
        label=_("Ideas come from"), coerce=int, required=False, empty_value=None
    )
    source_statuses = forms.MultipleChoiceField(
        label=_("Only ideas with these statuses"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all published ideas of that phase."),
    )
    verification = forms.MultipleChoiceField(
        label=_("How residents verify themselves (when only verified residents may vote)"),
        choices=VERIFICATION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    live_results = forms.BooleanField(label=_("Show results while the vote runs"), required=False)
    public_results = forms.BooleanField(label=_("Publish the results"), required=False)

    def __init__(self, data: Any = None, *, phase: Phase, **kwargs: Any) -> None:
        initial = {
            **DEFAULT_OPTIONS,
            **{k: phase.options[k] for k in DEFAULT_OPTIONS if k in phase.options},
        }
        super().__init__(data, initial=initial, **kwargs)
        self.phase = phase
        earlier = [
            p
            for p in phase.project.phases.filter(starts_at__lt=phase.starts_at).order_by(
                "starts_at"
            )
            if get_method(p.method).can(Capability.IDEAS)
        ]
        self.fields["source_phase"].choices = [("", _("No earlier phase (add ideas by hand)"))] + [  # type: ignore[attr-defined]  # a ChoiceField
            (p.pk, translated(p.title, "pl") or str(p)) for p in earlier
        ]
        self.fields["source_statuses"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (s.code, translated(s.name, "pl") or s.code) for s in IdeaStatus.objects.all()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        per_person, per_idea = data.get("votes_per_person"), data.get("votes_per_idea")
        if per_person and per_idea and per_idea > per_person:
            self.add_error("votes_per_idea", _("One idea cannot get more votes than a person has."))
        budget, minimum = data.get("budget"), data.get("min_spend")
        if data.get("voting_mode") == Mode.BUDGET and not budget:
            self.add_error("budget", _("Enter the budget residents share out."))
        if budget is not None and minimum is not None and minimum > budget:
            self.add_error("min_spend", _("The minimum cannot be more than the budget."))
        return data


class CensusCheckForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your identifier (e.g. PESEL)"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your voting card"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CandidateForm(forms.Form):
    cost = forms.IntegerField(label=_("Cost (zł)"), min_value=0)
    included = forms.BooleanField(label=_("On the ballot"), required=False)


class PaperVotesForm(forms.Form):
    candidate = forms.TypedChoiceField(label=_("Idea"), coerce=int)
    votes = forms.IntegerField(label=_("Votes"), min_value=1, max_value=10_000_000)
    note = forms.CharField(
        label=_("Note (e.g. which polling station)"), max_length=200, required=False
    )

    def __init__(self, data: Any = None, *, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["candidate"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=MAX_CODES)


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One identifier per row, in the first column. Save it as CSV from your spreadsheet: "
            "UTF-8, UTF-16 and Windows-1250 (Polish Excel's plain CSV) are read."
        ),
    )
    has_header = forms.BooleanField(label=_("The first row holds column names"), required=False)
    pesel = forms.BooleanField(
        label=_("The identifiers are PESEL numbers (check their check digit)"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CENSUS_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is too big (at most %(size)d MB).") % {"size": MAX_CENSUS_FILE_MB}
            )
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a CSV file (.csv or .txt)."))
        return upload
