"""Who may enter the back office and what they see there.

Administrators (and partner consultants working for the city) see everything; project managers
see the projects assigned to them (and only those); residents never reach /admin/ (403),
visitors are sent to sign in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import check_staff_access, is_administrator, staff_required
from ratusz.consultations.models import Project

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

__all__ = [
    "administrator_required",
    "managed_project",
    "managed_projects",
    "staff_required",
]


def administrator_required(view: View) -> View:
    """Staff pages only administrators may open (people, branding, campaigns...)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = check_staff_access(request)
        if refusal is not None:
            return refusal
        if not (is_administrator(request.user) or is_partner(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

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
