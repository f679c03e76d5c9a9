"""The city-plane selectors the control plane reads a city through: the current city only."""

from __future__ import annotations

from ratusz.consultations import progress
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants.context import city_context


def test_first_steps_and_last_activity_read_the_current_city_only(
    city, other_city, resident, ideation_phase
):
    # We run in `city` (the fixture's context): a published project and one participant.
    idea = post_idea(author=resident, phase=ideation_phase, title="Ławki", body="<p>Ławki</p>")
    here = progress.first_steps()
    assert here.project_published and here.participants == 1
    assert progress.last_activity() == idea.created_at
    with city_context(other_city.ref):
        there = progress.first_steps()
        assert not there.project_published and there.participants == 0
        assert not there.branding_set and not there.official_answer
        assert progress.last_activity() is None
