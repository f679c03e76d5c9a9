"""Theme analysis in the background, in the city that queued it (CityAwareTask)."""

from __future__ import annotations

from celery import shared_task

from ratusz.consultations.insight import services


@shared_task(name="insight.find_themes")
def find_themes(run_id: int) -> int:
    """Returns how many themes were found (0 for a run that failed or was already done)."""
    run = services.run_analysis(run_id=run_id)
    return run.clusters if run is not None else 0
