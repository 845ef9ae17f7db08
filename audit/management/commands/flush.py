"""Django's flush, able to empty the audit tables: a full database reset (as the test runner does between
transactional tests) needs the append-only triggers out of the way. Only the tables' owner may do this;
the application's own role (docs/audit-log.md) may not, so the command fails under it."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
