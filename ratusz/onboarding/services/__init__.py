"""Every write of onboarding, one module per topic: the sign-up wizard (signup), one-time
sign-in links (links), partner organisations (partners). This package names them all.

City-plane writes (the administrator's account, the template's content, partner accounts) run
inside `city_context(...)`: the one visible crossing from the control plane into a city.
"""

from ratusz.onboarding.services.links import (
    EMAIL_LINK_VALID,
    HANDOFF_LINK_VALID,
    LinkInvalid,
    find_sign_in_link,
    hash_token,
    issue_sign_in_link,
    redeem_sign_in_link,
)
from ratusz.onboarding.services.partners import (
    PARTNER_INVITATION_VALID,
    IssuedPartnerInvitation,
    PartnerRefused,
    accept_partner_invitation,
    create_partner_organisation,
    ensure_partner_account,
    find_partner_invitation,
    hand_over_city,
    invite_partner,
    open_city_for_partner,
    revoke_partner_access,
)
from ratusz.onboarding.services.signup import (
    DUPLICATE_WINDOW,
    SignupRefused,
    SignupResult,
    resend_sign_in_email,
    resume_signup,
    sign_up_city,
)

__all__ = [
    "DUPLICATE_WINDOW",
    "EMAIL_LINK_VALID",
    "HANDOFF_LINK_VALID",
    "PARTNER_INVITATION_VALID",
    "IssuedPartnerInvitation",
    "LinkInvalid",
    "PartnerRefused",
    "SignupRefused",
    "SignupResult",
    "accept_partner_invitation",
    "create_partner_organisation",
    "ensure_partner_account",
    "find_partner_invitation",
    "find_sign_in_link",
    "hand_over_city",
    "hash_token",
    "invite_partner",
    "issue_sign_in_link",
    "open_city_for_partner",
    "redeem_sign_in_link",
    "resend_sign_in_email",
    "resume_signup",
    "revoke_partner_access",
    "sign_up_city",
]
