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
    path("partners/", views.partners_view, name="partners"),
    path("partners/commissions/", views.commissions_view, name="commissions"),
    path("partners/<int:pk>/", views.partner_view, name="partner"),
    path("partners/<int:pk>/invite/", views.invite_partner_view, name="partner-invite"),
    path("partners/<int:pk>/rate/", views.commission_rate_view, name="partner-rate"),
    path("templates/", views.templates_view, name="templates"),
    path("templates/<slug:code>/retire/", views.retire_template_view, name="template-retire"),
    path("cities/<slug:slug>/", views.city_view, name="city"),
    path("cities/<slug:slug>/billing/credit/", views.grant_credit_view, name="billing-credit"),
    path("cities/<slug:slug>/billing/trial/", views.extend_trial_view, name="billing-trial"),
    path(
        "cities/<slug:slug>/billing/outside-stripe/",
        views.billed_outside_view,
        name="billing-outside",
    ),
    path("cities/<slug:slug>/billing/invoice/", views.record_invoice_view, name="billing-invoice"),
    path("cities/<slug:slug>/billing/payment/", views.record_payment_view, name="billing-payment"),
    path("cities/<slug:slug>/save-template/", views.save_template_view, name="save-template"),
    path("cities/<slug:slug>/resend-sign-in/", views.resend_sign_in_view, name="resend-sign-in"),
    path("cities/<slug:slug>/entitlements/", views.entitlements_view, name="entitlements"),
    path("cities/<slug:slug>/rename/", views.rename_view, name="rename"),
    path("cities/<slug:slug>/support/", views.support_view, name="support"),
    path("cities/<slug:slug>/export/", views.export_view, name="export"),
    path("cities/<slug:slug>/domains/add/", views.add_domain_view, name="domain-add"),
    path(
        "cities/<slug:slug>/domains/<int:domain_id>/verify/",
        views.verify_domain_view,
        name="domain-verify",
    ),
    path(
        "cities/<slug:slug>/domains/<int:domain_id>/remove/",
        views.remove_domain_view,
        name="domain-remove",
    ),
    path("cities/<slug:slug>/<str:action>/", views.lifecycle_view, name="lifecycle"),
]
