"""Billing pages for a city's administrators, mounted at /admin/billing/ of the city host."""

from django.urls import URLPattern, URLResolver, path

from ratusz.billing import views

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("choose/", views.choose_plan, name="choose"),
    path("details/", views.legal_details, name="details"),
    path("portal/", views.portal, name="portal"),
]
