"""Themes pages, included in the back office's URLs (names `backoffice:insight...`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.insight import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("themes/", staff_views.insight_index, name="insight"),
    path("themes/<slug:slug>/", staff_views.insight_project, name="insight-project"),
    path("themes/<slug:slug>/run/", staff_views.insight_run, name="insight-run"),
    path("themes/<slug:slug>/merge/", staff_views.insight_merge, name="insight-merge"),
    path(
        "themes/<slug:slug>/<int:theme_id>/rename/",
        staff_views.insight_rename,
        name="insight-rename",
    ),
    path("themes/<slug:slug>/<int:theme_id>/tags/", staff_views.insight_tags, name="insight-tags"),
]
