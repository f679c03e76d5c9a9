"""Partner organisations refer to control-plane accounts (in the public schema). The personal
data archive and account deletion are a city's residents' and staff's (each city's own
accounts); partner consultants have neither page, so their rows are declared here, with why."""

from __future__ import annotations

from ratusz.accounts.personal_data import NotPersonalData

_CONTROL_PLANE = (
    "A partner consultant's control-plane account (public schema), outside every city's data "
    "archive and account deletion: partners have no such pages, operators answer their "
    "requests and end a partner's access; commissions keep the city rows with the reference "
    "emptied."
)

DECLARATIONS = (
    NotPersonalData(model="onboarding.PartnerMembership", fields=("user",), reason=_CONTROL_PLANE),
    NotPersonalData(
        model="onboarding.PartnerInvitation", fields=("invited_by",), reason=_CONTROL_PLANE
    ),
    NotPersonalData(model="onboarding.PartnerCity", fields=("created_by",), reason=_CONTROL_PLANE),
)
