"""Causes' titles and descriptions hold one value per city language (JSON).

The single-language text columns are kept aside (`*_text`) until 0003 has copied them into
the new fields; 0004 drops them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_causes_and_sign_ups")]

    operations = [
        migrations.RenameField("cause", "title", "title_text"),
        migrations.RenameField("cause", "description", "description_text"),
        migrations.AlterField(
            "cause", "title_text", models.CharField(blank=True, default="", max_length=160)
        ),
        migrations.AlterField(
            "cause", "description_text", models.TextField(blank=True, default="")
        ),
        migrations.AddField("cause", "title", models.JSONField(default=dict, verbose_name="title")),
        migrations.AddField(
            "cause",
            "description",
            models.JSONField(blank=True, default=dict, verbose_name="description"),
        ),
    ]
