"""The themes pages of the back office: staff see the projects they manage (administrators
all), run an analysis, and rename, tag and merge themes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.accounts.models import User
from ratusz.consultations.core.access import managed_project, managed_projects, staff_required
from ratusz.consultations.core.models import Project
from ratusz.consultations.insight import selectors, services
from ratusz.consultations.insight.forms import MergeForm, RenameForm, TagsForm
from ratusz.consultations.insight.models import Theme
from ratusz.tenants.entitlements import FeatureNotAllowed


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required lets only accounts through
    return user


@staff_required
def insight_index(request: HttpRequest) -> HttpResponse:
    projects = selectors.projects_with_themes(managed_projects(_user(request)))
    return render(request, "backoffice/insight/index.html", {"projects": projects})


def _page(request: HttpRequest, project: Project, **forms: object) -> HttpResponse:
    themes = list(selectors.themes_of(project))
    failed = forms.get("failed_theme")
    for theme in themes:
        prefix = f"theme-{theme.pk}"
        rename, tags = forms.get("rename_form"), forms.get("tags_form")
        theme.rename_form = (  # type: ignore[attr-defined]  # per-theme forms for the template
            rename
            if rename is not None and failed == theme.pk
            else RenameForm(prefix=prefix, initial={"name": theme.name})
        )
        theme.tags_form = (  # type: ignore[attr-defined]  # per-theme forms for the template
            tags
            if tags is not None and failed == theme.pk
            else TagsForm(prefix=prefix, initial={"tags": ", ".join(theme.tags)})
        )
    context = {
        "project": project,
        "themes": themes,
        "run": selectors.latest_run(project),
        "merge_form": forms.get("merge_form")
        or MergeForm(themes=Theme.objects.filter(project=project)),
    }
    status = 400 if any(forms.values()) else 200
    return render(request, "backoffice/insight/project.html", context, status=status)


@staff_required
def insight_project(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, managed_project(_user(request), slug))


@staff_required
@require_POST
def insight_run(request: HttpRequest, slug: str) -> HttpResponse:
    project = managed_project(_user(request), slug)
    try:
        services.request_analysis(project=project, by=_user(request))
    except FeatureNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The analysis is running in the background. Reload this page in a moment."),
        )
    return redirect("backoffice:insight-project", project.slug)


def _theme(project: Project, theme_id: int) -> Theme:
    return get_object_or_404(Theme, pk=theme_id, project=project)


@staff_required
@require_POST
def insight_rename(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    project = managed_project(_user(request), slug)
    theme = _theme(project, theme_id)
    form = RenameForm(request.POST, prefix=f"theme-{theme.pk}")
    if not form.is_valid():
        return _page(request, project, rename_form=form, failed_theme=theme.pk)
    services.rename_theme(theme=theme, name=form.cleaned_data["name"])
    messages.success(request, _("The theme is renamed."))
    return redirect("backoffice:insight-project", project.slug)


@staff_required
@require_POST
def insight_tags(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    project = managed_project(_user(request), slug)
    theme = _theme(project, theme_id)
    form = TagsForm(request.POST, prefix=f"theme-{theme.pk}")
    if not form.is_valid():
        return _page(request, project, tags_form=form, failed_theme=theme.pk)
    services.tag_theme(theme=theme, tags=form.cleaned_data["tags"])
    messages.success(request, _("The tags are saved."))
    return redirect("backoffice:insight-project", project.slug)


@staff_required
@require_POST
def insight_merge(request: HttpRequest, slug: str) -> HttpResponse:
    project = managed_project(_user(request), slug)
    form = MergeForm(request.POST, themes=Theme.objects.filter(project=project))
    if not form.is_valid():
        return _page(request, project, merge_form=form)
    services.merge_themes(target=form.cleaned_data["target"], others=form.cleaned_data["others"])
    messages.success(request, _("The themes are merged."))
    return redirect("backoffice:insight-project", project.slug)
