"""URLs of the back office (/admin/ of a city host). Each area includes its own module; each
participation method's come from its manifest."""

from django.urls import include, path

from ratusz.consultations.backoffice import views
from ratusz.consultations.core.registry import all_methods

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
    # Each participation method's staff pages (its manifest's staff_urls), in registry order.
    *(path("", include(m.staff_urls)) for m in all_methods() if m.staff_urls),
]
