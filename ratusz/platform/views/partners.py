"""Partner organisations, their consultants and commissions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.errors import refusal_to_form
from ratusz.onboarding import selectors as onboarding_selectors
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import PartnerOrganisation
from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    CommissionRateForm,
    InvitePartnerForm,
    MonthForm,
    PartnerOrganisationForm,
)
from ratusz.platform.views.confirm import posted
from ratusz.spreadsheets import SafeCSVWriter


@operator_required
def partners_view(request: HttpRequest) -> HttpResponse:
    form = PartnerOrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        organisation = services.add_partner_organisation(
            actor=Actor.from_request(request),
            name=form.cleaned_data["name"],
            commission_rate=form.cleaned_data["commission_rate"],
        )
        messages.success(request, _("The partner organisation was created."))
        return redirect("platform:partner", pk=organisation.pk)
    return render(
        request,
        "platform/partners.html",
        {"form": form, "organisations": onboarding_selectors.partner_organisations()},
        status=400 if form.errors else 200,
    )


def _partner_page(
    request: HttpRequest,
    organisation: PartnerOrganisation,
    *,
    invite_form: InvitePartnerForm | None = None,
    rate_form: CommissionRateForm | None = None,
) -> HttpResponse:
    forms = [f for f in (invite_form, rate_form) if f is not None]
    return render(
        request,
        "platform/partner.html",
        {
            "organisation": organisation,
            "cities": onboarding_selectors.organisation_cities(organisation),
            "members": organisation.members.select_related("user").order_by("user__email"),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True)[:50],
            "invite_form": invite_form or InvitePartnerForm(),
            "rate_form": rate_form
            or CommissionRateForm(initial={"commission_rate": organisation.commission_rate}),
            "now": timezone.now(),
        },
        status=400 if any(f.errors for f in forms) else 200,
    )


@operator_required
def partner_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _partner_page(request, get_object_or_404(PartnerOrganisation, pk=pk))


@operator_required
@require_POST
def invite_partner_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    form = InvitePartnerForm(request.POST)
    if form.is_valid():
        try:
            issued = services.invite_partner_consultant(
                actor=Actor.from_request(request),
                organisation=organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                invited_by=request.user,  # type: ignore[arg-type]  # operator_required: a User
            )
        except onboarding.PartnerRefused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s.") % {"email": issued.invitation.email},
            )
            return redirect("platform:partner", pk=organisation.pk)
    return _partner_page(request, organisation, invite_form=form)


@operator_required
@require_POST
def commission_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    form = CommissionRateForm(request.POST)
    if form.is_valid():
        services.change_commission_rate(
            actor=Actor.from_request(request),
            organisation=organisation,
            commission_rate=form.cleaned_data["commission_rate"],
        )
        messages.success(request, _("The commission rate was saved."))
        return redirect("platform:partner", pk=organisation.pk)
    return _partner_page(request, organisation, rate_form=form)


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    previous = first - timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


@operator_required
def commissions_view(request: HttpRequest) -> HttpResponseBase:
    form = MonthForm({"month": request.GET.get("month") or _last_month()})
    report = None
    if form.is_valid():
        year, month = form.cleaned_data["month"]
        report = onboarding_selectors.partner_commissions(year=year, month=month)
        if request.GET.get("format") == "csv":
            return _commissions_csv(report, year, month)
    return render(
        request,
        "platform/commissions.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


def _major(amount: int) -> str:
    return f"{amount / 100:.2f}"


def _commissions_csv(
    report: list[onboarding_selectors.PartnerCommission], year: int, month: int
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="partner-commissions-{year:04d}-{month:02d}.csv"'
    )
    writer = SafeCSVWriter(response)
    writer.writerow(
        [
            "month",
            "partner",
            "city_id",
            "city",
            "currency",
            "paid",
            "invoices",
            "rate",
            "commission",
        ]
    )
    period = f"{year:04d}-{month:02d}"
    for row in report:
        for city in row.cities:
            for currency, amount in sorted(city.paid.items()):
                writer.writerow(
                    [
                        period,
                        row.organisation.name,
                        city.city_id,
                        city.name,
                        currency,
                        _major(amount),
                        city.invoices,
                        row.rate,
                        _major(onboarding_selectors.commission_amount(amount, row.rate)),
                    ]
                )
        for currency, amount in row.paid.items():
            writer.writerow(
                [
                    period,
                    row.organisation.name,
                    "",
                    "TOTAL",
                    currency,
                    _major(amount),
                    row.invoices,
                    row.rate,
                    _major(row.commission[currency]),
                ]
            )
    return response
