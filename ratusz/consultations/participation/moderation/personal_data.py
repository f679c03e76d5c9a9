"""What moderation holds about a person: what they reported, blocks of their account and the
moderators' actions concerning them. Which moderator did what is a record of staff work."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import NotPersonalData, OnDeletion, PersonalDataKind

_STAFF_WORK = (
    "Which moderator handled a report, blocked an account or took an action: a record of "
    "staff work (the audit of moderation), not of the person's participation; emptied when "
    "the moderator's account goes."
)

DECLARATIONS = (
    # A report stays for the moderation record (the idea may have been hidden because of it),
    # without the reporter.
    PersonalDataKind(
        name="reports",
        label=_("What you reported to the moderators"),
        model="moderation.Report",
        person_fields=("reporter",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("reporter", "resolved_by"),
    ),
    PersonalDataKind(
        name="blocks",
        label=_("Blocks of your account"),
        model="moderation.Block",
        person_fields=("user",),
        on_deletion=OnDeletion.DELETE,
        hidden_fields=("user", "blocked_by"),
    ),
    # The moderation log keeps what was done, not to whom.
    PersonalDataKind(
        name="moderation_actions",
        label=_("Moderators' actions concerning your account"),
        model="moderation.ModerationAction",
        person_fields=("target_user",),
        on_deletion=OnDeletion.ANONYMISE,
        hidden_fields=("actor", "target_user"),
    ),
    NotPersonalData(model="moderation.Report", fields=("resolved_by",), reason=_STAFF_WORK),
    NotPersonalData(model="moderation.Block", fields=("blocked_by",), reason=_STAFF_WORK),
    NotPersonalData(model="moderation.ModerationAction", fields=("actor",), reason=_STAFF_WORK),
)
