"""Background work of people. Tasks run in the city that queued them
(ratusz.tenants.queue.CityAwareTask), take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.people import services


@shared_task(name="people.recompute_rule_groups")
def recompute_rule_groups() -> int:
    """Recompute every group kept by a rule in this city (beat runs it in every live city
    through `tenants.fan_out`): catches what no event announced. Returns how many groups."""
    return services.recompute_all_groups()


@shared_task(name="people.recompute_group")
def recompute_group(group_id: int) -> int:
    """Recompute one rule group (after its rule changed); returns its number of members."""
    group = ResidentGroup.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    return len(services.recompute_group(group=group).member_ids)
