"""Text folding for idea search, installed once in public (on every city's search path).

unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index or a
generated column. ratusz_unaccent() pins the dictionary and is declared IMMUTABLE, the usual
wrapper; indexes and stored search vectors of every city call it. It holds no data, so sharing
it between cities leaks nothing.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION public.ratusz_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0013_unqueued_tasks")]

    operations = [
        migrations.RunSQL(
            sql=CREATE, reverse_sql="DROP FUNCTION IF EXISTS public.ratusz_unaccent(text);"
        )
    ]
