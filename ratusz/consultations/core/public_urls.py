"""Resident-facing URLs of a city portal."""

from django.urls import path

from ratusz.consultations.core import views
from ratusz.consultations.methods.ideation import views as ideation

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("folders/<slug:slug>/", views.folder_detail, name="folder"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/map.json", views.project_map_data, name="project-map-data"),
    path("projects/<slug:slug>/ideas/new/", ideation.idea_create, name="idea-create"),
    path("ideas/<int:idea_id>/", ideation.idea_detail, name="idea"),
    path("ideas/<int:idea_id>/react/", ideation.react, name="idea-react"),
    path("ideas/<int:idea_id>/react/withdraw/", ideation.withdraw_reaction, name="idea-unreact"),
    path("ideas/<int:idea_id>/follow/", ideation.toggle_follow, name="idea-follow"),
    path("ideas/<int:idea_id>/comments/", ideation.comment, name="idea-comment"),
    path("ideas/<int:idea_id>/status/", ideation.change_status, name="idea-status"),
    path("statuses/", ideation.statuses, name="idea-statuses"),
]
