"""Seal the name of an uploaded list file (it often names whom the file lists); existing names are sealed in place."""

from django.db import migrations

import keys.fields


def seal_existing(apps, schema_editor):
    from cases.protect import seal_plaintext_rows

    seal_plaintext_rows(app_label="patterns")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("patterns", "0004_sealed_list_entries")]

    operations = [
        migrations.AlterField(model_name="listupload", name="filename", field=keys.fields.ProtectedCharField()),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
