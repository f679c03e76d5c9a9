"""A city's addresses: a new subdomain (the old one redirects for good), a domain removed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.tenants import routing
from ratusz.tenants.models import City, Domain, SlugRedirect
from ratusz.tenants.services.lifecycle import CityChangeRefused
from ratusz.tenants.services.provisioning import _schema_exists
from ratusz.tenants.slugs import SlugRefused, check_slug_format, schema_name_for


def rename_city_slug(*, city: City, slug: str) -> City:
    """Give the city a new subdomain. Its schema keeps its name; the old subdomain answers
    with a permanent redirect to the new one. Raises SlugRefused with the reason."""
    slug = slug.strip()
    check_slug_format(slug)
    new_host = f"{slug}.{settings.BASE_DOMAIN}"
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if slug == locked.slug:
            raise SlugRefused(slug, _("The city already uses this subdomain."))
        own_redirect = SlugRedirect.objects.filter(host=new_host, city=locked)
        if (
            City.objects.filter(slug=slug).exclude(pk=locked.pk).exists()
            or Domain.objects.filter(domain__iexact=new_host).exists()
            or SlugRedirect.objects.filter(host=new_host).exclude(city=locked).exists()
            or (
                _schema_exists(schema_name_for(slug))
                and schema_name_for(slug) != locked.schema_name
            )
        ):
            raise SlugRefused(slug, _("The subdomain “%(slug)s” is taken.") % {"slug": slug})
        old_host = f"{locked.slug}.{settings.BASE_DOMAIN}"
        # Taking back one's own earlier subdomain removes its redirect.
        own_redirect.delete()
        old_domain = Domain.objects.filter(tenant=locked, domain__iexact=old_host).first()
        was_primary = old_domain is None or old_domain.is_primary
        if old_domain is not None:
            old_domain.delete()
        SlugRedirect.objects.update_or_create(host=old_host, defaults={"city": locked})
        Domain.objects.create(
            domain=new_host, tenant=locked, is_primary=was_primary, verified_at=timezone.now()
        )
        locked.slug = slug
        locked.save(update_fields=["slug", "updated_at"])
        hosts = [old_host, new_host]
        transaction.on_commit(lambda: routing.forget_hosts(hosts))
        transaction.on_commit(lambda: routing.forget_city(locked.pk))
    return locked


def redirect_target(host: str) -> str | None:
    """The primary host of the city that `host` belonged to before a rename, if any."""
    from django.core.cache import caches

    key = f"slug-redirect:{routing.normalise_host(host)}"
    cache = caches["control"]
    cached = cache.get(key)
    if cached is None:
        redirect = (
            SlugRedirect.objects.filter(host=routing.normalise_host(host))
            .values_list("city_id", flat=True)
            .first()
        )
        target = ""
        if redirect is not None:
            target = (
                Domain.objects.filter(tenant_id=redirect, is_primary=True)
                .values_list("domain", flat=True)
                .first()
                or ""
            )
        cache.set(key, target, 60)
        cached = target
    return cached or None


def remove_domain(*, domain: Domain) -> None:
    """Remove one of a city's host names; a city keeps at least one, and its primary one."""
    with transaction.atomic():
        City.objects.select_for_update().get(pk=domain.tenant_id)
        remaining = Domain.objects.filter(tenant_id=domain.tenant_id).exclude(pk=domain.pk)
        if not remaining.exists():
            raise CityChangeRefused(
                _("A city needs at least one address: “%(domain)s” is its last one.")
                % {"domain": domain.domain}
            )
        if domain.is_primary:
            raise CityChangeRefused(
                _("“%(domain)s” is the city's main address; make another one main first.")
                % {"domain": domain.domain}
            )
        host = domain.domain
        domain.delete()
        transaction.on_commit(lambda: routing.forget_hosts([host]))
