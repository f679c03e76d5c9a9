"""A city schema as PostgreSQL's catalog describes it, table by table, for comparing two schemas
that should be equal (names and definitions are rendered without the schema's own name)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ratusz.tenants.db import connection


def _rows(cursor: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return [tuple(row) for row in cursor.fetchall()]


def schema_catalog(schema: str, *, data_tables: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every table of `schema` with its columns (type, default, nullability, identity, comment),
    constraints, indexes and triggers; then its sequences, views and functions, the migration
    records, content types and permissions, and the rows of `data_tables`."""
    described: dict[str, Any] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # With the schema first in the path, definitions name its objects without the schema.
        cursor.execute("SELECT set_config('search_path', %s, true)", [f'"{schema}", public'])
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        nsp = cursor.fetchone()[0]
        tables = _rows(
            cursor,
            "SELECT c.oid, c.relname, c.relkind, obj_description(c.oid, 'pg_class') "
            "FROM pg_class c WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p', 'v', 'm') "
            "ORDER BY c.relname",
            [nsp],
        )
        for oid, name, kind, comment in tables:
            described[name] = {
                "kind": kind,
                "comment": comment,
                "columns": _rows(
                    cursor,
                    """
                    SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                           a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity,
                           a.attgenerated, co.collname, col_description(a.attrelid, a.attnum)
                    FROM pg_attribute a
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    LEFT JOIN pg_collation co ON co.oid = a.attcollation
                    WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY a.attnum
                    """,
                    [oid],
                ),
                "constraints": _rows(
                    cursor,
                    "SELECT conname, contype, pg_get_constraintdef(oid), condeferrable, "
                    "condeferred, convalidated FROM pg_constraint WHERE conrelid = %s "
                    "ORDER BY conname",
                    [oid],
                ),
                "indexes": _rows(
                    cursor,
                    "SELECT ic.relname, replace(pg_get_indexdef(i.indexrelid), %s, ''), "
                    "i.indisunique, i.indisprimary FROM pg_index i "
                    "JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = %s "
                    "ORDER BY ic.relname",
                    [f"{schema}.", oid],
                ),
                "triggers": _rows(
                    cursor,
                    "SELECT tgname, replace(pg_get_triggerdef(oid), %s, '') FROM pg_trigger "
                    "WHERE tgrelid = %s AND NOT tgisinternal ORDER BY tgname",
                    [f"{schema}.", oid],
                ),
                "view": _rows(cursor, "SELECT pg_get_viewdef(%s)", [oid]) if kind == "v" else [],
            }
        described["@sequences"] = _rows(
            cursor,
            """
            SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                   s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                   (SELECT t.relname || '.' || a.attname || ':' || d.deptype::text
                    FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                    WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
            FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
            WHERE c.relnamespace = %s ORDER BY c.relname
            """,
            [nsp],
        )
        described["@functions"] = _rows(
            cursor,
            "SELECT p.proname, replace(pg_get_functiondef(p.oid), %s, '') FROM pg_proc p "
            "WHERE p.pronamespace = %s ORDER BY p.proname",
            [f"{schema}.", nsp],
        )
        described["@django_migrations"] = sorted(
            _rows(cursor, "SELECT app, name FROM django_migrations", [])
        )
        described["@content_types"] = sorted(
            _rows(cursor, "SELECT app_label, model FROM django_content_type", [])
        )
        described["@permissions"] = sorted(
            _rows(
                cursor,
                "SELECT c.app_label, c.model, p.codename, p.name FROM auth_permission p "
                "JOIN django_content_type c ON c.id = p.content_type_id",
                [],
            )
        )
        for table in data_tables:
            described[f"@rows {table}"] = sorted(
                _rows(cursor, f"SELECT * FROM {table}", []), key=repr
            )
    connection.search_path_set_schemas = None
    return described


def assert_same_schema(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal table by table (a failure names the first table that differs)."""
    assert sorted(actual) == sorted(expected)
    for name in sorted(expected):
        if isinstance(expected[name], dict):
            for part in expected[name]:
                mine, theirs = actual[name][part], expected[name][part]
                if isinstance(theirs, list) and mine != theirs:
                    only = {"only here": sorted(set(mine) - set(theirs), key=repr)}
                    only["only expected"] = sorted(set(theirs) - set(mine), key=repr)
                    raise AssertionError(f"{name}: {part} differs: {only}")
                assert mine == theirs, f"{name}: {part} differs"
        assert actual[name] == expected[name], f"{name} differs"
