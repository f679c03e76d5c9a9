from django.urls import path

from ratusz.platform.views import (
    announcements,
    billing,
    cities,
    domains,
    exports,
    fleet,
    migrations,
    onboarding,
    partners,
)

app_name = "platform"

urlpatterns = [
    path("", fleet.fleet_view, name="fleet"),
    path("audit/", fleet.audit_view, name="audit"),
    path("migrations/", migrations.migrations_view, name="migrations"),
    path("migrations/start/", migrations.start_migrations_view, name="migrations-start"),
    path(
        "migrations/retry/<int:row_id>/", migrations.retry_migration_view, name="migrations-retry"
    ),
    path("announcements/", announcements.announcements_view, name="announcements"),
    path(
        "announcements/<int:pk>/withdraw/",
        announcements.withdraw_announcement_view,
        name="announcement-withdraw",
    ),
    path("restore/", exports.restore_view, name="restore"),
    path("exports/<int:pk>/download/", exports.download_export_view, name="export-download"),
    path("partners/", partners.partners_view, name="partners"),
    path("partners/commissions/", partners.commissions_view, name="commissions"),
    path("partners/<int:pk>/", partners.partner_view, name="partner"),
    path("partners/<int:pk>/invite/", partners.invite_partner_view, name="partner-invite"),
    path("partners/<int:pk>/rate/", partners.commission_rate_view, name="partner-rate"),
    path("templates/", onboarding.templates_view, name="templates"),
    path("templates/<slug:code>/retire/", onboarding.retire_template_view, name="template-retire"),
    path("cities/<slug:slug>/", cities.city_view, name="city"),
    path("cities/<slug:slug>/billing/credit/", billing.grant_credit_view, name="billing-credit"),
    path("cities/<slug:slug>/billing/trial/", billing.extend_trial_view, name="billing-trial"),
    path(
        "cities/<slug:slug>/billing/outside-stripe/",
        billing.billed_outside_view,
        name="billing-outside",
    ),
    path(
        "cities/<slug:slug>/billing/invoice/", billing.record_invoice_view, name="billing-invoice"
    ),
    path(
        "cities/<slug:slug>/billing/payment/", billing.record_payment_view, name="billing-payment"
    ),
    path("cities/<slug:slug>/save-template/", onboarding.save_template_view, name="save-template"),
    path(
        "cities/<slug:slug>/resend-sign-in/", onboarding.resend_sign_in_view, name="resend-sign-in"
    ),
    path("cities/<slug:slug>/entitlements/", cities.entitlements_view, name="entitlements"),
    path("cities/<slug:slug>/rename/", cities.rename_view, name="rename"),
    path("cities/<slug:slug>/support/", cities.support_view, name="support"),
    path("cities/<slug:slug>/export/", exports.export_view, name="export"),
    path("cities/<slug:slug>/domains/add/", domains.add_domain_view, name="domain-add"),
    path(
        "cities/<slug:slug>/domains/<int:domain_id>/verify/",
        domains.verify_domain_view,
        name="domain-verify",
    ),
    path(
        "cities/<slug:slug>/domains/<int:domain_id>/remove/",
        domains.remove_domain_view,
        name="domain-remove",
    ),
    path("cities/<slug:slug>/<str:action>/", cities.lifecycle_view, name="lifecycle"),
]
