"""Residents' pages of campaigns, at /campaigns/ of the city host."""

from django.urls import path

from ratusz.consultations.campaigns import views

app_name = "campaigns"

urlpatterns = [
    # The one-click link in campaign e-mails (no sign-in; the signed token decides).
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
