from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "benchapp"
    label = "benchapp"
    verbose_name = "Benchmark app"
    plane = "city"
    default_auto_field = "django.db.models.BigAutoField"
