"""Cities that existed before the opening gate are open to the public since they were created."""

from django.db import migrations
from django.db.models import F


def open_existing(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    city = apps.get_model("tenants", "City")
    city.objects.filter(opened_at__isnull=True).update(opened_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("tenants", "0006_city_opened_at")]

    operations = [migrations.RunPython(open_existing, migrations.RunPython.noop)]
