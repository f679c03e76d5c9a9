"""Drop the index 0002 put on book.title: Django finds it by introspecting each city's catalog."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("replayapp", "0003_backfill")]

    operations = [
        migrations.AlterField(
            model_name="book", name="title", field=models.CharField(max_length=200)
        ),
    ]
