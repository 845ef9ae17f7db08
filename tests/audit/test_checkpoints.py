import io
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit import chain, checkpoints, keys, merkle, triggers
from audit.models import AuditCheckpoint, AuditEvent
from keys.keyfile import key_line
from keys.purposes import AUDIT_SIGNING
from tests.audit.conftest import add_events, as_database_admin


def run(cmd, *args):
    out = io.StringIO()
    call_command(cmd, *args, stdout=out)
    return out.getvalue()


def durable_checkpoint():
    # The test's own transaction is not durable, so checkpoint_create (durable) runs as it would in a task.
    return checkpoints.checkpoint_create()


def test_checkpoint_note_format_and_signature(user, settings):
    add_events(user, 3)
    row = durable_checkpoint()
    text, sig = row.note.split("\n\n")
    origin, size, root = text.split("\n")
    assert (origin, size) == ("test.dalil/audit", "3")
    assert checkpoints._unb64(root).hex() == row.root_hash == chain.verify(keys.audit_key()).root.hex()
    assert sig.startswith("\u2014 test.dalil/audit ") and sig.endswith("\n")
    cp = checkpoints.parse_checkpoint(row.note)
    assert cp.size == 3
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.parse_checkpoint(row.note.replace("\n3\n", "\n4\n"))


def test_checkpoint_is_published_to_directory_and_mail(user, settings, django_capture_on_commit_callbacks):
    settings.DALIL_AUDIT_CHECKPOINT_EMAIL = ["witness@example.org"]
    add_events(user, 2)
    with django_capture_on_commit_callbacks(execute=True):
        row = durable_checkpoint()
    directory = Path(settings.DALIL_AUDIT_CHECKPOINT_DIR)
    assert (directory / "checkpoint").read_text() == row.note
    assert (directory / "checkpoints" / "2").read_text() == row.note
    assert (directory / "verifier-key").read_text().strip() == keys.verifier_key()
    assert len(mail.outbox) == 1 and row.note in mail.outbox[0].body


def test_consecutive_checkpoints_are_linked_by_a_consistency_proof(user):
    add_events(user, 3)
    first = durable_checkpoint()
    add_events(user, 4)
    second = durable_checkpoint()
    assert second.previous_size == 3 and second.tree_size == 7
    assert checkpoints.verify_consistency(first.note, second.note, second.consistency_proof)
    assert not checkpoints.verify_consistency(first.note, second.note, second.consistency_proof[1:])
    assert durable_checkpoint() == second  # nothing new: no new signature


def test_no_checkpoint_is_signed_over_a_rewritten_history(user, django_capture_on_commit_callbacks):
    events = add_events(user, 3)
    with django_capture_on_commit_callbacks(execute=True):
        durable_checkpoint()
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[0].pk).update(action="other")
    with pytest.raises(chain.ChainError):
        durable_checkpoint()
    assert AuditCheckpoint.objects.count() == 1


def _rewrite_consistently(user, keep):
    """Someone holding the audit key rebuilds the whole table with a valid chain of different content."""
    events = list(AuditEvent.objects.order_by("seq"))
    with as_database_admin():
        AuditEvent.objects.all().delete()
        AuditCheckpoint.objects.all().delete()
    for e in events[:keep]:
        with transaction.atomic():
            from audit.services import audit_record

            audit_record(actor=user, action="case.viewed" if e.seq else "case.forged", data=e.data)


def test_consistent_rewrite_by_a_key_holder_is_caught_against_the_published_checkpoint(user, settings, django_capture_on_commit_callbacks):
    add_events(user, 5)
    with django_capture_on_commit_callbacks(execute=True):
        durable_checkpoint()
    published = str(Path(settings.DALIL_AUDIT_CHECKPOINT_DIR) / "checkpoint")
    _rewrite_consistently(user, keep=5)
    assert "OK: 5 events" in run("verify_audit", "--no-stored")  # the chain alone is valid again
    with pytest.raises(CommandError, match="rewritten"):
        run("verify_audit", "--no-stored", "--checkpoint", published)
    with pytest.raises(CommandError, match="rewritten"):
        run("verify_audit")  # the publication directory is checked by default
    with pytest.raises(checkpoints.CheckpointError, match="rewritten"):
        durable_checkpoint()  # and the signer refuses to sign the forked history


