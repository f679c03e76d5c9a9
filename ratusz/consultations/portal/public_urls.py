"""Resident-facing URLs of a city portal (a method's own pages come from its manifest)."""

from django.urls import path

from ratusz.consultations.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("folders/<slug:slug>/", views.folder_detail, name="folder"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/map.json", views.project_map_data, name="project-map-data"),
]
