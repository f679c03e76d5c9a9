"""URLs of the back office (/admin/ of a city host). Each area includes its own module."""

from django.urls import include, path

from ratusz.consultations.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("support-visits/", views.audit, name="audit"),
    path("features/", views.features, name="features"),
    path("", include("ratusz.consultations.backoffice.builder.staff_urls")),
    path("", include("ratusz.consultations.people.staff_urls")),
    path("", include("ratusz.consultations.branding.staff_urls")),
    path("", include("ratusz.consultations.reports.staff_urls")),
    path("", include("ratusz.consultations.campaigns.staff_urls")),
    path("", include("ratusz.consultations.insight.staff_urls")),
    path("", include("ratusz.consultations.methods.surveys.staff_urls")),
    path("", include("ratusz.consultations.methods.polls.staff_urls")),
    path("", include("ratusz.consultations.methods.voting.staff_urls")),
    path("", include("ratusz.consultations.methods.proposals.staff_urls")),
    path("", include("ratusz.consultations.methods.events.staff_urls")),
    path("", include("ratusz.consultations.methods.volunteering.staff_urls")),
]
