"""Triggers that refuse UPDATE, DELETE and TRUNCATE on the audit tables.

They stop the application (and anyone using its database role) from rewriting the log; a database
owner or superuser can still disable them, which is why checkpoints are published outside the
database (docs/audit-log.md). audit/triggers.py holds the SQL; `flush` suspends them for a full reset.
"""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_and_checkpoints")]

    operations = [migrations.RunPython(install, remove)]
