"""URLs of the dashboard and exports, included in the back office (app_name "backoffice")."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.reports import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", staff_views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", staff_views.chart_csv, name="dashboard-csv"),
    path("exports/", staff_views.exports, name="exports"),
    path("exports/<int:pk>/", staff_views.export_detail, name="export"),
    path("exports/<int:pk>/status/", staff_views.export_status, name="export-status"),
    path("exports/<int:pk>/download/", staff_views.export_download, name="export-download"),
]
