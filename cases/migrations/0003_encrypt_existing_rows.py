"""Seal every protected value still stored as plaintext, then build the blind index.

Not atomic: each batch commits on its own, so an interrupted run keeps its progress and
`migrate` (or `manage.py protect_data`) simply continues. Afterwards run VACUUM (FULL) on
PostgreSQL so that no dead row version keeps the old plaintext (docs/data-protection.md).
It uses the live sealing code on purpose: the format it writes is the one the fields read.
"""

from django.db import migrations


def seal_existing(apps, schema_editor):
    from cases.blind_index import rebuild_index
    from cases.protect import seal_plaintext_rows

    seal_plaintext_rows(app_label="cases")
    rebuild_index()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0002_protection_keys_blind_index"),
    ]

    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
