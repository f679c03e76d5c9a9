from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.volunteering import staff

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("volunteering/phase/<int:phase_id>/", staff.phase_causes, name="volunteering-phase"),
    path(
        "volunteering/phase/<int:phase_id>/volunteers.csv",
        staff.volunteers_csv,
        name="volunteering-export",
    ),
]
