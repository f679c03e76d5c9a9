"""The lifecycle closes and reopens a city but never decides whether it pays (issue 12, #5).

Suspending then reactivating a city in trial used to make it active with no plan, so its trial
never ended. Every allowed move is tried here from every billing state a city can be in, and
every way of closing a city is undone by reactivation, checking that what billing owns (the
account, the plan and its limits, whether the back office is blocked) is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, SubscriptionStatus
from ratusz.billing.selectors import billing_blocked
from ratusz.platform import services as platform
from ratusz.platform.audit import Actor
from ratusz.tenants.models import City, CityStatus
from ratusz.tenants.services import (
    ALLOWED_TRANSITIONS,
    CLOSED_STATES,
    OPEN_STATES,
    TransitionRefused,
    change_city_status,
    reactivate_city,
    restore_deleted_city,
    soft_delete_city,
)

DAY = timedelta(days=1)


def _account(city: City, **fields: Any) -> None:
    account = billing.ensure_account(city=city)
    BillingAccount.objects.filter(pk=account.pk).update(**fields)


def _trial(city: City) -> None:
    _open_as(city, CityStatus.TRIAL)
    _account(city, trial_ends_at=timezone.now() + 10 * DAY)


def _trial_ended(city: City) -> None:
    _open_as(city, CityStatus.TRIAL)
    _account(city, trial_ends_at=timezone.now() - DAY)


def _active(city: City) -> None:
    _open_as(city, CityStatus.ACTIVE)
    _account(
        city,
        plan="standard",
        subscription_status=SubscriptionStatus.ACTIVE,
        stripe_subscription_id="sub_paid",
        current_period_end=timezone.now() + 20 * DAY,
    )


def _past_due(city: City) -> None:
    _open_as(city, CityStatus.ACTIVE)
    _account(
        city,
        plan="standard",
        subscription_status=SubscriptionStatus.PAST_DUE,
        stripe_subscription_id="sub_late",
        grace_ends_at=timezone.now() + 5 * DAY,
    )


# The billing states a city can be in while open, and the open status each goes with.
BILLING_STATES: dict[str, Callable[[City], None]] = {
    "trial": _trial,
    "trial ended": _trial_ended,
    "active": _active,
    "past due": _past_due,
}


def _open_as(city: City, status: str) -> None:
    fresh = City.objects.get(pk=city.pk)
    if fresh.status == status:
        return
    if status not in ALLOWED_TRANSITIONS[fresh.status]:
        change_city_status(city=fresh, status=CityStatus.SUSPENDED)
    change_city_status(city=fresh, status=status)


def _billing_snapshot(city: City) -> dict[str, Any]:
    """Everything billing owns about the city, and what it decides from it."""
    fresh = City.objects.get(pk=city.pk)
    account = BillingAccount.objects.get(city_id=city.pk)
    return {
        "account": model_to_dict(account),
        "plan": fresh.plan,
        "limits": fresh.limits,
        "features": fresh.features,
    }


def _reach(city: City, status: str) -> City:
    """Move the city, through allowed moves, to `status`."""
    fresh = City.objects.get(pk=city.pk)
    if fresh.status != status and status not in ALLOWED_TRANSITIONS[fresh.status]:
        fresh = change_city_status(city=fresh, status=CityStatus.SUSPENDED)
    return change_city_status(city=fresh, status=status)


PAIRS = sorted((old, new) for old, targets in ALLOWED_TRANSITIONS.items() for new in targets)


def test_every_status_has_its_moves_and_is_open_or_closed():
    assert set(ALLOWED_TRANSITIONS) == set(CityStatus.values)
    assert set(CityStatus.values) == OPEN_STATES | CLOSED_STATES
    assert not OPEN_STATES & CLOSED_STATES


@pytest.mark.parametrize("billing_state", BILLING_STATES)
@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_allowed_move_leaves_what_billing_owns_as_it_was(city, billing_state, old, new):
    BILLING_STATES[billing_state](city.model)
    start = City.objects.get(pk=city.model.pk).status
    before = _reach(city.model, old)
    remembered = before.resumes_as
    snapshot = _billing_snapshot(city.model)

    after = change_city_status(city=before, status=new)

    assert after.status == new
    assert _billing_snapshot(city.model) == snapshot
    if new in OPEN_STATES:
        assert after.resumes_as == ""
    elif old in OPEN_STATES:
        assert after.resumes_as == old  # the open state it left
    else:
        assert after.resumes_as == remembered  # closed again: the first open state is kept
    assert start in OPEN_STATES


CLOSINGS: dict[str, Callable[[City], City]] = {
    "suspended": lambda c: change_city_status(city=c, status=CityStatus.SUSPENDED),
    "archived": lambda c: change_city_status(city=c, status=CityStatus.ARCHIVED),
    "suspended then archived": lambda c: change_city_status(
        city=change_city_status(city=c, status=CityStatus.SUSPENDED), status=CityStatus.ARCHIVED
    ),
    "archived then suspended": lambda c: change_city_status(
        city=change_city_status(city=c, status=CityStatus.ARCHIVED), status=CityStatus.SUSPENDED
    ),
}
# A city comes back from deletion as it was, so each closing also works deleted and restored
# on the way (the city is closed then deleted, not deleted from open: that restores it open).


def _deleted_and_restored(close: Callable[[City], City]) -> Callable[[City], City]:
    return lambda c: restore_deleted_city(city=soft_delete_city(city=close(c)))


CLOSINGS.update(
    {
        f"{name}, deleted then restored": _deleted_and_restored(close)
        for name, close in list(CLOSINGS.items())
    }
)


@pytest.mark.parametrize("closing", CLOSINGS)
@pytest.mark.parametrize("billing_state", BILLING_STATES)
def test_reactivation_returns_the_city_to_the_state_it_left(city, billing_state, closing):
    BILLING_STATES[billing_state](city.model)
    opened = City.objects.get(pk=city.model.pk)
    snapshot = _billing_snapshot(city.model)
    blocked = billing_blocked(city.model.pk)

    CLOSINGS[closing](opened)
    reopened = reactivate_city(city=opened)

    assert reopened.status == opened.status  # a trial stays a trial, an active city active
    assert reopened.resumes_as == ""
    assert _billing_snapshot(city.model) == snapshot  # its trial end, its overdue payment...
    assert billing_blocked(city.model.pk) == blocked
    assert blocked == (billing_state == "trial ended")


@pytest.mark.parametrize("status", sorted(OPEN_STATES))
def test_only_a_closed_city_is_reactivated(city, status):
    _open_as(city.model, status)
    with pytest.raises(TransitionRefused):
        reactivate_city(city=city.model)
    deleted = soft_delete_city(city=city.model)
    with pytest.raises(TransitionRefused):
        reactivate_city(city=deleted)


def test_an_operators_suspension_of_a_trial_city_does_not_end_its_trial(city, operator):
    """The reported path: the console's suspend, then its reactivate."""
    _trial(city.model)
    actor = Actor(id=operator.pk, email=operator.email, ip="198.51.100.7")
    platform.suspend_city(actor=actor, city=city.model)
    reopened = platform.reactivate_city(actor=actor, city=city.model)
    assert reopened.status == CityStatus.TRIAL
    assert reopened.plan == ""
    # Its trial still ends: then its staff see only billing.
    assert not billing_blocked(city.model.pk)
    assert billing_blocked(city.model.pk, now=timezone.now() + 11 * DAY)
    # Reactivating a city that is open is refused, not turned into "active".
    with pytest.raises(platform.ActionRefused):
        platform.reactivate_city(actor=actor, city=city.model)
    assert City.objects.get(pk=city.model.pk).status == CityStatus.TRIAL


