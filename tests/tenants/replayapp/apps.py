from django.apps import AppConfig


class ReplayAppConfig(AppConfig):
    name = "tests.tenants.replayapp"
    label = "replayapp"
    default_auto_field = "django.db.models.BigAutoField"
