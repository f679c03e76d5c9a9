"""Moderation pages: reporting (for residents), the queue and its actions (for a project's
staff), blocks and the word filter (for administrators).

Anonymous visitors are sent to log in; people without the right get a 403 page that says who
may use it. Everything works as plain forms; HTMX requests get the fragment to swap in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.accounts.rules import check_staff_access
from ratusz.consultations.core.translation import translated
from ratusz.consultations.participation.moderation import rules, selectors, services
from ratusz.consultations.participation.moderation.forms import (
    BlockForm,
    ReasonForm,
    ReportForm,
    WordFilterForm,
)
from ratusz.consultations.participation.moderation.models import Block
from ratusz.consultations.participation.moderation.selectors import Item
from ratusz.consultations.participation.refusals import NotAllowed, Refused

QUEUE_PAGE_SIZE = 25


def _default_language(request: HttpRequest) -> str:
    return str(request.city.default_language)  # type: ignore[attr-defined]  # set by CityRoutingMiddleware


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "moderation/forbidden.html", {"message": message}, status=403)


def _gate(request: HttpRequest, allowed: bool, refusal: str) -> HttpResponse | None:
    """None when the person may use the page; otherwise the response to give instead: log in,
    403 with `refusal`, or setting up two-factor authentication when the city requires it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed:
        return _forbidden(request, refusal)
    return check_staff_access(request)


def _next_url(request: HttpRequest) -> str:
    """Where to go back to, when the page was given a safe local address."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _item_or_404(request: HttpRequest, kind: str, pk: int) -> Item:
    item = selectors.find_item(kind, pk)
    if item is None or not selectors.can_see_item(request.user, item):
        raise Http404
    return item


def _staff_nav(request: HttpRequest) -> dict[str, Any]:
    return {
        "may_block": rules.can_block(request.user),
        "may_edit_words": rules.can_edit_word_filter(request.user),
    }


# --- reporting -----------------------------------------------------------------------------


def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Report an idea or a comment to the moderators (a page, or a fragment for HTMX)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = _item_or_404(request, kind, pk)
    next_url = _next_url(request)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.report_content(
                reporter=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except (Refused, NotAllowed) as refusal:
            form.add_error(None, str(refusal))
        else:
            done = {"kind": kind, "item": item, "next_url": next_url}
            if request.htmx:  # type: ignore[attr-defined]  # set by HtmxMiddleware
                return render(request, "moderation/includes/report_done.html", done)
            if next_url:
                messages.success(request, _("Thank you. Moderators will look at your report."))
                return redirect(next_url)
            return render(request, "moderation/report_done.html", done)
    context: dict[str, Any] = {"kind": kind, "item": item, "form": form, "next_url": next_url}
    if request.htmx:  # type: ignore[attr-defined]  # set by HtmxMiddleware
        return render(request, "moderation/includes/report_form.html", context)
    status = 400 if form.is_bound else 200
    return render(request, "moderation/report.html", context, status=status)


def my_moderated_content(request: HttpRequest) -> HttpResponse:
    """The person's own held and hidden ideas and comments, with the moderators' reasons."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    notices = selectors.moderated_content_of(request.user)
    return render(request, "moderation/mine.html", {"notices": notices})


# --- the queue -----------------------------------------------------------------------------


def queue(request: HttpRequest) -> HttpResponse:
    """Open reports and held content (or, with ?show=hidden, hidden content), newest first,
    for the projects the person moderates; ?project=<slug> narrows it to one."""
    refusal = _gate(
        request,
        rules.can_open_moderation(request.user),
        _("Only the city's administrators and project managers can moderate."),
    )
    if refusal is not None:
        return refusal
    projects = selectors.moderated_projects(request.user)
    slug = request.GET.get("project", "")
    chosen = get_object_or_404(projects, slug=slug) if slug else None
    show = "hidden" if request.GET.get("show") == "hidden" else "open"
    pick = selectors.hidden_content if show == "hidden" else selectors.moderation_queue
    entries = pick(staff=request.user, default_language=_default_language(request), project=chosen)
    page = Paginator(entries, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "show": show,
            "section": "hidden" if show == "hidden" else "queue",
            "projects": [
                (project.slug, translated(project.title, _default_language(request)))
                for project in projects
            ],
            "chosen": chosen,
            "actions": selectors.recent_actions(staff=request.user, project=chosen),
            **_staff_nav(request),
        },
    )


@dataclass(frozen=True)
class ModerationStep:
    name: str  # "hide", "restore"...: the URL name and the template's switch
    reason: str  # "required" | "optional" | "none"
    run: Callable[..., object]
    done: str  # the message after success


