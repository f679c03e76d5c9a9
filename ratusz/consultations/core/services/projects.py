"""Projects and folders: creating, editing, publishing, archiving and ordering them; managers."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import (
    Area,
    Folder,
    Project,
    PublicationStatus,
    ResidentGroup,
    Topic,
    Visibility,
)
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.core.services.refusals import (
    ProjectRefused,
    TimelineRefused,
    refuse_if_read_only,
)
from ratusz.tenants.entitlements import check_limit


def create_folder(
    *,
    slug: str,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    status: str = PublicationStatus.PUBLISHED,
) -> Folder:
    return Folder.objects.create(
        slug=slug,
        title=title,
        description={k: sanitize(v) for k, v in (description or {}).items()},
        status=status,
    )


def create_project(
    *,
    slug: str,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    topics: Iterable[Topic] = (),
    area: Area | None = None,
    folder: Folder | None = None,
    visibility: str = Visibility.EVERYONE,
    visible_to: Iterable[ResidentGroup] = (),
    managers: Iterable[User] = (),
    cover_image: UploadedFile | None = None,
    cover_alt: dict[str, str] | None = None,
) -> Project:
    """A new project, in draft until published."""
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug,
            title=title,
            description={k: sanitize(v) for k, v in (description or {}).items()},
            cover_image=cover_image or "",
            cover_alt={k: v for k, v in (cover_alt or {}).items() if v},
            area=area,
            folder=folder,
            visibility=visibility,
        )
        project.topics.set(topics)
        project.visible_to.set(visible_to)
        project.managers.set(managers)
    return project


# --- projects and folders in the back office ------------------------------------------------


def update_project(
    *,
    project: Project,
    title: dict[str, str],
    description: dict[str, str],
    cover_alt: dict[str, str],
    topics: Iterable[Topic],
    area: Area | None,
    folder: Folder | None,
    visibility: str,
    visible_to: Iterable[ResidentGroup],
    cover_image: UploadedFile | None = None,
    remove_cover: bool = False,
) -> Project:
    """Change what a project says and who sees it. A new cover replaces the old one."""
    refuse_if_read_only(project)
    with transaction.atomic():
        project.title = {k: v for k, v in title.items() if v}
        project.description = {k: sanitize(v) for k, v in description.items() if v}
        project.cover_alt = {k: v for k, v in cover_alt.items() if v}
        project.area = area
        project.folder = folder
        project.visibility = visibility
        if cover_image is not None:
            project.cover_image = cover_image
        elif remove_cover:
            project.cover_image = ""
        project.save()
        project.topics.set(topics)
        project.visible_to.set(visible_to if visibility == Visibility.GROUPS else [])
    return project


def assign_managers(*, project: Project, managers: Iterable[User]) -> Project:
    """The staff members who manage this project (administrators manage all anyway)."""
    with transaction.atomic():
        project.managers.set(managers)
    return project


def publish_project(*, project: Project) -> Project:
    """Open a project to residents, within the city's limit of active projects."""
    if not project.phases.exists():
        raise TimelineRefused(_("Add at least one phase before publishing the project."))
    with transaction.atomic():
        if project.status != PublicationStatus.PUBLISHED:
            # Two administrators publishing at once must not both slip under the limit.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
            used = Project.objects.filter(status=PublicationStatus.PUBLISHED).count()
            check_limit("active_projects", used=used)
        project.status = PublicationStatus.PUBLISHED
        project.published_at = project.published_at or timezone.now()
        project.save(update_fields=["status", "published_at"])
    return project


def archive_project(*, project: Project) -> Project:
    project.status = PublicationStatus.ARCHIVED
    project.save(update_fields=["status"])
    return project


def return_project_to_draft(*, project: Project) -> Project:
    """Hide a project from residents again (staff keep seeing it)."""
    project.status = PublicationStatus.DRAFT
    project.save(update_fields=["status"])
    return project


def move_project(*, project: Project, direction: str) -> None:
    """Move a project one place up or down the list residents see."""
    if direction not in ("up", "down"):
        raise ProjectRefused(_("Move a project up or down."))
    with transaction.atomic():
        ordered = list(Project.objects.select_for_update().order_by("position", "-created_at"))
        index = next(i for i, p in enumerate(ordered) if p.pk == project.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def update_folder(*, folder: Folder, title: dict[str, str], description: dict[str, str]) -> Folder:
    folder.title = {k: v for k, v in title.items() if v}
    folder.description = {k: sanitize(v) for k, v in description.items() if v}
    folder.save(update_fields=["title", "description"])
    return folder


def set_folder_status(*, folder: Folder, status: str) -> Folder:
    if status not in PublicationStatus.values:
        raise ProjectRefused(_("Unknown status."))
    folder.status = status
    folder.save(update_fields=["status"])
    return folder
