from django.db import migrations, models


def chain_existing(apps, schema_editor):
    """Number and chain events written before the chain existed (development databases only)."""
    from audit import chain, keys

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = chain.GENESIS
    key = None
    for seq, event in enumerate(AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")):
        key = key or keys.audit_key()
        event.seq = seq
        event.ip = chain.normalise_ip(event.ip)
        event.fields = sorted({str(f) for f in event.fields})
        event.data = chain.normalise_json(event.data)
        content = chain.canonical_of(event)
        previous = chain.next_mac(key, previous, content)
        event.mac = previous.hex()
        event.save(update_fields=["seq", "mac", "ip", "fields", "data"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(model_name="auditevent", name="seq", field=models.BigIntegerField(null=True, unique=True)),
        migrations.AddField(model_name="auditevent", name="mac", field=models.CharField(default="", max_length=64), preserve_default=False),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditevent", name="seq", field=models.BigIntegerField(unique=True)),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.BigIntegerField(unique=True)),
                ("root_hash", models.CharField(help_text="Hex SHA-256 Merkle root of the first tree_size events.", max_length=64)),
                ("note", models.TextField(help_text="The signed note, byte for byte as published.")),
                ("created_at", models.DateTimeField()),
                ("previous_size", models.BigIntegerField(blank=True, null=True)),
                ("consistency_proof", models.JSONField(blank=True, default=list, help_text="Base64 hashes from previous_size to tree_size.")),
            ],
            options={"ordering": ["tree_size"]},
        ),
    ]
