"""A person's data: every model of both planes that refers to an account is declared (exported
and deleted, or not personal data for a stated reason); the archive holds every row of every
kind, readable, with the person's uploads; deleting the account leaves nothing that names the
person, and another city's account of the same address untouched.

The data are made through the services production uses, one or more rows of every kind, so a
new kind must come with data here (the export test fails on a kind it found empty)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test.utils import isolate_apps
from django.utils import timezone, translation
from PIL import Image

from ratusz.accounts.models import Role, User
from ratusz.accounts.personal_data import (
    NotPersonalData,
    OnDeletion,
    PersonalDataKind,
    build_archive,
    not_personal_data,
    personal_data_kinds,
    register_personal_data,
    undeclared_account_fields,
    undeclared_upload_models,
    unregister_personal_data,
)
from ratusz.accounts.selectors import profile_data
from ratusz.accounts.services import (
    accept_invitation,
    create_invitation,
    delete_account,
    record_consent,
)
from ratusz.consultations.campaigns import services as campaigns
from ratusz.consultations.campaigns.models import Audience
from ratusz.consultations.campaigns.unsubscribe import make_token
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import Follow, Idea, Reaction
from ratusz.consultations.methods.polls import services as polls
from ratusz.consultations.methods.proposals import services as proposals
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import AnswerFile
from ratusz.consultations.methods.volunteering import services as volunteering
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.participation.moderation import services as moderation
from ratusz.consultations.participation.notifications import services as notifications
from ratusz.consultations.people import services as people
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from tests.consultations.conftest import make_project
from tests.consultations.methods.voting.conftest import make_vote
from tests.security.isolation_world import tasks_in_process

EMAIL = "anna.unikalna@example.com"
NAME = "Anna Unikalna-Zażółć"
PASSWORD = "correct horse battery"  # test accounts only


def png(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _phase(slug: str, method: str, **options: Any) -> Phase:
    project = consultations.create_project(slug=slug, title={"pl": slug, "en": slug})
    now = timezone.now()
    phase = consultations.add_phase(
        project=project,
        method=method,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=20),
        title={"pl": method, "en": method},
        options=options or None,
    )
    consultations.publish_project(project=project)
    return phase


@dataclass
class Made:
    person: User
    neighbour: User
    idea: Idea
    uploads: dict[str, bytes] = field(default_factory=dict)  # stored file name -> bytes


def make_everything(admin: User, on_commit: Any) -> Made:
    """One person with data of every kind, and a neighbour whose data must stay theirs.
    `on_commit` is pytest-django's django_capture_on_commit_callbacks (notifications are
    recorded once what caused them is committed)."""
    issued = create_invitation(email=EMAIL, role=Role.RESIDENT, full_name=NAME)
    person = accept_invitation(token=issued.token, full_name=NAME, password=PASSWORD)
    record_consent(user=person, terms_version=1, privacy_version=1)
    TOTP.activate(person, generate_totp_secret())
    neighbour = User.objects.create_user("sasiad@example.com", PASSWORD, full_name="Ola Sąsiad")
    people.create_field(key="district", label={"pl": "Dzielnica", "en": "District"}, kind="text")
    people.save_answers(user=person, answers={"district": "Oliwa"})
    group = people.create_group(name="Rada dzielnicy")
    people.add_members(group=group, emails=[person.email, neighbour.email])
    consultations.create_project(slug="zarzadzany", title={"pl": "Z"}, managers=[person])
    notifications.set_frequency(user=person, frequency="daily")

    # Ideas: hers with a photo and an attachment; the neighbour's, which she comments on,
    # likes, follows and reports; the neighbour's comment on hers notifies her.
    phase = make_project("park").phases.get(method="ideation")
    photo = png("photo.png", (10, 120, 200))
    attachment = SimpleUploadedFile("plan.txt", b"Plan of the benches\n", "text/plain")
    idea = ideation.post_idea(
        author=person,
        phase=phase,
        title="Ławki nad Motławą",
        body="<p>Więcej ławek</p>",
        images=[(photo, "Ławka")],
        attachments=[attachment],
    )
    theirs = ideation.post_idea(author=neighbour, phase=phase, title="Zieleń", body="<p>Drzewa</p>")
    ideation.add_comment(author=person, idea=theirs, body="<p>Popieram</p>")
    with tasks_in_process(), on_commit(execute=True):
        ideation.add_comment(author=neighbour, idea=idea, body="<p>Dobry pomysł</p>")
    ideation.react(user=person, idea=theirs, kind=Reaction.Kind.LIKE)
    ideation.react(user=neighbour, idea=idea, kind=Reaction.Kind.LIKE)
    ideation.follow(user=person, idea=theirs)
    moderation.report_content(reporter=person, item=theirs, reason="spam", explanation="Reklama")

    # Survey with an uploaded answer.
    survey = surveys.ensure_survey(phase=_phase("ankieta", "survey"))
    question = surveys.save_question(
        staff=admin,
        survey=survey,
        page=survey.pages.get(),
        kind="file",
        text={"pl": "Zdjęcie", "en": "Photo"},
        help_text={},
        required=False,
        config={"extensions": ["png"], "max_mb": 5},
    )
    answer = png("answer.png", (200, 10, 10))
    surveys.answer_page(
        survey=survey,
        respondent=surveys.Respondent(user=person),
        page=survey.pages.get(),
        answers={},
        uploads={question.pk: answer},
    )

    poll = polls.add_poll(
        staff=admin,
        phase=_phase("sonda", "poll"),
        question={"pl": "Tak?", "en": "Yes?"},
        choices=[{"pl": "Tak", "en": "Yes"}, {"pl": "Nie", "en": "No"}],
        multiple=False,
    )
    polls.vote(user=person, poll=poll, choices=[poll.choices.all()[0]])

    proposals_phase = _phase("wnioski", "proposals")
    proposals.submit_proposal(author=person, phase=proposals_phase, title="Basen", body="<p>B</p>")
    other_proposal = proposals.submit_proposal(
        author=neighbour, phase=proposals_phase, title="Kino", body="<p>K</p>"
    )
    proposals.support_proposal(user=person, proposal=other_proposal)

    starts = timezone.now() + timedelta(days=3)
    event = events.create_event(
        phase=_phase("spacery", "events"),
        details=events.EventDetails(
            title={"pl": "Spacer"}, starts_at=starts, ends_at=starts + timedelta(hours=1)
        ),
    )
    events.register(user=person, event=event)
    cause = volunteering.add_cause(
        phase=_phase("sprzatanie", "volunteering"), title={"pl": "Sprzątanie"}, description={},
        needed=3,
    )  # fmt: skip
    volunteering.sign_up(user=person, cause=cause)

    # A vote: a submitted basket, a census check and a voting code.
    vote = make_vote("budzet", verification=["census", "codes"])
    voting.add_vote(user=person, phase=vote.phase, candidate=vote.candidates[-1])
    voting.submit_ballot(user=person, phase=vote.phase)
    voting.upload_census(
        staff=admin, file_name="l.csv", content=b"ABC123\n", pesel=False, has_header=False
    )
    voting.verify_with_census(user=person, identifier="ABC123", ip="")
    [code] = voting.generate_codes(staff=admin, phase=vote.phase, count=1)
    voting.redeem_code(user=person, phase=vote.phase, code=code, ip="")

    campaign = campaigns.create_campaign(
        author=admin, subject={"pl": "Zaproszenie"}, body={"pl": "<p>Przyjdź</p>"},
        audience=Audience.GROUP, group=group,
    )  # fmt: skip
    campaigns.send_campaign(campaign=campaign, by=admin)
    campaigns.opt_out(token=make_token(person.pk))

    # Last: a block (it stops her taking part) and the moderators' log of it.
    moderation.block_resident(admin=admin, resident=person, reason="Spam")
    uploads = {
        stored.name: stored.read()
        for stored in [*(image.image for image in idea.images.all()), *(
            a.file for a in idea.attachments.all()), *(
            f.file for f in AnswerFile.objects.filter(response__user=person))]
    }  # fmt: skip
    return Made(person=person, neighbour=neighbour, idea=idea, uploads=uploads)


# --- declarations ---------------------------------------------------------------------------


def test_every_field_referring_to_an_account_is_declared():
    """Every model of both planes, the apps of other projects included (allauth's addresses and
    authenticators): a foreign key, one-to-one or many-to-many field to the user model must be
    covered by a kind of personal data or declared not personal data, with a reason."""
    missing = undeclared_account_fields(apps.get_models())
    assert not missing, (
        "These fields refer to an account but no app declared how a person's data archive "
        "holds them and what deleting the account does to them: "
        f"{missing}. Register a PersonalDataKind (or NotPersonalData, with the reason) in the "
        "app's ready() or its method's manifest (see ratusz.accounts.personal_data)."
    )


def test_every_upload_reachable_from_personal_data_is_declared():
    """A model holding files that belongs to a person's row (an idea's photos, a survey
    answer's file) must be among the files some kind puts in the archive."""
    missing = undeclared_upload_models(apps.get_models())
    assert not missing, f"uploads of a person's rows that no kind exports: {missing}"


