from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.volunteering import staff_views

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("volunteering/phase/<int:phase_id>/", staff_views.phase_causes, name="volunteering-phase"),
    path(
        "volunteering/phase/<int:phase_id>/volunteers.csv",
        staff_views.volunteers_csv,
        name="volunteering-export",
    ),
]
