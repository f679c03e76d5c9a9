from django.urls import URLPattern, URLResolver, path

from ratusz.onboarding import views

app_name = "onboarding_city"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-in/<str:token>/", views.sign_in_link, name="sign-in"),
    path("partner-access/", views.partner_access, name="partner-access"),
]
