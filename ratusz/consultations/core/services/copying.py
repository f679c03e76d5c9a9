"""Copying a project: its settings, phases and documents, and on request what residents wrote."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.registry import all_methods


def _copy_title(title: dict[str, str]) -> dict[str, str]:
    copied = {}
    for language, text in title.items():
        with translation.override(language):
            copied[language] = _("%(title)s (copy)") % {"title": text}
    return copied


def copy_project(*, project: Project, slug: str, with_inputs: bool) -> Project:
    """A draft copy of a project with its timeline and settings, and if asked, what residents
    wrote in it (ideas with their comments and reactions). Nobody is notified of the copy."""
    with transaction.atomic():
        copy = Project.objects.create(
            slug=slug,
            title=_copy_title(project.title),
            description=dict(project.description),
            cover_image=project.cover_image.name if project.cover_image else "",
            cover_alt=dict(project.cover_alt),
            area=project.area,
            folder=project.folder,
            visibility=project.visibility,
            position=project.position,
        )
        copy.topics.set(project.topics.all())
        copy.visible_to.set(project.visible_to.all())
        copy.managers.set(project.managers.all())
        phases: dict[int, Phase] = {}
        for phase in project.phases.order_by("starts_at"):
            phases[phase.pk] = Phase.objects.create(
                project=copy,
                title=dict(phase.title),
                description=dict(phase.description),
                method=phase.method,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
                options=dict(phase.options),
                permissions=dict(phase.permissions),
            )
        for document in project.files.all():
            copy.files.create(
                phase=phases.get(document.phase_id) if document.phase_id else None,
                title=dict(document.title),
                file=document.file.name,
                position=document.position,
            )
        if with_inputs:
            # Each method copies what residents wrote in it (its manifest's `copy_inputs`).
            for method in all_methods():
                copy_inputs = method.input_copier()
                if copy_inputs is not None:
                    copy_inputs(project=project, copy=copy, phases=phases)
    return copy