def test_declarations_name_real_fields_that_refer_to_an_account():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    declared = [(k.model, name) for k in personal_data_kinds() for name in k.person_fields]
    declared += list(not_personal_data())
    for model_label, name in declared:
        field_ = apps.get_model(model_label)._meta.get_field(name)
        assert field_.related_model is user_model, (model_label, name)
    for kind in personal_data_kinds():
        if kind.on_deletion == OnDeletion.ANONYMISE:
            for name in kind.person_fields:
                field_ = kind.model_class()._meta.get_field(name)
                assert field_.many_to_many or getattr(field_, "null", False), (
                    f"{kind.model}.{name} is anonymised on deletion, so it must be nullable"
                )
    for kind in personal_data_kinds():
        assert str(kind.label), f"{kind.name}: say in the label what the files hold"
    for reason in {d.reason for d in not_personal_data().values()}:
        assert len(reason) > 40  # a reason, not a shrug


@isolate_apps("ratusz.consultations.methods.ideation")
def test_a_new_model_with_an_account_field_fails_until_its_author_declares_it():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)

    class Petition(models.Model):
        signer = models.ForeignKey(user_model, null=True, on_delete=models.SET_NULL)
        approver = models.ForeignKey(user_model, null=True, on_delete=models.SET_NULL)

        class Meta:
            app_label = "ideation"

        def __str__(self) -> str:
            return f"petition {self.pk}"

    assert undeclared_account_fields([Petition]) == [
        "ideation.Petition.signer",
        "ideation.Petition.approver",
    ]
    kind = PersonalDataKind(
        name="petitions",
        label="Stand-in",
        model="ideation.Petition",
        person_fields=("signer",),
        on_deletion=OnDeletion.DELETE,
    )
    staff = NotPersonalData(
        model="ideation.Petition", fields=("approver",), reason="staff work " * 6
    )
    register_personal_data(kind, staff)
    try:
        assert undeclared_account_fields([Petition]) == []
    finally:
        unregister_personal_data(kind, staff)


