"""The account pages Ratusz adds to django-allauth's (both under /accounts/ in a city portal)."""

from django.urls import path

from ratusz.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("consent/", views.consent_view, name="consent"),
    path("data/", views.data_view, name="data"),
    path("delete/", views.delete_view, name="delete"),
    path("city-rules/", views.city_rules_view, name="city-rules"),
]
