"""City templates: fill a new city from one, save an existing city as one, retire one.

A template carries the city's own content only (topics, idea statuses, projects and their
phases, pages): never residents, their accounts or anything they wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations import services as consultations
from ratusz.consultations.branding import services as branding
from ratusz.consultations.branding.models import Page
from ratusz.consultations.ideation import services as ideation
from ratusz.consultations.ideation.models import IdeaStatus
from ratusz.consultations.models import Project, Topic
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.starter_content import BUILTINS, EMPTY, TemplateContent
from ratusz.tenants.context import CityRef, city_context, control_plane


class TemplateRefused(ValueError):
    pass


@dataclass(frozen=True)
class TemplateChoice:
    code: str
    name: str
    description: str
    remark: str


def _text(values: dict[str, str], language: str) -> str:
    return values.get(language) or next(iter(values.values()), "")


def available_templates(language: str = "en") -> list[TemplateChoice]:
    """The templates the wizard offers: built-in ones and operators' saved ones, not retired."""
    with control_plane():
        rows = list(CityTemplate.objects.filter(retired_at__isnull=True))
        retired = set(
            CityTemplate.objects.filter(retired_at__isnull=False).values_list("code", flat=True)
        )
    choices = [
        TemplateChoice(
            code=builtin.code,
            name=str(builtin.name),
            description=str(builtin.description),
            remark=str(builtin.remark or ""),
        )
        for builtin in BUILTINS.values()
        if builtin.code not in retired
    ]
    choices += [
        TemplateChoice(
            code=row.code,
            name=_text(row.name, language),
            description=_text(row.description, language),
            remark="",
        )
        for row in rows
        if row.code not in BUILTINS
    ]
    return choices


def template_content(code: str, languages: tuple[str, ...]) -> TemplateContent:
    if code in BUILTINS:
        return BUILTINS[code].build(languages)
    with control_plane():
        row = CityTemplate.objects.filter(code=code, retired_at__isnull=True).first()
    if row is None:
        raise TemplateRefused(_("This template does not exist or was retired."))
    return row.content


def _in(values: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Keep the city's languages; a language the template lacks gets the first text it has,
    for the city to translate (better than an empty title)."""
    fallback = next(iter(values.values()), "")
    return {language: values.get(language) or fallback for language in languages if fallback}


def apply_template(*, code: str, admin: User, city: CityRef) -> None:
    """Fill the current city (we run in its context) from template `code`: projects stay in
    draft, pages stay drafts, for the city to review and publish."""
    languages = city.languages
    content = template_content(code or EMPTY, languages)
    now = timezone.now()
    with transaction.atomic():
        for position, topic in enumerate(content.get("topics", [])):
            if not Topic.objects.filter(slug=topic["slug"]).exists():
                consultations.create_topic(
                    slug=topic["slug"], name=_in(topic["name"], languages), position=position
                )
        for status in content.get("statuses", []):
            if not IdeaStatus.objects.filter(code=status["code"]).exists():
                ideation.save_status(
                    staff=admin,
                    code=status["code"],
                    name=_in(status["name"], languages),
                    description=_in(status.get("description", {}), languages),
                    color=status.get("color", "#4a4a4a"),
                    is_final=bool(status.get("is_final")),
                )
        for spec in content.get("projects", []):
            if Project.objects.filter(slug=spec["slug"]).exists():
                continue
            project = consultations.create_project(
                slug=spec["slug"],
                title=_in(spec["title"], languages),
                description=_in(spec.get("description", {}), languages),
            )
            for phase in spec.get("phases", []):
                starts = now + timedelta(days=int(phase.get("starts_in_days", 14)))
                consultations.add_phase(
                    project=project,
                    method=phase["method"],
                    starts_at=starts,
                    ends_at=starts + timedelta(days=int(phase.get("days", 30))),
                    title=_in(phase.get("title", {}), languages),
                    description=_in(phase.get("description", {}), languages),
                    default_language=city.default_language,
                )
        for page in content.get("pages", []):
            if not Page.objects.filter(slug=page["slug"]).exists():
                branding.save_page(
                    slug=page["slug"],
                    kind=page.get("kind", "custom"),
                    title=_in(page["title"], languages),
                    body=_in(page.get("body", {}), languages),
                    status="draft",
                )
        if content.get("standard_pages"):
            branding.add_standard_pages(city_name=city.name, languages=languages)


def capture_city_content(*, city: CityRef) -> TemplateContent:
    """The city's own content as template data: no residents, no ideas, comments or votes, no
    managers; phase dates become offsets from today."""
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
            projects.append(
                {
                    "slug": project.slug,
                    "title": project.title,
                    "description": project.description,
                    "phases": [
                        {
                            "method": phase.method,
                            "title": phase.title,
                            "description": phase.description,
                            "starts_in_days": 14 + (phase.starts_at - first).days,
                            "days": max(
                                1, ((phase.ends_at or phase.starts_at) - phase.starts_at).days
                            ),
                        }
                        for phase in phases
                    ],
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


def retire_template(*, code: str) -> CityTemplate:
    """New cities can no longer start from `code`; cities made from it keep their content.
    A built-in template is retired through a row that carries only its code."""
    with control_plane(), transaction.atomic():
        row = CityTemplate.objects.select_for_update().filter(code=code).first()
        if row is None:
            if code not in BUILTINS:
                raise TemplateRefused(_("This template does not exist."))
            builtin = BUILTINS[code]
            row = CityTemplate.objects.create(code=code, name={"en": str(builtin.name)}, position=0)
        if row.retired_at is None:
            row.retired_at = timezone.now()
            row.save(update_fields=["retired_at"])
    return row


def retired_templates() -> QuerySet[CityTemplate]:
    return CityTemplate.objects.filter(retired_at__isnull=False)


def builtin_name(code: str) -> str | Promise:
    builtin = BUILTINS.get(code)
    return builtin.name if builtin else code
