"""Writes of the branding and site area. Each runs in one transaction and forgets the city's
cached look when it commits, so the change shows on the next page any resident opens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ratusz.consultations.branding.contrast import AA_NORMAL_TEXT, contrast_ratio
from ratusz.consultations.branding.models import (
    Branding,
    Font,
    LinkPlace,
    Page,
    PageKind,
    PageStatus,
    SiteLink,
    TextColour,
)
from ratusz.consultations.branding.page_templates import standard_pages
from ratusz.consultations.branding.selectors import forget_branding
from ratusz.consultations.core.models import PortalSettings
from ratusz.consultations.core.richtext import sanitize
from ratusz.errors import Refused
from ratusz.tenants.context import current_schema, schema_context

IMAGE_FIELDS = ("logo", "favicon", "header_image", "social_image")


class BrandingRefused(Refused, ValueError):
    """A change that would break the portal (unreadable colours...), with the reason."""

    code = "branding_refused"


def _text_hex(choice: str) -> str:
    return "#000000" if choice == TextColour.BLACK else "#ffffff"


def _forget_on_commit() -> None:
    # The cache key carries the schema current when the key is made: bind this city's schema
    # now, as the callback may run after the request has left the city.
    schema = current_schema()

    def forget() -> None:
        with schema_context(schema):
            forget_branding()

    transaction.on_commit(forget)


@transaction.atomic
def update_branding(
    *,
    primary_color: str,
    primary_text: str,
    secondary_color: str,
    secondary_text: str,
    font: str,
    logo_alt: Mapping[str, str],
    welcome_title: Mapping[str, str],
    welcome_text: Mapping[str, str],
    cookie_notice: Mapping[str, str],
    uploads: Mapping[str, UploadedFile] | None = None,
    removals: Iterable[str] = (),
) -> Branding:
    """Save the city's look. `uploads` replace images, `removals` names images to drop."""
    for colour, text in ((primary_color, primary_text), (secondary_color, secondary_text)):
        if contrast_ratio(colour, _text_hex(text)) < AA_NORMAL_TEXT:
            raise BrandingRefused(f"{text} text on {colour} fails WCAG AA")
    if font not in Font.values:
        raise BrandingRefused(f"unknown font {font!r}")
    uploads = uploads or {}
    unknown = (set(uploads) | set(removals)) - set(IMAGE_FIELDS)
    if unknown:
        raise BrandingRefused(f"unknown images {sorted(unknown)}")

    branding = Branding.objects.select_for_update().first() or Branding()
    replaced: list[str] = []
    for name in IMAGE_FIELDS:
        current = getattr(branding, name)
        if name in uploads:
            if current:
                replaced.append(current.name)
            getattr(branding, name).save(uploads[name].name, uploads[name], save=False)
        elif name in removals and current:
            replaced.append(current.name)
            setattr(branding, name, "")
    branding.primary_text = primary_text
    branding.secondary_color = secondary_color.lower()
    branding.secondary_text = secondary_text
    branding.font = font
    branding.logo_alt = {code: text for code, text in logo_alt.items() if text}
    branding.cookie_notice = {code: text for code, text in cookie_notice.items() if text}
    branding.save()

    portal = PortalSettings.objects.select_for_update().get()
    portal.primary_color = primary_color.lower()
    portal.welcome_title = {**portal.welcome_title, **welcome_title}
    portal.welcome_text = {**portal.welcome_text, **welcome_text}
    portal.save(update_fields=["primary_color", "welcome_title", "welcome_text", "updated_at"])

    storage = Branding._meta.get_field("logo").storage

    schema = current_schema()

    def delete_replaced() -> None:
        # Old files go only once the new look is committed: a rollback keeps them in use.
        # The storage's folder follows the current schema, so go back to this city's.
        with schema_context(schema):
            for name in replaced:
                storage.delete(name)

    transaction.on_commit(delete_replaced)
    _forget_on_commit()
    return branding


@transaction.atomic
def save_page(
    *,
    slug: str,
    title: Mapping[str, str],
    body: Mapping[str, str],
    status: str,
    kind: str = PageKind.CUSTOM,
    page: Page | None = None,
) -> Page:
    """Create the page `slug`, or update `page`. The text is sanitised here, on write."""
    if status not in PageStatus.values:
        raise BrandingRefused(f"unknown status {status!r}")
    if page is None:
        page = Page(slug=slug, kind=kind)
    page.title = {code: text for code, text in title.items() if text}
    page.body = {code: sanitize(text) for code, text in body.items() if text}
    page.status = status
    page.save()
    _forget_on_commit()  # links to a page appear and go with its publication
    return page


@transaction.atomic
def delete_page(*, page: Page) -> None:
    page.delete()
    _forget_on_commit()


@transaction.atomic
def add_standard_pages(*, city_name: str, languages: Iterable[str]) -> list[Page]:
    """Draft the pages every portal needs (about, privacy, terms, FAQ and the accessibility
    statement Polish public bodies must publish) that the city does not have yet."""
    made = []
    existing = set(Page.objects.values_list("kind", flat=True))
    for draft in standard_pages(city_name=city_name, languages=tuple(languages)):
        if draft.kind in existing or Page.objects.filter(slug=draft.slug).exists():
            continue
        made.append(
            save_page(
                slug=draft.slug,
                kind=draft.kind,
                title=draft.title,
                body=draft.body,
                status=PageStatus.DRAFT,
            )
        )
    return made


@transaction.atomic
def add_link(
    *,
    place: str,
    label: Mapping[str, str],
    url: str = "",
    page: Page | None = None,
    position: int = 0,
) -> SiteLink:
    if place not in LinkPlace.values:
        raise BrandingRefused(f"unknown place {place!r}")
    if bool(url) == bool(page):
        raise BrandingRefused("a link goes either to a page or to an address")
    link = SiteLink.objects.create(
        place=place,
        label={code: text for code, text in label.items() if text},
        url=url,
        page=page,
        position=position,
    )
    _forget_on_commit()
    return link


@transaction.atomic
def delete_link(*, link: SiteLink) -> None:
    link.delete()
    _forget_on_commit()
