"""Resident pages of proposals: submit, read, support and withdraw support."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act, can_see_project
from ratusz.consultations.methods.proposals import selectors, services
from ratusz.consultations.methods.proposals.forms import ProposalForm
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus, Support


def _proposal_or_404(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = selectors.proposal_for(request.user, proposal_id)
    if proposal is None:
        raise Http404
    return proposal


def _login(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")


def proposal_create(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = Phase.objects.select_related("project").filter(pk=phase_id, method="proposals").first()
    if phase is None or not can_see_project(request.user, phase.project):
        raise Http404
    decision = can_act(request.user, phase, Action.POST)
    if not decision.allowed:
        if decision.next_step == "login":
            return _login(request)
        return render(
            request,
            "consultations/cannot_act.html",
            {"project": phase.project, "decision": decision},
            status=403,
        )
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(
                author=request.user,  # type: ignore[arg-type]  # can_act let only accounts in
                phase=phase,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except (services.Refused, services.NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("Your proposal is published. Share it to collect support!"))
            return redirect("proposals:detail", proposal_id=proposal.pk)
    return render(
        request,
        "proposals/form.html",
        {"form": form, "phase": phase, "project": phase.project},
        status=400 if request.method == "POST" else 200,
    )


def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    user = request.user
    with timezone.override(city_of(request).time_zone):
        return render(
            request,
            "proposals/detail.html",
            {
                "proposal": proposal,
                "history": selectors.history(proposal).exclude(answer=""),
                "supporting": user.is_authenticated
                and Support.objects.filter(proposal=proposal, user=user).exists(),
                "decision": can_act(user, proposal.phase, Action.VOTE),
                "collecting": proposal.status == ProposalStatus.COLLECTING
                and proposal.deadline > timezone.now(),
                "progress": min(100, proposal.supporter_count * 100 // proposal.threshold),
            },
        )


@require_POST
def support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={reverse('proposals:detail', args=[proposal.pk])}"
        )
    try:
        services.support_proposal(user=request.user, proposal=proposal)
    except (services.Refused, services.NotAllowed) as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Thank you for your support."))
    return redirect("proposals:detail", proposal_id=proposal.pk)


@require_POST
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    if not request.user.is_authenticated:
        return _login(request)
    try:
        services.withdraw_support(user=request.user, proposal=proposal)
    except services.Refused as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Your support is withdrawn."))
    return redirect("proposals:detail", proposal_id=proposal.pk)
