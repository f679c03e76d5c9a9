"""Building surveys and answering them: skip logic, drafts, once per person, anonymity, and
the problems the editor reports."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from ratusz.accounts.models import User
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.surveys import selectors, services
from ratusz.consultations.methods.surveys.exports import survey_table
from ratusz.consultations.methods.surveys.forms import PhaseSettingsForm
from ratusz.consultations.methods.surveys.models import Response
from ratusz.consultations.methods.surveys.services import NotAllowed, Refused, Respondent
from tests.consultations.methods.surveys.conftest import build_survey, make_survey_phase, question


def pages(survey):
    return list(survey.pages.order_by("position"))


def answer_all(survey, respondent, cycles="c1"):
    first, second, third = pages(survey)
    cycle = question(survey, "Do you cycle?")
    _, following = services.answer_page(
        survey=survey, respondent=respondent, page=first, answers={cycle.pk: {"choice": cycles}}
    )
    if following == second:
        scale = question(survey, "How safe do you feel?")
        text = question(survey, "What should change?")
        _, following = services.answer_page(
            survey=survey,
            respondent=respondent,
            page=second,
            answers={scale.pk: 4, text.pk: "More bike lanes on the main streets"},
        )
    assert following == third
    return services.answer_page(
        survey=survey,
        respondent=respondent,
        page=third,
        answers={question(survey, "Your age").pk: "34"},
    )


def test_a_skip_rule_sends_non_cyclists_past_the_cycling_page(survey, resident):
    first, _second, third = pages(survey)
    response, following = services.answer_page(
        survey=survey,
        respondent=Respondent(user=resident),
        page=first,
        answers={question(survey, "Do you cycle?").pk: {"choice": "c2"}},
    )
    assert following == third
    assert response.path == [first.pk, third.pk]
    response, following = services.answer_page(
        survey=survey, respondent=Respondent(user=resident), page=third, answers={}
    )
    assert following is None
    assert response.submitted_at is not None


def test_without_a_matching_rule_the_next_page_follows(survey, resident):
    response, _following = answer_all(survey, Respondent(user=resident))
    assert response.submitted_at is not None
    assert response.answers[str(question(survey, "How safe do you feel?").pk)] == 4
    assert response.user == resident


def test_each_page_saves_the_draft_and_going_back_keeps_answers(survey, resident):
    first, second, _third = pages(survey)
    me = Respondent(user=resident)
    cycle = question(survey, "Do you cycle?")
    services.answer_page(
        survey=survey, respondent=me, page=first, answers={cycle.pk: {"choice": "c1"}}
    )
    text = question(survey, "What should change?")
    response, back_to = services.answer_page(
        survey=survey, respondent=me, page=second, answers={text.pk: "Benches"}, move="back"
    )
    assert back_to == first
    assert response.submitted_at is None
    assert response.answers[str(text.pk)] == "Benches"
    assert response.answers[str(cycle.pk)] == {"choice": "c1"}
    resumed = services.response_of(survey, me)
    assert resumed is not None and resumed.pk == response.pk  # resumed, not a new one


def test_a_missing_required_answer_is_refused_but_the_draft_is_kept(survey, resident):
    first, _second, _third = pages(survey)
    district = question(survey, "Your district")
    me = Respondent(user=resident)
    with pytest.raises(Refused, match="required"):
        services.answer_page(
            survey=survey, respondent=me, page=first, answers={district.pk: "Oliwa"}
        )
    # "stay" saves what was valid, so the resident loses nothing.
    response, stay = services.answer_page(
        survey=survey, respondent=me, page=first, answers={district.pk: "Oliwa"}, move="stay"
    )
    assert stay == first
    assert response.answers == {str(district.pk): "Oliwa"}


def test_answering_twice_is_refused_and_the_database_holds_one_per_account(survey, resident):
    answer_all(survey, Respondent(user=resident))
    with pytest.raises(Refused, match="already answered"):
        services.answer_page(
            survey=survey,
            respondent=Respondent(user=resident),
            page=pages(survey)[0],
            answers={},
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, user=resident, respondent_key="a:other")


def test_anonymous_responses_are_not_linked_but_still_once_per_account(
    city_admin, in_city, resident
):
    phase = make_survey_phase("anonimowa", anonymous=True)
    survey = build_survey(city_admin, phase)
    response, _ = answer_all(survey, Respondent(user=resident))
    assert response.user is None and response.anonymous
    # The key is an HMAC of the account (64 hex digits) with no part naming the account; the
    # digits of its id may show up in the hex by chance (a two-digit id about 1 run in 5).
    assert response.respondent_key.startswith("a:") and len(response.respondent_key) == 66
    assert str(resident.pk) not in response.respondent_key.split(":")
    with pytest.raises(Refused, match="already answered"):
        answer_all(survey, Respondent(user=resident))
    _headers, rows = survey_table(survey, language="en", zone=None, default_language="pl")
    assert [row[2] for row in rows] == ["Anonymous"]


def test_without_an_account_only_when_the_phase_allows_it(city_admin, in_city):
    closed = build_survey(city_admin, make_survey_phase("zamknieta"))
    visitor = Respondent(user=None, browser_token="tok-1", ip="10.0.0.1")
    with pytest.raises(NotAllowed) as refusal:
        answer_all(closed, visitor)
    assert refusal.value.decision.code == "login"
    open_survey = build_survey(city_admin, make_survey_phase("otwarta", allow_without_account=True))
    response, _ = answer_all(open_survey, visitor)
    assert response.user is None
    assert response.respondent_key.startswith("b:") and "tok-1" not in response.respondent_key
    with pytest.raises(Refused, match="already answered"):
        answer_all(open_survey, visitor)


def test_browsers_from_one_address_are_limited(city_admin, in_city, monkeypatch):
    monkeypatch.setattr(services, "BROWSER_RESPONSES_PER_HOUR", 2)
    survey = build_survey(city_admin, make_survey_phase("limit", allow_without_account=True))
    first = pages(survey)[0]
    for n in range(2):
        services.answer_page(
            survey=survey,
            respondent=Respondent(user=None, browser_token=f"t{n}", ip="10.0.0.9"),
            page=first,
            answers={},
            move="stay",
        )
    with pytest.raises(Refused, match="try again later"):
        services.answer_page(
            survey=survey,
            respondent=Respondent(user=None, browser_token="t3", ip="10.0.0.9"),
            page=first,
            answers={},
            move="stay",
        )


def test_the_refusal_comes_from_can_act(survey):
    decision = can_act(AnonymousUser(), survey.phase, Action.ANSWER)
    assert decision.code == "login"
    assert services.answer_decision(AnonymousUser(), survey.phase).message == decision.message


def test_a_skip_to_a_deleted_page_is_reported_and_blocks_answering(survey, city_admin, resident):
    assert selectors.survey_problems(survey) == []
    services.delete_page(staff=city_admin, page=pages(survey)[2])
    problems = selectors.survey_problems(survey)
    assert any("skips to a page that was deleted" in p for p in problems)
    with pytest.raises(Refused, match="being corrected"):
        services.answer_page(
            survey=survey, respondent=Respondent(user=resident), page=pages(survey)[0], answers={}
        )


def test_a_rule_on_a_deleted_question_is_reported(survey, city_admin):
    services.delete_question(staff=city_admin, question=question(survey, "Do you cycle?"))
    problems = selectors.survey_problems(survey)
    assert any("tests a question that was deleted" in p for p in problems)


def test_rules_only_skip_forward_and_only_staff_edit(survey, city_admin, resident):
    first, second, _third = pages(survey)
    scale = question(survey, "How safe do you feel?")
    with pytest.raises(Refused, match="skip forward"):
        services.add_rule(staff=city_admin, page=second, question=scale, value="1", target=first)
    with pytest.raises(NotAllowed):
        services.add_page(staff=resident, survey=survey, title={"en": "Mine"})


def test_results_count_and_percentages(survey, resident, neighbour):
    answer_all(survey, Respondent(user=resident), cycles="c1")
    answer_all(survey, Respondent(user=neighbour), cycles="c2")
    results = {r.question.pk: r for r in selectors.question_results(survey, "en", staff=True)}
    cycle = results[question(survey, "Do you cycle?").pk]
    assert cycle.table == [("Yes", 1, "50%"), ("No", 1, "50%")]
    assert cycle.chart is not None and cycle.chart.values == [1.0, 1.0]
    assert results[question(survey, "What should change?").pk].texts == [
        "More bike lanes on the main streets"
    ]
    headers, rows = survey_table(survey, language="en", zone=None, default_language="pl")
    assert "Do you cycle?" in headers
    assert [row[headers.index("Do you cycle?")] for row in rows] == ["Yes", "No"]


def test_the_settings_form_gives_the_phase_options(survey_phase):
    form = PhaseSettingsForm({"anonymous": "on", "results_public": "on"}, phase=survey_phase)
    assert form.is_valid()
    assert form.cleaned_data == {
        "anonymous": True,
        "allow_without_account": False,
        "results_public": True,
    }


def test_an_account_deleted_later_leaves_the_answers(survey, resident):
    response, _ = answer_all(survey, Respondent(user=resident))
    User.objects.filter(pk=resident.pk).delete()
    response.refresh_from_db()
    assert response.user is None and response.answers


def test_submitted_answers_count_on_the_dashboard_but_drafts_do_not(survey, resident):
    from zoneinfo import ZoneInfo

    from ratusz.consultations.core.models import Project
    from ratusz.consultations.reports.registry import Scope, metric

    answers = metric("survey_answers")
    assert answers is not None
    scope = Scope(
        projects=Project.objects.all(),
        whole_city=True,
        administrator=True,
        zone=ZoneInfo("Europe/Warsaw"),
        default_language="pl",
    )
    first = pages(survey)[0]
    services.answer_page(
        survey=survey,
        respondent=Respondent(user=resident),
        page=first,
        answers={question(survey, "Do you cycle?").pk: {"choice": "c1"}},
    )
    assert answers.events(scope).count() == 0  # a draft is not an answer yet
    answer_all(survey, Respondent(user=resident))
    assert answers.events(scope).count() == 1
