"""Resident pages of surveys, under /surveys/ of the city host."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:phase_id>/", views.answer, name="answer"),
    path("<int:phase_id>/thanks/", views.done, name="done"),
    path("<int:phase_id>/results/", views.results, name="results"),
]
