"""Event titles, descriptions and places hold one value per city language (JSON).

The single-language text columns are kept aside (`*_text`) until 0003 has copied them into
the new fields; 0004 drops them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events_and_registrations")]

    operations = [
        migrations.RenameField("event", "title", "title_text"),
        migrations.RenameField("event", "description", "description_text"),
        migrations.RenameField("event", "place", "place_text"),
        migrations.AlterField(
            "event", "title_text", models.CharField(blank=True, default="", max_length=160)
        ),
        migrations.AlterField(
            "event", "description_text", models.TextField(blank=True, default="")
        ),
        migrations.AlterField(
            "event", "place_text", models.CharField(blank=True, default="", max_length=200)
        ),
        migrations.AddField("event", "title", models.JSONField(default=dict, verbose_name="title")),
        migrations.AddField(
            "event",
            "description",
            models.JSONField(blank=True, default=dict, verbose_name="description"),
        ),
        migrations.AddField(
            "event", "place", models.JSONField(blank=True, default=dict, verbose_name="place")
        ),
    ]
