"""The few queries every signed-in page runs, compiled from their ORM statement once per process.

Loading the user with their roles, their permissions and the navigation's counts costs a quarter of a
millisecond in PostgreSQL and ten times that in Django turning the same QuerySet into the same SQL on every
request (bench/load.py). A `Compiled` query is still written once, with the ORM, where its rule lives; it is
built with placeholder values, compiled on first use, and then run with each request's values put where the
placeholders were. Nothing is kept but the SQL text and, for `instances()`, where each model's columns are in
its rows (built from the placeholders, never from a request's values): every run asks the database afresh, so
a revoked role or grant applies to the next request as before. The case page's reads are compiled the same way
(cases/selectors.py: compiled_case_rows).

Only for queries whose shape does not depend on the values (no `__in` over a list of varying length, no
branch on the user): a caller with such a branch passes its `shape` (e.g. whether the user is a superuser).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Values no real argument takes: each marks where a parameter goes in the compiled SQL.
PLACEHOLDER_INT = -2_000_000_017
PLACEHOLDER_DATE = datetime.date(1901, 2, 3)
PLACEHOLDER_DATETIME = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.timezone.utc)
PLACEHOLDER_TEXT = "\x1fdalil-placeholder\x1f"
PLACEHOLDER_UUID = uuid.UUID("da11da11-0000-4000-8000-00000000da11")


class Compiled:
    def __init__(self, build: Callable[..., QuerySet], **placeholders):
        self.build = build  # (**values) -> the QuerySet; called with the placeholders, once per shape and database
        if len({(type(value), value) for value in placeholders.values()}) != len(placeholders):
            raise ValueError("each placeholder needs its own value: two with the same one could not be told apart in the SQL")
        self.placeholders = placeholders
        self._sql: dict[tuple, tuple[str, list, dict[str, list], QuerySet]] = {}
        self._shapes: dict[tuple, dict] = {}

    def _compile(self, alias: str, shape) -> tuple[str, list, dict[str, list], QuerySet]:
        key = (alias, connections[alias].vendor, shape)
        if key not in self._sql:
            qs = self.build(**self.placeholders)
            compiler = qs.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            slots = {}
            for name, value in self.placeholders.items():
                # A backend may hand a date or a time to its driver as text (SQLite): the same conversion is
                # found here and applied to each run's value.
                found = [(i, kind) for kind in _kinds(value) for i, p in enumerate(params) if _same(p, _adapt(alias, kind, value))]
                if not found:
                    raise ValueError(f"placeholder {name!r} does not reach the compiled SQL: the query cannot be compiled once")
                slots[name] = found
            # Built again with other values, it must differ only where the placeholders were: a value derived
            # from one (today - 7 days) or a branch on one would otherwise be frozen into the SQL for everyone.
            others = {name: _another(value) for name, value in self.placeholders.items()}
            other_sql, other_params = self.build(**others).query.get_compiler(alias).as_sql()
            if other_sql != sql or list(other_params) != self._params(alias, params, slots, others):
                raise ValueError("the query's SQL or a value other than its placeholders depends on the values: it cannot be compiled once")
            # What turns a row into model instances (the select list, where each related model's columns are),
            # kept without the compiler itself: it holds the connection that compiled it.
            self._shapes[key] = {name: getattr(compiler, name) for name in _ROW_SHAPE}
            self._sql[key] = (sql, list(params), slots, qs)
        return self._sql[key]

    def _params(self, alias: str, params: list, slots: dict[str, list], values: dict) -> list:
        if values.keys() != slots.keys():
            raise TypeError(f"expected values for {sorted(slots)}, got {sorted(values)}")
        params = list(params)
        for name, found in slots.items():
            for position, kind in found:
                params[position] = _adapt(alias, kind, values[name])
        return params

    def rows(self, *, using: str = "default", shape=None, **values) -> list[tuple]:
        """The result rows as tuples (for a values_list() query)."""
        sql, params, slots, _qs = self._compile(using, shape)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, self._params(using, params, slots, values))
            return cursor.fetchall()

    def objects(self, *, using: str = "default", shape=None, **values) -> list:
        """Model instances, with the query's annotations as attributes (no select_related: one table's rows)."""
        sql, params, slots, qs = self._compile(using, shape)
        return list(qs.model._default_manager.db_manager(using).raw(sql, self._params(using, params, slots, values)))

    def instances(self, *, using: str = "default", shape=None, **values) -> list:
        """Model instances as the QuerySet itself would give them: with its select_related objects, annotations
        and ordering, and its prefetch_related lookups run as usual (their own queries, compiled each time)."""
        sql, params, slots, qs = self._compile(using, shape)
        run_params = self._params(using, params, slots, values)
        row_shape = self._shapes[(using, connections[using].vendor, shape)]
        private = qs.all()  # a clone that never leaves this method: its query answers only with the compiled SQL
        build_compiler = private.query.get_compiler

        def compiled_compiler(using=None, connection=None, elide_empty=True):
            compiler = build_compiler(using=using, connection=connection, elide_empty=elide_empty)
            for name, value in row_shape.items():
                setattr(compiler, name, value)
            compiler.as_sql = lambda *args, **kwargs: (sql, run_params)
            return compiler

        private.query.get_compiler = compiled_compiler
        return list(private)


# What a compiler learns while compiling and ModelIterable reads back to make instances from rows.
_ROW_SHAPE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


def _kinds(value) -> list[str]:
    """How a value of this type may reach the driver: as it is, or as the backend adapts a date or a time."""
    if isinstance(value, datetime.datetime):
        return ["as is", "datetime"]
    if isinstance(value, datetime.date):
        return ["as is", "date"]
    if isinstance(value, uuid.UUID):
        return ["as is", "uuid"]
    return ["as is"]


def _adapt(alias: str, kind: str, value):
    # Looked up on each run, not kept: a kept bound method would hold a connection (and what it last ran).
    if kind == "datetime":
        return connections[alias].ops.adapt_datetimefield_value(value)
    if kind == "date":
        return connections[alias].ops.adapt_datefield_value(value)
    if kind == "uuid":  # a database without a uuid type keeps its hex
        return value if connections[alias].features.has_native_uuid_field else value.hex
    return value


def _another(value):
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=value.int ^ 1)
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(days=1, microseconds=1)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    return value + ("\x1e" if isinstance(value, str) else 1)


def _same(param, value) -> bool:
    if isinstance(param, bool) or isinstance(value, bool):  # True == 1: a flag is never a placeholder
        return False
    if isinstance(value, int):  # psycopg's Int4 and friends are int subclasses
        return isinstance(param, int) and param == value
    return type(param) is type(value) and param == value
