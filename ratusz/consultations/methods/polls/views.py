"""Residents vote in polls: HTMX swaps the poll without a reload; a plain POST goes back to
the project page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.polls import selectors, services
from ratusz.consultations.methods.polls.forms import VoteForm
from ratusz.consultations.methods.polls.models import Poll


def _language(request: HttpRequest) -> str:
    return get_language() or city_of(request).default_language


def poll_context(
    request: HttpRequest, poll: Poll, form: VoteForm | None = None, error: str = ""
) -> dict[str, Any]:
    language = _language(request)
    voted = selectors.has_voted(request.user, poll)
    show = selectors.results_visible(request.user, poll)
    voters, rows = selectors.results(poll, language) if show else (0, [])
    return {
        "poll": poll,
        "form": form or VoteForm(poll=poll, language=language),
        "voted": voted,
        "show_results": show,
        "voters": voters,
        "rows": rows,
        "decision": can_act(request.user, poll.phase, Action.VOTE),
        "error": error,
    }


@require_POST
def vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = selectors.poll_for(request.user, poll_id)
    if poll is None:
        raise Http404
    if not request.user.is_authenticated:
        project_url = reverse("project", args=[poll.phase.project.slug])
        return redirect(f"{reverse('account_login')}?next={project_url}")
    form = VoteForm(request.POST, poll=poll, language=_language(request))
    error = ""
    if form.is_valid():
        try:
            services.vote(user=request.user, poll=poll, choices=form.chosen())
        except (services.Refused, services.NotAllowed) as problem:
            error = str(problem)
    else:
        error = " ".join(str(e) for e in form.errors.get("choice", []))
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx
        return render(
            request,
            "polls/partials/poll.html",
            poll_context(request, poll, form if error else None, error),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for voting."))
    return redirect(f"{reverse('project', args=[poll.phase.project.slug])}#poll-{poll.pk}")
