"""Idea pages and the actions on them. Each action works as a plain form POST (redirecting
back) and, asked by HTMX, answers with the fragment to swap in."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.core.http import city_of, project_or_404
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import (
    can_act,
    current_phase,
    is_administrator,
    is_project_staff,
)
from ratusz.consultations.methods.ideation import selectors, services
from ratusz.consultations.methods.ideation.forms import (
    CommentForm,
    IdeaForm,
    IdeaStatusForm,
    StatusForm,
)
from ratusz.consultations.methods.ideation.models import Comment, Follow, Idea, IdeaStatus, Reaction
from ratusz.consultations.methods.ideation.services import Location, NotAllowed, Refused
from ratusz.consultations.participation.moderation.selectors import moderation_notice


def _idea_or_404(request: HttpRequest, idea_id: int) -> Idea:
    idea = selectors.idea_for(request.user, idea_id)
    if idea is None:
        raise Http404
    return idea


def _login_url(request: HttpRequest) -> str:
    return f"{reverse('account_login')}?next={request.get_full_path()}"


def _reactions_context(request: HttpRequest, idea: Idea, **extra: object) -> dict[str, object]:
    """What the reactions box shows (all an HTMX reaction answers with)."""
    user = request.user
    context: dict[str, object] = {
        "idea": idea,
        "react_decision": can_act(user, idea.phase, Action.REACT),
        "my_reaction": (
            Reaction.objects.filter(idea=idea, user=user).values_list("kind", flat=True).first()
            if user.is_authenticated
            else None
        ),
        "dislikes_allowed": idea.phase.options.get("reaction_mode") == "likes_dislikes",
    }
    context.update(extra)
    return context


def _follow_context(request: HttpRequest, idea: Idea, **extra: object) -> dict[str, object]:
    """What the follow box shows (all an HTMX follow answers with)."""
    user = request.user
    following = user.is_authenticated and Follow.objects.filter(idea=idea, user=user).exists()
    return {"idea": idea, "following": following, **extra}


def _idea_context(request: HttpRequest, idea: Idea, **extra: object) -> dict[str, object]:
    city = city_of(request)
    user = request.user
    # One query for the whole discussion (with authors), split into threads here.
    comments = list(selectors.visible_comments(idea, user))
    context: dict[str, object] = {
        **_reactions_context(request, idea),
        **_follow_context(request, idea),
        "comments": [c for c in comments if c.parent_id is None],
        "replies": _replies_by_parent(comments),
        "history": list(selectors.status_history(idea)),
        "comment_decision": can_act(user, idea.phase, Action.COMMENT),
        "is_staff": is_project_staff(user, idea.project),
        "comment_form": CommentForm(),
        "moderation_notice": moderation_notice(viewer=user, item=idea),
    }
    if context["is_staff"]:
        context["status_form"] = StatusForm(
            initial={"status": idea.status_id}, default_language=city.default_language
        )
    context.update(extra)
    return context


def _replies_by_parent(comments: list[Comment]) -> dict[int, list[Comment]]:
    grouped: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            grouped.setdefault(comment.parent_id, []).append(comment)
    return grouped


def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_id)
    prefetch_related_objects([idea], "images", "attachments", "topics")
    return render(request, "consultations/idea.html", _idea_context(request, idea))


def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    city = city_of(request)
    project = project_or_404(request, slug)
    phase = current_phase(project)
    decision = can_act(request.user, phase, Action.POST) if phase else None
    if phase is None or decision is None or not decision.allowed:
        if decision is not None and decision.next_step == "login":
            return redirect(_login_url(request))
        return render(
            request,
            "consultations/cannot_act.html",
            {"project": project, "decision": decision},
            status=403,
        )
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        phase=phase,
        default_language=city.default_language,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = None
        if data.get("latitude") is not None:
            location = Location(
                Decimal(data["latitude"]), Decimal(data["longitude"]), data.get("address", "")
            )
        try:
            idea = services.post_idea(
                author=request.user,  # type: ignore[arg-type]  # can_act allowed: authenticated
                phase=phase,
                title=data["title"],
                body=data["body"],
                topics=data.get("topics") or [],
                location=location,
                anonymous=bool(data.get("anonymous")),
                images=[
                    (image, data.get("image_description", "")) for image in data.get("images", [])
                ],
                attachments=data.get("attachments", []),
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            if idea.visibility == "held":
                messages.info(
                    request,
                    _("Thank you! Your idea will be published after a moderator has looked at it."),
                )
            else:
                messages.success(request, _("Thank you! Your idea is published."))
            return redirect("idea", idea_id=idea.pk)
    return render(
        request,
        "consultations/idea_form.html",
        {"project": project, "phase": phase, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _back(request: HttpRequest, idea: Idea) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("idea", idea_id=idea.pk)


ContextBuilder = Callable[..., dict[str, object]]


def _act(
    request: HttpRequest, idea: Idea, fragment: str, context: ContextBuilder, action: object
) -> HttpResponse:
    """Run `action`; report a refusal in the page (or the fragment) without losing anything.
    Asked by HTMX, answer with `fragment` rendered with `context(request, idea, ...)`."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    try:
        action()  # type: ignore[operator]  # a zero-argument callable
    except (Refused, NotAllowed) as problem:
        if request.htmx:  # type: ignore[attr-defined]  # django-htmx
            return render(request, fragment, context(request, idea, error=str(problem)))
        messages.error(request, str(problem))
        return _back(request, idea)
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx
        # Only the counters the action moved: the idea's phase and project stay loaded.
        idea.refresh_from_db(fields=["likes", "dislikes", "comment_count"])
        return render(request, fragment, context(request, idea))
    return _back(request, idea)


