# The key table moves from cases to keys without touching the database: the table cases 0002 made
# keeps its name (keys.ProtectionKey.Meta.db_table), only Django's model state changes app.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0003_encrypt_existing_rows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProtectionKey",
                    fields=[
                        ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                        ("purpose", models.CharField(choices=[("field", "field encryption"), ("index", "blind index")], max_length=8)),
                        ("label", models.CharField(help_text="cases.Person.name_latin, or index:person_name", max_length=120, unique=True)),
                        ("kek_id", models.CharField(max_length=300)),
                        ("wrapped", models.BinaryField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("rewrapped_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "cases_protectionkey"},
                ),
            ],
            database_operations=[],
        ),
    ]
