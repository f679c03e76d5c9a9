"""Back-office pages of proposals: the list of a phase (or all managed ones), and answering."""

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
from ratusz.consultations.methods.proposals import selectors, services
from ratusz.consultations.methods.proposals.forms import AnswerForm


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # staff_required let only staff in
    return user


@staff_required
def proposal_list(request: HttpRequest, phase_id: int | None = None) -> HttpResponse:
    projects = managed_projects(_staff(request))
    proposals = selectors.managed_proposals(projects)
    phase = None
    if phase_id is not None:
        phase = Phase.objects.filter(pk=phase_id, project__in=projects).first()
        if phase is None:
            raise Http404
        proposals = proposals.filter(phase=phase)
    with timezone.override(city_of(request).time_zone):
        return render(
            request, "backoffice/proposals/list.html", {"proposals": proposals, "phase": phase}
        )


@staff_required
def proposal_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = _staff(request)
    proposal = selectors.managed_proposals(managed_projects(user)).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    # An answer changes the proposal of a read-only project: refused before anything is saved.
    refuse_writes_to_read_only(request, proposal.project)
    form = AnswerForm(request.POST or None, initial={"status": proposal.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_proposal(
                staff=user,
                proposal=proposal,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except services.Refused as problem:
            form.add_error("answer", str(problem))
        else:
            messages.success(request, _("The status and the official answer are published."))
            return redirect("backoffice:proposals-answer", proposal_id=proposal.pk)
    with timezone.override(city_of(request).time_zone):
        return render(
            request,
            "backoffice/proposals/answer.html",
            {"proposal": proposal, "form": form, "history": selectors.history(proposal)},
            status=400 if request.method == "POST" else 200,
        )
