"""Proposals: submitting, support (once per account), the periodic closing with time moved
forward, e-mails, the city's answers, pages, permissions and the isolation of cities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services as project_services
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.proposals import services, tasks
from ratusz.consultations.methods.proposals.forms import PhaseSettingsForm
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus, Support
from ratusz.consultations.participation.notifications.models import (
    Frequency,
    NotificationPreference,
)
from ratusz.tenants.context import city_context
from tests.consultations.test_pages import english


def make_phase(slug: str = "inicjatywy", **options) -> Phase:
    project = project_services.create_project(
        slug=slug, title={"pl": "Inicjatywy", "en": "Initiatives"}
    )
    now = timezone.now()
    phase = project_services.add_phase(
        project=project,
        method="proposals",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=200),
        options={"threshold": 2, "days": 30, **options},
    )
    project_services.publish_project(project=project)
    return phase


def person(email: str) -> User:
    return User.objects.create_user(email, "correct horse battery", full_name=email.split("@")[0])


@pytest.fixture
def phase(in_city) -> Phase:
    return make_phase()


@pytest.fixture
def proposal(phase, resident) -> Proposal:
    return services.submit_proposal(
        author=resident,
        phase=phase,
        title="Ławki na Oruni",
        body="<p>Więcej ławek</p><script>x</script>",
    )


def test_submitting_sanitises_and_copies_the_phase_settings(proposal, phase):
    assert proposal.body == "<p>Więcej ławek</p>"
    assert proposal.threshold == 2
    assert proposal.deadline - proposal.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )
    with pytest.raises(services.Refused, match="Describe"):
        services.submit_proposal(author=proposal.author, phase=phase, title="X", body="<p> </p>")


def test_one_support_per_account_and_withdrawing(proposal):
    someone = person("a@example.com")
    services.support_proposal(user=someone, proposal=proposal)
    with pytest.raises(services.Refused, match="already support"):
        services.support_proposal(user=someone, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supporter_count == 1
    services.withdraw_support(user=someone, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supporter_count == 0
    with pytest.raises(services.Refused, match="do not support"):
        services.withdraw_support(user=someone, proposal=proposal)


def test_permission_messages_come_from_can_act(in_city, resident):
    phase = make_phase("zweryfikowani")
    phase.permissions = {"vote": {"who": "verified"}}
    phase.save()
    proposal = services.submit_proposal(author=resident, phase=phase, title="T", body="<p>b</p>")
    with pytest.raises(services.NotAllowed) as refused:
        services.support_proposal(user=person("b@example.com"), proposal=proposal)
    assert refused.value.decision.code == "not_verified"


def test_the_periodic_task_closes_proposals_and_tells_people(
    proposal, phase, resident, eager_tasks, django_capture_on_commit_callbacks
):
    quiet, loud = person("cicho@example.com"), person("glosno@example.com")
    NotificationPreference.objects.create(user=quiet, frequency=Frequency.NONE)
    services.support_proposal(user=quiet, proposal=proposal)
    services.support_proposal(user=loud, proposal=proposal)
    lonely = services.submit_proposal(author=loud, phase=phase, title="Fontanna", body="<p>f</p>")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.close_due_proposals.delay().result
    assert result == {"threshold_reached": 1, "expired": 0}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.THRESHOLD_REACHED
    assert sorted(m.to[0] for m in mail.outbox) == ["glosno@example.com", "mieszkanka@example.com"]
    # Support is closed once the threshold is reached.
    with pytest.raises(services.Refused, match="no longer collects"):
        services.withdraw_support(user=loud, proposal=proposal)
    mail.outbox.clear()
    later = (timezone.now() + timedelta(days=31)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_due_proposals.delay(later).result == {
            "threshold_reached": 0,
            "expired": 1,
        }
        assert tasks.close_due_proposals.delay(later).result == {
            "threshold_reached": 0,
            "expired": 0,
        }
    lonely.refresh_from_db()
    assert lonely.status == ProposalStatus.EXPIRED
    assert [m.to for m in mail.outbox] == [["glosno@example.com"]]
    assert lonely.status_changes.count() == 2


def test_staff_answer_with_history_and_managers_only_their_projects(
    city, city_admin, proposal, manager, resident
):
    admin = english(city, city_admin)
    empty = admin.post(f"/admin/proposals/{proposal.pk}/", {"status": "accepted", "answer": ""})
    assert empty.status_code == 400
    assert "Write the official answer" in empty.content.decode()
    ok = admin.post(
        f"/admin/proposals/{proposal.pk}/", {"status": "accepted", "answer": "<p>Zrobimy to.</p>"}
    )
    assert ok.status_code == 302
    page = english(city, resident).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Zrobimy to." in page and "Accepted" in page
    assert english(city, resident).get("/admin/proposals/").status_code == 403
    # `manager` manages the "park" project, not the proposals' one.
    assert english(city, manager).get(f"/admin/proposals/{proposal.pk}/").status_code == 404
    assert (
        english(city, manager).get(f"/admin/proposals/phase/{proposal.phase_id}/").status_code
        == 404
    )


def test_residents_submit_and_support_through_the_pages(city, phase, resident):
    client = english(city, resident)
    assert "Submit a proposal" in client.get("/projects/inicjatywy/").content.decode()
    bad = client.post(f"/proposals/new/{phase.pk}/", {"title": "Drzewa", "body": ""})
    assert bad.status_code == 400 and 'value="Drzewa"' in bad.content.decode()
    response = client.post(
        f"/proposals/new/{phase.pk}/", {"title": "Drzewa", "body": "<p>Sadźmy</p>"}
    )
    assert response.status_code == 302
    with city_context(city.ref):
        proposal = Proposal.objects.get(title="Drzewa")
    client.post(f"/proposals/{proposal.pk}/support/")
    twice = client.post(f"/proposals/{proposal.pk}/support/", follow=True).content.decode()
    assert "You already support this proposal." in twice
    with city_context(city.ref):
        assert Support.objects.filter(proposal=proposal).count() == 1
    visitor = english(city).get(f"/proposals/new/{phase.pk}/")
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]


def test_one_citys_proposals_never_reach_another(city, other_city, proposal, eager_tasks):
    assert english(other_city).get(f"/proposals/{proposal.pk}/").status_code == 404
    with city_context(other_city.ref):
        assert not Proposal.objects.exists()
        assert tasks.close_due_proposals.delay().result == {"threshold_reached": 0, "expired": 0}


def test_the_settings_form(phase):
    form = PhaseSettingsForm({"threshold": "0", "days": "10"}, phase=phase)
    assert not form.is_valid() and "threshold" in form.errors
    good = PhaseSettingsForm({"threshold": "500", "days": "60"}, phase=phase)
    assert good.is_valid() and good.cleaned_data == {"threshold": 500, "days": 60}
