"""A city's onboarding (saved as a template, its first administrator's sign-in e-mail) and
the city templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ratusz.errors import refusal_to_form
from ratusz.onboarding.city_templates import TemplateRefused
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.starter_content import BUILTINS
from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    ConfirmForm,
    SaveTemplateForm,
)
from ratusz.platform.views.confirm import city_action, posted
from ratusz.tenants.models import City


@operator_required
def save_template_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = SaveTemplateForm(posted(request))

    def perform(actor: Actor, form: SaveTemplateForm) -> None:
        # The texts are in the language the operator writes in: the console's language.
        language = (translation.get_language() or "en")[:2]
        description = form.cleaned_data["description"].strip()
        services.save_city_template(
            actor=actor,
            city=city,
            code=form.cleaned_data["code"],
            name={language: form.cleaned_data["name"]},
            description={language: description} if description else {},
        )

    return city_action(
        request,
        city,
        form,
        label=_("Save this city as a template"),
        explanation=_(
            "New cities can start from this city's topics, statuses, projects and pages. "
            "Residents, their accounts and what they wrote are never copied."
        ),
        perform=perform,
        done=_("The template was saved."),
    )


@operator_required
def resend_sign_in_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = ConfirmForm(posted(request))

    def perform(actor: Actor, form: ConfirmForm) -> None:
        services.resend_city_sign_in(actor=actor, city=city, reason=form.cleaned_data["reason"])

    return city_action(
        request,
        city,
        form,
        label=_("Send the sign-in e-mail again"),
        explanation=_(
            "The city's first administrator gets a new one-time sign-in link by e-mail; "
            "links sent before stay valid until they expire."
        ),
        perform=perform,
        done=_("The sign-in e-mail was sent again."),
    )


@operator_required
def templates_view(request: HttpRequest) -> HttpResponse:
    saved = {row.code: row for row in CityTemplate.objects.all()}
    language = (translation.get_language() or "en")[:2]
    builtins = [
        {
            "code": code,
            "name": builtin.name,
            "description": builtin.description,
            "retired_at": saved[code].retired_at if code in saved else None,
        }
        for code, builtin in BUILTINS.items()
    ]
    source_ids = [row.source_city_id for row in saved.values() if row.source_city_id]
    sources = City.objects.in_bulk(source_ids)
    own = [
        {
            "code": row.code,
            "name": row.name.get(language) or next(iter(row.name.values()), row.code),
            "description": row.description.get(language)
            or next(iter(row.description.values()), ""),
            "source": sources.get(row.source_city_id) if row.source_city_id else None,
            "created_at": row.created_at,
            "retired_at": row.retired_at,
        }
        for row in saved.values()
        if row.code not in BUILTINS
    ]
    return render(request, "platform/templates.html", {"builtins": builtins, "saved": own})


@operator_required
def retire_template_view(request: HttpRequest, code: str) -> HttpResponse:
    row = CityTemplate.objects.filter(code=code).first()
    if row is None and code not in BUILTINS:
        raise Http404
    label = _("Retire the template %(code)s") % {"code": code}
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_city_template(
                actor=Actor.from_request(request), code=code, reason=form.cleaned_data["reason"]
            )
        except TemplateRefused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, _("The template is no longer offered to new cities."))
            return redirect("platform:templates")
    return render(
        request,
        "platform/template_retire.html",
        {"form": form, "label": label, "code": code},
        status=400 if form.errors else 200,
    )
