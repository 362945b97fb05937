"""Copy the template schema into a new school schema, in time independent of the school count.

Design note. django-tenants' ``clone_schema()`` walks ``information_schema`` views, which
scan the catalog of every schema in the database: with a few hundred schools one clone took
20-45 s. This module reads the template's catalog once, through ``pg_catalog`` filtered on
the template's namespace, and turns it into a *blueprint*: plain DDL with the school's
schema name left as a placeholder. Copying is then one round trip of statements that touch
only the template and the new schema:

1. tables: ``CREATE TABLE ... (LIKE template.t INCLUDING DEFAULTS IDENTITY GENERATED)``;
2. rows: ``INSERT ... SELECT`` from the template (the rows the migrations wrote, including
   ``django_migrations``), before any index or constraint exists, as ``pg_restore`` does;
3. identity sequences moved to the template's position;
4. constraints and indexes, by the template's own definitions and names, so a later
   migration that drops one by name finds it on every school.

The blueprint is kept per process and rebuilt when the template's applied migrations
change. A template holding what the blueprint does not know how to copy (views, functions,
triggers, types, sequences not owned by an identity column) raises
:class:`UnsupportedTemplate`, and the caller falls back to django-tenants' clone.
"""

import logging
import re
from dataclasses import dataclass

from django.db import connection
from django.db.backends.utils import CursorWrapper

logger = logging.getLogger(__name__)

PLACEHOLDER = "\x00schema\x00"


class UnsupportedTemplate(RuntimeError):
    """The template holds objects the blueprint cannot copy; the message names them."""


@dataclass(frozen=True)
class Blueprint:
    """The DDL that recreates the template, with :data:`PLACEHOLDER` for the schema name."""

    migrations: frozenset[tuple[str, str]]
    statements: tuple[str, ...]

    def sql_for(self, schema: str) -> str:
        """Return every statement for ``schema`` as one script."""
        return ";\n".join(self.statements).replace(PLACEHOLDER, quote_ident(schema)) + ";"


_cache: dict[str, Blueprint] = {}


def copy_template(template: str, schema: str) -> None:
    """Create ``schema`` as a copy of ``template``: structure, rows and sequence positions."""
    blueprint = blueprint_for(template)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_ident(schema)}")
        cursor.execute(blueprint.sql_for(schema))


def blueprint_for(template: str) -> Blueprint:
    """Return the blueprint of ``template``, reading its catalog only when it has changed."""
    migrations = _applied_migrations(template)
    cached = _cache.get(template)
    if cached is not None and cached.migrations == migrations:
        return cached
    blueprint = Blueprint(migrations, tuple(_read_statements(template)))
    _cache[template] = blueprint
    logger.info("template blueprint read", extra={"statements": len(blueprint.statements)})
    return blueprint


def _applied_migrations(template: str) -> frozenset[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote_ident(template)}.django_migrations")
        return frozenset((app, name) for app, name in cursor.fetchall())


# --- Reading the template -----------------------------------------------------------------

UNSUPPORTED_SQL = """
    SELECT 'relation ' || c.relname || ' of kind ' || c.relkind::text
    FROM pg_class c
    WHERE c.relnamespace = %(ns)s
      AND c.relkind NOT IN ('r', 'i', 'S')
    UNION ALL
    SELECT 'sequence ' || c.relname || ' not owned by an identity column'
    FROM pg_class c
    WHERE c.relnamespace = %(ns)s AND c.relkind = 'S'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i'
      )
    UNION ALL
    SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = %(ns)s
    UNION ALL
    SELECT 'trigger ' || t.tgname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal
    UNION ALL
    SELECT 'type ' || t.typname
    FROM pg_type t
    WHERE t.typnamespace = %(ns)s AND t.typrelid = 0 AND t.typelem = 0
    UNION ALL
    SELECT 'rule ' || r.rulename
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
    WHERE c.relnamespace = %(ns)s
"""

