"""Every schema gets its account settings row; new cities are copied from the template schema,
rows included, so they have it from the start."""

from django.db import migrations


def seed(apps, schema_editor):
    AccountSettings = apps.get_model("accounts", "AccountSettings")
    AccountSettings.objects.get_or_create(singleton=True)


def unseed(apps, schema_editor):
    AccountSettings = apps.get_model("accounts", "AccountSettings")
    AccountSettings.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_consent_and_policies"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
