"""The city's URLs plus "complete your profile", mounted as the lead is asked to mount it."""

from django.urls import include, path

from ratusz.urls_city import urlpatterns as city_urlpatterns

urlpatterns = [
    path("profile/complete/", include("ratusz.consultations.people.public_urls")),
    *city_urlpatterns,
]
