"""URLs of the back office (/admin/ of a city host). Each area includes its own module."""

from django.urls import include, path

from ratusz.consultations.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("support-visits/", views.audit, name="audit"),
    path("features/", views.features, name="features"),
    path("", include("ratusz.consultations.backoffice.builder.urls")),
    path("", include("ratusz.consultations.people.urls")),
    path("", include("ratusz.consultations.branding.urls")),
    path("", include("ratusz.consultations.reports.urls")),
    path("", include("ratusz.consultations.campaigns.urls")),
    path("", include("ratusz.consultations.insight.urls")),
    path("", include("ratusz.consultations.methods.surveys.urls")),
    path("", include("ratusz.consultations.methods.polls.urls")),
    path("", include("ratusz.consultations.methods.voting.urls")),
    path("", include("ratusz.consultations.methods.proposals.urls")),
    path("", include("ratusz.consultations.methods.events.urls")),
    path("", include("ratusz.consultations.methods.volunteering.urls")),
]
