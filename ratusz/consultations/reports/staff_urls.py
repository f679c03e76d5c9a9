"""URLs of the dashboard and exports, included in the back office (app_name "backoffice")."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.reports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", views.chart_csv, name="dashboard-csv"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/status/", views.export_status, name="export-status"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
]
