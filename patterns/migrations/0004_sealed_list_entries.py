"""Seal what published lists held in plain text, step 2 of 2: the schema (see 0003)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import keys.fields


class Migration(migrations.Migration):
    dependencies = [("patterns", "0003_seal_list_data"), ("cases", "0001_initial")]

    operations = [
        migrations.RemoveField("listupload", "content"),
        migrations.RemoveField("listupload", "columns"),
        migrations.RemoveField("listupload", "mapping"),
        migrations.AlterField(
            model_name="listupload",
            name="status",
            field=models.CharField(
                choices=[("reading", "Reading the file"), ("mapping", "Waiting for column mapping"), ("queued", "Queued"), ("running", "Importing"), ("matching", "Matching against cases"), ("done", "Done"), ("failed", "Failed")],
                default="reading", max_length=10,
            ),
        ),
        migrations.DeleteModel(name="MatchCandidate"),
        migrations.DeleteModel(name="ListEntry"),
        migrations.CreateModel(
            name="ListEntry",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("line", models.PositiveIntegerField()),
                ("full_name", keys.fields.ProtectedCharField()),
                ("birth_date", keys.fields.ProtectedDateField(blank=True, null=True)),
                ("region", keys.fields.ProtectedCharField(blank=True)),
                ("nationality", models.CharField(blank=True, max_length=100)),
                ("unit", keys.fields.ProtectedCharField(blank=True)),
                ("contract_date", keys.fields.ProtectedDateField(blank=True, null=True)),
                ("source", keys.fields.ProtectedCharField(blank=True)),
                ("source_url", keys.fields.ProtectedCharField(blank=True)),
                ("fingerprint", models.CharField(db_index=True, max_length=64)),
                ("source_list", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="patterns.sourcelist")),
                ("upload", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="patterns.listupload")),
            ],
            options={"ordering": ["line"]},
        ),
        migrations.CreateModel(
            name="MatchCandidate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("score", models.PositiveSmallIntegerField()),
                ("why", models.CharField(max_length=500)),
                ("entry", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="candidates", to="patterns.listentry")),
                ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.person")),
                ("decision", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="candidates", to="patterns.matchdecision")),
            ],
            options={"ordering": ["-score"], "constraints": [models.UniqueConstraint(fields=("entry", "person"), name="match_candidate_unique")]},
        ),
    ]
