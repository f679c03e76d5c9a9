"""City-plane data of surveys: a survey per phase, its pages, questions and skip rules, and
the residents' responses (drafts until submitted).

Texts a city writes are stored per language ({"pl": ..., "en": ...}) like the rest of the
city's content. A skip rule keeps pointing at its page and question with nullable foreign keys
(SET_NULL): deleting a page or a question leaves the rule visibly broken, so the editor can say
what to fix instead of the rule silently disappearing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratusz.consultations.core.models import Phase
from ratusz.tenants.uploads import UploadedDocumentField


class Survey(models.Model):
    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="survey")
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    thank_you = models.JSONField(_("thank-you text"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"survey of phase {self.phase_id}"


class SurveyPage(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pages")
    title = models.JSONField(_("title"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey page")
        verbose_name_plural = _("survey pages")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"page {self.position} of survey {self.survey_id}"


class QuestionKind(models.TextChoices):
    """The keys of the kinds Ratusz ships, as the database's check constraint lists them. What
    a kind does is its class in `kinds` (registered under the same key)."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Linear scale")
    MATRIX = "matrix", _("Matrix (rows and columns)")
    NUMBER = "number", pgettext_lazy("kind of answer", "Number")
    DATE = "date", _("Date")
    MAP = "map", _("Point on a map")
    AREA = "area", _("Area on a map")
    FILE = "file", _("File upload")


# An area answer is a polygon: {"points": [[lat, lon], ...]}, its ring left open (the last
# point joins the first). Enough points to outline a park or a street, few enough to type.
AREA_MIN_POINTS = 3
AREA_MAX_POINTS = 50


class Question(models.Model):
    """One question. `config` holds what its kind needs:
    choices [{"key", "label": {lang: text}}], allow_other, min, max, min_label, max_label,
    rows / columns (matrix, like choices), extensions and max_mb (file)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    config = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} question {self.pk}"


class SkipRule(models.Model):
    """On `page`, if the answer to `question` is (or, for several choices, includes) `value`,
    go to `target` (a later page), or to the end when `to_end`."""

    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="rules")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="rules"
    )
    value = models.CharField(max_length=200)
    target = models.ForeignKey(
        SurveyPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming"
    )
    to_end = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("skip rule")
        verbose_name_plural = _("skip rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"rule {self.pk} on page {self.page_id}"


class Response(models.Model):
    """One respondent's answers to one survey. `respondent_key` is a hash (of the account, or
    of the browser's token), unique per survey: once per person even when the response is
    anonymous and `user` stays empty. `path` lists the pages visited, in order, so that going
    back follows the skips the respondent took."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    respondent_key = models.CharField(max_length=80)
    anonymous = models.BooleanField(default=False)
    answers = models.JSONField(default=dict, blank=True)
    path = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="survey_one_response_per_respondent"
            ),
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_one_response_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to survey {self.survey_id}"


class AnswerFile(models.Model):
    """A file a respondent uploaded to a file question (the answer refers to it by id)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="files")
    file = UploadedDocumentField(upload_to="survey-answers/")
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded answer")
        verbose_name_plural = _("uploaded answers")

    def __str__(self) -> str:
        return self.name
