"""Demo content of the participation methods other than ideation: surveys, polls, proposals,
volunteering, events and participatory-budget votes, written through each method's services.

Staff build (a survey's pages, a poll, a cause, an event, the ballot's costs) as the project
manager; residents take part "now", through the same services the pages call, so every rule
holds (the phase is open, who may take part, limits, the waiting list). The dates of what
residents did are then moved back into the phase's past with plain updates, as
`ratusz.demo.cities` does for ideas. Residents are picked with fixed random seeds, so the
content is the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.services import update_phase_settings
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.polls import services as polls
from ratusz.consultations.methods.polls.models import PollVote
from ratusz.consultations.methods.proposals import services as proposals
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatusChange, Support
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import (
    Question,
    QuestionKind,
    Response,
    SkipRule,
    SurveyPage,
)
from ratusz.consultations.methods.surveys.seeding import build_survey
from ratusz.consultations.methods.volunteering import services as volunteering
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.methods.voting.models import Ballot, Candidate
from ratusz.demo.content import (
    DemoBallot,
    DemoCause,
    DemoEvent,
    DemoPhase,
    DemoPoll,
    DemoProposal,
    DemoQuestion,
    DemoSurvey,
)

# Methods whose demo content has residents taking part today: their phase must be open.
_OPEN_TODAY = ("survey", "poll", "proposals", "volunteering", "voting")


class MethodContentError(ValueError):
    """Method content that does not fit its phase (a mistake in the demo data)."""


@dataclass(frozen=True)
class MethodWriter:
    """What the method content needs to know of its city."""

    city: str  # the city's slug: seeds the random choices
    languages: tuple[str, ...]  # the city's languages
    people: dict[str, User]  # DemoPerson.key -> account
    residents: list[User]  # everyone who is not staff
    manager: User
    at: Callable[[int, str], datetime]  # (days from today, "HH:MM") -> a moment in the city
    now: datetime

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.city}:{name}")  # noqa: S311  # repeatable, not secret

    def pick(self, name: str, count: int, *, besides: Sequence[User] = ()) -> list[User]:
        others = [user for user in self.residents if user not in besides]
        if count > len(others):
            raise MethodContentError(f"{name}: more residents needed than the demo has.")
        return self.rng(name).sample(others, count)

    def moment(self, name: str, *, after: datetime) -> datetime:
        """A moment between `after` and the start of today, placed at random."""
        today = self.at(0, "00:00")
        span = max((today - after).total_seconds() - 3600, 60)
        return after + timedelta(seconds=span * self.rng(name).random())


def write_phase_content(writer: MethodWriter, phase: Phase, spec: DemoPhase) -> None:
    has_content = (
        spec.survey or spec.polls or spec.proposals or spec.causes or spec.ballot or spec.events
    )
    if not has_content:
        return
    where = f"{phase.project.slug} ({phase.method})"
    if phase.method in _OPEN_TODAY and not (
        phase.starts_at < writer.at(0, "00:00")
        and (phase.ends_at is None or phase.ends_at > writer.now)
    ):
        raise MethodContentError(f"{where}: residents take part, so the phase must be open today.")
    if spec.survey is not None:
        add_survey(writer, phase, spec.survey)
    for poll in spec.polls:
        add_poll(writer, phase, poll)
    for proposal in spec.proposals:
        add_proposal(writer, phase, proposal)
    for cause in spec.causes:
        add_cause(writer, phase, cause)
    if spec.ballot is not None:
        add_ballot(writer, phase, spec.ballot)
    for event in spec.events:
        add_event(writer, phase, event)


# --- surveys ---------------------------------------------------------------------------------


def _config(question: DemoQuestion) -> dict[str, Any]:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
        return {
            "choices": [
                {"key": f"c{number}", "label": dict(label)}
                for number, label in enumerate(question.choices, start=1)
            ],
            **({"allow_other": False} if question.kind != QuestionKind.RANKING else {}),
        }
    if question.kind == QuestionKind.SCALE:
        low, high = question.scale
        return {
            "min": low,
            "max": high,
            "min_label": dict(question.scale_labels[0]),
            "max_label": dict(question.scale_labels[1]),
        }
    return {}


def survey_template(spec: DemoSurvey) -> dict[str, Any]:
    """The demo's survey as city-template data (ratusz.consultations.methods.surveys.seeding)."""
    return {
        "intro": dict(spec.intro),
        "thank_you": dict(spec.thank_you),
        "pages": [
            {
                "title": dict(page.title),
                "questions": [
                    {
                        "kind": question.kind,
                        "text": dict(question.text),
                        "required": question.required,
                        "config": _config(question),
                    }
                    for question in page.questions
                ],
                "rules": [
                    {"question": skip.question, "value": skip.value, "to_page": skip.to_page}
                    for skip in page.skips
                ],
            }
            for page in spec.pages
        ],
    }