# Generated columns are computed by the copy itself and cannot be inserted.
TABLES_SQL = """
    SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum)
    FROM pg_class c
    JOIN pg_attribute a
        ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE c.relnamespace = %(ns)s AND c.relkind = 'r'
    GROUP BY c.relname
    ORDER BY c.relname
"""

IDENTITIES_SQL = """
    SELECT c.relname, a.attname, seq.relname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_depend d
        ON d.refobjid = c.oid AND d.refobjsubid = a.attnum
        AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'
    JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
    WHERE c.relnamespace = %(ns)s AND a.attidentity <> ''
    ORDER BY c.relname, a.attname
"""

# Primary keys and unique constraints first: foreign keys need them on the target.
CONSTRAINTS_SQL = """
    SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    WHERE con.connamespace = %(ns)s AND con.contype IN ('p', 'u', 'x', 'c', 'f')
    ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 1
             WHEN 'c' THEN 2 ELSE 3 END, c.relname, con.conname
"""

INDEXES_SQL = """
    SELECT pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE ic.relnamespace = %(ns)s
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
    ORDER BY ic.relname
"""


def _read_statements(template: str) -> list[str]:
    with connection.cursor() as cursor:
        # With an empty search path every name in the definitions comes out qualified,
        # so the template's own name can be swapped for the placeholder exactly.
        cursor.execute("SELECT set_config('search_path', '', false)")
        try:
            return _statements_from_catalog(cursor, template)
        finally:
            cursor.execute("SELECT set_config('search_path', 'public', false)")
            # Make django-tenants set the school's search path again on its next cursor.
            connection.search_path_set_schemas = None  # type: ignore[attr-defined]


def _statements_from_catalog(cursor: CursorWrapper, template: str) -> list[str]:
    cursor.execute("SELECT %s::regnamespace::oid", [template])
    (namespace,) = cursor.fetchone()
    params = {"ns": namespace}

    cursor.execute(UNSUPPORTED_SQL, params)
    unsupported = [what for (what,) in cursor.fetchall()]
    if unsupported:
        raise UnsupportedTemplate("; ".join(sorted(unsupported)[:10]))

    cursor.execute(TABLES_SQL, params)
    columns = dict(cursor.fetchall())
    tables = sorted(columns)
    cursor.execute(IDENTITIES_SQL, params)
    identities = cursor.fetchall()
    cursor.execute(CONSTRAINTS_SQL, params)
    constraints = cursor.fetchall()
    cursor.execute(INDEXES_SQL, params)
    indexes = [definition for (definition,) in cursor.fetchall()]

    source = quote_ident(template)
    statements = [
        f"CREATE TABLE {PLACEHOLDER}.{quote_ident(table)} "
        f"(LIKE {source}.{quote_ident(table)} "
        "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE)"
        for table in tables
    ]
    for table in tables:
        names = ", ".join(quote_ident(column) for column in columns[table])
        statements.append(
            f"INSERT INTO {PLACEHOLDER}.{quote_ident(table)} ({names}) OVERRIDING SYSTEM VALUE "
            f"SELECT {names} FROM {source}.{quote_ident(table)}"
        )
    statements += [
        f"SELECT setval(pg_get_serial_sequence('{PLACEHOLDER}.{quote_ident(table)}', "
        f"'{column}'), s.last_value, s.is_called) FROM {source}.{quote_ident(sequence)} s"
        for table, column, sequence in identities
    ]
    statements += [
        f"ALTER TABLE {PLACEHOLDER}.{quote_ident(table)} "
        f"ADD CONSTRAINT {quote_ident(name)} " + _retarget(definition, template)
        for table, name, definition in constraints
    ]
    statements += [_retarget(definition, template) for definition in indexes]
    return statements


def _retarget(definition: str, template: str) -> str:
    """Point a definition that names the template's tables at the placeholder instead."""
    qualified = re.escape(quote_ident(template)) + "|" + re.escape(template)
    return re.sub(rf"(?<![\w\"])(?:{qualified})\.", PLACEHOLDER + ".", definition)


def quote_ident(name: str) -> str:
    """Return ``name`` as a double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
