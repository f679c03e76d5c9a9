"""Resident pages of a survey: answering page by page (plain forms; every page saves the
draft), the thank-you page, and the results when the city publishes them."""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language

from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import is_project_staff
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.forms import AnswerForm
from ratusz.consultations.methods.surveys.kinds import kind_of
from ratusz.consultations.methods.surveys.models import Response, Survey, SurveyPage
from ratusz.consultations.methods.surveys.services import NotAllowed, Refused, Respondent

BROWSER_COOKIE = "ratusz_survey"
BROWSER_SALT = "ratusz.surveys.browser"
BROWSER_COOKIE_AGE = 400 * 24 * 3600


def _phase_or_404(request: HttpRequest, phase_id: int) -> Phase:
    phase = selectors.survey_phase_for(request.user, phase_id)
    if phase is None:
        raise Http404
    return phase


def _survey_or_404(phase: Phase) -> Survey:
    survey = Survey.objects.filter(phase=phase).first()
    if survey is None:
        raise Http404
    return survey


def _language(request: HttpRequest) -> str:
    return get_language() or city_of(request).default_language


def _respondent(request: HttpRequest) -> tuple[Respondent, str]:
    """Who answers, and a new browser token to remember (when there was none yet)."""
    if request.user.is_authenticated:
        return Respondent(user=request.user), ""
    token = request.get_signed_cookie(BROWSER_COOKIE, default="", salt=BROWSER_SALT)
    fresh = ""
    if not token:
        token = fresh = secrets.token_urlsafe(32)
    ip = str(request.META.get("REMOTE_ADDR") or "")
    return Respondent(user=None, browser_token=token, ip=ip), fresh


def _remember(response: HttpResponse, fresh: str) -> HttpResponse:
    if fresh:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            fresh,
            salt=BROWSER_SALT,
            max_age=BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=False,
        )
    return response


def _login_url(request: HttpRequest) -> str:
    return f"{reverse('account_login')}?next={request.get_full_path()}"


def _current_page(survey: Survey, response: Response | None) -> SurveyPage:
    page = None
    if response is not None and response.path:
        page = survey.pages.filter(pk=response.path[-1]).first()
    if page is None:
        page = survey.pages.order_by("position", "pk").first()
    if page is None:
        raise Http404
    return page


def answer(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    survey = _survey_or_404(phase)
    language = _language(request)
    project = phase.project
    decision = services.answer_decision(request.user, phase)
    if not decision.allowed:
        if decision.next_step == "login":
            return redirect(_login_url(request))
        return render(
            request,
            "consultations/cannot_act.html",
            {"project": project, "decision": decision},
            status=403,
        )
    if selectors.survey_problems(survey, language):
        return render(request, "surveys/unavailable.html", {"project": project}, status=503)
    respondent, fresh = _respondent(request)
    response = services.response_of(survey, respondent)
    if response is not None and response.submitted_at is not None:
        return redirect("surveys:done", phase_id=phase.pk)
    page = _current_page(survey, response)
    questions = list(page.questions.all())
    saved = response.answers if response is not None else {}
    if request.method == "POST" and request.POST.get("page") != str(page.pk):
        # An old tab or the browser's back button: show the page the respondent is on.
        return redirect("surveys:answer", phase_id=phase.pk)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        questions=questions,
        language=language,
        saved=saved,
    )
    if request.method == "POST":
        move: services.Move = "back" if "back" in request.POST else "next"
        valid = form.is_valid()
        try:
            response, _following = services.answer_page(
                survey=survey,
                respondent=respondent,
                page=page,
                answers=form.answers,
                uploads=form.uploads,
                move=move if valid or move == "back" else "stay",
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
            valid = False
            move = "next"
        if (valid or move == "back") and response is not None:
            if response.submitted_at is not None:
                return _remember(redirect("surveys:done", phase_id=phase.pk), fresh)
            return _remember(redirect("surveys:answer", phase_id=phase.pk), fresh)
        saved = response.answers if response is not None else saved
    pages = list(survey.pages.order_by("position", "pk"))
    number = [p.pk for p in pages].index(page.pk) + 1
    return _remember(
        render(
            request,
            "surveys/answer.html",
            {
                "phase": phase,
                "project": project,
                "survey": survey,
                "page": page,
                "form": form,
                "items": form.items(),
                "number": number,
                "page_count": len(pages),
                "first": response is None or len(response.path) <= 1,
                "show_intro": number == 1,
                "anonymous": bool(phase.options.get("anonymous")),
                "needs_files": any(kind_of(q).takes_files for q in questions),
                "has_map": form.map_used,
            },
            status=400 if request.method == "POST" else 200,
        ),
        fresh,
    )


def done(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    survey = _survey_or_404(phase)
    respondent, _fresh = _respondent(request)
    response = services.response_of(survey, respondent)
    if response is None or response.submitted_at is None:
        return redirect("surveys:answer", phase_id=phase.pk)
    return render(
        request,
        "surveys/done.html",
        {
            "phase": phase,
            "project": phase.project,
            "survey": survey,
            "results_public": bool(phase.options.get("results_public")),
        },
    )


def results(request: HttpRequest, phase_id: int) -> HttpResponse:
    """The results residents may see, when the city chose to publish them."""
    phase = _phase_or_404(request, phase_id)
    if not phase.options.get("results_public") and not is_project_staff(
        request.user, phase.project
    ):
        raise Http404
    survey = _survey_or_404(phase)
    return render(
        request,
        "surveys/results.html",
        {
            "phase": phase,
            "project": phase.project,
            "survey": survey,
            "total": selectors.submitted_responses(survey).count(),
            "results": selectors.question_results(survey, _language(request), staff=False),
        },
    )
