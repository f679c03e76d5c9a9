"""URLs of a city portal (<slug>.BASE_DOMAIN and the city's own domains)."""

from django.conf import settings
from django.urls import include, path

from ratusz.accounts import views as accounts
from ratusz.consultations.core.registry import all_methods

urlpatterns = [
    path("", include("ratusz.consultations.portal.public_urls")),
    path("", include("ratusz.consultations.branding.public_urls")),
    path("invitation/<str:token>/", accounts.accept_invitation_view, name="accept-invitation"),
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
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("ratusz.accounts.urls")),
    path("moderation/", include("ratusz.consultations.participation.moderation.public_urls")),
    path("notifications/", include("ratusz.consultations.participation.notifications.public_urls")),
    # Participation methods' resident pages, each at its manifest's prefix (registry order).
    *(path(m.url_prefix, include(m.resident_urls)) for m in all_methods() if m.resident_urls),
    # Operators' support visits (one-time entry links from the console).
    path("support/", include("ratusz.platform.urls_city")),
    path("campaigns/", include("ratusz.consultations.campaigns.public_urls")),
    path("profile/complete/", include("ratusz.consultations.people.public_urls")),
    # Billing is control-plane code; its pages for the city's administrators are mounted here.
    path("admin/billing/", include("ratusz.billing.urls_city")),
    path("admin/", include("ratusz.consultations.backoffice.urls")),
    # Onboarding (control plane) pages served on a city's host: one-time sign-in, hand-over.
    path("welcome/", include("ratusz.onboarding.urls_city")),
]

if settings.STORAGES["default"]["BACKEND"] == "ratusz.tenants.storage.CityFileSystemStorage":
    from ratusz.tenants.media import serve_city_media

    # Files kept on this machine (development, a single-machine install) are served here:
    # only the current city's public files, each as its type and never as a page. From a
    # bucket they come with the type and disposition set when stored (CityS3Storage).
    urlpatterns.append(path("media/<path:path>", serve_city_media))
