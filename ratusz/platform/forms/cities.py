"""Forms of the fleet and of one city: filters, renames, support access, limits, domains, a
restore from an archive, announcements."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.models import PartnerOrganisation
from ratusz.platform.forms.confirmation import ConfirmForm, _Confirmed
from ratusz.tenants.entitlements import FEATURES, LIMITS
from ratusz.tenants.models import AnnouncementLevel, CityStatus


class FleetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name, subdomain or domain"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *CityStatus.choices, ("deleted", _("Deleted"))],
    )
    plan = forms.CharField(label=_("Plan"), required=False, max_length=40)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *settings.LANGUAGES]
    )
    active_within_days = forms.IntegerField(
        label=_("Active in the last (days)"), required=False, min_value=1, max_value=3650
    )
    partner = forms.ModelChoiceField(
        label=_("Set up by partner"),
        required=False,
        queryset=PartnerOrganisation.objects.order_by("name"),
        empty_label=_("Any"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-name", _("Name, Z to A")),
            ("slug", _("Subdomain")),
            ("-created", _("Newest")),
            ("created", _("Oldest")),
            ("-activity", _("Most recently active")),
            ("activity", _("Least recently active")),
            ("status", _("Status")),
            ("plan", _("Plan")),
        ],
    )


class RenameForm(ConfirmForm):
    slug = forms.CharField(label=_("New subdomain"), max_length=40)


class SupportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to enter the city's back office?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[(15, _("15 minutes")), (60, _("1 hour")), (240, _("4 hours"))],
        initial=60,
    )


class EntitlementsForm(forms.Form):
    plan = forms.CharField(label=_("Plan"), required=False, max_length=40)
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)

    def __init__(self, *args: Any, city: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in LIMITS.items():
            self.fields[f"limit_{name}"] = forms.IntegerField(
                label=str(label),
                required=False,
                min_value=0,
                help_text=_("Empty means unlimited."),
            )
        for name, label in FEATURES.items():
            self.fields[f"feature_{name}"] = forms.BooleanField(label=str(label), required=False)
        if city is not None and not self.is_bound:
            self.initial["plan"] = city.plan
            for name in LIMITS:
                self.initial[f"limit_{name}"] = city.limits.get(name)
            for name in FEATURES:
                self.initial[f"feature_{name}"] = bool(city.features.get(name, True))

    def limits(self) -> dict[str, int | None]:
        return {
            name: self.cleaned_data[f"limit_{name}"]
            for name in LIMITS
            if self.cleaned_data[f"limit_{name}"] is not None
        }

    def features(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data[f"feature_{name}"]) for name in FEATURES}


class AnnouncementForm(forms.Form):
    message_pl = forms.CharField(label=_("Message in Polish"), required=False, max_length=500)
    message_en = forms.CharField(label=_("Message in English"), required=False, max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=AnnouncementLevel.choices)
    days = forms.IntegerField(label=_("Shown for (days)"), min_value=1, max_value=90, initial=7)
    status = forms.ChoiceField(
        label=_("Only cities with status"),
        required=False,
        choices=[("", _("All cities")), *CityStatus.choices],
    )
    country = forms.CharField(label=_("Only cities in country"), required=False, max_length=2)
    plan = forms.CharField(label=_("Only cities on plan"), required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not (data.get("message_pl") or "").strip()
            and not (data.get("message_en") or "").strip()
        ):
            raise forms.ValidationError(_("Write the announcement in at least one language."))
        return data

    def window(self) -> tuple[Any, Any]:
        start = timezone.now()
        return start, start + timedelta(days=self.cleaned_data["days"])

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(key) for key in ("status", "country", "plan"))


class RestoreForm(forms.Form):
    archive = forms.FileField(label=_("City archive (.zip)"))
    slug = forms.CharField(label=_("Subdomain of the restored city"), max_length=40)
    name = forms.CharField(label=_("Name of the restored city"), max_length=200)


class AddDomainForm(_Confirmed):
    """The host name only; whether it is a domain we can take (its shape, not under
    BASE_DOMAIN, not another city's) is decided by ratusz.tenants.domains.add_custom_domain,
    whose refusal the view shows next to this field."""

    id_prefix = "domain"
    domain = forms.CharField(
        label=_("Domain name"),
        max_length=253,
        help_text=_("For example konsultacje.gdansk.pl."),
        error_messages={"required": _("Enter the domain name.")},
    )
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)
    field_order = ["domain", "reason", "confirm"]


class VerifyDomainForm(_Confirmed):
    id_prefix = "verify"
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)
    field_order = ["reason", "confirm"]
