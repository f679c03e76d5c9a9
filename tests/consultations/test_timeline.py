"""Projects and their timelines: ordered phases that never overlap, one method each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.registry import Action, Capability, all_methods, get_method
from ratusz.consultations.core.rules import current_phase
from ratusz.consultations.core.services import TimelineRefused
from tests.consultations.conftest import make_project


def test_the_registry_describes_methods_by_actions_and_capabilities():
    keys = {method.key for method in all_methods()}
    assert {"information", "ideation"} <= keys
    assert get_method("ideation").offers(Action.POST)
    assert not get_method("information").offers(Action.COMMENT)
    assert get_method("information").can(Capability.FILES)


def test_the_current_phase_decides_what_is_open(project):
    phase = current_phase(project)
    assert phase is not None
    assert phase.method == "ideation"
    earlier = current_phase(project, now=timezone.now() - timedelta(days=20))
    assert earlier is not None
    assert earlier.method == "information"
    assert current_phase(project, now=timezone.now() + timedelta(days=40)) is None


def test_overlapping_phases_are_refused_with_the_phase_they_overlap(project):
    now = timezone.now()
    with pytest.raises(TimelineRefused, match="overlaps “Collecting ideas”"):
        services.add_phase(
            project=project,
            method="information",
            starts_at=now,
            ends_at=now + timedelta(days=1),
            title={"pl": "Spotkanie"},
        )
    assert project.phases.count() == 2


def test_only_the_last_phase_may_be_open_ended(in_city):
    project = services.create_project(slug="plan", title={"pl": "Plan"})
    now = timezone.now()
    services.add_phase(
        project=project, method="ideation", starts_at=now + timedelta(days=10), ends_at=None
    )
    with pytest.raises(TimelineRefused, match="overlaps"):
        services.add_phase(
            project=project,
            method="information",
            starts_at=now + timedelta(days=20),
            ends_at=now + timedelta(days=21),
        )
    with pytest.raises(TimelineRefused, match="Only the last phase may be open-ended"):
        services.add_phase(project=project, method="information", starts_at=now, ends_at=None)
    services.add_phase(
        project=project, method="information", starts_at=now, ends_at=now + timedelta(days=10)
    )
    assert [p.method for p in project.phases.order_by("starts_at")] == ["information", "ideation"]


def test_the_database_itself_refuses_overlaps(project):
    phase = project.phases.get(method="ideation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(
            project=project,
            method="information",
            starts_at=phase.starts_at + timedelta(days=1),
            ends_at=phase.starts_at + timedelta(days=2),
        )


def test_unknown_methods_and_backwards_phases_are_refused(in_city):
    project = services.create_project(slug="x-project", title={"pl": "X"})
    now = timezone.now()
    with pytest.raises(TimelineRefused, match="not a participation method"):
        services.add_phase(project=project, method="lottery", starts_at=now, ends_at=None)
    with pytest.raises(TimelineRefused, match="must end after it starts"):
        services.add_phase(
            project=project, method="ideation", starts_at=now, ends_at=now - timedelta(hours=1)
        )


def test_a_project_needs_a_phase_before_it_is_published(in_city):
    project = services.create_project(slug="empty", title={"pl": "Pusty"})
    with pytest.raises(TimelineRefused, match="at least one phase"):
        services.publish_project(project=project)
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_phases_start_with_their_methods_default_options(project):
    phase = project.phases.get(method="ideation")
    assert phase.options["reaction_mode"] == "likes"
    assert phase.options["anonymous_posting"] is False


def test_project_descriptions_are_sanitised(in_city):
    project = services.create_project(
        slug="xss",
        title={"pl": "X"},
        description={
            "pl": '<p onclick="steal()">Hej<script>alert(1)</script><style>p{}</style></p>'
        },
    )
    assert project.description["pl"] == "<p>Hej</p>"


def test_the_project_status_check_holds_in_every_city_schema(in_city):
    make_project(slug="ok")
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(slug="ok").update(status="deleted")
