"""Extensions every city schema uses, installed once in public (on every city's search path).

btree_gist: phases of a project may not overlap (an exclusion constraint).
unaccent and pg_trgm: search that ignores Polish diacritics ("lodz" finds "Łódź").
"""

from django.db import migrations

EXTENSIONS = ["btree_gist", "unaccent", "pg_trgm"]


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_city_registry")]

    operations = [
        migrations.RunSQL(
            sql=[f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public" for name in EXTENSIONS],
            # City schemas depend on them, so rolling this back leaves them installed.
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
