"""A city's own domains: add, verify, remove."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ratusz.errors import Refused, refusal_to_form
from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    AddDomainForm,
    ConfirmForm,
    VerifyDomainForm,
)
from ratusz.platform.views.confirm import posted
from ratusz.tenants import domains as custom_domains
from ratusz.tenants.entitlements import FeatureNotAllowed
from ratusz.tenants.models import City, Domain


@operator_required
def remove_domain_view(request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    domain = get_object_or_404(Domain, pk=domain_id, tenant=city)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_city_domain(
                actor=Actor.from_request(request), domain=domain, reason=form.cleaned_data["reason"]
            )
        except services.ActionRefused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, _("The domain was removed."))
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/confirm.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Remove the domain %(domain)s") % {"domain": domain.domain},
            "explanation": _("The city stops answering on this address."),
        },
        status=400 if form.errors else 200,
    )


@operator_required
def add_domain_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Add one of the city's own domains, unverified: it serves once verified."""
    city = get_object_or_404(City, slug=slug)
    form = AddDomainForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_city_domain(
                actor=Actor.from_request(request),
                city=city,
                host=form.cleaned_data["domain"],
                reason=form.cleaned_data["reason"],
            )
        except custom_domains.DomainRefused as refused:
            refusal_to_form(form, refused, field="domain")
        except FeatureNotAllowed as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(
                request,
                _(
                    "%(domain)s was added. It serves once the city proves it owns it: the "
                    "records to add are on its verification page."
                )
                % {"domain": added.domain},
            )
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/city_action.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Add a domain"),
            "explanation": _(
                "The city will answer on this address once it proves it owns the domain (a "
                "CNAME record to %(target)s, or a TXT record with its own code) and the domain "
                "is verified."
            )
            % {"target": custom_domains.city_subdomain(city)},
        },
        status=400 if form.errors else 200,
    )


@operator_required
def verify_domain_view(request: HttpRequest, slug: str, domain_id: int) -> HttpResponse:
    """Look for the city's proof of ownership in DNS; found, the domain serves. Every check
    is audited, with its outcome, whether or not the proof is there yet."""
    city = get_object_or_404(City, slug=slug)
    domain = get_object_or_404(Domain.objects.select_related("tenant"), pk=domain_id, tenant=city)
    form = VerifyDomainForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_city_domain(
                actor=Actor.from_request(request),
                domain=domain,
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            refusal_to_form(form, refused)
        else:
            (messages.success if result.verified else messages.warning)(request, result.message)
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/city_action.html",
        {
            "city_row": city,
            "form": form,
            "label": _("Verify the domain %(domain)s") % {"domain": domain.domain},
            "explanation": _(
                "Ratusz looks in DNS for the city's proof that the domain is its own: one of the "
                "two records below. Found, the city starts answering on the domain at once."
            ),
            "domain": domain,
            "challenge": custom_domains.challenge(domain),
            "ingress": custom_domains.configured_ingress(),
        },
        status=400 if form.errors else 200,
    )
