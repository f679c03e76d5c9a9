"""Writes for people: staff invitations and roles, registration fields and answers, groups and
their members.

Membership of groups kept by a rule follows its inputs: `refresh_memberships` runs for one
person whenever their answers, role or participation change, `recompute_group` for a whole group
when its rule changes, and the periodic task recomputes every rule group of a city. Refusals
raise `Refused` (ideation's) with a message for a person; a plan's limit raises the tenants'
`LimitReached`, whose `message` says how to raise it.

One module per topic (invitations, registration, groups); the public names are re-exported
here, so callers keep writing `services.create_group(...)`.
"""

from ratusz.consultations.people.services.groups import (
    PARTICIPATION_EVENTS,
    Recomputation,
    add_members,
    create_group,
    delete_group,
    on_input_event,
    recompute_all_groups,
    recompute_group,
    refresh_memberships,
    remove_member,
    update_group,
)
from ratusz.consultations.people.services.invitations import (
    INVITATION_VALID_DAYS,
    change_role,
    invite_staff,
    on_invitation_accepted,
    revoke_invitation,
)
from ratusz.consultations.people.services.registration import (
    OptionSpec,
    create_field,
    delete_field,
    save_answers,
    update_field,
)

__all__ = [
    "INVITATION_VALID_DAYS",
    "PARTICIPATION_EVENTS",
    "OptionSpec",
    "Recomputation",
    "add_members",
    "change_role",
    "create_field",
    "create_group",
    "delete_field",
    "delete_group",
    "invite_staff",
    "on_input_event",
    "on_invitation_accepted",
    "recompute_all_groups",
    "recompute_group",
    "refresh_memberships",
    "remove_member",
    "revoke_invitation",
    "save_answers",
    "update_field",
    "update_group",
]
