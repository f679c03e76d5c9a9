"""Campaign pages of the back office (administrators only). Thin: parse, authorise, call a service
or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusz.accounts.models import User
from ratusz.consultations.campaigns import selectors, services
from ratusz.consultations.campaigns.emails import campaign_content
from ratusz.consultations.campaigns.forms import (
    CampaignForm,
    EmailTemplateForm,
    PerLanguageForm,
    language_name,
)
from ratusz.consultations.campaigns.models import AutomaticEmail, Campaign, CampaignStatus
from ratusz.consultations.campaigns.placeholders import PLACEHOLDERS
from ratusz.consultations.campaigns.rendering import default_wording
from ratusz.consultations.core.access import administrator_required
from ratusz.tenants.entitlements import FeatureNotAllowed, LimitReached


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # administrator_required lets only accounts through
    return user


def _languages(request: HttpRequest) -> dict[str, Any]:
    city = request.city  # type: ignore[attr-defined]  # set by routing
    return {"languages": tuple(city.languages), "default_language": city.default_language}


@administrator_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "backoffice/campaigns/list.html", {"campaigns": selectors.campaign_list()}
    )


def _form_kwargs(campaign: Campaign) -> dict[str, Any]:
    initial: dict[str, Any] = PerLanguageForm.initial_from(campaign.subject, campaign.body)
    initial.update(audience=campaign.audience, group=campaign.group, project=campaign.project)
    return {"initial": initial}


@administrator_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, **_languages(request))
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(
            author=_user(request),
            subject=form.per_language("subject"),
            body=form.per_language("body"),
            audience=form.cleaned_data["audience"],
            group=form.cleaned_data.get("group"),
            project=form.cleaned_data.get("project"),
        )
        messages.success(request, _("The campaign is saved as a draft. Check the preview."))
        return redirect("backoffice:campaign-detail", campaign.pk)
    return render(request, "backoffice/campaigns/form.html", {"form": form, "campaign": None})


@administrator_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("This campaign was already sent; it can no longer be changed."))
        return redirect("backoffice:campaign-detail", campaign.pk)
    if request.method == "POST":
        form = CampaignForm(request.POST, **_languages(request))
        if form.is_valid():
            try:
                services.update_campaign(
                    campaign=campaign,
                    subject=form.per_language("subject"),
                    body=form.per_language("body"),
                    audience=form.cleaned_data["audience"],
                    group=form.cleaned_data.get("group"),
                    project=form.cleaned_data.get("project"),
                )
            except services.CampaignError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("backoffice:campaign-detail", campaign.pk)
    else:
        form = CampaignForm(**_form_kwargs(campaign), **_languages(request))
    return render(request, "backoffice/campaigns/form.html", {"form": form, "campaign": campaign})


@administrator_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("group", "project", "created_by"), pk=pk
    )
    city = request.city  # type: ignore[attr-defined]  # set by routing
    previews = []
    for language in _languages(request)["languages"]:
        with translation.override(language):
            subject, body = campaign_content(
                subject=campaign.subject,
                body=campaign.body,
                language=language,
                default_language=city.default_language,
            )
        previews.append(
            {
                "language": language,
                "name": language_name(language),
                "subject": subject,
                "body": body,
                "own": language in campaign.subject,
            }
        )
    audience = selectors.audience_of(
        audience=campaign.audience, group=campaign.group, project=campaign.project
    )
    context = {
        "campaign": campaign,
        "previews": previews,
        "audience_count": audience.count(),
        "reachable_count": selectors.reachable(audience).count(),
        "counts": selectors.delivery_counts(campaign),
    }
    return render(request, "backoffice/campaigns/detail.html", context)


@administrator_required
@require_POST
def campaign_test(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    user = _user(request)
    services.send_test(campaign=campaign, to=user)
    messages.success(
        request, _("A test e-mail is on its way to %(address)s.") % {"address": user.email}
    )
    return redirect("backoffice:campaign-detail", campaign.pk)


@administrator_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("group", "project"), pk=pk)
    try:
        count = services.send_campaign(campaign=campaign, by=_user(request))
    except (FeatureNotAllowed, LimitReached, services.CampaignError) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sending has started to %(count)s people. This page shows the progress.")
            % {"count": count},
        )
    return redirect("backoffice:campaign-detail", campaign.pk)


@administrator_required
def template_list(request: HttpRequest) -> HttpResponse:
    kinds = [
        {"kind": kind, "label": label, "custom": selectors.email_template(kind) is not None}
        for kind, label in AutomaticEmail.choices
    ]
    return render(request, "backoffice/campaigns/templates.html", {"kinds": kinds})


def _kind(kind: str) -> str:
    if kind not in AutomaticEmail.values:
        raise Http404
    return kind


@administrator_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    placeholders = PLACEHOLDERS[kind]
    languages = _languages(request)
    if request.method == "POST":
        form = EmailTemplateForm(request.POST, placeholders=list(placeholders), **languages)
        if form.is_valid():
            services.save_email_template(
                kind=kind,
                subject=form.per_language("subject"),
                body=form.per_language("body"),
                by=_user(request),
            )
            messages.success(request, _("The city's version of this e-mail is saved."))
            return redirect("backoffice:campaign-templates")
    else:
        saved = selectors.email_template(kind)
        if saved is not None:
            initial = PerLanguageForm.initial_from(saved.subject, saved.body)
        else:
            subjects, bodies = {}, {}
            for language in languages["languages"]:
                with translation.override(language):
                    subjects[language], bodies[language] = default_wording(kind)
            initial = PerLanguageForm.initial_from(subjects, bodies)
        form = EmailTemplateForm(initial=initial, placeholders=list(placeholders), **languages)
    context = {
        "form": form,
        "kind": kind,
        "label": AutomaticEmail(kind).label,
        "placeholders": [("{{ " + name + " }}", text) for name, text in placeholders.items()],
        "custom": selectors.email_template(kind) is not None,
    }
    return render(request, "backoffice/campaigns/template_form.html", context)


@administrator_required
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    services.reset_email_template(kind=_kind(kind))
    messages.success(request, _("This e-mail is back to the built-in wording."))
    return redirect("backoffice:campaign-templates")
