"""Back-office pages of the branding and site area (administrators only): the look, languages,
pages, footer links and the city's own domain."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.branding import selectors, services
from ratusz.consultations.branding.forms.look import BrandingForm
from ratusz.consultations.branding.forms.site import DomainForm, LanguagesForm, LinkForm, PageForm
from ratusz.consultations.branding.models import Page, SiteLink
from ratusz.consultations.core.access import administrator_required
from ratusz.consultations.core.features import FeatureNotAllowed, check_feature_on
from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants import domains as domain_services
from ratusz.tenants.context import CityRef
from ratusz.tenants.languages import LanguagesRefused, set_city_languages
from ratusz.tenants.models import City


def _city(request: HttpRequest) -> CityRef:
    city: CityRef = request.city  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
    return city


def _render(
    request: HttpRequest, template: str, context: dict[str, object], *, invalid: bool = False
) -> HttpResponse:
    return render(request, template, context, status=400 if invalid else 200)


@administrator_required
def site(request: HttpRequest) -> HttpResponse:
    """The look: colours, font, images, welcome texts and the cookie notice."""
    city = _city(request)
    branding = selectors.current_branding()
    portal = PortalSettings.objects.first()
    initial: dict[str, object] = {
        "primary_color": portal.primary_color if portal else selectors.DEFAULT_PRIMARY,
        "primary_text": branding.primary_text,
        "secondary_color": branding.secondary_color,
        "secondary_text": branding.secondary_text,
        "font": branding.font,
    }
    for code in city.languages:
        initial[f"logo_alt_{code}"] = branding.logo_alt.get(code, "")
        initial[f"welcome_title_{code}"] = portal.welcome_title.get(code, "") if portal else ""
        initial[f"welcome_text_{code}"] = portal.welcome_text.get(code, "") if portal else ""
        initial[f"cookie_notice_{code}"] = branding.cookie_notice.get(code, "")
    form = BrandingForm(
        request.POST or None, request.FILES or None, initial=initial, languages=city.languages
    )
    if request.method == "POST" and form.is_valid():
        services.update_branding(
            primary_color=form.cleaned_data["primary_color"],
            primary_text=form.cleaned_data["primary_text"],
            secondary_color=form.cleaned_data["secondary_color"],
            secondary_text=form.cleaned_data["secondary_text"],
            font=form.cleaned_data["font"],
            logo_alt=form.texts("logo_alt"),
            welcome_title=form.texts("welcome_title"),
            welcome_text=form.texts("welcome_text"),
            cookie_notice=form.texts("cookie_notice"),
            uploads=form.uploads(),
            removals=form.removals(),
        )
        messages.success(request, _("The new look is saved and shows on every page now."))
        return redirect("backoffice:site")
    return _render(
        request,
        "backoffice/site/branding.html",
        {"form": form, "current": branding, "section": "branding"},
        invalid=request.method == "POST",
    )


@administrator_required
def languages(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    form = LanguagesForm(
        request.POST or None,
        initial={"languages": list(city.languages), "default_language": city.default_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_city_languages(
                city_id=city.id,
                languages=form.cleaned_data["languages"],
                default_language=form.cleaned_data["default_language"],
            )
        except LanguagesRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The portal's languages are saved."))
            return redirect("backoffice:site-languages")
    return _render(
        request,
        "backoffice/site/languages.html",
        {"form": form, "section": "languages"},
        invalid=request.method == "POST",
    )


@administrator_required
def pages(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/site/pages.html",
        {"pages": selectors.all_pages(), "section": "pages"},
    )


@administrator_required
@require_POST
def standard_pages(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    made = services.add_standard_pages(city_name=city.name, languages=city.languages)
    if made:
        messages.success(
            request,
            _("Drafts added: %(titles)s. Complete them, then publish.")
            % {"titles": ", ".join(page.slug for page in made)},
        )
    else:
        messages.info(request, _("Your portal already has every standard page."))
    return redirect("backoffice:site-pages")


@administrator_required
def page_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    city = _city(request)
    page = get_object_or_404(Page, slug=slug) if slug else None
    initial: dict[str, object] = {"status": "draft"}
    if page is not None:
        initial = {"slug": page.slug, "status": page.status}
        for code in city.languages:
            initial[f"title_{code}"] = page.title.get(code, "")
            initial[f"body_{code}"] = page.body.get(code, "")
    form = PageForm(request.POST or None, initial=initial, languages=city.languages, page=page)
    if request.method == "POST" and form.is_valid():
        saved = services.save_page(
            slug=page.slug if page else form.cleaned_data["slug"],
            title=form.texts("title"),
            body=form.texts("body"),
            status=form.cleaned_data["status"],
            page=page,
        )
        messages.success(request, _("The page is saved."))
        return redirect("backoffice:site-page-edit", slug=saved.slug)
    return _render(
        request,
        "backoffice/site/page_form.html",
        {"form": form, "page": page, "section": "pages"},
        invalid=request.method == "POST",
    )


@administrator_required
@require_POST
def page_delete(request: HttpRequest, slug: str) -> HttpResponse:
    services.delete_page(page=get_object_or_404(Page, slug=slug))
    messages.success(request, _("The page is deleted."))
    return redirect("backoffice:site-pages")


@administrator_required
def links(request: HttpRequest) -> HttpResponse:
    city = _city(request)
    form = LinkForm(request.POST or None, languages=city.languages)
    if request.method == "POST" and form.is_valid():
        services.add_link(
            place=form.cleaned_data["place"],
            label=form.texts("label"),
            url=form.cleaned_data["url"] or "",
            page=form.cleaned_data["page"],
            position=form.cleaned_data["position"],
        )
        messages.success(request, _("The link is added."))
        return redirect("backoffice:site-links")
    return _render(
        request,
        "backoffice/site/links.html",
        {"form": form, "links": selectors.all_links(), "section": "links"},
        invalid=request.method == "POST",
    )


@administrator_required
@require_POST
def link_delete(request: HttpRequest, link_id: int) -> HttpResponse:
    services.delete_link(link=get_object_or_404(SiteLink, pk=link_id))
    messages.success(request, _("The link is removed."))
    return redirect("backoffice:site-links")


@administrator_required
def domain(request: HttpRequest) -> HttpResponse:
    """The city's own domain: what DNS record to add, a check, and removal."""
    city = _city(request)
    not_allowed = ""
    try:
        # The plan's switch (which the tenants service checks too) and the city's own.
        check_feature_on("custom_domain")
    except FeatureNotAllowed as refusal:
        not_allowed = refusal.message
    form = DomainForm(request.POST or None)
    if request.method == "POST" and not not_allowed and form.is_valid():
        try:
            added = domain_services.add_custom_domain(
                city_id=city.id, domain=form.cleaned_data["domain"]
            )
        except (domain_services.DomainRefused, FeatureNotAllowed) as refusal:
            form.add_error("domain", str(refusal))
        else:
            messages.success(
                request,
                _("%(domain)s is added. Add the DNS record below, then check it.")
                % {"domain": added.domain},
            )
            return redirect("backoffice:site-domain")
    city_row = City.objects.get(pk=city.id)
    return _render(
        request,
        "backoffice/site/domain.html",
        {
            "form": form,
            "domains": [
                (domain, domain_services.challenge(domain))
                for domain in domain_services.custom_domains(city_id=city.id)
            ],
            "ingress": domain_services.configured_ingress(),
            "target": domain_services.city_subdomain(city_row),
            "not_allowed": not_allowed,
            "section": "domain",
        },
        invalid=request.method == "POST",
    )


@administrator_required
@require_POST
def domain_verify(request: HttpRequest, domain_id: int) -> HttpResponse:
    city = _city(request)
    try:
        check_feature_on("custom_domain")
        result = domain_services.verify_custom_domain(city_id=city.id, domain_id=domain_id)
    except (domain_services.DomainRefused, FeatureNotAllowed) as refusal:
        messages.error(request, str(refusal))
    else:
        (messages.success if result.verified else messages.warning)(request, result.message)
    return redirect("backoffice:site-domain")


@administrator_required
@require_POST
def domain_remove(request: HttpRequest, domain_id: int) -> HttpResponse:
    city = _city(request)
    try:
        domain_services.remove_custom_domain(city_id=city.id, domain_id=domain_id)
    except domain_services.DomainRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The domain is removed."))
    return redirect("backoffice:site-domain")