def test_a_declaration_without_a_reason_or_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="say why"):
        register_personal_data(
            NotPersonalData(model="ideation.Idea", fields=("author",), reason=" ")
        )
    taken = next(iter(personal_data_kinds()))
    with pytest.raises(ValueError, match="already registered"):
        register_personal_data(
            PersonalDataKind(
                name=taken.name, label="Stand-in", model="ideation.Follow", person_fields=("user",),
                on_deletion=OnDeletion.DELETE,
            )
        )  # fmt: skip
    for bad in ("profile", "files", "../etc", "Ideas"):
        with pytest.raises(ValueError, match="cannot name"):
            register_personal_data(
                PersonalDataKind(
                    name=bad, label="Stand-in", model="ideation.Follow", person_fields=("user",),
                    on_deletion=OnDeletion.DELETE,
                )
            )  # fmt: skip


# --- the archive ----------------------------------------------------------------------------


def test_the_archive_holds_every_row_of_every_kind_and_the_persons_uploads(
    city, city_admin, django_capture_on_commit_callbacks
):
    with city_context(city.ref):
        made = make_everything(city_admin, django_capture_on_commit_callbacks)
        expected = {
            kind.name: {row.pk for row in kind.rows(made.person)} for kind in personal_data_kinds()
        }
        with translation.override("pl"):  # a page in Polish asks for it
            archive = zipfile.ZipFile(
                io.BytesIO(build_archive(profile=profile_data(made.person), user=made.person))
            )
    empty = sorted(name for name, ids in expected.items() if not ids)
    assert not empty, f"make_everything() made no data of these kinds; give it some: {empty}"
    names = set(archive.namelist())
    for kind_name, ids in expected.items():
        rows = json.loads(archive.read(f"{kind_name}.json"))
        assert {row["id"] for row in rows} == ids, kind_name
        table = list(
            csv.DictReader(io.StringIO(archive.read(f"{kind_name}.csv").decode("utf-8-sig")))
        )
        assert {int(row["id"]) for row in table} == ids, kind_name
    profile = json.loads(archive.read("profile.json"))
    assert profile["account"]["email"] == EMAIL and profile["account"]["name"] == NAME
    assert "README.txt" in names
    # Every upload of hers, byte for byte, and referred to from its row.
    in_archive = {name: archive.read(name) for name in names if name.startswith("files/")}
    assert sorted(in_archive.values()) == sorted(made.uploads.values())
    [idea] = json.loads(archive.read("ideas.json"))
    assert len(idea["files"]) == 2 and set(idea["files"]) <= set(in_archive)
    [survey] = json.loads(archive.read("survey_answers.json"))
    assert len(survey["files"]) == 1 and survey["files"][0] in in_archive
    # Readable: names and labels, not ids; and no secrets.
    assert idea["title"] == "Ławki nad Motławą" and idea["project"] == "Park nad Motławą"
    [reaction] = json.loads(archive.read("reactions.json"))
    assert reaction["idea"] == "Zieleń" and reaction["kind"] == "Polub"
    [factor] = json.loads(archive.read("two_factor.json"))
    assert set(factor) == {"id", "type", "created", "last_used"}
    flat = json.dumps([json.loads(archive.read(n)) for n in names if n.endswith(".json")])
    for secret in ("token_hash", "digest", "respondent_key", '"data"'):
        assert secret not in flat
    assert "Ola Sąsiad" not in flat and "sasiad@example.com" not in flat  # only her data


