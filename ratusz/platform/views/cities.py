"""A city's page and the actions on it: lifecycle, rename, entitlements, support access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.billing import selectors as billing_selectors
from ratusz.errors import Refused, refusal_to_form
from ratusz.onboarding.models import PartnerCity, Signup
from ratusz.platform import selectors, services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    AddDomainForm,
    BilledOutsideForm,
    ConfirmForm,
    EntitlementsForm,
    ExtendTrialForm,
    GrantCreditForm,
    ManualInvoiceForm,
    PaymentForm,
    RenameForm,
    SaveTemplateForm,
    SupportForm,
)
from ratusz.platform.usage import city_usage
from ratusz.tenants import domains as custom_domains
from ratusz.tenants.models import City
from ratusz.tenants.slugs import SlugRefused


@operator_required
def city_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    context: dict[str, Any] = {"city_row": city, **selectors.city_record(city)}
    try:
        context["usage"] = city_usage(city)
    except Exception:  # a city whose schema is broken still shows its page
        context["usage"] = None
    context["entitlements_form"] = EntitlementsForm(city=city)
    context["support_form"] = SupportForm()
    context.update(_billing_context(city))
    context["partner_link"] = (
        PartnerCity.objects.filter(city_id=city.pk).select_related("organisation").first()
    )
    context["signed_up"] = Signup.objects.filter(city_id=city.pk).exists()
    context["template_form"] = SaveTemplateForm()
    context["domain_form"] = AddDomainForm()
    context["domain_target"] = custom_domains.city_subdomain(city)
    return render(request, "platform/city.html", context)


def _billing_context(city: City) -> dict[str, Any]:
    history = billing_selectors.billing_history(city.pk)
    account = history["account"]
    mode = services.billing_mode(account)
    return {
        "billing": history,
        "billing_mode": mode,
        "billing_plan": billing_selectors.current_plan(account, city),
        "trial_ends_at": billing_selectors.trial_ends_at(city, account),
        "billing_blocked": billing_selectors.billing_blocked(city.pk),
        "credit_form": GrantCreditForm(),
        "trial_form": ExtendTrialForm(),
        "outside_form": BilledOutsideForm(
            initial={"billed": "stripe" if mode == "outside" else "outside"}
        ),
        "invoice_form": ManualInvoiceForm() if mode != "stripe" else None,
        "payment_form": PaymentForm(city_id=city.pk) if mode != "stripe" else None,
    }


Action = Callable[..., Any]

ACTIONS: dict[str, tuple[Action, Any, Any]] = {
    "suspend": (
        services.suspend_city,
        gettext_lazy("Suspend"),
        gettext_lazy("The portal closes at once for residents and staff."),
    ),
    "reactivate": (
        services.reactivate_city,
        gettext_lazy("Reactivate"),
        gettext_lazy(
            "The portal opens again as it was before it closed: a trial goes on until its end date."
        ),
    ),
    "archive": (
        services.archive_city,
        gettext_lazy("Archive"),
        gettext_lazy("The portal becomes a read-only archive."),
    ),
    "delete": (
        services.delete_city,
        gettext_lazy("Delete"),
        gettext_lazy("The portal closes; the city is purged after 30 days unless restored."),
    ),
    "restore": (
        services.restore_city,
        gettext_lazy("Restore"),
        gettext_lazy("The deletion is cancelled; the city stays suspended."),
    ),
    "purge": (
        services.purge_deleted_city,
        gettext_lazy("Purge now"),
        gettext_lazy(
            "The city's data, files and domains are removed for good. This cannot be undone."
        ),
    ),
}


@operator_required
def lifecycle_view(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service, label, explanation = ACTIONS[action]
    city = get_object_or_404(City, slug=slug)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=Actor.from_request(request), city=city, reason=form.cleaned_data["reason"]
            )
        except services.ActionRefused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(
                request, _("Done: %(action)s %(city)s.") % {"action": label, "city": city.name}
            )
            if action == "purge":
                return redirect("platform:fleet")
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/confirm.html",
        {"city_row": city, "form": form, "label": label, "explanation": explanation},
        status=400 if form.errors else 200,
    )


@operator_required
def rename_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = RenameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.rename_city(
                actor=Actor.from_request(request),
                city=city,
                slug=form.cleaned_data["slug"],
                reason=form.cleaned_data["reason"],
            )
        except SlugRefused as refused:
            refusal_to_form(form, refused, field="slug")
        else:
            messages.success(request, _("The city now answers on its new subdomain."))
            return redirect("platform:city", slug=renamed.slug)
    return render(
        request,
        "platform/confirm.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Rename the subdomain"),
            "explanation": _("The old subdomain will redirect to the new one."),
        },
        status=400 if form.errors else 200,
    )


@operator_required
def entitlements_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = EntitlementsForm(request.POST if request.method == "POST" else None, city=city)
    if request.method == "POST" and form.is_valid():
        services.change_entitlements(
            actor=Actor.from_request(request),
            city=city,
            plan=form.cleaned_data["plan"],
            limits=form.limits(),
            features=form.features(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The plan, limits and features were saved."))
        return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/entitlements.html",
        {"city_row": city, "form": form},
        status=400 if form.errors else 200,
    )


@operator_required
def support_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = SupportForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.grant_support(
                actor=Actor.from_request(request),
                city=city,
                reason=form.cleaned_data["reason"],
                duration=timedelta(minutes=form.cleaned_data["minutes"]),
            )
        except Refused as refused:
            refusal_to_form(form, refused)
    return render(
        request,
        "platform/support.html",
        {"city_row": city, "form": form, "issued": issued},
        status=400 if form.errors else 200,
    )
