"""Existing causes' texts become {"<the city's default language>": text}; and back."""

from django.conf import settings
from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def city_default_language(connection: BaseDatabaseWrapper) -> str:
    """The default language of the city whose schema is being migrated, read from the city
    registry in `public` (a plain read: no model of the control plane is imported)."""
    schema = getattr(connection, "schema_name", None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.tenants_city') IS NOT NULL")
        if schema and cursor.fetchone()[0]:
            cursor.execute(
                "SELECT default_language FROM public.tenants_city WHERE schema_name = %s",
                [schema],
            )
            row = cursor.fetchone()
            if row and row[0]:
                return str(row[0])
    return str(settings.LANGUAGE_CODE).split("-")[0]


FIELDS = ("title", "description")


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Cause = apps.get_model("volunteering", "Cause")
    language = city_default_language(schema_editor.connection)
    for cause in Cause.objects.all().iterator():
        for name in FIELDS:
            text = getattr(cause, f"{name}_text")
            setattr(cause, name, {language: text} if text else {})
        cause.save(update_fields=list(FIELDS))


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Cause = apps.get_model("volunteering", "Cause")
    language = city_default_language(schema_editor.connection)
    for cause in Cause.objects.all().iterator():
        for name in FIELDS:
            values = getattr(cause, name) or {}
            # The default language's text; else any other one, rather than nothing.
            text = values.get(language) or next((v for v in values.values() if v), "")
            setattr(cause, f"{name}_text", text[:160] if name == "title" else text)
        cause.save(update_fields=[f"{name}_text" for name in FIELDS])


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0002_cause_texts_per_language")]

    operations = [migrations.RunPython(forwards, backwards)]
