"""Residents' page of this area, mounted by the city's URLs outside the back office:
`path("profile/complete/", include("ratusz.consultations.people.public_urls"))`."""

from django.urls import path

from ratusz.consultations.people import views

app_name = "people"

urlpatterns = [
    path("", views.complete_profile, name="complete-profile"),
]
