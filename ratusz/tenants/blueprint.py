"""Create a city schema in one round trip from DDL rendered once per migration state.

`migrate_schemas` keeps a template schema (settings.TEMPLATE_SCHEMA_NAME) at the latest
migration state. Its structure is rendered from the PostgreSQL catalog into one SQL script,
stored in `SchemaBlueprint` under a key of the template's applied migrations, and replayed for
every new city: no migration graph, no per-model DDL generation, no per-table round trips.
Rows that migrations put into the template (the migration records themselves, content types,
permissions, data migrations) are copied in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tenants.utils import quote_schema_name as q

from ratusz.tenants.db import connection
from ratusz.tenants.models import SchemaBlueprint

logger = logging.getLogger(__name__)


class TemplateSchemaMissing(RuntimeError):
    pass


# Lines of the rendered script that mark where each table's own statements start, and where
# the statements linking tables together start (SQL comments: the script runs as it is).
TABLE_MARK = "-- ratusz:table "
LINKS_MARK = "-- ratusz:links"


@dataclass(frozen=True)
class BlueprintParts:
    """The script cut where it can be run side by side: `head` first (sequences), then every
    one of `tables` in any order or at once (each a table with its rows, keys and indexes),
    then `links` (foreign keys, views, functions, triggers)."""

    head: str
    tables: tuple[str, ...]
    links: str


@dataclass(frozen=True)
class Blueprint:
    state: str
    ddl: str
    tables: int

    def split(self) -> BlueprintParts | None:
        """The script's parts, or None for a script rendered before it was marked."""
        if LINKS_MARK not in self.ddl:
            return None
        head: list[str] = []
        tables: list[list[str]] = []
        links: list[str] = []
        part = head
        for line in self.ddl.split("\n"):
            if line.startswith(TABLE_MARK):
                tables.append([])
                part = tables[-1]
            elif line == LINKS_MARK:
                part = links
            else:
                part.append(line)
        return BlueprintParts(
            head="\n".join(head),
            tables=tuple("\n".join(table) for table in tables),
            links="\n".join(links),
        )


_loaded: dict[str, Blueprint] = {}


