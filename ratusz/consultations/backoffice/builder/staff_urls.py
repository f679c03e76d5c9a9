"""Project builder: projects, folders, timelines and phase settings."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.backoffice.builder.staff_views import projects, timeline

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/", projects.projects, name="projects"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<slug:slug>/", projects.project_edit, name="project-edit"),
    path("projects/<slug:slug>/publish/", projects.project_publish, name="project-publish"),
    path("projects/<slug:slug>/archive/", projects.project_archive, name="project-archive"),
    path("projects/<slug:slug>/draft/", projects.project_draft, name="project-draft"),
    path("projects/<slug:slug>/copy/", projects.project_copy, name="project-copy"),
    path("projects/<slug:slug>/move/", projects.project_move, name="project-move"),
    path("projects/<slug:slug>/timeline/", timeline.project_timeline, name="project-timeline"),
    path("projects/<slug:slug>/phases/new/", timeline.phase_add, name="phase-add"),
    path("projects/<slug:slug>/phases/<int:phase_id>/", timeline.phase_edit, name="phase-edit"),
    path(
        "projects/<slug:slug>/phases/<int:phase_id>/delete/",
        timeline.phase_delete,
        name="phase-delete",
    ),
    path(
        "projects/<slug:slug>/phases/<int:phase_id>/settings/",
        timeline.phase_settings,
        name="phase-settings",
    ),
    path("folders/new/", projects.folder_create, name="folder-create"),
    path("folders/<slug:slug>/", projects.folder_edit, name="folder-edit"),
    path("folders/<slug:slug>/status/", projects.folder_status, name="folder-status"),
]
