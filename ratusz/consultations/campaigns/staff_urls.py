"""Campaign pages, included in the back office's URLs (names `backoffice:campaign...`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.campaigns import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/test/", views.campaign_test, name="campaign-test"),
    path("campaigns/<int:pk>/send/", views.campaign_send, name="campaign-send"),
    path("campaigns/automatic/", views.template_list, name="campaign-templates"),
    path("campaigns/automatic/<str:kind>/", views.template_edit, name="campaign-template-edit"),
    path(
        "campaigns/automatic/<str:kind>/reset/",
        views.template_reset,
        name="campaign-template-reset",
    ),
]
