from django.urls import path

from ratusz.platform import views

app_name = "platform"

urlpatterns = [
    path("", views.fleet_view, name="fleet"),
    path("audit/", views.audit_view, name="audit"),
    path("migrations/", views.migrations_view, name="migrations"),
    path("migrations/start/", views.start_migrations_view, name="migrations-start"),
    path("migrations/retry/<int:row_id>/", views.retry_migration_view, name="migrations-retry"),
    path("announcements/", views.announcements_view, name="announcements"),
    path(
        "announcements/<int:pk>/withdraw/",
        views.withdraw_announcement_view,
        name="announcement-withdraw",
    ),
    path("restore/", views.restore_view, name="restore"),
    path("exports/<int:pk>/download/", views.download_export_view, name="export-download"),
    path("cities/<slug:slug>/", views.city_view, name="city"),
    path("cities/<slug:slug>/entitlements/", views.entitlements_view, name="entitlements"),
    path("cities/<slug:slug>/rename/", views.rename_view, name="rename"),
    path("cities/<slug:slug>/support/", views.support_view, name="support"),
    path("cities/<slug:slug>/export/", views.export_view, name="export"),
    path(
        "cities/<slug:slug>/domains/<int:domain_id>/remove/",
        views.remove_domain_view,
        name="domain-remove",
    ),
    path("cities/<slug:slug>/<str:action>/", views.lifecycle_view, name="lifecycle"),
]
