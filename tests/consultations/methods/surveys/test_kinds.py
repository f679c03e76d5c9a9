"""Question kinds are a registry: a new kind is one class. A throw-away kind defined only
here, once registered, is offered by the editor, asked in the residents' form, validated,
tested by skip rules, counted in the results and written in the exports."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.db import connection

from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.exports import SURVEY_DATASET, survey_table
from ratusz.consultations.methods.surveys.forms import AnswerForm, QuestionForm, RuleForm
from ratusz.consultations.methods.surveys.kinds import (
    Kind,
    QuestionResult,
    all_kinds,
    kind_choices,
    register,
    unregister,
)
from ratusz.consultations.methods.surveys.models import Question, QuestionKind, Response
from ratusz.consultations.reports.registry import Scope
from ratusz.tenants.context import city_context
from tests.consultations.methods.surveys.conftest import english, make_survey_phase


class Postcode(Kind):
    """A Polish postcode ("80-001"), perhaps limited to a region's prefix."""

    key = "postcode"
    label = "Postcode"
    branching = True
    missing = "Give your postcode."

    def add_settings(self, form: QuestionForm) -> None:
        form.fields["region"] = forms.CharField(label="Region prefix", required=False)

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        return {"region": data.get("region") or ""}

    def branching_values(self, question: Question, language: str) -> list[tuple[str, str]]:
        return [("80-001", "Gdańsk centre")]

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        value = (data.get(f"q{question.pk}") or "").strip()
        if value and not re.fullmatch(r"\d\d-\d\d\d", value):
            raise forms.ValidationError("Write the postcode as 00-000.")
        if value and not value.startswith(question.config.get("region", "")):
            raise forms.ValidationError("This postcode is outside the region.")
        return value

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        if given:
            result.summary = [("Most common postcode", Counter(given).most_common(1)[0][0])]

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        return f"postcode {value}"


@pytest.fixture
def postcode_kind(city) -> Iterator[None]:
    """The kind registered for one test. The database's check constraint lists the kinds
    Ratusz ships (a shipped kind's migration adds its key); it is dropped inside the test's
    transaction, which rolls back."""
    register(Postcode)
    with city_context(city.ref), connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{city.schema}".surveys_question '
            "DROP CONSTRAINT survey_question_kind_valid"
        )
    yield
    unregister(Postcode.key)


def test_the_kinds_shipped_are_the_stored_kinds_in_the_editors_order():
    assert [kind.key for kind in all_kinds()] == QuestionKind.values
    assert kind_choices() == [(value, str(label)) for value, label in QuestionKind.choices]


def test_a_kind_registered_twice_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        register(type(all_kinds()[0]))


def test_a_new_kind_is_one_class(city, city_admin, resident, in_city, postcode_kind):
    phase = make_survey_phase("kody")
    survey = services.ensure_survey(phase=phase)
    first = survey.pages.get()
    services.add_page(staff=city_admin, survey=survey, title={"en": "More"})
    staff = english(city, city_admin)

    # The editor offers the kind, asks what the kind needs and stores it.
    editor = staff.get(f"/admin/surveys/{phase.pk}/").content.decode()
    assert '<option value="postcode">Postcode</option>' in editor
    add = f"/admin/surveys/{phase.pk}/questions/add/?kind=postcode&page={first.pk}"
    assert "Region prefix" in staff.get(add).content.decode()
    saved = staff.post(
        add,
        {
            "text_pl": "Kod pocztowy",
            "text_en": "Your postcode",
            "page": first.pk,
            "required": "on",
            "region": "80",
        },
    )
    assert saved.status_code == 302
    with city_context(city.ref):
        question = Question.objects.get(survey=survey)
        assert (question.kind, question.config) == ("postcode", {"region": "80"})
        assert selectors.survey_problems(survey, "en") == []
        # Skip rules test the values the kind offers.
        rules = RuleForm(page=first, pages=list(survey.pages.all()), language="en")
        assert (f"{question.pk}:80-001", "Your postcode → Gdańsk centre") in rules.fields[
            "when"
        ].choices  # type: ignore[attr-defined]  # a ChoiceField
        services.add_rule(
            staff=city_admin, page=first, question=question, value="80-001", target=None
        )

    assert (
        '<span class="tag">Postcode</span>'
        in staff.get(f"/admin/surveys/{phase.pk}/").content.decode()
    )

    # Residents get its field, its validation and its message for a missing answer.
    client = english(city, resident)
    url = f"/surveys/{phase.pk}/"
    page = client.get(url).content.decode()
    assert "Your postcode" in page and f'name="q{question.pk}"' in page
    missing = client.post(url, {"page": str(first.pk)})
    assert missing.status_code == 400 and "Give your postcode." in missing.content.decode()
    wrong = client.post(url, {"page": str(first.pk), f"q{question.pk}": "8000"})
    assert "Write the postcode as 00-000." in wrong.content.decode()
    outside = client.post(url, {"page": str(first.pk), f"q{question.pk}": "00-950"})
    assert "This postcode is outside the region." in outside.content.decode()
    answered = client.post(url, {"page": str(first.pk), f"q{question.pk}": "80-001"})
    # The rule on the kind's value skipped the second page: the response is submitted.
    assert answered["Location"] == f"/surveys/{phase.pk}/thanks/"
    with city_context(city.ref):
        response = Response.objects.get(survey=survey)
        assert response.answers == {str(question.pk): "80-001"}
        assert response.submitted_at is not None

        # Results count it the kind's way, on the staff's page too.
        (result,) = selectors.question_results(survey, "en", staff=True)
        assert result.answered == 1
        assert result.summary == [("Most common postcode", "80-001")]
    results = staff.get(f"/admin/surveys/{phase.pk}/results/").content.decode()
    assert "Most common postcode" in results

    # Exports write it the kind's way: the survey's table and the exports' dataset.
    download = staff.get(f"/admin/surveys/{phase.pk}/export.csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(download)))
    assert header[-1] == "Your postcode" and row[-1] == "postcode 80-001"
    with city_context(city.ref):
        headers, rows = survey_table(
            survey, language="en", zone=ZoneInfo("Europe/Warsaw"), default_language="pl"
        )
        # Read every row: a generator left open keeps its server-side cursor, whose closing
        # at garbage collection would abort whatever transaction then runs.
        (row,) = list(rows)
        assert headers[-1] == "Your postcode" and row[-1] == "postcode 80-001"
        scope = Scope(
            projects=Project.objects.all(),
            whole_city=True,
            administrator=True,
            zone=ZoneInfo("Europe/Warsaw"),
            default_language="en",
        )
        (exported,) = list(SURVEY_DATASET.rows(scope))
        assert exported[-2:] == ["Your postcode", "postcode 80-001"]
