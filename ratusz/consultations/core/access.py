"""Who may enter the back office and what they see there.

Administrators (and partner consultants working for the city) see everything; project managers
see the projects assigned to them (and only those); residents never reach /admin/ (403),
visitors are sent to sign in.

A project beyond the plan's active projects (after a downgrade) is read-only: the pages that
fetch "the phase or object of this staff member" call `refuse_writes_to_read_only(request,
project)`, and the decorators here answer the ProjectReadOnly it raises with a 403 page naming
the limit, so that no participation method's staff page can change such a project.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import check_staff_access, is_administrator
from ratusz.accounts.rules import staff_required as _staff_access_required
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.services import ProjectReadOnly, refuse_if_read_only

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

__all__ = [
    "administrator_required",
    "managed_project",
    "managed_projects",
    "refuse_writes_to_read_only",
    "staff_required",
]

# Requests that only read: a read-only project stays readable (and exportable) by its staff.
_READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuse_writes_to_read_only(request: HttpRequest, project: Project | None) -> None:
    """Raise ProjectReadOnly when `request` would change `project` and the project is beyond
    the plan's active projects. Call it with the project before writing (the app's helper that
    fetches the staff member's phase or object is the natural place); `staff_required` and
    `administrator_required` turn the refusal into a 403 page with its message."""
    if project is not None and request.method not in _READING_METHODS:
        refuse_if_read_only(project)


def _read_only_page(request: HttpRequest, refused: ProjectReadOnly) -> HttpResponseBase:
    return render(request, "backoffice/read_only.html", {"message": refused.message}, status=403)


def _answering_read_only(view: View) -> View:
    """Give a view's ProjectReadOnly (raised before anything was written) as a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ProjectReadOnly as refused:
            return _read_only_page(request, refused)

    return cast(View, wrapped)


def staff_required(view: View) -> View:
    """Staff pages: accounts' check, and a read-only project's refusal shown as a page."""
    return _staff_access_required(_answering_read_only(view))


def administrator_required(view: View) -> View:
    """Staff pages only administrators may open (people, branding, campaigns...)."""

    answering = _answering_read_only(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = check_staff_access(request)
        if refusal is not None:
            return refusal
        if not (is_administrator(request.user) or is_partner(request.user)):
            raise PermissionDenied
        return answering(request, *args, **kwargs)

    return cast(View, wrapped)


def is_partner(user: object) -> bool:
    """A partner consultant the city let into its back office: they set up consultations and
    people like an administrator, but the city's plan and invoices stay the city's own."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.PARTNER
    )


def managed_projects(user: User) -> QuerySet[Project]:
    """The projects this staff member may manage: all for administrators, assigned ones else."""
    if user.role in (Role.ADMINISTRATOR, Role.PARTNER):
        return Project.objects.all()
    if user.role == Role.PROJECT_MANAGER:
        return Project.objects.filter(managers=user)
    return Project.objects.none()


def managed_project(user: User, slug: str) -> Project:
    """The project `slug` if this staff member may manage it; 404 otherwise (no existence leak)."""
    project = managed_projects(user).filter(slug=slug).first()
    if project is None:
        raise Http404
    return project
