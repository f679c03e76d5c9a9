"""URLs of the control plane (BASE_DOMAIN)."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Operators and partners sign in on the control plane (accounts in the public schema).
    path("accounts/", include("allauth.urls")),
    path("console/", include("ratusz.platform.urls")),
    path("billing/", include("ratusz.billing.urls")),
    path("", include("ratusz.onboarding.urls")),
]
