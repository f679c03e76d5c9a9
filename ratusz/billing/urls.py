"""Billing on the control plane (/billing/ of BASE_DOMAIN)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.billing import views

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("webhooks/stripe/", views.stripe_webhook, name="stripe-webhook"),
]