def test_download_my_data_through_the_page(city, city_admin, django_capture_on_commit_callbacks):
    from tests.accounts.conftest import force_login

    with city_context(city.ref):
        made = make_everything(city_admin, django_capture_on_commit_callbacks)
        moderation.lift_block(admin=city_admin, block=made.person.blocks.get())
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    force_login(city, client, made.person)
    response = client.post("/accounts/data/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {f"{kind.name}.json" for kind in personal_data_kinds()} <= set(archive.namelist())
    readme = archive.read("README.txt").decode()
    assert readme.splitlines()[0] == "Your data in this city's consultation portal."
    assert "ideas.json, ideas.csv: Your ideas" in readme.splitlines()


# --- deletion -------------------------------------------------------------------------------


def _text_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def identifying_rows(*needles: str) -> list[str]:
    """Every row of every table of the current city holding one of `needles` in a text, JSON
    or file-name column."""
    tables = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in tables or model._meta.proxy:
            continue
        columns = _text_columns(model)
        if not columns:
            continue
        queryset = model._default_manager.annotate(
            **{f"_text_{f.name}": Cast(f.name, output_field=TextField()) for f in columns}
        )
        condition = Q()
        for needle in needles:
            for f in columns:
                condition |= Q(**{f"_text_{f.name}__icontains": needle})
        found += [
            f"{model._meta.label} {pk}"
            for pk in queryset.filter(condition).values_list("pk", flat=True)
        ]
    return found


def test_deleting_the_account_leaves_nothing_that_names_the_person(
    city, other_city, city_admin, django_capture_on_commit_callbacks
):
    with city_context(other_city.ref):  # the same address in another city: another account
        elsewhere = User.objects.create_user(EMAIL, PASSWORD, full_name=NAME)
        elsewhere_phase = make_project("park").phases.get(method="ideation")
        ideation.post_idea(
            author=elsewhere, phase=elsewhere_phase, title="Springfield", body="<p>x</p>"
        )
    with city_context(city.ref):
        made = make_everything(city_admin, django_capture_on_commit_callbacks)
        before = {
            kind.name: {row.pk for row in kind.rows(made.person)} for kind in personal_data_kinds()
        }
        neighbours = {
            kind.name: {row.pk for row in kind.rows(made.neighbour)}
            for kind in personal_data_kinds()
        }
        assert identifying_rows(EMAIL, NAME)  # the scan finds her before
        person_pk = made.person.pk
        with django_capture_on_commit_callbacks(execute=True):
            delete_account(user=made.person)

        assert not User.objects.filter(pk=person_pk).exists()
        assert identifying_rows(EMAIL, NAME) == []
        for kind in personal_data_kinds():
            model = kind.model_class()
            kept = set(
                model._default_manager.filter(pk__in=before[kind.name]).values_list("pk", flat=True)
            )
            if kind.on_deletion == OnDeletion.DELETE:
                assert kept == set(), kind.name
            else:
                assert kept == before[kind.name], kind.name  # still there for everyone else
                for name in kind.person_fields:
                    assert not model._default_manager.filter(**{f"{name}__pk": person_pk}).exists()
            # The neighbour's rows are theirs still.
            assert {row.pk for row in kind.rows(made.neighbour)} == neighbours[kind.name], kind.name
        # Her uploaded survey answer is gone from storage; her idea keeps its photo.
        assert not AnswerFile.objects.exists()
        idea = Idea.objects.get(pk=made.idea.pk)
        assert idea.author_id is None and idea.images.count() == 1
        assert idea.likes == 1  # the neighbour's like counts; hers on the other idea does not
        assert Idea.objects.get(title="Zieleń").likes == 0
    with city_context(other_city.ref):
        account = User.objects.get(email=EMAIL)
        assert account.full_name == NAME
        assert Idea.objects.filter(author=account, title="Springfield").exists()


def test_a_failing_step_deletes_nothing(city, city_admin, django_capture_on_commit_callbacks):
    def broken(user: User) -> None:
        raise RuntimeError("ideation is down")

    failing = PersonalDataKind(
        name="zz-broken", label="Stand-in", model="ideation.Follow", person_fields=("user",),
        on_deletion=OnDeletion.DELETE, before_deletion=broken,
    )  # fmt: skip
    with city_context(city.ref):
        made = make_everything(city_admin, django_capture_on_commit_callbacks)
        register_personal_data(failing)
        try:
            with pytest.raises(RuntimeError):
                delete_account(user=made.person)
        finally:
            unregister_personal_data(failing)
        assert User.objects.filter(pk=made.person.pk).exists()
        assert Follow.objects.filter(user=made.person).exists()
