from django.urls import URLPattern, URLResolver, path

from ratusz.onboarding import views

app_name = "onboarding"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.landing, name="landing"),
    path("pricing/", views.pricing, name="pricing"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-subdomain/", views.check_slug, name="check-slug"),
    path("partners/", views.partner_dashboard, name="partner-dashboard"),
    path("partners/sign-in/", views.PartnerSignInView.as_view(), name="partner-sign-in"),
    path("partners/sign-out/", views.partner_sign_out, name="partner-sign-out"),
    path("partners/new-city/", views.partner_new_city, name="partner-new-city"),
    path("partners/cities/<int:city_id>/open/", views.partner_open_city, name="partner-open-city"),
    path("partners/invite/", views.partner_invite, name="partner-invite"),
    path("partners/invitation/<str:token>/", views.partner_invitation, name="partner-invitation"),
]
