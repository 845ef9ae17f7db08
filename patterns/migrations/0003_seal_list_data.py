"""Seal what published lists held in plain text (issue 15, item 3), step 1 of 2: the data.

Uploads: the file, its header and the mapping move into sealed fields. Decisions: their plain SHA-256
fingerprint (a name and a date of birth anyone could test guesses against) becomes the keyed token of
patterns.lists.fingerprint, computed from the entry it was made on; a decision whose entry is gone cannot be
re-keyed and is dropped (what it added to a case stays there). Entries and candidates are dropped: step 2
recreates their table with sealed columns and a UUID key (the key is part of each sealed value), and every
upload that was imported is marked to be imported again. PostgreSQL keeps the old rows' bytes in dead tuples
until VACUUM FULL (docs/deploy: run it after this upgrade).
"""

import base64
import json

from django.db import migrations

from keys.fields import ProtectedTextField

REIMPORT = "The list's entries are now sealed: import this file again."


def seal(apps, schema_editor):
    from patterns.lists import fingerprint

    ListUpload = apps.get_model("patterns", "ListUpload")
    ListEntry = apps.get_model("patterns", "ListEntry")
    MatchDecision = apps.get_model("patterns", "MatchDecision")
    MatchCandidate = apps.get_model("patterns", "MatchCandidate")
    for upload in ListUpload.objects.all():
        upload.file_data = base64.b64encode(bytes(upload.content)).decode("ascii")
        upload.columns_json = json.dumps(upload.columns, ensure_ascii=False)
        upload.mapping_json = json.dumps(upload.mapping, ensure_ascii=False)
        fields = ["file_data", "columns_json", "mapping_json"]
        if upload.status not in ("mapping", "failed"):
            upload.status, upload.failure = "failed", REIMPORT
            fields += ["status", "failure"]
        upload.save(update_fields=fields)
    for decision in MatchDecision.objects.all():
        entry = ListEntry.objects.filter(source_list_id=decision.source_list_id, fingerprint=decision.fingerprint).first()
        if entry is None:
            decision.delete()
            continue
        decision.fingerprint = fingerprint(entry.full_name, entry.birth_date, entry.region)
        decision.save(update_fields=["fingerprint"])
    MatchCandidate.objects.all().delete()
    ListEntry.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("patterns", "0002_grant_view_aggregates"), ("keys", "0001_protectionkey_from_cases")]

    operations = [
        migrations.AddField("listupload", "file_data", ProtectedTextField(null=True)),
        migrations.AddField("listupload", "columns_json", ProtectedTextField(null=True)),
        migrations.AddField("listupload", "mapping_json", ProtectedTextField(null=True)),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
