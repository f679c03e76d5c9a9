"""Views of onboarding, one module per surface: the public site, the sign-up wizard, the partner
portal (control plane), and the pages served on a city's host (city). This package names them
all, so the URL configurations say `views.signup`."""

from ratusz.onboarding.views.city import (
    partner_access,
    sign_in_link,
)
from ratusz.onboarding.views.partners import (
    PartnerSignInView,
    partner_dashboard,
    partner_invitation,
    partner_invite,
    partner_new_city,
    partner_open_city,
    partner_required,
    partner_sign_out,
)
from ratusz.onboarding.views.signup import (
    check_slug,
    signup,
)
from ratusz.onboarding.views.site import (
    landing,
    pricing,
)

__all__ = [
    "PartnerSignInView",
    "check_slug",
    "landing",
    "partner_access",
    "partner_dashboard",
    "partner_invitation",
    "partner_invite",
    "partner_new_city",
    "partner_open_city",
    "partner_required",
    "partner_sign_out",
    "pricing",
    "sign_in_link",
    "signup",
]
