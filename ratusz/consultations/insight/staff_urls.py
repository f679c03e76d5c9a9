"""Themes pages, included in the back office's URLs (names `backoffice:insight...`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.insight import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("themes/", views.insight_index, name="insight"),
    path("themes/<slug:slug>/", views.insight_project, name="insight-project"),
    path("themes/<slug:slug>/run/", views.insight_run, name="insight-run"),
    path("themes/<slug:slug>/merge/", views.insight_merge, name="insight-merge"),
    path("themes/<slug:slug>/<int:theme_id>/rename/", views.insight_rename, name="insight-rename"),
    path("themes/<slug:slug>/<int:theme_id>/tags/", views.insight_tags, name="insight-tags"),
]
