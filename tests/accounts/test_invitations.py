"""Invitations: hashed, single-use, expiring, and valid only in their own city."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import Invitation, Role
from ratusz.accounts.services import (
    InvitationInvalid,
    accept_invitation,
    create_invitation,
    find_open_invitation,
)
from ratusz.tenants.context import city_context


def test_an_invitation_is_used_once(city):
    with city_context(city.ref):
        issued = create_invitation(email="PM@Gdansk.example", role=Role.PROJECT_MANAGER)
        user = accept_invitation(token=issued.token, full_name="Ewa", password="dlugie-haslo-1")
        assert user.email == "pm@gdansk.example"
        assert user.role == Role.PROJECT_MANAGER
        with pytest.raises(InvitationInvalid) as used:
            accept_invitation(token=issued.token, full_name="Ewa", password="dlugie-haslo-1")
        assert used.value.reason == "used"


def test_an_expired_invitation_is_refused(city):
    with city_context(city.ref):
        issued = create_invitation(email="late@example.com", role=Role.ADMINISTRATOR)
        Invitation.objects.filter(pk=issued.invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(InvitationInvalid) as expired:
            find_open_invitation(issued.token)
        assert expired.value.reason == "expired"


def test_an_invitation_from_one_city_means_nothing_in_another(city, other_city):
    with city_context(city.ref):
        issued = create_invitation(email="x@example.com", role=Role.ADMINISTRATOR)
    with city_context(other_city.ref), pytest.raises(InvitationInvalid) as unknown:
        find_open_invitation(issued.token)
    assert unknown.value.reason == "unknown"
    response = other_city.client().get(f"/invitation/{issued.token}/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode() or "nieprawidłowy" in response.content.decode()
