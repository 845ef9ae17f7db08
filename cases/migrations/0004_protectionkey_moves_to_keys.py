# The key table now belongs to the keys app (keys 0001); the database table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_encrypt_existing_rows"),
        ("keys", "0001_protectionkey_from_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProtectionKey")],
            database_operations=[],
        ),
    ]
