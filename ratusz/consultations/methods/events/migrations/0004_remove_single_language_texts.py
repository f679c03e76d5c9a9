from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0003_event_texts_into_languages")]

    operations = [
        migrations.RemoveField("event", "title_text"),
        migrations.RemoveField("event", "description_text"),
        migrations.RemoveField("event", "place_text"),
    ]
