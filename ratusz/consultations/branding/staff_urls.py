"""Back-office URLs of the branding and site area (included by backoffice.urls, /admin/)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.branding import staff_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("site/", staff_views.site, name="site"),
    path("site/languages/", staff_views.languages, name="site-languages"),
    path("site/pages/", staff_views.pages, name="site-pages"),
    path("site/pages/standard/", staff_views.standard_pages, name="site-standard-pages"),
    path("site/pages/new/", staff_views.page_edit, name="site-page-new"),
    path("site/pages/<slug:slug>/", staff_views.page_edit, name="site-page-edit"),
    path("site/pages/<slug:slug>/delete/", staff_views.page_delete, name="site-page-delete"),
    path("site/links/", staff_views.links, name="site-links"),
    path("site/links/<int:link_id>/delete/", staff_views.link_delete, name="site-link-delete"),
    path("site/domain/", staff_views.domain, name="site-domain"),
    path(
        "site/domain/<int:domain_id>/verify/", staff_views.domain_verify, name="site-domain-verify"
    ),
    path(
        "site/domain/<int:domain_id>/remove/", staff_views.domain_remove, name="site-domain-remove"
    ),
]
