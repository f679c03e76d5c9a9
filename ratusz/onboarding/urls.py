from django.urls import URLPattern, URLResolver, path

from ratusz.onboarding import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.landing, name="landing"),
]
