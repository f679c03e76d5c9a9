"""Exports made in the background. Each task runs in the city that queued it
(ratusz.tenants.queue.CityAwareTask), takes ids, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from ratusz.consultations.participation.notifications.selectors import current_city
from ratusz.consultations.reports import services


@shared_task(name="reports.make_export")
def make_export(export_id: int) -> int | None:
    city = current_city()
    export = services.make_export(
        export_id=export_id,
        city_time_zone=city.time_zone,
        city_language=city.default_language,
    )
    return export.row_count if export is not None else None


@shared_task(name="reports.delete_expired_exports")
def delete_expired_exports() -> int:
    return services.delete_expired_exports()
