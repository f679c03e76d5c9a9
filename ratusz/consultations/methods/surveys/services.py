"""Writes on surveys: staff build the form; residents answer page by page (each page saves the
draft) and submit once."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz import errors
from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import (
    ALLOWED,
    Decision,
    action_rule,
    can_act,
    is_project_staff,
)
from ratusz.consultations.methods.surveys.kinds import get_kind, kind_of
from ratusz.consultations.methods.surveys.models import (
    AnswerFile,
    Question,
    Response,
    SkipRule,
    Survey,
    SurveyPage,
)
from ratusz.consultations.methods.surveys.selectors import survey_problems
from ratusz.tenants.uploads import display_name

# New browser (no-account) responses one address may start per hour: enough for a family or
# a library computer, too few to stuff a survey.
BROWSER_RESPONSES_PER_HOUR = 20


class NotAllowed(PermissionError):
    """The person may not do this now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(errors.Refused, ValueError):
    """The request cannot be carried out as asked; the message says why."""

    code = "survey_refused"


@dataclass(frozen=True)
class Respondent:
    """Who answers: an account, or (when the phase allows it) a browser's token."""

    user: User | None
    browser_token: str = ""
    ip: str = ""


def answer_decision(user: Any, phase: Phase) -> Decision:
    """May this person answer the survey now? Without an account only when the phase allows
    answering without one and the action is open to everyone."""
    decision = can_act(user, phase, Action.ANSWER)
    if (
        decision.code == "login"
        and phase.options.get("allow_without_account")
        and action_rule(phase, Action.ANSWER)["who"] == "everyone"
    ):
        return ALLOWED
    return decision


def respondent_key(survey: Survey, respondent: Respondent) -> str:
    """A hash naming the respondent within this survey; it does not reveal the account."""
    if respondent.user is not None and respondent.user.is_authenticated:
        digest = hmac.new(
            settings.SECRET_KEY.encode(),
            f"survey-account:{survey.pk}:{respondent.user.pk}".encode(),
            hashlib.sha256,
        ).hexdigest()
        return f"a:{digest}"
    if respondent.browser_token:
        return "b:" + hashlib.sha256(respondent.browser_token.encode()).hexdigest()
    return ""


def _staff_only(user: User, phase: Phase) -> None:
    if not is_project_staff(user, phase.project):
        raise NotAllowed(
            Decision(False, "not_staff", _("Only the project's staff can edit this survey."))
        )


# --- building the survey -------------------------------------------------------------------


def ensure_survey(*, phase: Phase) -> Survey:
    """The phase's survey, made with one empty page the first time it is asked for."""
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(phase=phase)
        if created:
            SurveyPage.objects.create(survey=survey, position=1)
    return survey


def update_texts(
    *, staff: User, survey: Survey, intro: dict[str, str], thank_you: dict[str, str]
) -> Survey:
    _staff_only(staff, survey.phase)
    survey.intro = {k: v.strip() for k, v in intro.items() if v.strip()}
    survey.thank_you = {k: v.strip() for k, v in thank_you.items() if v.strip()}
    survey.save(update_fields=["intro", "thank_you", "updated_at"])
    return survey


def add_page(*, staff: User, survey: Survey, title: dict[str, str]) -> SurveyPage:
    _staff_only(staff, survey.phase)
    with transaction.atomic():
        last = survey.pages.order_by("-position").values_list("position", flat=True).first()
        return SurveyPage.objects.create(
            survey=survey,
            title={k: v.strip() for k, v in title.items() if v.strip()},
            position=(last or 0) + 1,
        )


def delete_page(*, staff: User, page: SurveyPage) -> None:
    """Delete a page with its questions. Rules that skipped to it, or tested its questions,
    stay and are reported as broken until someone fixes them."""
    _staff_only(staff, page.survey.phase)
    if page.survey.pages.count() <= 1:
        raise Refused(_("A survey needs at least one page."))
    page.delete()


def save_question(
    *,
    staff: User,
    survey: Survey,
    page: SurveyPage,
    kind: str,
    text: dict[str, str],
    help_text: dict[str, str],
    required: bool,
    config: dict[str, Any],
    question: Question | None = None,
) -> Question:
    """Add a question to a page, or edit one (its kind stays what it was made as)."""
    _staff_only(staff, survey.phase)
    if page.survey_id != survey.pk:
        raise Refused(_("This page belongs to another survey."))
    if get_kind(kind) is None:
        raise Refused(_("Unknown kind of question."))
    with transaction.atomic():
        if question is None:
            last = page.questions.order_by("-position").values_list("position", flat=True).first()
            question = Question(survey=survey, kind=kind, position=(last or 0) + 1)
        elif question.page_id != page.pk:
            last = page.questions.order_by("-position").values_list("position", flat=True).first()
            question.position = (last or 0) + 1
        question.page = page
        question.text = {k: v.strip() for k, v in text.items() if v.strip()}
        question.help = {k: v.strip() for k, v in help_text.items() if v.strip()}
        question.required = required
        question.config = config
        question.save()
    return question


def delete_question(*, staff: User, question: Question) -> None:
    _staff_only(staff, question.survey.phase)
    question.delete()


