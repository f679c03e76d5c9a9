"""What a person's "download my data" archive holds of their survey answers. Anonymous
responses are not linked to the account, so they are not in it."""

from __future__ import annotations

from typing import Any

from ratusz.accounts.models import User
from ratusz.consultations.surveys.models import Response
from ratusz.consultations.surveys.selectors import answer_text
from ratusz.consultations.translation import translated


def survey_answers_of(user: User) -> list[dict[str, Any]]:
    language = user.language or "pl"
    found = []
    responses = Response.objects.filter(user=user).select_related("survey__phase__project")
    for response in responses:
        questions = {q.pk: q for q in response.survey.questions.all()}
        found.append(
            {
                "project": translated(response.survey.phase.project.title, language),
                "submitted": response.submitted_at,
                "answers": [
                    {
                        "question": translated(questions[int(k)].text, language),
                        "answer": answer_text(questions[int(k)], v, language),
                    }
                    for k, v in response.answers.items()
                    if int(k) in questions
                ],
            }
        )
    return found
