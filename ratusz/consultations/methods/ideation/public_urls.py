"""Resident URLs of ideation, mounted at the root of a city's URLs (its manifest's url_prefix
is ""): the paths carry their own prefixes and the names have no namespace."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.ideation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/<slug:slug>/ideas/new/", views.idea_create, name="idea-create"),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("ideas/<int:idea_id>/react/", views.react, name="idea-react"),
    path("ideas/<int:idea_id>/react/withdraw/", views.withdraw_reaction, name="idea-unreact"),
    path("ideas/<int:idea_id>/follow/", views.toggle_follow, name="idea-follow"),
    path("ideas/<int:idea_id>/comments/", views.comment, name="idea-comment"),
    path("ideas/<int:idea_id>/status/", views.change_status, name="idea-status"),
    path("statuses/", views.statuses, name="idea-statuses"),
]
