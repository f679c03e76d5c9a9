from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "0001_note")]

    operations = [
        migrations.AddField(
            model_name="benchnote",
            name="step_2",
            field=models.CharField(blank=True, db_index=True, default="", max_length=40),
        ),
    ]
