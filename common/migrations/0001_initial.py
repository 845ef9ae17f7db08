# The idempotency record moves from api to common (issue 18), so that web forms below the API (cases, accounts)
# may keep their once-only records without importing it. Only the state moves: the table api_idempotencyrecord,
# its constraint and its rows stay as they are (api/migrations/0002 drops the model from api's state).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("api", "0001_initial"),  # made the table
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=255)),
                        ("endpoint", models.CharField(max_length=300)),
                        ("fingerprint", models.CharField(max_length=64)),
                        ("state", models.CharField(choices=[("pending", "Pending"), ("done", "Done")], default="pending", max_length=8)),
                        ("status_code", models.PositiveSmallIntegerField(null=True)),
                        ("target_id", models.CharField(blank=True, max_length=64)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "api_idempotencyrecord",
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="api_idempotency_unique_key")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
