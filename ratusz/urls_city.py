"""URLs of a city portal (<slug>.BASE_DOMAIN and the city's own domains)."""

from django.conf import settings
from django.urls import include, path

from ratusz.accounts import views as accounts

urlpatterns = [
    path("", include("ratusz.consultations.urls")),
    path("", include("ratusz.consultations.branding.urls_public")),
    path("invitation/<str:token>/", accounts.accept_invitation_view, name="accept-invitation"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("ratusz.accounts.urls")),
    path("moderation/", include("ratusz.consultations.moderation.urls")),
    path("notifications/", include("ratusz.consultations.notifications.urls")),
    # Billing is control-plane code; its pages for the city's administrators are mounted here.
    # Participation methods' resident pages.
    path("surveys/", include("ratusz.consultations.surveys.public_urls")),
    path("polls/", include("ratusz.consultations.polls.public_urls")),
    path("voting/", include("ratusz.consultations.voting.public_urls")),
    path("proposals/", include("ratusz.consultations.proposals.public_urls")),
    path("events/", include("ratusz.consultations.events.public_urls")),
    path("volunteering/", include("ratusz.consultations.volunteering.public_urls")),
    # Operators' support visits (one-time entry links from the console).
    path("support/", include("ratusz.platform.urls_city")),
    path("campaigns/", include("ratusz.consultations.campaigns.public_urls")),
    path("profile/complete/", include("ratusz.consultations.people.public_urls")),
    path("admin/billing/", include("ratusz.billing.urls_city")),
    path("admin/", include("ratusz.consultations.backoffice.urls")),
    # Onboarding (control plane) pages served on a city's host: one-time sign-in, hand-over.
    path("welcome/", include("ratusz.onboarding.urls_city")),
]

if settings.DEBUG:
    from django.views.static import serve

    from ratusz.tenants.storage import city_folder

    def _media(request, path):  # type: ignore[no-untyped-def]  # development only
        # Serve only the current city's folder: a path into another city's folder is a 404.
        # Exports are for staff only, through their download view (which checks who asks).
        prefix = city_folder() + "/"
        if not path.startswith(prefix) or path.startswith(prefix + "exports/"):
            from django.http import Http404

            raise Http404
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns.append(path("media/<path:path>", _media))
