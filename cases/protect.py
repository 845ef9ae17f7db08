"""Encrypt protected columns that still hold plaintext, in place, in committed batches (resumable).

Used by migration cases 0003 and by `manage.py protect_data`. Rows are read and written with plain SQL so
that a half-done run (some rows sealed, some not) is no problem: a value that already carries the
"dp1:" prefix is left alone, and a second run continues where the first stopped.

Updating a row in PostgreSQL leaves the old row version, plaintext included, in the table file until
VACUUM reclaims it; `vacuum_protected_tables` (or `protect_data --vacuum-full`) rewrites the tables so that
no dead copy remains. docs/data-protection.md has the whole procedure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.apps import apps as global_apps
from django.db import connection, transaction

from keys.aead import PREFIX, seal_text
from keys.fields import ProtectedMixin


def protected_models(app_label: str | None = None) -> list[tuple[type, list]]:
    """(model, its protected fields) for every installed model (or one app's) with protected columns."""
    found = []
    configs = [global_apps.get_app_config(app_label)] if app_label else global_apps.get_app_configs()
    for config in configs:
        for model in config.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, ProtectedMixin)]
            if fields and not model._meta.proxy:
                found.append((model, fields))
    return found


def seal_plaintext_rows(
    *, app_label: str | None = None, batch_size: int = 1000, progress: Callable[[str, int], None] | None = None
) -> int:
    """Seal every plaintext value of every protected column; returns how many rows were changed."""
    qn = connection.ops.quote_name
    changed_total = 0
    for model, fields in protected_models(app_label):
        # Run by an early migration with today's models: columns that later migrations add are not there yet.
        with connection.cursor() as cursor:
            present = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
        fields = [f for f in fields if f.column in present]
        if not fields:
            continue
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        cols = ", ".join(qn(f.column) for f in fields)
        sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        label = model._meta.label
        last = None
        changed = 0
        while True:
            where, params = ("", []) if last is None else (f" WHERE {pk} > %s", [last])
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {cols} FROM {table}{where} ORDER BY {pk} LIMIT %s", [*params, batch_size])  # nosec B608  # table and column names come from model metadata, quoted by quote_name; values are parameters
                rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for row in rows:
                raw_pk, values = row[0], row[1:]
                if all(v is None or v.startswith(PREFIX) for v in values):
                    continue
                pk_text = str(raw_pk if isinstance(raw_pk, uuid.UUID) else uuid.UUID(str(raw_pk)))
                sealed = [
                    v if v is None or v.startswith(PREFIX) else seal_text(v, model_label=label, field_name=f.name, pk=pk_text)
                    for f, v in zip(fields, values)
                ]
                updates.append((*sealed, raw_pk))
            if updates:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", updates)  # nosec B608  # table and column names come from model metadata, quoted by quote_name; values are parameters
            changed += len(updates)
            last = rows[-1][0]
            if progress:
                progress(label, changed)
        changed_total += changed
    return changed_total


def vacuum_protected_tables(*, full: bool = True) -> list[str]:
    """PostgreSQL: rewrite the protected tables so that no dead row version keeps an old plaintext value."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # SQLite rewrites the whole file, dropping freed pages
        return ["(sqlite database file)"]
    tables = [model._meta.db_table for model, _ in protected_models()]
    option = "(FULL, ANALYZE)" if full else "(ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM {option} {connection.ops.quote_name(table)}")
    return tables
