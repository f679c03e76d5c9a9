"""Residents' voting actions. Each is a plain form POST that redirects back to the project page
with a message and, asked by HTMX, answers with the ballot panel to swap in."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import can_see_project
from ratusz.consultations.methods.voting import selectors, services
from ratusz.consultations.methods.voting.forms import CensusCheckForm, CodeForm
from ratusz.consultations.methods.voting.models import Candidate
from ratusz.consultations.methods.voting.panels import panel_context
from ratusz.consultations.methods.voting.rules import can_see_results


def _phase_or_404(request: HttpRequest, phase_id: int) -> Phase:
    phase = Phase.objects.select_related("project").filter(pk=phase_id, method="voting").first()
    if phase is None or not can_see_project(request.user, phase.project):
        raise Http404
    return phase


def _candidate_or_404(phase: Phase, candidate_id: int) -> Candidate:
    candidate = Candidate.objects.filter(pk=candidate_id, phase=phase).first()
    if candidate is None:
        raise Http404
    return candidate


def _client_ip(request: HttpRequest) -> str:
    # The address the server saw; behind a proxy, the proxy sets REMOTE_ADDR to the client's
    # (a header a person can write, like X-Forwarded-For, would let a guesser pick a new one).
    return str(request.META.get("REMOTE_ADDR") or "")


def _back(request: HttpRequest, phase: Phase) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(f"{target.split('#')[0]}#voting-panel")
    return redirect(reverse("project", args=[phase.project.slug]) + "#voting-panel")


def _act(
    request: HttpRequest, phase: Phase, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run `action`; say what happened (or why not) next to the ballot, losing nothing."""
    if not request.user.is_authenticated:
        project_url = reverse("project", args=[phase.project.slug])
        return redirect(f"{reverse('account_login')}?next={project_url}")
    try:
        action()
    except (services.Refused, services.NotAllowed) as problem:
        if request.htmx:  # type: ignore[attr-defined]  # django-htmx
            return render(
                request, "voting/panel.html", panel_context(request, phase, error=str(problem))
            )
        messages.error(request, str(problem))
        return _back(request, phase)
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx
        return render(request, "voting/panel.html", panel_context(request, phase, done=done))
    messages.success(request, done)
    return _back(request, phase)


@require_POST
def add(request: HttpRequest, phase_id: int, candidate_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    candidate = _candidate_or_404(phase, candidate_id)
    return _act(
        request,
        phase,
        lambda: services.add_vote(user=request.user, phase=phase, candidate=candidate),  # type: ignore[arg-type]  # logged in: checked in _act
        _("“%(idea)s” is in your basket.") % {"idea": candidate.idea.title},
    )


@require_POST
def remove(request: HttpRequest, phase_id: int, candidate_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    candidate = _candidate_or_404(phase, candidate_id)
    return _act(
        request,
        phase,
        lambda: services.remove_vote(user=request.user, phase=phase, candidate=candidate),  # type: ignore[arg-type]  # logged in: checked in _act
        _("“%(idea)s” is out of your basket.") % {"idea": candidate.idea.title},
    )


@require_POST
def submit(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    return _act(
        request,
        phase,
        lambda: services.submit_ballot(user=request.user, phase=phase),  # type: ignore[arg-type]  # logged in: checked in _act
        _("Thank you: your vote is submitted. You can withdraw it while the vote is open."),
    )


@require_POST
def withdraw(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    return _act(
        request,
        phase,
        lambda: services.withdraw_ballot(user=request.user, phase=phase),  # type: ignore[arg-type]  # logged in: checked in _act
        _("Your vote is withdrawn and does not count now. Change your basket and submit again."),
    )


@require_POST
def verify(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    form = CensusCheckForm(request.POST)

    def check() -> None:
        if not form.is_valid():
            raise services.Refused(_("Enter your identifier."))
        services.verify_with_census(
            user=request.user,  # type: ignore[arg-type]  # logged in: checked in _act
            identifier=form.cleaned_data["identifier"],
            ip=_client_ip(request),
        )

    return _act(request, phase, check, _("You are verified as a resident: you can vote now."))


@require_POST
def use_code(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    form = CodeForm(request.POST)

    def redeem() -> None:
        if not form.is_valid():
            raise services.Refused(_("Enter the code printed on your voting card."))
        services.redeem_code(
            user=request.user,  # type: ignore[arg-type]  # logged in: checked in _act
            phase=phase,
            code=form.cleaned_data["code"],
            ip=_client_ip(request),
        )

    return _act(request, phase, redeem, _("Your code is accepted: you can vote now."))


def results(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    if not can_see_results(request.user, phase):
        return render(request, "voting/results_hidden.html", {"phase": phase}, status=403)
    return render(
        request, "voting/results.html", {"phase": phase, "results": selectors.results(phase)}
    )