def _answer(question: Question, value: Any) -> Any:
    """A demo answer in the shape the survey's answer form stores."""
    if value is None:
        return None
    if question.kind == QuestionKind.SINGLE:
        return {"choice": value}
    if question.kind == QuestionKind.MULTIPLE:
        return {"choices": list(value)}
    return value


@transaction.atomic
def _build_survey(writer: MethodWriter, phase: Phase, spec: DemoSurvey) -> list[SurveyPage]:
    """Built as a city template's survey is: one implementation of a survey from data."""
    pages = build_survey(
        phase=phase, spec=survey_template(spec), staff=writer.manager, languages=writer.languages
    )
    rules = sum(len(page.skips) for page in spec.pages)
    if len(pages) != len(spec.pages) or SkipRule.objects.filter(page__in=pages).count() != rules:
        raise MethodContentError(f"{phase.project.slug}: a skip rule of the survey does not fit.")
    return pages


def add_survey(writer: MethodWriter, phase: Phase, spec: DemoSurvey) -> None:
    pages = _build_survey(writer, phase, spec)
    survey = pages[0].survey
    for response_spec in spec.responses:
        respondent = surveys.Respondent(user=writer.people[response_spec.person])
        answers = iter(response_spec.answers)
        page: SurveyPage | None = pages[0]
        response: Response | None = None
        while page is not None:
            given = {q.pk: _answer(q, next(answers, None)) for q in page.questions.all()}
            response, page = surveys.answer_page(
                survey=survey, respondent=respondent, page=page, answers=given
            )
        if next(answers, None) is not None:
            raise MethodContentError(
                f"{phase.project.slug}: {response_spec.person}'s survey answers do not fit the "
                "pages they see."
            )
        assert response is not None
        started = writer.at(-response_spec.day, "00:00") + timedelta(
            minutes=writer.rng(f"survey:{response_spec.person}").randint(7 * 60, 22 * 60)
        )
        started = max(started, phase.starts_at + timedelta(hours=1))
        Response.objects.filter(pk=response.pk).update(
            created_at=started,
            updated_at=started + timedelta(minutes=6),
            submitted_at=started + timedelta(minutes=6),
        )


# --- polls -----------------------------------------------------------------------------------


def add_poll(writer: MethodWriter, phase: Phase, spec: DemoPoll) -> None:
    if len(spec.votes) != len(spec.choices):
        raise MethodContentError(f"{phase.project.slug}: give a vote count for every answer.")
    poll = polls.add_poll(
        staff=writer.manager,
        phase=phase,
        question=dict(spec.question),
        choices=[dict(choice) for choice in spec.choices],
        multiple=spec.multiple,
    )
    choices = list(poll.choices.order_by("position"))
    name = f"poll:{phase.project.slug}:{poll.position}"
    voters = writer.pick(name, sum(spec.votes))
    rng = writer.rng(name)
    start = 0
    for choice, count in zip(choices, spec.votes, strict=True):
        for voter in voters[start : start + count]:
            cast = polls.vote(user=voter, poll=poll, choices=[choice])
            when = phase.starts_at + (writer.now - phase.starts_at) * rng.random() ** 1.5
            PollVote.objects.filter(pk=cast.pk).update(created_at=min(when, writer.now))
        start += count


# --- proposals -------------------------------------------------------------------------------


