"""Resident URLs of the branding and site area (included at the root of a city's URLs)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.branding import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("pages/<slug:slug>/", views.page_detail, name="site-page"),
    path("cookie-notice/dismiss/", views.dismiss_cookie_notice, name="cookie-notice-dismiss"),
]
