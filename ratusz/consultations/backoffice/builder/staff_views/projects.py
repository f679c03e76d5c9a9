"""Projects (list, create, edit, publish, archive, draft, copy, move) and folders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.backoffice.builder.forms.projects import (
    CopyProjectForm,
    FolderForm,
    MoveForm,
    ProjectForm,
)
from ratusz.consultations.core import read_only, selectors, services
from ratusz.consultations.core.access import (
    administrator_required,
    managed_project,
    managed_projects,
    staff_required,
)
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Folder, Phase, Project, PublicationStatus
from ratusz.consultations.core.services import ProjectReadOnly, ProjectRefused, TimelineRefused
from ratusz.tenants.entitlements import LimitReached


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required / administrator_required
    return user


def _languages(request: HttpRequest) -> dict[str, Any]:
    city = city_of(request)
    return {"languages": city.languages, "default_language": city.default_language}


def _project(request: HttpRequest, slug: str) -> Project:
    return managed_project(_user(request), slug)


def _phase(project: Project, phase_id: int) -> Phase:
    return get_object_or_404(Phase, pk=phase_id, project=project)


def _read_only_notice(project: Project) -> str:
    """Why the project cannot be changed, when it is beyond the plan's active projects."""
    try:
        services.refuse_if_read_only(project)
    except ProjectReadOnly as refused:
        return refused.message
    return ""


def _project_page(
    request: HttpRequest, project: Project, template: str, **extra: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "project": project,
        "is_admin": is_administrator(request.user),
        "published_count": selectors.published_project_count(),
        "read_only_notice": _read_only_notice(project),
    }
    context.update(extra)
    return render(request, f"backoffice/builder/{template}", context)


# --- projects ------------------------------------------------------------------------------


@staff_required
def projects(request: HttpRequest) -> HttpResponse:
    listing = list(
        managed_projects(_user(request))
        .order_by("position", "-created_at")
        .select_related("folder")
        .prefetch_related("phases", "managers")
    )
    admin = is_administrator(request.user)
    return render(
        request,
        "backoffice/builder/projects.html",
        {
            "projects": listing,
            "folders": Folder.objects.all() if admin else [],
            "is_admin": admin,
            "read_only_ids": read_only.read_only_project_ids(),
            "active_limit": read_only.active_projects_limit(),
        },
    )


@administrator_required
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        can_assign_managers=True,
        **_languages(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = services.create_project(
            slug=data["slug"],
            title={k: v for k, v in form.texts("title").items() if v},
            description={k: v for k, v in form.texts("description").items() if v},
            topics=data.get("topics") or [],
            area=data.get("area"),
            folder=data.get("folder"),
            visibility=data["visibility"],
            visible_to=data.get("visible_to") or [],
            managers=data.get("managers") or [],
            cover_image=data.get("cover_image"),
            cover_alt=form.texts("cover_alt"),
        )
        messages.success(request, _("The project is saved as a draft. Now add its phases."))
        return redirect("backoffice:project-timeline", slug=project.slug)
    return render(request, "backoffice/builder/project_form.html", {"form": form})


@staff_required
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    admin = is_administrator(request.user)
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        can_assign_managers=admin,
        **_languages(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_project(
                project=project,
                title=form.texts("title"),
                description=form.texts("description"),
                cover_alt=form.texts("cover_alt"),
                topics=data["topics"] if "topics" in form.fields else project.topics.all(),
                area=data.get("area") if "area" in form.fields else project.area,
                folder=data.get("folder") if "folder" in form.fields else project.folder,
                visibility=data["visibility"],
                visible_to=data.get("visible_to") or [],
                cover_image=data.get("cover_image"),
                remove_cover=bool(data.get("remove_cover")),
            )
        except ProjectReadOnly as refused:
            form.add_error(None, refused.message)
        else:
            if admin:
                services.assign_managers(project=project, managers=data.get("managers") or [])
            messages.success(request, _("The project is saved."))
            return redirect("backoffice:project-edit", slug=project.slug)
    response = _project_page(request, project, "project_form.html", form=form, tab="details")
    if form.errors:
        response.status_code = 400
    return response


@require_POST
@staff_required
def project_publish(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    try:
        services.publish_project(project=project)
    except LimitReached as exc:
        messages.error(request, exc.message)
    except TimelineRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The project is published: residents can see it now."))
    return redirect("backoffice:project-edit", slug=project.slug)


@require_POST
@staff_required
def project_archive(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    services.archive_project(project=project)
    messages.success(request, _("The project is archived: residents can still read it."))
    return redirect("backoffice:project-edit", slug=project.slug)


@require_POST
@staff_required
def project_draft(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    services.return_project_to_draft(project=project)
    messages.success(request, _("The project is a draft again: only staff can see it."))
    return redirect("backoffice:project-edit", slug=project.slug)


@administrator_required
def project_copy(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = CopyProjectForm(request.POST or None, initial={"slug": f"{project.slug}-2"[:80]})
    if request.method == "POST" and form.is_valid():
        copy = services.copy_project(
            project=project,
            slug=form.cleaned_data["slug"],
            with_inputs=form.cleaned_data["with_inputs"],
        )
        messages.success(request, _("The copy is saved as a draft."))
        return redirect("backoffice:project-edit", slug=copy.slug)
    return _project_page(request, project, "project_copy.html", form=form)


@require_POST
@administrator_required
def project_move(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_project(project=project, direction=form.cleaned_data["direction"])
        except ProjectRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Move a project up or down."))
    return redirect("backoffice:projects")


# --- folders ---------------------------------------------------------------------------------


@administrator_required
def folder_create(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST or None, **_languages(request))
    if request.method == "POST" and form.is_valid():
        services.create_folder(
            slug=form.cleaned_data["slug"],
            title={k: v for k, v in form.texts("title").items() if v},
            description={k: v for k, v in form.texts("description").items() if v},
            status=PublicationStatus.DRAFT,
        )
        messages.success(request, _("The folder is saved as a draft."))
        return redirect("backoffice:projects")
    return render(request, "backoffice/builder/folder_form.html", {"form": form})


@administrator_required
def folder_edit(request: HttpRequest, slug: str) -> HttpResponse:
    folder = get_object_or_404(Folder, slug=slug)
    form = FolderForm(request.POST or None, folder=folder, **_languages(request))
    if request.method == "POST" and form.is_valid():
        services.update_folder(
            folder=folder, title=form.texts("title"), description=form.texts("description")
        )
        messages.success(request, _("The folder is saved."))
        return redirect("backoffice:projects")
    return render(request, "backoffice/builder/folder_form.html", {"form": form, "folder": folder})


@require_POST
@administrator_required
def folder_status(request: HttpRequest, slug: str) -> HttpResponse:
    folder = get_object_or_404(Folder, slug=slug)
    status = request.POST.get("status", "")
    try:
        services.set_folder_status(folder=folder, status=status)
    except ProjectRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The folder's status is changed."))
    return redirect("backoffice:projects")
