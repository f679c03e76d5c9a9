"""Resident-facing pages of a city portal: home, project, profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ratusz.accounts.models import User
from ratusz.consultations.core.features import feature_on
from ratusz.consultations.core.http import city_of, project_or_404
from ratusz.consultations.core.models import Folder, Phase, PublicationStatus
from ratusz.consultations.core.registry import Action, Capability, get_method
from ratusz.consultations.core.rules import can_act, current_phase
from ratusz.consultations.core.selectors import portal_welcome, project_cards
from ratusz.consultations.methods.ideation import selectors as ideas
from ratusz.consultations.methods.ideation.forms import IdeaFilterForm
from ratusz.consultations.methods.ideation.models import Comment, Idea

IDEAS_PER_PAGE = 12


def home(request: HttpRequest) -> HttpResponse:
    city = city_of(request)
    cards = project_cards(request.user)
    return render(
        request,
        "consultations/home.html",
        {
            "welcome": portal_welcome(default_language=city.default_language),
            "open_cards": [c for c in cards if c.state == "open"],
            "other_cards": [c for c in cards if c.state != "open"],
            "latest_ideas": ideas.latest_ideas(
                viewer=request.user, projects=[c.project for c in cards]
            ),
        },
    )


def folder_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A folder's page: its description and the projects in it the visitor may see."""
    folder = Folder.objects.filter(slug=slug, status=PublicationStatus.PUBLISHED).first()
    if folder is None:
        raise Http404
    cards = [card for card in project_cards(request.user) if card.project.folder_id == folder.pk]
    return render(request, "consultations/folder.html", {"folder": folder, "cards": cards})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = city_of(request)
    project = project_or_404(request, slug)
    phase = current_phase(project)
    collects_ideas = any(get_method(p.method).can(Capability.IDEAS) for p in project.phases.all())
    filters = IdeaFilterForm(request.GET or None, default_language=city.default_language)
    context: dict[str, object] = {
        "project": project,
        "phases": project.phases.all(),
        "results": {
            p.pk: url
            for p in project.phases.all()
            if (url := get_method(p.method).results_url_for(request.user, p))
        },
        "current": phase,
        "collects_ideas": collects_ideas,
        "filters": filters,
        "post_decision": can_act(request.user, phase, Action.POST) if phase else None,
        "figures": ideas.answer_figures(project) if collects_ideas else None,
        # What the current phase's method shows residents (a survey, a ballot...): HTML its
        # own template rendered, with escaping, hence safe.
        "panel": mark_safe(panel) if (panel := _panel(request, phase)) else "",
        "panel_switched_off": phase is not None and _switched_off(phase),
    }
    if collects_ideas:
        cleaned = filters.cleaned_data if filters.is_valid() else {}
        listing = ideas.idea_list(
            project=project,
            viewer=request.user,
            sort=cleaned.get("sort") or None,
            topic=cleaned.get("topic") or None,
            status=cleaned.get("status") or None,
            search=cleaned.get("q") or None,
        )
        paginator = Paginator(listing, IDEAS_PER_PAGE)
        figures = context["figures"]
        if (
            isinstance(figures, ideas.AnswerFigures)
            and not request.user.is_authenticated
            and not any(cleaned.get(key) for key in ("topic", "status", "q"))
        ):
            # A visitor's unfiltered list is exactly the published ideas the figures counted:
            # one COUNT for the page, not two.
            paginator.count = figures.ideas  # fills the cached_property
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        # The list/map switch replaces `view` (keeping it would add one more per click).
        other_than_view = query.copy()
        other_than_view.pop("view", None)
        context.update(
            page=page,
            query=query.urlencode(),
            switch_query=other_than_view.urlencode(),
            view=request.GET.get("view", "list"),
        )
        if request.htmx and request.GET.get("page"):  # type: ignore[attr-defined]  # django-htmx
            return render(request, "consultations/partials/idea_cards.html", context)
    return render(request, "consultations/project.html", context)


def _switched_off(phase: Phase) -> bool:
    """The phase's method needs a feature the city cannot use now (its plan or its switch):
    the phase stays on the timeline, its panel gives way to a short notice."""
    feature = get_method(phase.method).feature
    return bool(feature) and not feature_on(feature)


def _panel(request: HttpRequest, phase: Phase | None) -> str:
    if phase is None or _switched_off(phase):
        return ""
    return get_method(phase.method).render_panel(request, phase)


def project_map_data(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_or_404(request, slug)
    return HttpResponse(
        ideas.ideas_on_map(project=project, viewer=request.user), content_type="application/json"
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    return render(
        request,
        "consultations/profile.html",
        {
            "my_ideas": Idea.objects.filter(author=user).select_related("project", "status"),
            "my_comments": Comment.objects.filter(author=user).select_related("idea")[:50],
        },
    )
