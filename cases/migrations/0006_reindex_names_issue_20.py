"""Re-compute the blind index with the issue 20 matcher's search tokens (word roots instead of strict keys).

Not atomic: rebuild_index commits batch by batch, so an interrupted run simply starts again (or run
`manage.py rebuild_blind_index`). It uses the live indexing code on purpose: the tokens it writes are the ones
searches look up.
"""

from django.db import migrations


def reindex(apps, schema_editor):
    from cases.blind_index import rebuild_index

    rebuild_index()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0005_versions"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=False),
    ]
