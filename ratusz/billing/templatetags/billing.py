from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(amount: int | None, currency: str = "") -> str:
    """Minor units (grosze, cents) as a localised amount: 149000, "PLN" -> "1 490,00 PLN"."""
    if amount is None:
        return ""
    value = number_format(Decimal(amount) / 100, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{value} {currency}".strip()
