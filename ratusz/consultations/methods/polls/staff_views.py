"""Back-office page of a poll phase: add and remove polls, see the results."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.accounts.models import User
from ratusz.consultations.core.access import (
    managed_projects,
    refuse_writes_to_read_only,
    staff_required,
)
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.polls import selectors, services
from ratusz.consultations.methods.polls.forms import PollForm
from ratusz.consultations.methods.polls.models import Poll


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # staff_required let them in
    return user


def _phase(request: HttpRequest, phase_id: int) -> Phase:
    """A poll phase this staff member manages (404 otherwise); a POST to a read-only project
    is refused here, before anything is written."""
    phase = (
        Phase.objects.select_related("project")
        .filter(
            pk=phase_id, method=selectors.POLL_METHOD, project__in=managed_projects(_staff(request))
        )
        .first()
    )
    if phase is None:
        raise Http404
    refuse_writes_to_read_only(request, phase.project)
    return phase


@staff_required
def manage(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase(request, phase_id)
    city = city_of(request)
    form = PollForm(
        request.POST or None, languages=city.languages, default_language=city.default_language
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_poll(
                staff=_staff(request),
                phase=phase,
                question={k: v for k, v in form.texts("question").items() if v.strip()},
                choices=form.choices,
                multiple=form.cleaned_data["multiple"],
            )
        except (services.Refused, services.NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The poll is added."))
            return redirect("backoffice:polls-manage", phase_id=phase.pk)
    language = get_language() or city.default_language
    polls = [
        {"poll": poll, "results": selectors.results(poll, language)}
        for poll in Poll.objects.filter(phase=phase)
    ]
    return render(
        request,
        "backoffice/polls/manage.html",
        {"phase": phase, "project": phase.project, "polls": polls, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def delete(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = Poll.objects.select_related("phase").filter(pk=poll_id).first()
    if poll is None:
        raise Http404
    _phase(request, poll.phase_id)
    services.delete_poll(staff=_staff(request), poll=poll)
    messages.success(request, _("The poll is deleted."))
    return redirect("backoffice:polls-manage", phase_id=poll.phase_id)
