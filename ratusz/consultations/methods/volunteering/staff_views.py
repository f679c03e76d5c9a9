"""Back-office page of a volunteering phase: its causes (add one) and the volunteers' export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.access import (
    managed_projects,
    refuse_writes_to_read_only,
    staff_required,
)
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.volunteering import selectors, services
from ratusz.consultations.methods.volunteering.forms import CauseForm
from ratusz.spreadsheets import SafeCSVWriter


def _phase(request: HttpRequest, phase_id: int) -> Phase:
    """A volunteering phase this staff member manages (404 otherwise); a POST to a read-only
    project is refused here, before anything is written."""
    user: User = request.user  # type: ignore[assignment]  # staff_required let only staff in
    phase = (
        Phase.objects.select_related("project")
        .filter(pk=phase_id, method="volunteering", project__in=managed_projects(user))
        .first()
    )
    if phase is None:
        raise Http404
    refuse_writes_to_read_only(request, phase.project)
    return phase


@staff_required
def phase_causes(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    city = city_of(request)
    form = CauseForm(
        request.POST or None,
        languages=tuple(city.languages),
        default_language=city.default_language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_cause(phase=phase, **form.cause())
        except services.Refused as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The cause is published."))
            return redirect("backoffice:volunteering-phase", phase_id=phase.pk)
    return render(
        request,
        "backoffice/volunteering/phase.html",
        {"phase": phase, "causes": selectors.phase_causes(phase), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def volunteers_csv(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    city = city_of(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="volunteers-{phase.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = SafeCSVWriter(response)
    writer.writerow([_("Cause"), _("Name"), _("E-mail"), _("Signed up")])
    with timezone.override(city.time_zone):
        for entry in selectors.volunteers(phase):
            writer.writerow(
                [
                    translated(entry.cause.title, city.default_language),
                    entry.user.full_name,
                    entry.user.email,
                    timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
    return response
