"""Every app and model belongs to exactly one plane; no foreign key crosses the planes."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PLANES = {"control", "city", "every-schema", "dev"}


def plane_of(app_config) -> str:
    name = app_config.name
    if name in settings.DEV_APPS:
        return "dev"
    in_shared = name in settings.SHARED_APPS
    in_tenant = name in settings.TENANT_APPS
    if in_shared and in_tenant:
        return "every-schema"
    if in_shared:
        return "control"
    if in_tenant:
        return "city"
    return "none"


def forward_relations(model):
    """Foreign keys, one-to-ones and many-to-manys declared on `model` (not reverse ones)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is not None
    ]


def test_every_app_with_models_is_in_exactly_one_plane():
    for app_config in apps.get_app_configs():
        if not list(app_config.get_models()):
            continue
        plane = plane_of(app_config)
        assert plane != "none", f"{app_config.name} has models but is in no plane"
        if plane == "every-schema":
            # Only identity and Django's plumbing may exist in every schema.
            assert app_config.name in settings.EVERY_SCHEMA_APPS, app_config.name


def test_our_apps_declare_the_plane_they_are_in():
    ours = [a for a in apps.get_app_configs() if a.name.startswith("ratusz.")]
    assert {a.label for a in ours} >= {
        "tenants",
        "platform",
        "consultations",
        "billing",
        "onboarding",
    }
    for app_config in ours:
        declared = getattr(app_config, "plane", None)
        assert declared in PLANES, f"{app_config.name} declares no plane"
        assert declared == plane_of(app_config), (
            f"{app_config.name} declares {declared} but settings put it in {plane_of(app_config)}"
        )


def test_development_apps_hold_no_data_and_are_in_neither_plane():
    """The demo is development data: it writes through the planes' services, owns no table."""
    assert settings.DEV_APPS == ["ratusz.demo"]
    for name in settings.DEV_APPS:
        assert name not in settings.SHARED_APPS and name not in settings.TENANT_APPS
        app_config = next(a for a in apps.get_app_configs() if a.name == name)
        assert list(app_config.get_models()) == []


def test_every_model_is_in_exactly_one_plane():
    for model in apps.get_models():
        plane = plane_of(model._meta.app_config)
        assert plane in PLANES, f"{model._meta.label} is in no plane"


def test_no_city_plane_model_refers_to_a_control_plane_model():
    for model in apps.get_models():
        if plane_of(model._meta.app_config) != "city":
            continue
        for field in forward_relations(model):
            related = field.related_model
            assert plane_of(related._meta.app_config) != "control", (
                f"{model._meta.label}.{field.name} points into the control plane"
            )


def test_every_schema_models_only_refer_within_their_schema():
    for model in apps.get_models():
        if plane_of(model._meta.app_config) != "every-schema":
            continue
        for field in forward_relations(model):
            assert plane_of(field.related_model._meta.app_config) == "every-schema", (
                f"{model._meta.label}.{field.name} points out of its schema"
            )


def test_import_rules_hold():
    """platform -> onboarding -> billing -> tenants; the city plane never imports upwards; the
    product never imports the demo; the console reaches the city plane only to count usage."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken" in result.stdout
