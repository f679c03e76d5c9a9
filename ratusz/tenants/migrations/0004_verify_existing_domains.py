"""Domains that already served before verification existed keep serving."""

from django.db import migrations
from django.db.models import F


def verify_existing(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    domain = apps.get_model("tenants", "Domain")
    domain.objects.filter(verified_at__isnull=True).update(verified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_entitlements_and_domain_verification")]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
