"""The list of people and its filters, blocks, roles and invitations of staff, adding members."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import Role
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.participation.moderation.forms import DURATIONS, LinkedErrorsForm
from ratusz.consultations.participation.moderation.services import REASON_MAX_LENGTH
from ratusz.consultations.people import selectors
from ratusz.consultations.people.forms.answers import _text

# --- the list of people, blocks, roles and invitations --------------------------------------------


BLOCKED_CHOICES = [("", _("Everyone")), ("yes", _("Blocked")), ("no", _("Not blocked"))]
CITY_ROLE_CHOICES = [
    (value, label) for value, label in Role.choices if value in selectors.CITY_ROLES
]
STAFF_ROLE_CHOICES = [
    (Role.PROJECT_MANAGER, Role.PROJECT_MANAGER.label),
    (Role.ADMINISTRATOR, Role.ADMINISTRATOR.label),
]


class PeopleFilterForm(LinkedErrorsForm):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *CITY_ROLE_CHOICES], required=False
    )
    blocked = forms.ChoiceField(label=_("Blocks"), choices=BLOCKED_CHOICES, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=ResidentGroup.objects.order_by("name"),
        required=False,
        empty_label=_("Any group"),
    )
    joined_from = forms.DateField(
        label=_("Joined from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    joined_to = forms.DateField(
        label=_("Joined until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("joined_from"), data.get("joined_to")
        if start and end and start > end:
            self.add_error("joined_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        blocked = {"yes": True, "no": False}.get(data.get("blocked") or "")
        return {
            "query": data.get("q") or "",
            "role": data.get("role") or "",
            "blocked": blocked,
            "group": data.get("group"),
            "joined_from": data.get("joined_from"),
            "joined_to": data.get("joined_to"),
        }


class BlockForm(LinkedErrorsForm):
    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, initial="7")
    reason = forms.CharField(
        label=_("Reason (the resident sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason; the resident will see it.")},
    )

    def until(self) -> datetime | None:
        duration = self.cleaned_data["duration"]
        if duration == "forever":
            return None
        return timezone.now() + timedelta(days=int(duration))


def _project_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Projects they manage"),
        queryset=Project.objects.order_by("slug"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProjectsLabelMixin:
    fields: dict[str, forms.Field]

    def _label_projects(self) -> None:
        projects = self.fields["projects"]
        assert isinstance(projects, forms.ModelMultipleChoiceField)
        projects.label_from_instance = lambda project: _text(project.title) or project.slug  # type: ignore[method-assign,assignment]  # Django's documented hook

    def _check_projects(self, data: dict[str, Any]) -> None:
        if data.get("role") == Role.PROJECT_MANAGER and not data.get("projects"):
            self.add_error(  # type: ignore[attr-defined]  # a Form's
                "projects", _("Choose at least one project for a project manager.")
            )


class InviteStaffForm(ProjectsLabelMixin, LinkedErrorsForm):
    email = forms.EmailField(
        label=_("E-mail address"), error_messages={"required": _("Enter an e-mail address.")}
    )
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = _project_field()
        self._label_projects()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_projects(data)
        return data


class RoleForm(ProjectsLabelMixin, LinkedErrorsForm):
    role = forms.ChoiceField(label=_("Role"), choices=CITY_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = _project_field()
        self._label_projects()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_projects(data)
        return data


class AddMembersForm(LinkedErrorsForm):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One a line, or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter at least one e-mail address.")},
    )

    def clean_emails(self) -> list[str]:
        addresses = [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]
        invalid = [address for address in addresses if "@" not in address]
        if invalid:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(list)s") % {"list": ", ".join(invalid)}
            )
        return addresses
