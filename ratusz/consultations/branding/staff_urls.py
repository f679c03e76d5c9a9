"""Back-office URLs of the branding and site area (included by backoffice.urls, /admin/)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.branding import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("site/", views.site, name="site"),
    path("site/languages/", views.languages, name="site-languages"),
    path("site/pages/", views.pages, name="site-pages"),
    path("site/pages/standard/", views.standard_pages, name="site-standard-pages"),
    path("site/pages/new/", views.page_edit, name="site-page-new"),
    path("site/pages/<slug:slug>/", views.page_edit, name="site-page-edit"),
    path("site/pages/<slug:slug>/delete/", views.page_delete, name="site-page-delete"),
    path("site/links/", views.links, name="site-links"),
    path("site/links/<int:link_id>/delete/", views.link_delete, name="site-link-delete"),
    path("site/domain/", views.domain, name="site-domain"),
    path("site/domain/<int:domain_id>/verify/", views.domain_verify, name="site-domain-verify"),
    path("site/domain/<int:domain_id>/remove/", views.domain_remove, name="site-domain-remove"),
]
