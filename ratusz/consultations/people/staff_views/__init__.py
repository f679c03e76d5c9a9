"""People pages of the back office (administrators only), one module per topic: the list of
people, a person's page and staff invitations (directory), registration fields (registration),
groups (groups). Residents' "complete your profile" is in people/views.py.

Views parse, authorise, call one service or selector and render. Blocks go through the
moderation services, invitations through accounts' `create_invitation` (via `invite_staff`).
"""