def add_rule(
    *,
    staff: User,
    page: SurveyPage,
    question: Question,
    value: str,
    target: SurveyPage | None,
) -> SkipRule:
    """On `page`, when `question` is answered with `value`, go to `target` (None: the end)."""
    _staff_only(staff, page.survey.phase)
    if question.page_id != page.pk:
        raise Refused(_("A rule can only test a question on its own page."))
    if target is not None and (
        target.survey_id != page.survey_id or target.position <= page.position
    ):
        raise Refused(_("A rule can only skip forward, to a later page of the same survey."))
    last = page.rules.order_by("-position").values_list("position", flat=True).first()
    return SkipRule.objects.create(
        page=page,
        question=question,
        value=value,
        target=target,
        to_end=target is None,
        position=(last or 0) + 1,
    )


def delete_rule(*, staff: User, rule: SkipRule) -> None:
    _staff_only(staff, rule.page.survey.phase)
    rule.delete()


# --- answering -----------------------------------------------------------------------------


def rule_matches(rule: SkipRule, answer: Any) -> bool:
    if answer is None or rule.question is None:
        return False
    return kind_of(rule.question).matches(answer, rule.value)


def next_page(survey: Survey, page: SurveyPage, answers: dict[str, Any]) -> SurveyPage | None:
    """Where a respondent goes after `page`: the first rule that matches, else the next page;
    None means the end of the survey."""
    for rule in page.rules.select_related("question", "target"):
        if rule.question is not None and rule_matches(rule, answers.get(str(rule.question_id))):
            return None if rule.to_end else rule.target
    return survey.pages.filter(position__gt=page.position).order_by("position", "pk").first()


def response_of(survey: Survey, respondent: Respondent) -> Response | None:
    key = respondent_key(survey, respondent)
    if not key:
        return None
    return Response.objects.filter(survey=survey, respondent_key=key).first()


def _browser_quota(ip: str) -> None:
    key = f"surveys:browser-responses:{ip or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        started = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        started = 1
    if started > BROWSER_RESPONSES_PER_HOUR:
        raise Refused(
            _(
                "Many surveys were started from your internet connection in the last hour. "
                "Please try again later, or log in to answer."
            )
        )


def _start(survey: Survey, respondent: Respondent, first: SurveyPage) -> Response:
    anonymous = bool(survey.phase.options.get("anonymous"))
    user = respondent.user if respondent.user is not None else None
    if user is None:
        _browser_quota(respondent.ip)
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                user=None if anonymous else user,
                respondent_key=respondent_key(survey, respondent),
                anonymous=anonymous,
                path=[first.pk],
            )
    except IntegrityError as exc:  # the same person, in two tabs at once
        raise Refused(_("You have already started this survey; reload the page.")) from exc


def _store_uploads(
    response: Response, page_questions: dict[int, Question], uploads: dict[int, UploadedFile]
) -> dict[str, Any]:
    stored: dict[str, Any] = {}
    for question_id, upload in uploads.items():
        question = page_questions[question_id]
        AnswerFile.objects.filter(response=response, question=question).delete()
        saved = AnswerFile.objects.create(
            response=response, question=question, file=upload, name=display_name(upload.name)
        )
        stored[str(question_id)] = {"file": saved.pk, "name": saved.name}
    return stored


Move = Literal["next", "back", "stay"]


def answer_page(
    *,
    survey: Survey,
    respondent: Respondent,
    page: SurveyPage,
    answers: dict[int, Any],
    uploads: dict[int, UploadedFile] | None = None,
    move: Move = "next",
) -> tuple[Response, SurveyPage | None]:
    """Save the answers given on `page` into the respondent's draft, then move: "next"
    (required answers must be there; after the last page the response is submitted), "back"
    (to the page visited before) or "stay" (keep the draft, e.g. when some answers were
    invalid). Returns the response and the page to show next (None once submitted)."""
    decision = answer_decision(respondent.user or _anonymous(), survey.phase)
    if not decision.allowed:
        raise NotAllowed(decision)
    if survey_problems(survey):
        raise Refused(_("This survey is being corrected by the city; please come back later."))
    page_questions = {q.pk: q for q in page.questions.all()}
    for question_id, value in answers.items():
        question = page_questions.get(question_id)
        if question is not None and value not in (None, "", [], {}):
            problem = kind_of(question).stored_problem(value)
            if problem is not None:
                raise Refused(problem)
    with transaction.atomic():
        response = response_of(survey, respondent)
        if response is None:
            first = survey.pages.order_by("position", "pk").first()
            if first is None or first.pk != page.pk:
                raise Refused(_("Start the survey from its first page."))
            response = _start(survey, respondent, first)
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.submitted_at is not None:
            raise Refused(_("You have already answered this survey. Thank you!"))
        if page.pk not in response.path:
            raise Refused(_("This page is not on your way through the survey."))
        merged = dict(response.answers)
        for question_id, value in answers.items():
            if question_id in page_questions and value not in (None, "", [], {}):
                merged[str(question_id)] = value
            elif question_id in page_questions:
                merged.pop(str(question_id), None)
        merged.update(_store_uploads(response, page_questions, uploads or {}))
        response.answers = merged
        following: SurveyPage | None = page
        if move == "next":
            missing = [
                q
                for q in page_questions.values()
                if q.required and merged.get(str(q.pk)) in (None, "", [], {})
            ]
            if missing:
                raise Refused(_("Answer the required questions on this page first."))
            following = next_page(survey, page, merged)
            # Forget the pages after this one (the respondent may have changed course).
            response.path = response.path[: response.path.index(page.pk) + 1]
            if following is None:
                response.submitted_at = timezone.now()
            else:
                response.path.append(following.pk)
        elif move == "back":
            position = response.path.index(page.pk)
            response.path = response.path[: max(position, 1)]
            following = survey.pages.filter(pk=response.path[-1]).first()
        response.save()
    return response, following


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