def template_state() -> str:
    """A key for the template's migration state: one cheap query."""
    template = settings.TEMPLATE_SCHEMA_NAME
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{q(template)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            raise TemplateSchemaMissing(
                f"The template schema {template!r} does not exist yet: "
                "run `python -m ratusz migrate_schemas` first."
            )
        cursor.execute(
            f"SELECT string_agg(app || '.' || name, ',' ORDER BY app, name) "  # noqa: S608
            f"FROM {q(template)}.django_migrations"
        )
        applied = cursor.fetchone()[0] or ""
    return hashlib.sha256(applied.encode()).hexdigest()


def current_blueprint() -> Blueprint:
    """The blueprint for the template's current state: from memory, the database, or rendered."""
    state = template_state()
    found = _loaded.get(state)
    if found is not None:
        return found
    row = SchemaBlueprint.objects.filter(state=state).values_list("ddl", "tables").first()
    if row is None or LINKS_MARK not in row[0]:
        # Rendered before scripts were cut into parts: render it again, once.
        return refresh_blueprint()
    blueprint = Blueprint(state=state, ddl=row[0], tables=row[1])
    _loaded[state] = blueprint
    return blueprint


def refresh_blueprint() -> Blueprint:
    """Render the template schema's DDL and store it (idempotent per migration state)."""
    state = template_state()
    ddl, tables = render_schema_ddl(settings.TEMPLATE_SCHEMA_NAME)
    SchemaBlueprint.objects.update_or_create(state=state, defaults={"ddl": ddl, "tables": tables})
    blueprint = Blueprint(state=state, ddl=ddl, tables=tables)
    _loaded[state] = blueprint
    logger.info("rendered schema blueprint %s (%d tables)", state[:12], tables)
    return blueprint


def create_schema_from_blueprint(schema_name: str, blueprint: Blueprint | None = None) -> None:
    """Create `schema_name` with the template's structure and rows, inside the caller's
    transaction (so a failure later in provisioning removes the schema too)."""
    blueprint = blueprint or current_blueprint()
    public = settings.PUBLIC_SCHEMA_NAME
    script = (
        f"CREATE SCHEMA {q(schema_name)};\n"
        f"SELECT set_config('search_path', '{q(schema_name)}, {q(public)}', true);\n"
        f"{blueprint.ddl}\n"
        f"SELECT set_config('search_path', '{q(public)}', true);\n"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(script)
    # set_config(..., true) lasts until the transaction ends; make the backend set the path
    # again rather than trust what it last set.
    connection.search_path_set_schemas = None


def _unqualified(definition: str, schema: str) -> str:
    """pg_get_indexdef/triggerdef/functiondef always name the schema; drop it."""
    name = re.escape(q(schema)) + "|" + re.escape(schema)
    return re.sub(
        rf"\b(ON (?:ONLY )?|FUNCTION |PROCEDURE |EXECUTE FUNCTION )(?:{name})\.", r"\1", definition
    )


def render_schema_ddl(schema: str) -> tuple[str, int]:
    """Render the structure of `schema` as SQL that, run with the search path set to another
    (empty) schema, recreates it there, names included (later migrations refer to them)."""
    statements: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        # Objects of `schema` render unqualified; anything elsewhere stays schema-qualified.
        cursor.execute("SELECT set_config('search_path', %s, true)", [q(schema)])
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        nsp = cursor.fetchone()[0]

        # Sequences that are not identity sequences (serial columns, explicit sequences).
        cursor.execute(
            """
            SELECT c.relname, format('CREATE SEQUENCE %%I AS %%s INCREMENT %%s MINVALUE %%s '
                                     'MAXVALUE %%s START %%s CACHE %%s%%s;', c.relname,
                                     format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin,
                                     s.seqmax, s.seqstart, s.seqcache,
                                     CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END)
            FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
            WHERE c.relnamespace = %s AND c.relkind = 'S'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                              AND d.classid = 'pg_class'::regclass AND d.deptype = 'i')
            ORDER BY c.relname
            """,
            [nsp],
        )
        statements += [row[1] for row in cursor.fetchall()]

        cursor.execute(
            """
            SELECT c.oid, c.relname FROM pg_class c
            WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname
            """,
            [nsp],
        )
        tables = cursor.fetchall()
        # Each table with its rows, keys, checks and indexes: the parts that can be built side
        # by side (see `split`); what links tables together (foreign keys, views, functions,
        # triggers) comes after all of them.
        chunks: dict[str, list[str]] = {}
        links: list[str] = []
        for oid, name in tables:
            cursor.execute(
                """
                SELECT format('%%I %%s%%s%%s%%s%%s', a.attname,
                       format_type(a.atttypid, a.atttypmod),
                       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                            THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END,
                       CASE a.attidentity WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY'
                                          WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                                          ELSE '' END,
                       CASE WHEN a.attgenerated = 's'
                            THEN ' GENERATED ALWAYS AS ('
                                 || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                            WHEN d.adbin IS NOT NULL
                            THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END,
                       CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END)
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """,
                [oid],
            )
            columns = ",\n    ".join(row[0] for row in cursor.fetchall())
            chunks[name] = [f"CREATE TABLE {q(name)} (\n    {columns}\n);"]

        # Serial sequences belong to their column.
        cursor.execute(
            """
            SELECT t.relname,
                   format('ALTER SEQUENCE %%I OWNED BY %%I.%%I;', s.relname, t.relname, a.attname)
            FROM pg_class s
            JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
                             AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relnamespace = %s AND s.relkind = 'S'
            """,
            [nsp],
        )
        for table, owned_by in cursor.fetchall():
            chunks[table].append(owned_by)

        # Rows that migrations left in the template, before the keys and the indexes (a bulk
        # load) and before the foreign keys exist.
        copied: set[str] = set()
        for _oid, name in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {q(name)})")  # noqa: S608
            if cursor.fetchone()[0]:
                copied.add(name)
                chunks[name].append(
                    f"INSERT INTO {q(name)} SELECT * FROM {q(schema)}.{q(name)};"  # noqa: S608
                )
        cursor.execute(
            """
            SELECT c.relname,
                   format('SELECT setval(pg_get_serial_sequence(%%L, %%L), '
                          'coalesce((SELECT max(%%I) FROM %%I), 0) + 1, false);',
                          quote_ident(c.relname), a.attname, a.attname, c.relname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p') AND a.attnum > 0
              AND NOT a.attisdropped
              AND (a.attidentity <> '' OR pg_get_serial_sequence(quote_ident(c.relname),
                                                                 a.attname) IS NOT NULL)
            ORDER BY c.relname
            """,
            [nsp],
        )
        for table, setval in cursor.fetchall():
            if table in copied:
                chunks[table].append(setval)

        # Constraints: each table's keys and checks with the table, foreign keys last.
        cursor.execute(
            """
            SELECT t.relname, c.contype,
                   format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s;', t.relname, c.conname,
                          pg_get_constraintdef(c.oid))
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relnamespace = %s AND c.contype IN ('p', 'u', 'c', 'x', 'f')
              AND c.conislocal
            ORDER BY CASE c.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2
                                    WHEN 'c' THEN 3 ELSE 4 END, t.relname, c.conname
            """,
            [nsp],
        )
        for table, kind, constraint in cursor.fetchall():
            (links if kind == "f" else chunks[table]).append(constraint)

        # Indexes that no constraint created.
        cursor.execute(
            """
            SELECT t.relname, pg_get_indexdef(i.indexrelid) || ';'
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE ic.relnamespace = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                              AND c.contype IN ('p', 'u', 'x'))
            ORDER BY ic.relname
            """,
            [nsp],
        )
        for table, index in cursor.fetchall():
            chunks[table].append(_unqualified(index, schema))

        # Views, functions and triggers, should migrations ever add them.
        cursor.execute(
            """
            SELECT format('CREATE VIEW %%I AS %%s', c.relname, pg_get_viewdef(c.oid))
            FROM pg_class c WHERE c.relnamespace = %s AND c.relkind = 'v' ORDER BY c.oid
            """,
            [nsp],
        )
        links += [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_get_functiondef(p.oid) || ';' FROM pg_proc p WHERE p.pronamespace = %s "
            "ORDER BY p.oid",
            [nsp],
        )
        links += [_unqualified(row[0], schema) for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT pg_get_triggerdef(tg.oid) || ';' FROM pg_trigger tg
            JOIN pg_class c ON c.oid = tg.tgrelid
            WHERE c.relnamespace = %s AND NOT tg.tgisinternal ORDER BY tg.tgname
            """,
            [nsp],
        )
        links += [_unqualified(row[0], schema) for row in cursor.fetchall()]
    connection.search_path_set_schemas = None
    parts = [*statements]
    for name, chunk in chunks.items():
        parts += [f"{TABLE_MARK}{name}", *chunk]
    parts += [LINKS_MARK, *links]
    return "\n".join(parts), len(tables)
