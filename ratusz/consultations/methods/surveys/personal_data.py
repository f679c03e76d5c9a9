"""What surveys hold about a person: their answers (anonymous responses are not linked to the
account, so they are in no one's archive) and the files they uploaded as answers.

On account deletion the answers stay in the survey's results, with nobody's name on them; the
uploaded files go (a photo or a document may show who sent it), and so do the file answers
that named them."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import User
from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.kinds import all_kinds
from ratusz.consultations.methods.surveys.models import AnswerFile, Response
from ratusz.consultations.methods.surveys.selectors import answer_text


def _response(response: Response) -> dict[str, Any]:
    language = response.user.language if response.user else ""
    language = language or "pl"
    questions = {q.pk: q for q in response.survey.questions.all()}
    return {
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


def _uploads(response: Response) -> Iterable[FieldFile]:
    return [answer.file for answer in response.files.order_by("pk")]


def forget_uploads(user: User) -> None:
    """Account deletion: the person's uploaded answers go (rows now, files once the deletion
    is committed), the file answers naming them go from the response, and the respondent key
    (a hash of the account) becomes random, so nothing leads back to the person."""
    for response in Response.objects.filter(user=user).select_for_update():
        uploads = list(AnswerFile.objects.filter(response=response))
        file_questions = {
            str(pk)
            for pk in response.survey.questions.filter(
                kind__in=[kind.key for kind in all_kinds() if kind.takes_files]
            ).values_list("pk", flat=True)
        }
        response.answers = {k: v for k, v in response.answers.items() if k not in file_questions}
        response.respondent_key = f"deleted:{secrets.token_hex(16)}"
        response.save(update_fields=["answers", "respondent_key"])
        for upload in uploads:
            stored = upload.file
            upload.delete()
            if stored.name:
                transaction.on_commit(partial(stored.storage.delete, stored.name))


DECLARATIONS = (
    PersonalDataKind(
        name="survey_answers",
        label=_("Your survey answers"),
        model="surveys.Response",
        person_fields=("user",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=_response,
        files=_uploads,
        file_models=("surveys.AnswerFile",),
        before_deletion=forget_uploads,
    ),
)
