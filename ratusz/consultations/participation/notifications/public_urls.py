"""Notification pages of a city portal (included under notifications/)."""

from django.urls import path

from ratusz.consultations.participation.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.mark_read_view, name="mark-read"),
    path("read-all/", views.mark_all_read_view, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
