"""Registration fields: what the city asks residents, added, edited and deleted."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ratusz.consultations.core.access import administrator_required
from ratusz.consultations.participation.refusals import Refused
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.registration import RegistrationFieldForm
from ratusz.consultations.people.models import RegistrationField

# --- registration fields --------------------------------------------------------------------------


@administrator_required
def registration_fields(request: HttpRequest) -> HttpResponse:
    fields = list(selectors.all_fields())
    return render(
        request,
        "backoffice/people/fields.html",
        {
            "fields": fields,
            "groups_by_field": {
                found.key: selectors.groups_using_field(found.key) for found in fields
            },
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_create(request: HttpRequest) -> HttpResponse:
    form = RegistrationFieldForm(
        request.POST or None,
        initial={"asked_at": "signup", "position": RegistrationField.objects.count()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_field(
                key=data["key"],
                label=form.labels(),
                help_text=form.help_texts(),
                kind=data["kind"],
                required=data["required"],
                asked_at=data["asked_at"],
                active=data["active"],
                position=data["position"],
                options=data["option_specs"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The field is saved."))
            return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_form.html",
        {"form": form, "registration_field": None},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RegistrationField, pk=pk)
    form = RegistrationFieldForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_field(
                registration_field=found,
                label=form.labels(),
                help_text=form.help_texts(),
                required=data["required"],
                asked_at=data["asked_at"],
                active=data["active"],
                position=data["position"],
                options=data["option_specs"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The field is saved."))
            return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_form.html",
        {"form": form, "registration_field": found},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RegistrationField, pk=pk)
    if request.method == "POST":
        affected = services.delete_field(registration_field=found)
        messages.success(request, _("The field and its answers are deleted."))
        for group in affected:
            messages.warning(
                request,
                _(
                    "The rule of the group “%(group)s” used this field: its members stay as "
                    "they are until you give it another rule."
                )
                % {"group": group.name},
            )
        return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_delete.html",
        {
            "registration_field": found,
            "answer_count": found.answers.count(),
            "groups": selectors.groups_using_field(found.key),
        },
    )
