"""A data migration: runs Python, so it cannot be replayed from recorded SQL."""

from django.db import migrations


def summarise(apps, schema_editor):
    Book = apps.get_model("replayapp", "Book")
    for book in Book.objects.all():
        book.summary = f"{book.title} ({book.pages} pages)"
        book.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("replayapp", "0002_reshape")]

    operations = [migrations.RunPython(summarise, migrations.RunPython.noop)]