def test_cut_tail_is_caught_against_a_checkpoint(user, settings, django_capture_on_commit_callbacks):
    events = add_events(user, 5)
    with django_capture_on_commit_callbacks(execute=True):
        durable_checkpoint()
    published = str(Path(settings.DALIL_AUDIT_CHECKPOINT_DIR) / "checkpoint")
    with as_database_admin():
        AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    assert "OK: 3 events" in run("verify_audit", "--no-stored")
    with pytest.raises(CommandError, match="cut from the end"):
        run("verify_audit", "--checkpoint", published)


def test_stored_checkpoints_are_checked(user):
    events = add_events(user, 4)
    durable_checkpoint()
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[3].pk).delete()
    with pytest.raises(CommandError, match="stored checkpoint 4"):
        run("verify_audit")


def test_a_checkpoint_signed_by_another_key_is_rejected(user, tmp_path, settings):
    add_events(user, 2)
    note = durable_checkpoint().note
    path = tmp_path / "cp"
    path.write_text(note)
    settings.DALIL_AUDIT_SIGNING_KEY = key_line(AUDIT_SIGNING, "other", b"\xcd" * 32)
    with pytest.raises(CommandError, match="no signature by the audit checkpoint key"):
        run("verify_audit", "--no-stored", "--checkpoint", str(path))


def test_inclusion_proof_round_trip_and_forgeries(user, tmp_path, settings, django_capture_on_commit_callbacks):
    events = add_events(user, 9)
    with django_capture_on_commit_callbacks(execute=True):
        durable_checkpoint()
    published = str(Path(settings.DALIL_AUDIT_CHECKPOINT_DIR) / "checkpoint")
    proof_json = run("audit_proof", str(events[6].pk), "--checkpoint", published)
    proof = json.loads(proof_json)
    assert proof["leaf_index"] == 6 and proof["tree_size"] == 9
    good = tmp_path / "proof.json"
    good.write_text(proof_json)
    assert "OK: event #6" in run("verify_audit", "--proof", str(good))
    # Offline: the check needs no database row at all.
    with as_database_admin():
        AuditEvent.objects.all().delete()
    assert "OK: event #6" in run("verify_audit", "--proof", str(good), "--verifier-key", keys.verifier_key())

    forged_event = dict(proof, event=proof["event"].replace("case.viewed", "case.deleted"))
    forged_path = dict(proof, inclusion_path=[proof["inclusion_path"][1], proof["inclusion_path"][0], *proof["inclusion_path"][2:]])
    forged_index = dict(proof, leaf_index=5)
    for forged in (forged_event, forged_path, forged_index):
        bad = tmp_path / "forged.json"
        bad.write_text(json.dumps(forged))
        with pytest.raises(CommandError):
            run("verify_audit", "--proof", str(bad))


def test_inclusion_proofs_for_several_events_use_the_newest_checkpoint(user):
    events = add_events(user, 6)
    durable_checkpoint()
    proofs = checkpoints.inclusion_proofs([events[0].pk, events[5].pk])
    for p, e in zip(proofs, (events[0], events[5]), strict=True):
        fields = checkpoints.verify_inclusion_proof(p)
        assert fields["seq"] == e.seq and fields["action"] == "case.viewed"
    later = add_events(user, 1)[0]
    with pytest.raises(checkpoints.CheckpointError, match="no checkpoint covers"):
        checkpoints.inclusion_proof(later.pk)


def test_audit_checkpoint_command_and_task(user):
    from audit.tasks import audit_checkpoint

    assert "empty" in run("audit_checkpoint")
    add_events(user, 2)
    assert "test.dalil/audit\n2\n" in run("audit_checkpoint")
    add_events(user, 1)
    assert audit_checkpoint.delay().get() == 3


def test_triggers_refuse_update_delete_and_truncate(user):
    triggers.install(connection)  # present via the migration; installed again in case migrations were skipped
    add_events(user, 2)
    durable_checkpoint()
    from django.db import DatabaseError

    for statement in (
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditcheckpoint SET note = 'x'",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
    assert AuditEvent.objects.count() == 2 and AuditCheckpoint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_truncate(postgres, user):
    from django.db import DatabaseError

    triggers.install(connection)
    add_events(user, 1)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == 1
