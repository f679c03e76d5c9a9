"""Resident pages of polls, under /polls/ of the city host."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.polls import views

app_name = "polls"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:poll_id>/vote/", views.vote, name="vote"),
]
