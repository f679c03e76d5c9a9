"""A project's timeline: its phases, and each phase's settings, in the city's time zone."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.consultations.backoffice.builder.forms.phases import PhaseForm, PhaseSettingsForm
from ratusz.consultations.backoffice.builder.staff_views.projects import (
    _languages,
    _phase,
    _project,
    _project_page,
)
from ratusz.consultations.core import selectors, services
from ratusz.consultations.core.access import staff_required
from ratusz.consultations.core.http import city_of
from ratusz.consultations.core.models import Project
from ratusz.consultations.core.registry import get_method
from ratusz.consultations.core.services import ProjectReadOnly, SettingsRefused, TimelineRefused


def _in_city_time(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Dates in the builder are read and shown in the city's own time zone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with timezone.override(city_of(request).time_zone):
            return view(request, *args, **kwargs)

    return wrapped


# --- the timeline ------------------------------------------------------------------------------


def _timeline_page(request: HttpRequest, project: Project, form: PhaseForm) -> HttpResponse:
    entries = selectors.timeline(project)
    return _project_page(
        request,
        project,
        "timeline.html",
        form=form,
        entries=[(e, get_method(e.phase.method)) for e in entries],
        tab="timeline",
    )


@staff_required
@_in_city_time
def project_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    return _timeline_page(request, project, PhaseForm(**_languages(request)))


@require_POST
@staff_required
@_in_city_time
def phase_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = PhaseForm(request.POST, **_languages(request))
    if form.is_valid():
        try:
            services.add_phase(
                project=project,
                method=form.cleaned_data["method"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                title={k: v for k, v in form.texts("title").items() if v},
                description={k: v for k, v in form.texts("description").items() if v},
                default_language=city_of(request).default_language,
            )
        except (TimelineRefused, ProjectReadOnly) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The phase is added to the timeline."))
            return redirect("backoffice:project-timeline", slug=project.slug)
    response = _timeline_page(request, project, form)
    response.status_code = 400
    return response


@staff_required
@_in_city_time
def phase_edit(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    project = _project(request, slug)
    phase = _phase(project, phase_id)
    form = PhaseForm(request.POST or None, phase=phase, **_languages(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_phase(
                    phase=phase,
                    method=form.cleaned_data["method"],
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    title=form.texts("title"),
                    description=form.texts("description"),
                    default_language=city_of(request).default_language,
                )
            except (TimelineRefused, ProjectReadOnly) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The phase is saved."))
                return redirect("backoffice:project-timeline", slug=project.slug)
        phase.refresh_from_db()  # show the phase as saved, next to what was sent
    status = 400 if form.errors else 200
    response = _project_page(
        request, project, "phase_form.html", form=form, phase=phase, tab="timeline"
    )
    response.status_code = status
    return response


@staff_required
@_in_city_time
def phase_delete(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    project = _project(request, slug)
    phase = _phase(project, phase_id)
    if request.method == "POST":
        try:
            services.delete_phase(phase=phase)
        except (TimelineRefused, ProjectReadOnly) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The phase is deleted."))
        return redirect("backoffice:project-timeline", slug=project.slug)
    return _project_page(request, project, "phase_delete.html", phase=phase, tab="timeline")


@staff_required
def phase_settings(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    project = _project(request, slug)
    phase = _phase(project, phase_id)
    form = PhaseSettingsForm(request.POST or None, phase=phase)
    method = get_method(phase.method)
    # A method may bring a settings form of its own (the registry names it).
    method_form_class = method.settings_form_class()
    method_form = (
        method_form_class(request.POST or None, phase=phase, prefix="method")
        if method_form_class
        else None
    )
    forms_valid = form.is_valid() and (method_form is None or method_form.is_valid())
    if request.method == "POST" and forms_valid:
        options = {**form.options(), **(method_form.cleaned_data if method_form else {})}
        try:
            services.update_phase_settings(
                phase=phase, options=options, permissions=form.permissions()
            )
        except (SettingsRefused, ProjectReadOnly) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The phase's settings are saved."))
            return redirect("backoffice:phase-settings", slug=project.slug, phase_id=phase.pk)
    response = _project_page(
        request,
        project,
        "phase_settings.html",
        form=form,
        method_form=method_form,
        phase=phase,
        method=method,
        tab="timeline",
    )
    if form.errors or (method_form is not None and method_form.errors):
        response.status_code = 400
    return response
