import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(blank=True, help_text="What the token is for, e.g. 'Bishkek intake phone'.", max_length=80, verbose_name="label")),
                ("prefix", models.CharField(help_text="The first characters of the token, to tell tokens apart.", max_length=16)),
                ("key_hash", models.CharField(max_length=64, unique=True)),
                ("scope", models.CharField(choices=[("read", "Read only"), ("intake", "Intake (read and create)")], max_length=8, verbose_name="scope")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL, verbose_name="user")),
            ],
            options={"ordering": ["-created_at"]},
        ),
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
            options={"constraints": [models.UniqueConstraint(fields=("user", "key"), name="api_idempotency_unique_key")]},
        ),
    ]
