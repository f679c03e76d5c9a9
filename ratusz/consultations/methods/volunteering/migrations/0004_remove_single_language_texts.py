from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0003_cause_texts_into_languages")]

    operations = [
        migrations.RemoveField("cause", "title_text"),
        migrations.RemoveField("cause", "description_text"),
    ]
