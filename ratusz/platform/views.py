"""The operator console: thin views that parse, authorise, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ratusz.billing import selectors as billing_selectors
from ratusz.errors import Refused, refusal_message, refusal_to_form
from ratusz.onboarding import selectors as onboarding_selectors
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import TemplateRefused
from ratusz.onboarding.models import CityTemplate, PartnerCity, PartnerOrganisation, Signup
from ratusz.onboarding.starter_content import BUILTINS
from ratusz.platform import selectors, services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    AddDomainForm,
    AnnouncementForm,
    BilledOutsideForm,
    CommissionRateForm,
    ConfirmForm,
    EntitlementsForm,
    ExtendTrialForm,
    FleetFilterForm,
    GrantCreditForm,
    InvitePartnerForm,
    ManualInvoiceForm,
    MonthForm,
    PartnerOrganisationForm,
    PaymentForm,
    RenameForm,
    RestoreForm,
    SaveTemplateForm,
    SupportForm,
    VerifyDomainForm,
)
from ratusz.platform.models import CityExport, FleetMigration, FleetMigrationCity, RunStatus
from ratusz.platform.usage import city_usage
from ratusz.spreadsheets import SafeCSVWriter
from ratusz.tenants import domains as custom_domains
from ratusz.tenants.entitlements import FeatureNotAllowed
from ratusz.tenants.models import Announcement, City, Domain
from ratusz.tenants.slugs import SlugRefused


@operator_required
def fleet_view(request: HttpRequest) -> HttpResponse:
    form = FleetFilterForm(request.GET or None)
    filters = selectors.FleetFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.FleetFilters(
            q=data["q"],
            status=data["status"],
            plan=data["plan"],
            country=data["country"],
            language=data["language"],
            active_within_days=data["active_within_days"],
            partner=data["partner"].pk if data["partner"] else None,
            sort=data["sort"] or "name",
        )
    page = selectors.fleet_page(filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "platform/fleet.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "choices": selectors.fleet_choices(),
        },
    )


@operator_required
def audit_view(request: HttpRequest) -> HttpResponseBase:
    params = {key: request.GET.get(key, "").strip() for key in ("q", "action", "city", "actor")}
    entries = selectors.audit_entries(**params)
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "platform/audit.html", {"page": page, "params": params, "query": query.urlencode()}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv(entries: Any) -> StreamingHttpResponse:
    writer = SafeCSVWriter(_Echo())
    header = ["when", "operator", "ip", "city_id", "city", "action", "reason", "before", "after"]

    def rows() -> Any:
        yield writer.writerow(header)
        for e in entries.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    e.created_at.isoformat(),
                    e.actor_email,
                    e.ip_address or "",
                    e.city_id or "",
                    e.city_slug,
                    e.action,
                    e.reason,
                    e.before,
                    e.after,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


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


# --- Lifecycle actions: a confirmation page, then the action --------------------------------

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
    form = AddDomainForm(_posted(request))
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
    form = VerifyDomainForm(_posted(request))
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


# --- Fleet migrations ------------------------------------------------------------------------


@operator_required
def migrations_view(request: HttpRequest) -> HttpResponse:
    run = FleetMigration.objects.first()
    rows = list(run.cities.all()) if run else []
    counts = {status: sum(1 for r in rows if r.status == status) for status in RunStatus.values}
    return render(
        request,
        "platform/migrations.html",
        {
            "run": run,
            "failed": [r for r in rows if r.status == RunStatus.FAILED],
            "counts": counts,
            "total": len(rows),
        },
    )


@operator_required
@require_POST
def start_migrations_view(request: HttpRequest) -> HttpResponse:
    try:
        services.start_fleet_migration(actor=Actor.from_request(request))
    except services.ActionRefused as refused:
        refusal_message(request, refused)
    else:
        messages.success(request, _("The fleet migration has been queued."))
    return redirect("platform:migrations")


@operator_required
@require_POST
def retry_migration_view(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(FleetMigrationCity, pk=row_id)
    try:
        services.retry_city_migration(actor=Actor.from_request(request), row=row)
    except services.ActionRefused as refused:
        refusal_message(request, refused)
    else:
        messages.success(request, _("The city's migration has been queued again."))
    return redirect("platform:migrations")


# --- Announcements -------------------------------------------------------------------------


@operator_required
def announcements_view(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        city_ids = None
        if form.is_filtered():
            cities = City.objects.filter(deleted_at__isnull=True)
            if data["status"]:
                cities = cities.filter(status=data["status"])
            if data["country"]:
                cities = cities.filter(country=data["country"].upper())
            if data["plan"]:
                cities = cities.filter(plan=data["plan"])
            city_ids = list(cities.values_list("pk", flat=True))
        starts_at, ends_at = form.window()
        try:
            services.broadcast_announcement(
                actor=Actor.from_request(request),
                message={"pl": data["message_pl"], "en": data["message_en"]},
                level=data["level"],
                starts_at=starts_at,
                ends_at=ends_at,
                city_ids=city_ids,
            )
        except services.ActionRefused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, _("The announcement is shown on the chosen portals."))
            return redirect("platform:announcements")
    return render(
        request,
        "platform/announcements.html",
        {"form": form, "announcements": Announcement.objects.all()[:50], "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@operator_required
@require_POST
def withdraw_announcement_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    services.withdraw_announcement(actor=Actor.from_request(request), announcement=announcement)
    messages.success(request, _("The announcement was withdrawn."))
    return redirect("platform:announcements")


# --- Exports -------------------------------------------------------------------------------


@operator_required
@require_POST
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    from ratusz.platform.archive import request_export

    city = get_object_or_404(City, slug=slug)
    request_export(actor=Actor.from_request(request), city=city)
    messages.success(request, _("The export has been queued; it appears on this page when ready."))
    return redirect("platform:city", slug=city.slug)


@operator_required
def download_export_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    from ratusz.platform.archive import export_file

    export = get_object_or_404(CityExport, pk=pk)
    path = export_file(export)
    if path is None:
        raise Http404(_("This export is not available (not ready, or expired)."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@operator_required
def restore_view(request: HttpRequest) -> HttpResponse:
    from ratusz.platform.archive import ArchiveRefused, restore_export

    form = RestoreForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            city = restore_export(
                actor=Actor.from_request(request),
                archive=form.cleaned_data["archive"],
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
            )
        except ArchiveRefused as refused:
            refusal_to_form(form, refused, field="archive")
        except SlugRefused as refused:
            refusal_to_form(form, refused, field="slug")
        else:
            messages.success(request, _("The city was restored from the archive."))
            return redirect("platform:city", slug=city.slug)
    return render(
        request, "platform/restore.html", {"form": form}, status=400 if form.errors else 200
    )


# --- Billing actions on a city: each confirmed, done by billing's service, audited ----------


def _city_action(
    request: HttpRequest,
    city: City,
    form: Any,
    *,
    label: str,
    explanation: str,
    perform: Callable[[Actor, Any], Any],
    done: str,
) -> HttpResponse:
    """Validate `form`, then `perform` the action: one service call, which saves the change
    and its audit entry together; a refusal is shown next to the form and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(Actor.from_request(request), form)
        except Refused as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, done)
            return redirect("platform:city", slug=city.slug)
    return render(
        request,
        "platform/city_action.html",
        {"city_row": city, "form": form, "label": label, "explanation": explanation},
        status=400 if form.errors else 200,
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@operator_required
def grant_credit_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = GrantCreditForm(_posted(request))

    def perform(actor: Actor, form: GrantCreditForm) -> None:
        services.grant_city_credit(
            actor=actor,
            city=city,
            amount=form.amount_minor(),
            currency=form.cleaned_data["currency"],
            reason=form.cleaned_data["reason"],
        )

    return _city_action(
        request,
        city,
        form,
        label=_("Grant credit"),
        explanation=_("The credit is taken off the city's next invoices."),
        perform=perform,
        done=_("The credit was granted."),
    )


@operator_required
def extend_trial_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = ExtendTrialForm(_posted(request))

    def perform(actor: Actor, form: ExtendTrialForm) -> None:
        services.extend_city_trial(
            actor=actor,
            city=city,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )

    return _city_action(
        request,
        city,
        form,
        label=_("Extend the trial"),
        explanation=_("The days are added to the trial's end, or to today if it has ended."),
        perform=perform,
        done=_("The trial was extended."),
    )


@operator_required
def billed_outside_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = BilledOutsideForm(_posted(request))

    def perform(actor: Actor, form: BilledOutsideForm) -> None:
        services.mark_city_billed_outside_stripe(
            actor=actor,
            city=city,
            billed=form.cleaned_data["billed"],
            note=form.cleaned_data["note"],
        )

    return _city_action(
        request,
        city,
        form,
        label=_("Billed outside Stripe"),
        explanation=_(
            "A city billed outside Stripe is never blocked or suspended by Stripe's state; "
            "operators record its invoices and payments by hand."
        ),
        perform=perform,
        done=_("The way the city is billed was saved."),
    )


@operator_required
def record_invoice_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = ManualInvoiceForm(_posted(request))

    def perform(actor: Actor, form: ManualInvoiceForm) -> None:
        services.record_city_invoice(
            actor=actor,
            city=city,
            number=form.cleaned_data["number"],
            amount=form.amount_minor(),
            currency=form.cleaned_data["currency"],
            issued_at=form.issued_at(),
            due_at=form.due_at(),
            description=form.cleaned_data["description"],
            pdf_url=form.cleaned_data["pdf_url"],
        )

    return _city_action(
        request,
        city,
        form,
        label=_("Record an invoice"),
        explanation=_("An invoice issued outside Stripe, shown to the city's administrators."),
        perform=perform,
        done=_("The invoice was recorded."),
    )


@operator_required
def record_payment_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = PaymentForm(_posted(request), city_id=city.pk)

    def perform(actor: Actor, form: PaymentForm) -> None:
        services.record_city_payment(
            actor=actor,
            city=city,
            invoice=form.cleaned_data["invoice"],
            amount=form.amount_minor(),
            paid_at=form.paid_at(),
            reference=form.cleaned_data["reference"],
        )

    return _city_action(
        request,
        city,
        form,
        label=_("Record a payment"),
        explanation=_("A payment seen on the bank statement; paid in full, the invoice closes."),
        perform=perform,
        done=_("The payment was recorded."),
    )


@operator_required
def save_template_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = SaveTemplateForm(_posted(request))

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

    return _city_action(
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
    form = ConfirmForm(_posted(request))

    def perform(actor: Actor, form: ConfirmForm) -> None:
        services.resend_city_sign_in(actor=actor, city=city, reason=form.cleaned_data["reason"])

    return _city_action(
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


# --- Partners -------------------------------------------------------------------------------


@operator_required
def partners_view(request: HttpRequest) -> HttpResponse:
    form = PartnerOrganisationForm(_posted(request))
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


# --- City templates -------------------------------------------------------------------------


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
    form = ConfirmForm(_posted(request))
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
