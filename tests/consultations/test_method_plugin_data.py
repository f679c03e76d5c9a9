"""A participation method's data hooks come from its manifest alone: a throw-away method defined
only in this test appears in the plans' features and the entitlements, the city's usage, a
project's copy, the dashboard's metrics and the exports, a person's data archive and account
deletion, and the city templates (its content built from one and saved into one), without any
file outside its manifest naming it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.functional import lazystr

from ratusz.accounts.models import User
from ratusz.accounts.personal_data import (
    OnDeletion,
    PersonalDataKind,
    build_archive,
    personal_data_kinds,
)
from ratusz.accounts.selectors import profile_data
from ratusz.accounts.services import delete_account
from ratusz.billing.plans import PLANS, apply_plan
from ratusz.consultations.core import services
from ratusz.consultations.core.features import feature_states
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.registry import Action, Method, all_methods, register, unregister
from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope
from ratusz.consultations.reports import registry as reports
from ratusz.consultations.reports.selectors import participation, scope_for
from ratusz.consultations.reports.services import request_export
from ratusz.onboarding.city_templates import (
    apply_template,
    capture_city_content,
    save_city_as_template,
)
from ratusz.platform.forms import EntitlementsForm
from ratusz.platform.usage import city_usage
from ratusz.tenants.context import city_context
from ratusz.tenants.entitlements import FEATURES, entitlements_for
from tests.consultations.conftest import make_project

HERE = __name__
KEY = "throwaway"
recorded: list[tuple[str, Any]] = []


def usage_counts() -> dict[str, int]:
    return {"votes": 7}


def copy_inputs(*, project: Project, copy: Project, phases: Mapping[int, Phase]) -> None:
    recorded.append(("copy", (project.pk, copy.pk, dict(phases))))


def seed(*, phase: Phase, spec: dict[str, Any], staff: User, city: Any) -> None:
    recorded.append(("seed", (phase.pk, spec.get(KEY), staff.pk)))


def capture(*, phase: Phase, zone: Any) -> dict[str, Any]:
    return {KEY: {"captured": phase.method}} if phase.method == KEY else {}


def _before_deletion(user: User) -> None:
    recorded.append(("delete", user.pk))


def _projects(scope: Scope) -> Any:
    return Project.objects.filter(pk__in=scope.projects.values("pk"))


METRIC = Metric(
    key="throwaway_projects",
    label=lazystr("Throw-away projects"),
    events=_projects,
    time_field="created_at",
)
DATASET = Dataset(
    key="throwaway_rows",
    label=lazystr("Throw-away rows"),
    columns=lambda scope: [Column("slug", lazystr("Slug"))],
    rows=lambda scope: ([p.slug] for p in _projects(scope).order_by("pk")),
    count=lambda scope: _projects(scope).count(),
    empty_note=lazystr("Nothing."),
)
DECLARATIONS = (
    PersonalDataKind(
        name="throwaway",
        label=lazystr("Throw-away data"),
        model="consultations.Project",
        person_fields=("managers",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=lambda project: {"slug": project.slug},
        before_deletion=_before_deletion,
    ),
)

THROWAWAY = Method(
    key=KEY,
    label=lazystr("Throw-away"),
    actions=frozenset({Action.VOTE}),
    capabilities=frozenset(),
    feature=KEY,
    feature_label=lazystr("Throw-away feature"),
    personal_data=f"{HERE}.DECLARATIONS",
    usage_counts=f"{HERE}.usage_counts",
    copy_inputs=f"{HERE}.copy_inputs",
    metrics=(f"{HERE}.METRIC",),
    exports=(f"{HERE}.DATASET",),
    seed=f"{HERE}.seed",
    capture=f"{HERE}.capture",
)


@pytest.fixture
def throwaway() -> Iterator[Method]:
    recorded.clear()
    register(THROWAWAY)
    yield THROWAWAY
    unregister(KEY)
    recorded.clear()


def test_unregistering_takes_every_trace_of_the_method_away(throwaway):
    assert KEY in FEATURES and "throwaway" in {k.name for k in personal_data_kinds()}
    unregister(KEY)
    assert KEY not in FEATURES
    assert "throwaway" not in {k.name for k in personal_data_kinds()}
    assert KEY not in {m.key for m in all_methods()}
    assert "throwaway_rows" not in {d.key for d in reports.datasets()}


# --- plans and entitlements ------------------------------------------------------------------


def test_its_feature_is_one_plans_and_operators_switch(throwaway, city):
    assert str(FEATURES[KEY]) == "Throw-away feature"
    # The top plan allows every feature, the others only those they name.
    assert KEY in PLANS["premium"].features and KEY not in PLANS["starter"].features
    assert PLANS["standard"].feature_switches()[KEY] is False
    apply_plan(city=city.model, plan=PLANS["premium"])
    assert city.model.features[KEY] is True and entitlements_for(city.model.pk).allows(KEY)
    apply_plan(city=city.model, plan=PLANS["starter"])
    assert city.model.features[KEY] is False
    assert f"feature_{KEY}" in EntitlementsForm(city=city.model).fields
    with city_context(city.ref):
        assert KEY in {state.key for state in feature_states()}


# --- usage -----------------------------------------------------------------------------------


def test_its_counts_are_in_the_citys_usage(city, other_city):
    before = city_usage(city.model).votes
    register(THROWAWAY)
    try:
        assert city_usage(city.model).votes == before + 7
        assert city_usage(other_city.model).votes == 7  # counted in each city's own context
    finally:
        unregister(KEY)


# --- copying a project -----------------------------------------------------------------------


def test_a_copy_with_inputs_asks_the_method_to_copy_its_own(throwaway, in_city):
    project = make_project()
    services.copy_project(project=project, slug="park-bez", with_inputs=False)
    assert recorded == []
    copy = services.copy_project(project=project, slug="park-z", with_inputs=True)
    [(what, (original, copied, phases))] = recorded
    assert (what, original, copied) == ("copy", project.pk, copy.pk)
    assert {old: new.project_id for old, new in phases.items()} == {
        p.pk: copy.pk for p in project.phases.all()
    }


# --- dashboard and exports -------------------------------------------------------------------


def test_its_metric_is_on_the_dashboard_and_its_dataset_exported(
    throwaway, city, city_admin, committed, eager_tasks
):
    with city_context(city.ref):
        project = make_project()
        scope = scope_for(
            city_admin, project=None, time_zone="Europe/Warsaw", default_language="pl"
        )
        today = timezone.now().astimezone(ZoneInfo("Europe/Warsaw")).date()
        figures = participation(
            scope=scope, start=today - timedelta(days=1), end=today, interval="day"
        )
        assert {s.key: s.total for s in figures.series}["throwaway_projects"] == 1
        assert reports.dataset("throwaway_rows") is DATASET
        with committed():
            export = request_export(
                requested_by=city_admin, kind="throwaway_rows", file_format="csv", project=None
            )
        export.refresh_from_db()
        assert export.status == "done" and export.row_count == 1
        assert project.slug in export.file.read().decode("utf-8-sig")


# --- personal data ---------------------------------------------------------------------------


def test_its_personal_data_are_in_the_archive_and_go_with_the_account(throwaway, in_city):
    project = make_project()
    person = User.objects.create_user("kierownik@example.com", "correct horse battery")
    project.managers.add(person)
    archive = zipfile.ZipFile(io.BytesIO(build_archive(profile=profile_data(person), user=person)))
    assert json.loads(archive.read("throwaway.json")) == [{"id": project.pk, "slug": "park"}]
    person_id = person.pk
    delete_account(user=person)
    assert recorded == [("delete", person_id)]
    assert not project.managers.exists()


# --- city templates (and the demo cities built from them) -------------------------------------


def test_its_seed_builds_and_its_capture_reads_its_content_of_a_template(
    throwaway, city, other_city
):
    with city_context(city.ref):
        project = make_project("rzut", published=False)
        now = timezone.now()
        services.add_phase(
            project=project,
            method=KEY,
            starts_at=now + timedelta(days=40),
            ends_at=now + timedelta(days=50),
            title={"pl": "Rzut"},
        )
    content = capture_city_content(city=city.ref)
    [captured] = [
        phase
        for project_data in content["projects"]
        for phase in project_data["phases"]
        if phase["method"] == KEY
    ]
    assert captured[KEY] == {"captured": KEY}
    save_city_as_template(city=city.ref, code="z-rzutem", name={"en": "With a throw-away"})
    with city_context(other_city.ref):
        staff = User.objects.create_user("staff@springfield.example", "correct horse battery")
        apply_template(code="z-rzutem", admin=staff, city=other_city.ref)
        seeded = Project.objects.get(slug="rzut").phases.get(method=KEY)
    assert recorded == [("seed", (seeded.pk, {"captured": KEY}, staff.pk))]
