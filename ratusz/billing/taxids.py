"""Tax identifiers on invoices: the Polish NIP (with its checksum) and EU VAT numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)

# Country prefix -> the shape of the number after it (the EU's published formats).
EU_VAT_FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-Z]{1,2}|\d[A-Z+*]\d{5}[A-Z]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{12}",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
}


@dataclass(frozen=True)
class TaxId:
    """A validated tax number: `value` as Stripe wants it (eu_vat: with the country prefix)."""

    kind: str  # Stripe's tax id type
    value: str


def _compact(raw: str) -> str:
    return re.sub(r"[\s.\-/]", "", raw).upper()


def nip_checksum_ok(digits: str) -> bool:
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], NIP_WEIGHTS, strict=True))
    check = total % 11
    return check != 10 and check == int(digits[9])


def parse_tax_id(raw: str) -> TaxId:
    """A NIP (10 digits, optionally prefixed PL) or an EU VAT number; ValidationError otherwise.

    A Polish NIP becomes the EU VAT number PL + NIP, which is what Stripe records for Poland.
    """
    value = _compact(raw)
    if not value:
        raise ValidationError(_("Enter a tax identification number."), code="required")
    if value.isdigit() or value.startswith("PL"):
        digits = value.removeprefix("PL")
        if not re.fullmatch(r"\d{10}", digits):
            raise ValidationError(
                _("A NIP has 10 digits, for example 526-000-12-46."), code="nip_format"
            )
        if not nip_checksum_ok(digits):
            raise ValidationError(
                _("This NIP is not valid: its check digit does not match. Check for a typo."),
                code="nip_checksum",
            )
        return TaxId(kind="eu_vat", value=f"PL{digits}")
    prefix, rest = value[:2], value[2:]
    pattern = EU_VAT_FORMATS.get(prefix)
    if pattern is None:
        raise ValidationError(
            _(
                "Enter a Polish NIP or an EU VAT number starting with its country code, "
                "for example DE123456789."
            ),
            code="vat_country",
        )
    if not re.fullmatch(pattern, rest):
        raise ValidationError(
            _("This does not look like a VAT number of %(country)s.") % {"country": prefix},
            code="vat_format",
        )
    return TaxId(kind="eu_vat", value=value)
