"""Back-office pages of polls (app_name "backoffice", under /admin/)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.polls import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("polls/<int:phase_id>/", staff_views.manage, name="polls-manage"),
    path("polls/delete/<int:poll_id>/", staff_views.delete, name="polls-delete"),
]
