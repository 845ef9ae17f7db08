"""On PostgreSQL, an index of the case ids each list-page read showed: a case's access history finds
the list views that showed it without reading every list view in the log."""

from django.db import migrations

INDEX = "audit_list_cases_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON audit_auditevent USING gin ((data -> 'cases') jsonb_path_ops)"
            " WHERE action = 'case.list_viewed'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_paging_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
