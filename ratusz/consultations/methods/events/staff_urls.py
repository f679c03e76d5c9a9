from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.events import staff_views

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", staff_views.event_list, name="events"),
    path("events/new/", staff_views.event_create, name="events-create"),
    path("events/phase/<int:phase_id>/", staff_views.event_list, name="events-phase"),
    path("events/<int:event_id>/", staff_views.event_edit, name="events-edit"),
    path(
        "events/<int:event_id>/attendance.csv", staff_views.attendance_csv, name="events-attendance"
    ),
]
