"""Campaign pages, included in the back office's URLs (names `backoffice:campaign...`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.campaigns import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/", staff_views.campaign_list, name="campaigns"),
    path("campaigns/new/", staff_views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", staff_views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", staff_views.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/test/", staff_views.campaign_test, name="campaign-test"),
    path("campaigns/<int:pk>/send/", staff_views.campaign_send, name="campaign-send"),
    path("campaigns/automatic/", staff_views.template_list, name="campaign-templates"),
    path(
        "campaigns/automatic/<str:kind>/", staff_views.template_edit, name="campaign-template-edit"
    ),
    path(
        "campaigns/automatic/<str:kind>/reset/",
        staff_views.template_reset,
        name="campaign-template-reset",
    ),
]
