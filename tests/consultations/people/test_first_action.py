"""A required registration question is asked before a person's first action, with a way there."""

from __future__ import annotations

from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.people import services
from ratusz.consultations.people.models import AskedAt, FieldKind
from ratusz.tenants.context import city_context


def test_a_missing_required_answer_is_asked_for_before_posting(
    city, resident, ideation_phase, manager
):
    with city_context(city.ref):
        field = services.create_field(
            key="district",
            label={"pl": "Dzielnica", "en": "District"},
            kind=FieldKind.TEXT,
            required=True,
            asked_at=AskedAt.FIRST_ACTION,
        )
        decision = can_act(resident, ideation_phase, Action.POST)
        assert (decision.allowed, decision.code, decision.next_step) == (
            False,
            "complete_profile",
            "complete_profile",
        )
        assert "questions about yourself" in decision.message or "pytań" in decision.message
        assert can_act(manager, ideation_phase, Action.POST).allowed  # staff are not asked
    client = city.client()
    client.force_login(resident)
    page = client.get(f"/projects/{ideation_phase.project.slug}/").content.decode()
    assert "/profile/complete/?next=" in page
    with city_context(city.ref):
        services.save_answers(user=resident, answers={field.key: "Wrzeszcz"})
        assert can_act(resident, ideation_phase, Action.POST).allowed
