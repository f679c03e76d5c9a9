"""URLs of the control plane (BASE_DOMAIN)."""

from django.urls import include, path

from ratusz.accounts import views as accounts

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Before allauth's: its set-up of an authenticator app, recording that the code was used.
    path(
        "accounts/2fa/totp/activate/",
        accounts.ActivateTOTPView.as_view(),
        name="mfa_activate_totp",
    ),
    # Before allauth's: the confirmation link is a sign-in door (ratusz.accounts.doors).
    path(
        "accounts/confirm-email/<str:key>/",
        accounts.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    # Operators and partners sign in on the control plane (accounts in the public schema).
    path("accounts/", include("allauth.urls")),
    path("console/", include("ratusz.platform.urls")),
    path("billing/", include("ratusz.billing.urls")),
    path("", include("ratusz.onboarding.urls")),
]
