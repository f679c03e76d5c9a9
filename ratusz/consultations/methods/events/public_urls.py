from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.events import views

# Resident pages, under /events/ of the city host.
app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="list"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("<int:event_id>/calendar.ics", views.calendar, name="calendar"),
]