def add_proposal(writer: MethodWriter, phase: Phase, spec: DemoProposal) -> None:
    author = writer.people[spec.author]
    posted = writer.at(-spec.day, "09:15")
    if posted <= phase.starts_at:
        raise MethodContentError(f"“{spec.title}” is submitted before its phase opened.")
    proposal = proposals.submit_proposal(
        author=author, phase=phase, title=spec.title, body=spec.body, now=posted
    )
    Proposal.objects.filter(pk=proposal.pk).update(created_at=posted)
    ProposalStatusChange.objects.filter(proposal=proposal).update(created_at=posted)
    if spec.supporters >= proposal.threshold:
        raise MethodContentError(f"“{spec.title}” would reach its threshold: fewer supporters.")
    name = f"proposal:{spec.title}"
    rng = writer.rng(name)
    for supporter in writer.pick(name, spec.supporters, besides=[author]):
        when = posted + (writer.now - posted) * rng.random() ** 2
        support = proposals.support_proposal(user=supporter, proposal=proposal, now=when)
        Support.objects.filter(pk=support.pk).update(created_at=when)


# --- volunteering ----------------------------------------------------------------------------


def add_cause(writer: MethodWriter, phase: Phase, spec: DemoCause) -> None:
    cause = volunteering.add_cause(
        phase=phase,
        title=dict(spec.title),
        description=dict(spec.description),
        needed=spec.needed,
    )
    if len(spec.volunteers) >= spec.needed:
        raise MethodContentError(f"{phase.project.slug}: leave some places for the visitors.")
    for key in spec.volunteers:
        volunteering.sign_up(user=writer.people[key], cause=cause)


# --- events ----------------------------------------------------------------------------------


def add_event(writer: MethodWriter, phase: Phase | None, spec: DemoEvent) -> Event:
    """An event `spec.days` from today (a city-wide one when `phase` is None), and the people
    who registered for it, in order: past its capacity they wait."""
    starts = writer.at(spec.days, spec.at)
    if starts <= writer.now:
        raise MethodContentError(f"“{spec.title}”: demo events lie ahead.")
    event = events.create_event(
        phase=phase,
        details=events.EventDetails(
            title=dict(spec.title),
            description=dict(spec.description),
            place=dict(spec.place),
            starts_at=starts,
            ends_at=starts + timedelta(hours=spec.hours),
            latitude=Decimal(spec.latitude) if spec.latitude else None,
            longitude=Decimal(spec.longitude) if spec.longitude else None,
            capacity=spec.capacity,
        ),
    )
    name = f"event:{next(iter(spec.title.values()))}"
    for person in writer.pick(name, spec.registrations):
        events.register(user=person, event=event)
    return event


def add_city_events(writer: MethodWriter, specs: Sequence[DemoEvent]) -> None:
    for spec in specs:
        add_event(writer, None, spec)


# --- participatory budget --------------------------------------------------------------------


def add_ballot(writer: MethodWriter, phase: Phase, spec: DemoBallot) -> None:
    """The ideas accepted in the project's ideation phase go on the ballot with their costs;
    then residents fill in and submit their baskets."""
    source = (
        Phase.objects.filter(
            project=phase.project, method="ideation", starts_at__lt=phase.starts_at
        )
        .order_by("-starts_at")
        .first()
    )
    if source is None:
        raise MethodContentError(f"{phase.project.slug}: a budget vote needs an ideation phase.")
    phase = update_phase_settings(
        phase=phase,
        options={"source_phase": source.pk, "source_statuses": ["accepted"]},
        permissions=dict(phase.permissions),
    )
    voting.import_candidates(phase=phase)
    candidates = {
        c.idea.title: c for c in Candidate.objects.filter(phase=phase).select_related("idea")
    }
    if set(candidates) != set(spec.costs):
        raise MethodContentError(
            f"{phase.project.slug}: the accepted ideas and the ideas with costs differ: "
            f"{sorted(set(candidates) ^ set(spec.costs))}"
        )
    for title, cost in spec.costs.items():
        candidates[title] = voting.update_candidate(
            candidate=candidates[title], cost=cost, included=True
        )
    rng = writer.rng(f"ballots:{phase.project.slug}")
    for key, titles in spec.baskets:
        voter = writer.people[key]
        for title in titles:
            voting.add_vote(user=voter, phase=phase, candidate=candidates[title])
        ballot = voting.submit_ballot(user=voter, phase=phase)
        when = phase.starts_at + (writer.now - phase.starts_at) * rng.random()
        Ballot.objects.filter(pk=ballot.pk).update(
            created_at=when - timedelta(minutes=9), updated_at=when, submitted_at=when
        )