@require_POST
def react(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_id)
    try:
        kind = int(request.POST.get("kind", "1"))
    except ValueError:
        kind = 0
    user = request.user
    return _act(
        request,
        idea,
        "consultations/partials/reactions.html",
        _reactions_context,
        lambda: services.react(user=user, idea=idea, kind=kind),  # type: ignore[arg-type]  # checked by _act
    )


@require_POST
def withdraw_reaction(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_id)
    user = request.user
    return _act(
        request,
        idea,
        "consultations/partials/reactions.html",
        _reactions_context,
        lambda: services.withdraw_reaction(user=user, idea=idea),  # type: ignore[arg-type]  # as above
    )


@require_POST
def toggle_follow(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_id)
    user = request.user
    following = user.is_authenticated and Follow.objects.filter(idea=idea, user=user).exists()
    service = services.unfollow if following else services.follow
    return _act(
        request,
        idea,
        "consultations/partials/follow.html",
        _follow_context,
        lambda: service(user=user, idea=idea),  # type: ignore[arg-type]  # as above
    )


@require_POST
def comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_id)
    form = CommentForm(request.POST)
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        if request.htmx:  # type: ignore[attr-defined]  # django-htmx
            return render(
                request,
                "consultations/partials/comments.html",
                _idea_context(request, idea, error=error, comment_form=form),
            )
        messages.error(request, error)
        return _back(request, idea)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(idea=idea, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404
    user = request.user
    body = form.cleaned_data["body"]
    return _act(
        request,
        idea,
        "consultations/partials/comments.html",
        _idea_context,
        lambda: services.add_comment(author=user, idea=idea, body=body, parent=parent),
    )


@require_POST
def change_status(request: HttpRequest, idea_id: int) -> HttpResponse:
    city = city_of(request)
    idea = _idea_or_404(request, idea_id)
    if not is_project_staff(request.user, idea.project):
        raise Http404
    form = StatusForm(request.POST, default_language=city.default_language)
    if not form.is_valid():
        return render(
            request,
            "consultations/idea.html",
            _idea_context(request, idea, status_form=form),
            status=400,
        )
    status: IdeaStatus = form.cleaned_data["status"]
    try:
        services.change_status(
            staff=request.user,  # type: ignore[arg-type]  # staff are authenticated
            idea=idea,
            status=status,
            answer=form.cleaned_data["answer"],
        )
    except (Refused, NotAllowed) as problem:
        form.add_error("answer", str(problem))
        return render(
            request,
            "consultations/idea.html",
            _idea_context(request, idea, status_form=form),
            status=400,
        )
    messages.success(request, _("The status and the official answer are published."))
    return redirect("idea", idea_id=idea.pk)


def statuses(request: HttpRequest) -> HttpResponse:
    """Administrators see, add and edit the city's idea statuses."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not is_administrator(request.user):
        return render(request, "consultations/staff_only.html", status=403)
    city = city_of(request)
    editing = IdeaStatus.objects.filter(code=request.GET.get("edit") or "").first()
    initial: dict[str, object] = {}
    if editing is not None:
        initial = {"code": editing.code, "color": editing.color, "is_final": editing.is_final}
        for code in city.languages:
            initial[f"name_{code}"] = editing.name.get(code, "")
            initial[f"description_{code}"] = editing.description.get(code, "")
    form = IdeaStatusForm(
        request.POST or None, initial=initial, languages=city.languages, editing=editing is not None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_status(
                staff=request.user,
                code=editing.code if editing else form.cleaned_data["code"],
                name=form.texts("name"),
                description=form.texts("description"),
                color=form.cleaned_data["color"],
                is_final=form.cleaned_data["is_final"],
                status=editing,
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The status is saved."))
            return redirect("idea-statuses")
    return render(
        request,
        "consultations/statuses.html",
        {"statuses": IdeaStatus.objects.all(), "form": form, "editing": editing},
        status=400 if request.method == "POST" else 200,
    )
