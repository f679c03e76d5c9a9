from django import template

from ratusz.consultations.methods.voting.services import money as _money

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    """12 500 zł."""
    return _money(int(amount or 0))
