"""Filling a new city from a template (the sign-up wizard's last step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.branding import services as branding
from ratusz.consultations.branding.models import Page
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.consultations.core.registry import (
    Capability,
    Method,
    UnknownMethod,
    get_method,
)
from ratusz.consultations.core.translation import in_languages
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.onboarding.city_templates.catalogue import template_content
from ratusz.onboarding.starter_content import EMPTY
from ratusz.tenants.context import CityRef
from ratusz.tenants.entitlements import (
    Entitlements,
    current_entitlements,
    forget_entitlements,
)

# The method a phase falls back to when the city's plan does not include its own.
FALLBACK_METHOD = "information"


@dataclass(frozen=True)
class _Target:
    """A template phase as this city can hold it: its own method, or an information phase
    when the city's plan does not include that method (or it no longer exists)."""

    method: Method
    fallback_from: str  # the template's method when it fell back, else ""


def _target(key: str, entitlements: Entitlements) -> _Target:
    try:
        method = get_method(key)
    except UnknownMethod:
        return _Target(get_method(FALLBACK_METHOD), key)
    if method.feature and not entitlements.allows(method.feature):
        return _Target(get_method(FALLBACK_METHOD), key)
    return _Target(method, "")


def _fallback_note(key: str, languages: tuple[str, ...]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            try:
                label = str(get_method(key).label)
            except UnknownMethod:
                label = key
            note = _(
                "%(method)s is not part of this city's plan, so this phase starts as an "
                "information phase. With a plan that includes it, an administrator can change "
                "the phase's method in the back office."
            ) % {"method": label}
            notes[language] = f"<p><em>{note}</em></p>"
    return notes


def _add_phase(
    *,
    project: Project,
    spec: dict[str, Any],
    made: list[Phase],
    starts: datetime,
    entitlements: Entitlements,
    city: CityRef,
    admin: User,
) -> Phase:
    languages = city.languages
    target = _target(spec["method"], entitlements)
    description = in_languages(spec.get("description", {}), languages)
    options: dict[str, Any] = {}
    if target.fallback_from:
        note = _fallback_note(target.fallback_from, languages)
        description = {lang: description.get(lang, "") + note[lang] for lang in languages}
    else:
        options = {k: v for k, v in dict(spec.get("options") or {}).items() if k != "source_phase"}
        source = spec.get("source_phase")
        # The template names the source phase by its place in the project; a phase that fell
        # back to information collects no ideas, so the ballot then waits for staff's choice.
        if (
            isinstance(source, int)
            and 0 <= source < len(made)
            and get_method(made[source].method).can(Capability.IDEAS)
        ):
            options["source_phase"] = made[source].pk
    phase = consultations.add_phase(
        project=project,
        method=target.method.key,
        starts_at=starts,
        ends_at=starts + timedelta(days=int(spec.get("days", 30))),
        title=in_languages(spec.get("title", {}), languages),
        description=description,
        options=options,
        default_language=city.default_language,
    )
    if target.fallback_from:
        return phase
    # The method builds its own content of the phase (a survey, events): its manifest's seed.
    seed = target.method.seeder()
    if seed is not None:
        seed(phase=phase, spec=spec, staff=admin, city=city)
    return phase


def apply_template(*, code: str, admin: User, city: CityRef) -> None:
    """Fill the current city (we run in its context) from template `code`: projects stay in
    draft, pages stay drafts, for the city to review and publish. A phase whose method the
    city's plan does not include starts as an information phase that says so."""
    languages = city.languages
    content = template_content(code or EMPTY, languages)
    # The wizard applies the chosen plan in the same transaction, just before: read it afresh
    # rather than trust an entry cached before the plan changed (forgotten only on commit).
    forget_entitlements(city.id)
    entitlements = current_entitlements()
    now = timezone.now()
    with transaction.atomic():
        for position, topic in enumerate(content.get("topics", [])):
            if not Topic.objects.filter(slug=topic["slug"]).exists():
                consultations.create_topic(
                    slug=topic["slug"],
                    name=in_languages(topic["name"], languages),
                    position=position,
                )
        for status in content.get("statuses", []):
            if not IdeaStatus.objects.filter(code=status["code"]).exists():
                ideation.save_status(
                    staff=admin,
                    code=status["code"],
                    name=in_languages(status["name"], languages),
                    description=in_languages(status.get("description", {}), languages),
                    color=status.get("color", "#4a4a4a"),
                    is_final=bool(status.get("is_final")),
                )
        for spec in content.get("projects", []):
            if Project.objects.filter(slug=spec["slug"]).exists():
                continue
            project = consultations.create_project(
                slug=spec["slug"],
                title=in_languages(spec["title"], languages),
                description=in_languages(spec.get("description", {}), languages),
            )
            made: list[Phase] = []
            for phase in spec.get("phases", []):
                made.append(
                    _add_phase(
                        project=project,
                        spec=phase,
                        made=made,
                        starts=now + timedelta(days=int(phase.get("starts_in_days", 14))),
                        entitlements=entitlements,
                        city=city,
                        admin=admin,
                    )
                )
        for page in content.get("pages", []):
            if not Page.objects.filter(slug=page["slug"]).exists():
                branding.save_page(
                    slug=page["slug"],
                    kind=page.get("kind", "custom"),
                    title=in_languages(page["title"], languages),
                    body=in_languages(page.get("body", {}), languages),
                    status="draft",
                )
        if content.get("standard_pages"):
            branding.add_standard_pages(city_name=city.name, languages=languages)