def test_a_city_that_pays_while_an_operator_holds_it_closed_reopens_active(city):
    _trial(city.model)
    change_city_status(city=city.model, status=CityStatus.SUSPENDED)
    account = BillingAccount.objects.get(city_id=city.model.pk)
    billing.apply_subscription_state(
        account=account,
        state={"id": "sub_new", "status": SubscriptionStatus.ACTIVE, "customer": "cus_1"},
    )
    # Billing did not close it, so billing does not open it...
    assert City.objects.get(pk=city.model.pk).status == CityStatus.SUSPENDED
    # ...but it pays now: reopened, it is active, not back in a trial.
    assert reactivate_city(city=city.model).status == CityStatus.ACTIVE


# Every state a city can be in when it is deleted: open as it is, or closed in each way.
BEFORE_DELETION: dict[str, Callable[[City], City]] = {
    "open": lambda c: c,
    **{name: close for name, close in CLOSINGS.items() if "deleted" not in name},
}


@pytest.mark.parametrize("before", BEFORE_DELETION)
@pytest.mark.parametrize("billing_state", BILLING_STATES)
def test_restoring_a_deleted_city_returns_it_to_the_state_it_had(city, billing_state, before):
    """Archive, delete, restore used to bring the city back suspended, not archived."""
    BILLING_STATES[billing_state](city.model)
    BEFORE_DELETION[before](City.objects.get(pk=city.model.pk))
    kept = City.objects.get(pk=city.model.pk)
    snapshot = _billing_snapshot(city.model)

    deleted = soft_delete_city(city=kept)
    assert deleted.status == CityStatus.SUSPENDED  # closed while deleted, its tasks stopped
    restored = restore_deleted_city(city=deleted)

    assert (restored.status, restored.resumes_as) == (kept.status, kept.resumes_as)
    assert restored.restores_as == "" and restored.deleted_at is None
    assert _billing_snapshot(city.model) == snapshot
    if kept.status in CLOSED_STATES:  # and reactivating it reopens the open state it left
        assert reactivate_city(city=restored).status == kept.resumes_as


def test_the_console_restores_an_archived_city_archived_and_read_only(city, operator, committed):
    """The reported path, through the operators' actions."""
    _active(city.model)
    actor = Actor(id=operator.pk, email=operator.email, ip="198.51.100.7")
    with committed():
        platform.archive_city(actor=actor, city=city.model)
        platform.delete_city(actor=actor, city=city.model)
        restored = platform.restore_city(actor=actor, city=city.model)
    assert restored.status == CityStatus.ARCHIVED
    portal = city.client().get("/")
    assert portal.status_code == 200
    assert "Archiwum tylko do odczytu." in portal.content.decode()
    assert platform.reactivate_city(actor=actor, city=restored).status == CityStatus.ACTIVE


def test_a_trial_city_that_pays_while_deleted_is_restored_active(city):
    _trial(city.model)
    deleted = soft_delete_city(city=city.model)
    account = BillingAccount.objects.get(city_id=city.model.pk)
    billing.apply_subscription_state(
        account=account,
        state={"id": "sub_new", "status": SubscriptionStatus.ACTIVE, "customer": "cus_1"},
    )
    assert City.objects.get(pk=deleted.pk).deleted_at is not None
    assert restore_deleted_city(city=deleted).status == CityStatus.ACTIVE
