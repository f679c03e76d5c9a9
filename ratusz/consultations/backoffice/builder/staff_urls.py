"""Project builder: projects, folders, timelines and phase settings."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.backoffice.builder import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<slug:slug>/", views.project_edit, name="project-edit"),
    path("projects/<slug:slug>/publish/", views.project_publish, name="project-publish"),
    path("projects/<slug:slug>/archive/", views.project_archive, name="project-archive"),
    path("projects/<slug:slug>/draft/", views.project_draft, name="project-draft"),
    path("projects/<slug:slug>/copy/", views.project_copy, name="project-copy"),
    path("projects/<slug:slug>/move/", views.project_move, name="project-move"),
    path("projects/<slug:slug>/timeline/", views.project_timeline, name="project-timeline"),
    path("projects/<slug:slug>/phases/new/", views.phase_add, name="phase-add"),
    path("projects/<slug:slug>/phases/<int:phase_id>/", views.phase_edit, name="phase-edit"),
    path(
        "projects/<slug:slug>/phases/<int:phase_id>/delete/",
        views.phase_delete,
        name="phase-delete",
    ),
    path(
        "projects/<slug:slug>/phases/<int:phase_id>/settings/",
        views.phase_settings,
        name="phase-settings",
    ),
    path("folders/new/", views.folder_create, name="folder-create"),
    path("folders/<slug:slug>/", views.folder_edit, name="folder-edit"),
    path("folders/<slug:slug>/status/", views.folder_status, name="folder-status"),
]
