"""Back-office pages of a survey: the form builder (pages, questions, skip rules, texts), the
results with charts and tables, themes in open answers, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.accounts.models import User
from ratusz.consultations.core.access import (
    managed_projects,
    refuse_writes_to_read_only,
    staff_required,
)
from ratusz.consultations.core.charts import svg
from ratusz.consultations.core.clustering import cluster_texts
from ratusz.consultations.core.export_files import write_csv, write_xlsx
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.exports import survey_table
from ratusz.consultations.methods.surveys.forms import PageForm, QuestionForm, RuleForm, TextsForm
from ratusz.consultations.methods.surveys.kinds import Kind, get_kind, kind_choices, kind_of
from ratusz.consultations.methods.surveys.models import (
    AnswerFile,
    Question,
    SkipRule,
    Survey,
    SurveyPage,
)
from ratusz.consultations.methods.surveys.services import NotAllowed, Refused
from ratusz.tenants.media import stored_file_response


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # staff_required let them in
    return user


def _phase(request: HttpRequest, phase_id: int) -> Phase:
    """A survey phase of a project this staff member manages; 404 otherwise. Every page that
    changes the survey comes here first, so a POST to a read-only project stops here."""
    phase = (
        Phase.objects.select_related("project")
        .filter(
            pk=phase_id,
            method=selectors.SURVEY_METHOD,
            project__in=managed_projects(_staff(request)),
        )
        .first()
    )
    if phase is None:
        raise Http404
    refuse_writes_to_read_only(request, phase.project)
    return phase


def _survey(request: HttpRequest, phase_id: int) -> Survey:
    return services.ensure_survey(phase=_phase(request, phase_id))


def _owned_survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = Survey.objects.select_related("phase").filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    _phase(request, survey.phase_id)
    return survey


def _languages(request: HttpRequest) -> dict[str, object]:
    city = city_of(request)
    return {"languages": city.languages, "default_language": city.default_language}


def _language(request: HttpRequest) -> str:
    return get_language() or city_of(request).default_language


def _editor(request: HttpRequest, survey: Survey, **extra: object) -> HttpResponse:
    language = _language(request)
    pages = list(survey.pages.prefetch_related("questions", "rules__question", "rules__target"))
    numbers = {page.pk: n for n, page in enumerate(pages, start=1)}
    texts = TextsForm(**_languages(request))
    texts.set_texts("intro", survey.intro)
    texts.set_texts("thank_you", survey.thank_you)
    described = []
    for page in pages:
        rules = []
        for rule in page.rules.all():
            rules.append(
                {
                    "rule": rule,
                    "question": translated(rule.question.text, language) if rule.question else "",
                    "value": selectors.value_label(rule.question, rule.value, language)
                    if rule.question
                    else rule.value,
                    "target": numbers.get(rule.target_id or 0),
                }
            )
        described.append(
            {
                "page": page,
                "number": numbers[page.pk],
                "questions": [(q, kind_of(q).label) for q in page.questions.all()],
                "rules": rules,
                "rule_form": RuleForm(page=page, pages=pages, language=language),
            }
        )
    context: dict[str, object] = {
        "survey": survey,
        "phase": survey.phase,
        "project": survey.phase.project,
        "pages": described,
        "problems": selectors.survey_problems(survey, language),
        "texts_form": texts,
        "page_form": PageForm(**_languages(request)),
        "kinds": kind_choices(),
        "responses": selectors.submitted_responses(survey).count(),
    }
    context.update(extra)
    return render(
        request,
        "backoffice/surveys/editor.html",
        context,
        status=400 if extra else 200,
    )


@staff_required
def editor(request: HttpRequest, phase_id: int) -> HttpResponse:
    survey = _survey(request, phase_id)
    if request.method == "POST":
        form = TextsForm(request.POST, **_languages(request))
        if not form.is_valid():
            return _editor(request, survey, texts_form=form)
        services.update_texts(
            staff=_staff(request),
            survey=survey,
            intro=form.texts("intro"),
            thank_you=form.texts("thank_you"),
        )
        messages.success(request, _("The texts are saved."))
        return redirect("backoffice:surveys-edit", phase_id=phase_id)
    return _editor(request, survey)


@staff_required
@require_POST
def add_page(request: HttpRequest, phase_id: int) -> HttpResponse:
    survey = _survey(request, phase_id)
    form = PageForm(request.POST, **_languages(request))
    if not form.is_valid():
        return _editor(request, survey, page_form=form)
    services.add_page(staff=_staff(request), survey=survey, title=form.texts("title"))
    messages.success(request, _("The page is added."))
    return redirect("backoffice:surveys-edit", phase_id=phase_id)


def _page(request: HttpRequest, page_id: int) -> SurveyPage:
    page = SurveyPage.objects.select_related("survey__phase").filter(pk=page_id).first()
    if page is None:
        raise Http404
    _phase(request, page.survey.phase_id)
    return page


@staff_required
@require_POST
def delete_page(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page(request, page_id)
    try:
        services.delete_page(staff=_staff(request), page=page)
    except (Refused, NotAllowed) as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("The page and its questions are deleted."))
    return redirect("backoffice:surveys-edit", phase_id=page.survey.phase_id)


def _question_page(
    request: HttpRequest, survey: Survey, kind: Kind, question: Question | None
) -> HttpResponse:
    pages = list(survey.pages.all())
    chosen_page = request.GET.get("page")
    form = QuestionForm(
        request.POST or None,
        kind=kind.key,
        pages=pages,
        question=question,
        initial={"page": chosen_page} if chosen_page and question is None else None,
        **_languages(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(
                staff=_staff(request),
                survey=survey,
                page=form.cleaned_data["page"],
                kind=kind.key,
                text=form.texts("text"),
                help_text=form.texts("help"),
                required=form.cleaned_data["required"],
                config=form.config,
                question=question,
            )
        except (Refused, NotAllowed) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The question is saved."))
            return redirect("backoffice:surveys-edit", phase_id=survey.phase_id)
    return render(
        request,
        "backoffice/surveys/question.html",
        {
            "survey": survey,
            "phase": survey.phase,
            "project": survey.phase.project,
            "form": form,
            "kind_label": kind.label,
            "question": question,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def add_question(request: HttpRequest, phase_id: int) -> HttpResponse:
    survey = _survey(request, phase_id)
    kind = get_kind(request.GET.get("kind", ""))
    if kind is None:
        messages.error(request, _("Choose what kind of question to add."))
        return redirect("backoffice:surveys-edit", phase_id=phase_id)
    return _question_page(request, survey, kind, None)


def _question(request: HttpRequest, question_id: int) -> Question:
    question = Question.objects.select_related("survey__phase").filter(pk=question_id).first()
    if question is None:
        raise Http404
    _phase(request, question.survey.phase_id)
    return question


@staff_required
def edit_question(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    return _question_page(request, question.survey, kind_of(question), question)


@staff_required
@require_POST
def delete_question(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    services.delete_question(staff=_staff(request), question=question)
    messages.success(request, _("The question is deleted."))
    return redirect("backoffice:surveys-edit", phase_id=question.survey.phase_id)


@staff_required
@require_POST
def add_rule(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page(request, page_id)
    pages = list(page.survey.pages.all())
    form = RuleForm(request.POST, page=page, pages=pages, language=_language(request))
    if form.is_valid():
        question, value = form.cleaned_data["when"]
        try:
            services.add_rule(
                staff=_staff(request),
                page=page,
                question=question,
                value=value,
                target=form.cleaned_data["target"],
            )
        except (Refused, NotAllowed) as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("The rule is added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("backoffice:surveys-edit", phase_id=page.survey.phase_id)


@staff_required
@require_POST
def delete_rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = SkipRule.objects.select_related("page__survey").filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    _phase(request, rule.page.survey.phase_id)
    services.delete_rule(staff=_staff(request), rule=rule)
    messages.success(request, _("The rule is deleted."))
    return redirect("backoffice:surveys-edit", phase_id=rule.page.survey.phase_id)


@staff_required
def results(request: HttpRequest, phase_id: int) -> HttpResponse:
    survey = _survey(request, phase_id)
    language = _language(request)
    found = selectors.question_results(survey, language, staff=True)
    themes = None
    themed = request.GET.get("themes", "")
    if themed.isdigit():
        question = survey.questions.filter(pk=int(themed)).first()
        if question is None:
            raise Http404
        texts = selectors.open_texts(survey, question)
        clustering = cluster_texts(texts)
        themes = {
            "question": question,
            "groups": [
                {
                    "words": [word for word, _weight in cluster.top_words[:5]],
                    "texts": [texts[i] for i in cluster.members],
                }
                for cluster in clustering.clusters
            ],
            "unclustered": [texts[i] for i in clustering.unclustered],
        }
    return render(
        request,
        "backoffice/surveys/results.html",
        {
            "survey": survey,
            "phase": survey.phase,
            "project": survey.phase.project,
            "results": found,
            "charts": {r.question.pk: svg(r.chart) for r in found if r.chart is not None},
            "total": selectors.submitted_responses(survey).count(),
            "drafts": survey.responses.filter(submitted_at__isnull=True).count(),
            "themes": themes,
        },
    )


@staff_required
def export(request: HttpRequest, phase_id: int, fmt: str) -> HttpResponse:
    survey = _survey(request, phase_id)
    city = city_of(request)
    headers, rows = survey_table(
        survey,
        language=_language(request),
        zone=timezone.get_current_timezone(),
        default_language=city.default_language,
    )
    name = f"survey-{slugify(survey.phase.project.slug)}-{survey.phase_id}"
    if fmt == "xlsx":
        content, _count = write_xlsx(headers=headers, rows=rows, title=_("Answers"))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    content, _count = write_csv(headers=headers, rows=rows)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@staff_required
def answer_file(request: HttpRequest, file_id: int) -> FileResponse:
    upload = AnswerFile.objects.select_related("response__survey").filter(pk=file_id).first()
    if upload is None:
        raise Http404
    _phase(request, upload.response.survey.phase_id)
    # Always a download, whatever it is: a respondent's file is never shown in the back office.
    return stored_file_response(
        upload.file.open("rb"),
        stored_name=upload.file.name,
        download_name=upload.name,
        download=True,
    )
