"""URLs of the control plane (BASE_DOMAIN)."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("ratusz.platform.urls")),
    path("billing/", include("ratusz.billing.urls")),
    path("", include("ratusz.onboarding.urls")),
]
