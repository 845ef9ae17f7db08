"""SQL for the append-only triggers on the audit tables, for PostgreSQL and SQLite."""

TABLES = ("audit_auditevent", "audit_auditcheckpoint", "audit_audittimestamp", "audit_audittreetile")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION dalil_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _pg_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION dalil_audit_append_only()",
        # A row-level DELETE trigger does not fire on TRUNCATE: it needs its own statement-level trigger.
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION dalil_audit_append_only()",
    ]


def _sqlite_statements(table: str) -> list[str]:
    # SQLite has no TRUNCATE: "DELETE FROM t" fires the DELETE trigger (triggers disable the truncate shortcut).
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END",
    ]


def _present(connection) -> list[str]:
    existing = set(connection.introspection.table_names())
    return [t for t in TABLES if t in existing]


def install(connection) -> None:
    tables = _present(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and tables:
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                for sql in _pg_statements(table):
                    cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for table in tables:
                for sql in _sqlite_statements(table):
                    cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for table in _present(connection):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
