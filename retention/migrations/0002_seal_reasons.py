"""Seal the reasons of legal holds, extensions and tombstones: they can name a court, a proceeding or a person.

A sealed value is bound to its row's primary key, which must be known before the insert (keys/aead.py): an
extension gets a UUID key, by copying the rows into a new table (so the data step runs before any ALTER of the
table it filled, which PostgreSQL refuses while foreign-key checks are pending). Existing plaintext is then
sealed in place, in committed batches, as in cases 0003 (resumable: sealed values are left alone).
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models, transaction

import keys.fields


def copy_extensions(apps, schema_editor):
    old = apps.get_model("retention", "RetentionExtension")
    new = apps.get_model("retention", "RetentionExtensionNew")
    with transaction.atomic(using=schema_editor.connection.alias):
        for row in old.objects.using(schema_editor.connection.alias).order_by("pk").iterator():
            moved = new(id=uuid.uuid4(), case_id=row.case_id, until=row.until, reason=row.reason,
                        extended_by_id=row.extended_by_id)
            moved.save(force_insert=True)
            new.objects.filter(pk=moved.pk).update(extended_at=row.extended_at)  # auto_now_add set it to now


def seal_existing(apps, schema_editor):
    from cases.protect import seal_plaintext_rows

    seal_plaintext_rows(app_label="retention")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0008_reporter_name_index"),
        ("retention", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RetentionExtensionNew",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("until", models.DateField(verbose_name="keep until")),
                ("reason", models.TextField(verbose_name="reason")),
                ("extended_at", models.DateTimeField(auto_now_add=True)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="cases.case")),
                ("extended_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-until"]},
        ),
        migrations.RunPython(copy_extensions, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="RetentionExtension"),
        migrations.RenameModel(old_name="RetentionExtensionNew", new_name="RetentionExtension"),
        migrations.AlterField(
            model_name="retentionextension",
            name="case",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="retention_extensions", to="cases.case"),
        ),
        migrations.AlterField(model_name="retentionextension", name="reason", field=keys.fields.ProtectedCharField(verbose_name="reason")),
        migrations.AlterField(model_name="legalhold", name="reason", field=keys.fields.ProtectedCharField(verbose_name="reason")),
        migrations.AlterField(
            model_name="legalhold", name="lift_reason", field=keys.fields.ProtectedCharField(blank=True, verbose_name="reason for lifting"),
        ),
        migrations.AlterField(model_name="casetombstone", name="reason", field=keys.fields.ProtectedCharField(verbose_name="reason")),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
