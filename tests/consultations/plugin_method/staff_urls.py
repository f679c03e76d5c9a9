"""Included by the back office (namespace "backoffice"), so no app_name of its own."""

from django.urls import path

from tests.consultations.plugin_method import views

urlpatterns = [
    path("plugin-test/", views.staff_home, name="plugin-test"),
    path("plugin-test/phases/<int:phase_id>/", views.staff_phase, name="plugin-test-phase"),
]