def _moderate(request: HttpRequest, kind: str, pk: int, step: ModerationStep) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = _item_or_404(request, kind, pk)
    refusal = _gate(
        request,
        rules.can_moderate(request.user, selectors.project_of(item)),
        _("Only the staff of this project can moderate its ideas and comments."),
    )
    if refusal is not None:
        return refusal
    form = ReasonForm(
        request.POST if request.method == "POST" else None, required=step.reason == "required"
    )
    if request.method == "POST" and form.is_valid():
        arguments: dict[str, Any] = {"staff": request.user, "item": item}
        if step.reason != "none":
            arguments["reason"] = form.cleaned_data["reason"]
        try:
            step.run(**arguments)
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            if request.htmx:  # type: ignore[attr-defined]  # set by HtmxMiddleware
                return render(
                    request,
                    "moderation/includes/entry_done.html",
                    {"message": step.done, "kind": kind, "item": item},
                )
            messages.success(request, step.done)
            return redirect(_next_url(request) or reverse("moderation:queue"))
    context = {
        "step": step,
        "kind": kind,
        "item": item,
        "form": form,
        "project_title": translated(selectors.project_of(item).title, _default_language(request)),
        "next_url": _next_url(request),
    }
    if request.htmx:  # type: ignore[attr-defined]  # set by HtmxMiddleware
        return render(request, "moderation/includes/action_form.html", context)
    return render(request, "moderation/action.html", context, status=400 if form.is_bound else 200)


def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    step = ModerationStep("hide", "required", services.hide_content, _("Hidden."))
    return _moderate(request, kind, pk, step)


def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    step = ModerationStep("restore", "optional", services.restore_content, _("Restored."))
    return _moderate(request, kind, pk, step)


def dismiss(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    step = ModerationStep(
        "dismiss", "optional", services.dismiss_reports, _("The reports are dismissed.")
    )
    return _moderate(request, kind, pk, step)


def approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    step = ModerationStep("approve", "none", services.approve_content, _("Approved and published."))
    return _moderate(request, kind, pk, step)


def reject(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    step = ModerationStep("reject", "required", services.reject_content, _("Rejected."))
    return _moderate(request, kind, pk, step)


# --- blocks --------------------------------------------------------------------------------


def _blocks_page(request: HttpRequest, form: BlockForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "moderation/blocks.html",
        {
            "form": form,
            "active": selectors.active_blocks(),
            "ended": selectors.ended_blocks(),
            **_staff_nav(request),
        },
        status=status,
    )


def _blocks_gate(request: HttpRequest) -> HttpResponse | None:
    return _gate(
        request,
        rules.can_block(request.user),
        _("Only the city's administrators can block residents."),
    )


def blocks(request: HttpRequest) -> HttpResponse:
    """Active and past blocks, and the form to block a resident (?user=<id> fills it in)."""
    refusal = _blocks_gate(request)
    if refusal is not None:
        return refusal
    initial: dict[str, Any] = {}
    user_id = request.GET.get("user", "")
    if user_id.isdigit():
        resident = User.objects.filter(pk=int(user_id)).first()
        initial["email"] = resident.email if resident else ""
    return _blocks_page(request, BlockForm(initial=initial))


def block(request: HttpRequest) -> HttpResponse:
    refusal = _blocks_gate(request)
    if refusal is not None:
        return refusal
    if request.method != "POST":
        return redirect("moderation:blocks")
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.block_resident(
                admin=request.user,  # type: ignore[arg-type]  # authenticated by the gate
                resident=form.cleaned_data["email"],
                reason=form.cleaned_data["reason"],
                until=form.until(),
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The resident is blocked."))
            return redirect("moderation:blocks")
    return _blocks_page(request, form, status=400)


def lift(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = _blocks_gate(request)
    if refusal is not None:
        return refusal
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = get_object_or_404(Block, pk=pk)
    try:
        services.lift_block(
            admin=request.user,  # type: ignore[arg-type]  # authenticated by the gate
            block=found,
            reason=request.POST.get("reason", ""),
        )
    except (Refused, NotAllowed) as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("The block is lifted."))
    return redirect("moderation:blocks")


# --- the word filter -----------------------------------------------------------------------


def word_filter(request: HttpRequest) -> HttpResponse:
    refusal = _gate(
        request,
        rules.can_edit_word_filter(request.user),
        _("Only the city's administrators can edit the word filter."),
    )
    if refusal is not None:
        return refusal
    lists = selectors.word_filter()
    form = WordFilterForm(request.POST if request.method == "POST" else None, lists=lists)
    if form.is_valid():
        try:
            changes = services.update_word_filter(
                admin=request.user,  # type: ignore[arg-type]  # authenticated by the gate
                lists={
                    code: form.cleaned_data[code] for code, _name in selectors.filter_languages()
                },
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                _("The word filter is saved.")
                if any(change.added or change.removed for change in changes)
                else _("Nothing changed."),
            )
            return redirect("moderation:words")
    return render(
        request,
        "moderation/words.html",
        {"form": form, **_staff_nav(request)},
        status=400 if form.is_bound else 200,
    )
