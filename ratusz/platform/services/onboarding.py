"""Onboarding of a city: its content saved as a template, its first administrator's sign-in."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.onboarding import selectors as onboarding_selectors
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.city_templates import retire_template, save_city_as_template
from ratusz.onboarding.models import CityTemplate, Signup
from ratusz.platform.audit import ActionRefused, Actor, Audit, audited
from ratusz.tenants.models import City


@audited("template.save")
def save_city_template(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    code: str,
    name: dict[str, str],
    description: dict[str, str] | None = None,
) -> CityTemplate:
    """New cities can start from this city's content. Raises
    ratusz.onboarding.city_templates.TemplateRefused (code taken or built in)."""
    template = save_city_as_template(
        city=onboarding_selectors.city_ref(city),
        code=code,
        name=name,
        description=description or {},
    )
    audit.after = {"code": template.code, "name": template.name}
    return template


@audited("template.retire")
def retire_city_template(
    audit: Audit, *, actor: Actor, code: str, reason: str = ""
) -> CityTemplate:
    """Raises ratusz.onboarding.city_templates.TemplateRefused (no such template)."""
    retired = retire_template(code=code)
    audit.after = {"code": retired.code, "retired_at": retired.retired_at}
    return retired


@audited("onboarding.resend_sign_in")
def resend_city_sign_in(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> Signup:
    """E-mail the city's first administrator a new sign-in link; returns the sign-up it
    came from. Raises ActionRefused when there is no such administrator to e-mail."""
    signup = Signup.objects.filter(city_id=city.pk).first()
    if signup is None:
        raise ActionRefused(
            _(
                "This city was not made through the sign-up wizard: there is no first "
                "administrator to e-mail. Invite one from the city's back office instead."
            )
        )
    try:
        onboarding.resend_sign_in_email(city=city)
    except User.DoesNotExist as error:  # the administrator's account is gone from the city
        raise ActionRefused(
            _("The city's first administrator (%(email)s) no longer has an account.")
            % {"email": signup.admin_email}
        ) from error
    audit.after = {"email": signup.admin_email}
    return signup
