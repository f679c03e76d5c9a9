"""Ratusz: a multi-tenant civic-engagement platform."""

# Load the Celery app with Django, so that tasks declared anywhere (shared_task included) bind
# to it: its configuration and its city-aware task class.
from ratusz.celery import app as celery_app

__all__ = ["celery_app"]
