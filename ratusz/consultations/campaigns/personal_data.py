"""What campaigns hold about a person: the campaign e-mails sent (or not sent) to them and
whether they unsubscribed. Who wrote a campaign or a template is a record of staff work."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import NotPersonalData, OnDeletion, PersonalDataKind

_STAFF_WORK = (
    "Which staff member wrote a campaign or the city's wording of an automatic e-mail: a "
    "record of staff work; emptied when the account goes."
)

DECLARATIONS = (
    PersonalDataKind(
        name="campaign_emails",
        label=_("The city's e-mail campaigns sent to you"),
        model="campaigns.Delivery",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    PersonalDataKind(
        name="campaign_opt_out",
        label=_("Whether you unsubscribed from campaigns"),
        model="campaigns.CampaignOptOut",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user",),
    ),
    NotPersonalData(model="campaigns.Campaign", fields=("created_by",), reason=_STAFF_WORK),
    NotPersonalData(model="campaigns.EmailTemplate", fields=("updated_by",), reason=_STAFF_WORK),
)
