"""The ballot residents see on the project page while a voting phase runs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act, email_is_confirmed
from ratusz.consultations.methods.voting import selectors
from ratusz.consultations.methods.voting.forms import CensusCheckForm, CodeForm
from ratusz.consultations.methods.voting.models import CensusEntry, VotingCode
from ratusz.consultations.methods.voting.rules import can_see_results, option


def panel_context(request: HttpRequest, phase: Phase, **extra: Any) -> dict[str, Any]:
    user = request.user
    decision = can_act(user, phase, Action.VOTE)
    basket = selectors.basket_of(user, phase)
    rows = []
    for candidate in selectors.candidates(phase):
        given = basket.votes.get(candidate.pk, 0)
        fits = basket.remaining is None or candidate.cost <= basket.remaining
        can_add = (
            decision.allowed
            and not basket.submitted
            and given < basket.limits.idea_limit
            and basket.remaining_votes > 0
            and fits
        )
        rows.append({"candidate": candidate, "votes": given, "can_add": can_add, "fits": fits})
    verification = list(option(phase, "verification") or [])
    context: dict[str, Any] = {
        "phase": phase,
        "decision": decision,
        "basket": basket,
        "rows": rows,
        "budget": basket.limits.spend_limit is not None,
        "chosen": [row for row in rows if row["votes"]],
        "needs_verification": decision.code == "not_verified",
        "offer_census": "census" in verification and CensusEntry.objects.exists(),
        # The census check is for confirmed accounts only (services.verify_with_census): say
        # so instead of offering a form that would refuse.
        "census_needs_email": user.is_authenticated and not email_is_confirmed(user),
        "offer_codes": "codes" in verification and VotingCode.objects.filter(phase=phase).exists(),
        "census_form": CensusCheckForm(),
        "code_form": CodeForm(),
        "results_visible": can_see_results(user, phase),
        "next": request.get_full_path() if not request.htmx else "",  # type: ignore[attr-defined]  # django-htmx
    }
    context.update(extra)
    return context


def render(request: HttpRequest, phase: Phase) -> str:
    return render_to_string("voting/panel.html", panel_context(request, phase), request=request)
