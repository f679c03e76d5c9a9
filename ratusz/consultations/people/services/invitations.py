"""Staff: invitations to the back office, accepting them, and roles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ratusz.accounts.emails import queue_email
from ratusz.accounts.extensions import InvitationRefused
from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.rules import is_administrator
from ratusz.accounts.selectors import STAFF_ROLES
from ratusz.accounts.services import IssuedInvitation, create_invitation
from ratusz.consultations.core.models import Project
from ratusz.consultations.participation.moderation.selectors import active_block
from ratusz.consultations.participation.refusals import Refused
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import InvitedProjects
from ratusz.consultations.people.services.groups import refresh_memberships
from ratusz.tenants.entitlements import LimitReached, check_limit

INVITATION_VALID_DAYS = 14


# --- staff ----------------------------------------------------------------------------------------


def _require_administrator(admin: User) -> None:
    if not is_administrator(admin):
        raise Refused(_("Only the city's administrators can manage people."))


def invite_staff(
    *,
    admin: User,
    email: str,
    role: str,
    full_name: str = "",
    projects: Sequence[Project] = (),
    accept_url: Any,
    city_name: str,
) -> IssuedInvitation:
    """Invite someone to the city's staff; a project manager gets `projects` on accepting.

    `accept_url(token)` gives the link for the e-mail (the view knows the city's host). The
    plan's staff seats count the staff already there; the invitation itself takes none.
    """
    _require_administrator(admin)
    if role not in STAFF_ROLES:
        raise Refused(_("Choose the role of the new staff member."))
    address = email.strip().lower()
    existing = User.objects.filter(email__iexact=address).first()
    if existing is not None and existing.role in STAFF_ROLES:
        raise Refused(_("This person is already on the staff; change their role instead."))
    check_limit("staff_seats", used=selectors.staff_count())
    with transaction.atomic():
        issued = create_invitation(
            email=address, role=role, full_name=full_name, valid_days=INVITATION_VALID_DAYS
        )
        if role == Role.PROJECT_MANAGER and projects:
            InvitedProjects.objects.create(invitation=issued.invitation).projects.set(projects)
        link = accept_url(issued.token)
        context = {
            "city_name": city_name,
            "inviter": admin.full_name or admin.email,
            "role": issued.invitation.get_role_display(),
            "projects": list(projects) if role == Role.PROJECT_MANAGER else [],
            "url": link,
            "valid_days": INVITATION_VALID_DAYS,
        }
        subject = render_to_string("backoffice/people/email/invitation_subject.txt", context)
        body = render_to_string("backoffice/people/email/invitation_message.txt", context)
        queue_email(EmailMessage(subject=" ".join(subject.split()), body=body, to=[address]))
    return issued


def on_invitation_accepted(invitation: Invitation, user: User) -> None:
    """Accounts' hook: the invited project manager gets their projects; groups by role follow.

    The plan's staff seats are checked again here: an invitation sent before a downgrade may be
    accepted after it. Refusing raises accounts' InvitationRefused, which rolls the whole
    acceptance back (no account is created) and shows the limit's message on the page.
    """
    _check_staff_seat(invitation, user)
    invited = InvitedProjects.objects.filter(invitation=invitation).first()
    if invited is not None and user.role == Role.PROJECT_MANAGER:
        user.managed_projects.add(*invited.projects.all())
    refresh_memberships(user=user)


def _check_staff_seat(invitation: Invitation, user: User) -> None:
    if invitation.role not in STAFF_ROLES:
        return
    # The city's first administrator, invited when the city was provisioned, always gets in: a
    # city without an administrator could not even choose a bigger plan.
    if invitation.role == Role.ADMINISTRATOR and selectors.is_last_administrator(user):
        return
    # The account already has its staff role (accounts saved it); count the seats before it.
    others = User.objects.filter(role__in=STAFF_ROLES, is_active=True).exclude(pk=user.pk).count()
    try:
        check_limit("staff_seats", used=others)
    except LimitReached as reached:
        raise InvitationRefused(reached.message) from reached


def revoke_invitation(*, admin: User, invitation: Invitation) -> None:
    _require_administrator(admin)
    if invitation.accepted_at is not None:
        raise Refused(_("This invitation was already accepted."))
    invitation.delete()


def change_role(*, admin: User, user: User, role: str, projects: Iterable[Project] = ()) -> User:
    """Give `user` another role (and, for a project manager, the projects they manage)."""
    _require_administrator(admin)
    if role not in Role.values or role in (Role.OPERATOR, Role.PARTNER):
        raise Refused(_("Choose one of the city's roles."))
    if user.role not in selectors.CITY_ROLES:
        raise Refused(_("This account does not belong to the city."))
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        if role != Role.ADMINISTRATOR and selectors.is_last_administrator(current):
            raise Refused(
                _(
                    "This is the city's only administrator. Make someone else an "
                    "administrator first."
                )
            )
        if role in STAFF_ROLES and current.role not in STAFF_ROLES:
            if active_block(current) is not None:
                raise Refused(_("This resident is blocked; lift the block first."))
            check_limit("staff_seats", used=selectors.staff_count())
        current.role = role
        current.is_staff = role in STAFF_ROLES
        current.save(update_fields=["role", "is_staff"])
        if role == Role.PROJECT_MANAGER:
            current.managed_projects.set(list(projects))
        elif role == Role.RESIDENT:
            current.managed_projects.clear()
        refresh_memberships(user=current)
    user.role, user.is_staff = current.role, current.is_staff
    return current
