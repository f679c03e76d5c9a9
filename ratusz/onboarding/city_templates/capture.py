"""Saving an existing city's own content as a template (operators)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.consultations.branding.models import Page
from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.consultations.core.registry import all_methods
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.onboarding.city_templates.catalogue import TemplateRefused
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.starter_content import BUILTINS, TemplateContent
from ratusz.tenants.context import CityRef, city_context, control_plane


def _capture_phase(
    phase: Phase, first: datetime, index: dict[int, int], zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    options = {k: v for k, v in phase.options.items() if k != "source_phase"}
    captured: dict[str, Any] = {
        "method": phase.method,
        "title": phase.title,
        "description": phase.description,
        "starts_in_days": 14 + (phase.starts_at - first).days,
        "days": max(1, ((phase.ends_at or phase.starts_at) - phase.starts_at).days),
        "options": options,
    }
    # Ids mean nothing in another city: the source phase is named by its place in the project.
    source = phase.options.get("source_phase")
    if source is not None and int(source) in index:
        captured["source_phase"] = index[int(source)]
    # Each method reads its own content of the phase (a survey, events): its manifest's capture.
    for method in all_methods():
        capture = method.capturer()
        if capture is not None:
            captured.update(capture(phase=phase, zone=zone))
    return captured


def capture_city_content(*, city: CityRef) -> TemplateContent:
    """The city's own content as template data: no residents, no ideas, comments, votes,
    answers or registrations, no managers; phase dates become offsets from today. Phases keep
    their method's settings, their survey (pages, questions, skip rules) and their events."""
    zone = zoneinfo.ZoneInfo(city.time_zone)
    with city_context(city):
        topics = [{"slug": t.slug, "name": t.name} for t in Topic.objects.order_by("position")]
        statuses = [
            {
                "code": s.code,
                "name": s.name,
                "description": s.description,
                "color": s.color,
                "is_final": s.is_final,
            }
            for s in IdeaStatus.objects.all()
        ]
        projects: list[dict[str, Any]] = []
        for project in Project.objects.exclude(status="archived").prefetch_related("phases"):
            phases = list(project.phases.all().order_by("starts_at"))
            first = phases[0].starts_at if phases else timezone.now()
            index = {phase.pk: number for number, phase in enumerate(phases)}
            projects.append(
                {
                    "slug": project.slug,
                    "title": project.title,
                    "description": project.description,
                    "phases": [_capture_phase(phase, first, index, zone) for phase in phases],
                }
            )
        pages = [
            {"slug": p.slug, "kind": p.kind, "title": p.title, "body": p.body}
            for p in Page.objects.all()
        ]
    return {
        "topics": topics,
        "statuses": statuses,
        "projects": projects,
        "pages": pages,
        "standard_pages": False,
    }


def save_city_as_template(
    *, city: CityRef, code: str, name: dict[str, str], description: dict[str, str] | None = None
) -> CityTemplate:
    """An operator saves an existing city's content as a new template."""
    if code in BUILTINS:
        raise TemplateRefused(_("This identifier belongs to a built-in template."))
    content = capture_city_content(city=city)
    with control_plane(), transaction.atomic():
        if CityTemplate.objects.filter(code=code).exists():
            raise TemplateRefused(_("A template with this identifier already exists."))
        position = CityTemplate.objects.count() + len(BUILTINS)
        return CityTemplate.objects.create(
            code=code,
            name=name,
            description=description or {},
            content=content,
            source_city_id=city.id,
            position=position,
        )
