"""Participation methods are plug-ins (ARCHITECTURE.md §4): a throw-away method defined only in
the tests (tests/consultations/plugin_method/) appears everywhere a method must, and no module
outside a method's package names a method."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse
from django.utils import timezone

from ratusz.celery import app as celery_app
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import all_methods, get_method
from tests.consultations.conftest import make_project
from tests.consultations.participation.notifications.conftest import client_for
from tests.consultations.plugin_method.manifest import KEY
from tests.consultations.plugin_method.views import PANEL_MARK

CITY = settings.CITY_URLCONF


@pytest.fixture
def plugin_phase(in_city, plugin_method, manager) -> Phase:
    """A published project whose current phase uses the throw-away method (`manager` manages
    it)."""
    project = services.create_project(slug="plugin", title={"pl": "Wtyczka", "en": "Plug-in"})
    now = timezone.now()
    phase = services.add_phase(
        project=project,
        method=KEY,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        title={"pl": "Wtyczka", "en": "Plug-in"},
    )
    services.publish_project(project=project)
    project.managers.add(manager)
    return phase


def test_it_is_registered_with_its_manifest(plugin_method):
    assert get_method(KEY) is plugin_method
    assert plugin_method in all_methods()


def test_its_resident_pages_are_mounted_and_linked_from_the_portal(city, plugin_method):
    match = resolve("/plugin-test/", urlconf=CITY)
    assert match.view_name == "plugin_test:index"
    client = client_for(city)
    assert client.get("/plugin-test/").content == b"plug-in resident page"
    home = client.get("/").content.decode()
    assert '<a href="/plugin-test/">Plug-in test pages</a>' in home


def test_its_staff_pages_are_mounted_and_in_the_back_office_navigation(city, manager, plugin_phase):
    assert reverse("backoffice:plugin-test", urlconf=CITY) == "/admin/plugin-test/"
    assert resolve("/admin/plugin-test/", urlconf=CITY).view_name == "backoffice:plugin-test"
    client = client_for(city, manager)
    assert client.get("/admin/plugin-test/").content == b"plug-in staff page"
    overview = client.get("/admin/").content.decode()
    assert '<a href="/admin/plugin-test/"' in overview
    assert "Plug-in test area" in overview
    # The timeline links a phase of the method to its staff page (staff_url_name).
    timeline = client.get("/admin/projects/plugin/timeline/").content.decode()
    assert f"/admin/plugin-test/phases/{plugin_phase.pk}/" in timeline
    page = client.get(f"/admin/plugin-test/phases/{plugin_phase.pk}/")
    assert page.status_code == 200


def test_its_periodic_tasks_are_in_the_beat_schedule(plugin_method):
    entry = celery_app.conf.beat_schedule["plugin-test-tick"]
    assert entry["task"] == "tenants.fan_out"
    assert entry["args"] == ("plugin_test.tick",)


def test_the_built_in_methods_periodic_tasks_are_in_the_beat_schedule():
    celery_app.finalize()  # what `celery beat` does once Django is set up
    schedule = celery_app.conf.beat_schedule
    assert schedule["events-reminders"]["args"] == ("events.send_reminders",)
    assert schedule["proposals-close-due"]["args"] == ("proposals.close_due_proposals",)


def test_the_phase_editor_offers_it_with_its_settings(city, manager, plugin_phase):
    client = client_for(city, manager)
    timeline = client.get("/admin/projects/plugin/timeline/").content.decode()  # a new phase
    assert f'<option value="{KEY}">Plug-in test method</option>' in timeline
    edit = client.get(f"/admin/projects/plugin/phases/{plugin_phase.pk}/").content.decode()
    assert f'<option value="{KEY}" selected>Plug-in test method</option>' in edit
    settings_page = client.get(f"/admin/projects/plugin/phases/{plugin_phase.pk}/settings/")
    assert 'name="method-colour" value="green"' in settings_page.content.decode()


def test_its_panel_is_shown_on_the_project_page_while_its_phase_runs(city, plugin_phase):
    page = client_for(city).get("/projects/plugin/").content.decode()
    assert f'class="{PANEL_MARK}" data-phase="{plugin_phase.pk}"' in page


def test_it_is_gone_once_unregistered(city, in_city):
    """The fixture takes it back: later tests see the built-in methods only."""
    make_project()
    assert all(m.key != KEY for m in all_methods())
    assert client_for(city).get("/plugin-test/").status_code == 404
    assert "plugin-test-tick" not in celery_app.conf.beat_schedule


# --- no module outside a method's package names a method ------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Files that may name a method key, and why. Each entry is work left for the manifest (the
# data hooks: plans, entitlements, seeding) or a name that is not about the method plug-in.
ALLOWED: dict[str, str] = {
    # The plans name the features each includes (ratusz.billing is below the city plane and
    # cannot read its registry); the feature keys of voting, proposals, events and
    # volunteering are spelled like the methods' keys.
    "ratusz/billing/plans.py": "feature keys",
    # The starter content is data that chooses a method for each phase, and carries a survey's
    # questions or a list of events for the phase they seed (the methods' `seed` builds them).
    "ratusz/onboarding/starter_content/__init__.py": "content choosing methods by key",
    "ratusz/onboarding/starter_content/idea_box.py": "content choosing methods by key",
    "ratusz/onboarding/starter_content/budget.py": "content choosing methods by key",
    "ratusz/onboarding/starter_content/planning.py": "content choosing methods by key",
    "ratusz/onboarding/starter_content/catalogue.py": "content choosing methods by key",
}


def _method_keys() -> set[str]:
    # "information" is the built-in method of core: it has no package.
    return {m.key for m in all_methods()} - {"information"}


def _own_places() -> tuple[str, ...]:
    """Where methods keep their own files: their packages and their templates (by app label,
    the package's name)."""
    labels = [p.name for p in (ROOT / "ratusz/consultations/methods").iterdir() if p.is_dir()]
    return (
        "ratusz/consultations/methods/",
        *(f"templates/{label}/" for label in labels),
        *(f"templates/backoffice/{label}/" for label in labels),
    )


def _offenders() -> dict[str, set[str]]:
    keys = _method_keys()
    own = _own_places()
    alternatives = "|".join(sorted(map(re.escape, keys)))
    literal = re.compile(f"[\"']({alternatives})[\"']")
    files = [*ROOT.glob("ratusz/**/*.py"), *ROOT.glob("templates/**/*.html")]
    found: dict[str, set[str]] = {}
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((*own, "ratusz/demo/")):
            continue  # a method's own files; the demo is development data (seeded per method)
        if "/migrations/" in relative:
            continue
        names = set(literal.findall(path.read_text(encoding="utf-8")))
        if names:
            found[relative] = names
    return found


def test_no_module_outside_a_method_package_names_a_method():
    unexpected = {path: keys for path, keys in _offenders().items() if path not in ALLOWED}
    assert unexpected == {}
