import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit import actions, chain, context, keys
from audit.models import AuditEvent
from audit.services import audit_read, audit_record
from keys.keyfile import key_line
from keys.purposes import AUDIT_CHAIN
from tests.audit.conftest import add_events, as_database_admin
from tests.cast import unrecorded_user


def verify_cmd(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_events_are_numbered_and_chained(user):
    add_events(user, 5)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [0, 1, 2, 3, 4]
    previous = chain.GENESIS
    for e in events:
        content = chain.canonical_of(e)
        previous = chain.next_mac(keys.audit_key(), previous, content)
        assert e.mac == previous.hex()
    assert "OK: 5 events verified" in verify_cmd()


def test_canonical_form_is_byte_exact(user):
    with transaction.atomic():
        e = audit_record(actor=user, action="case.updated", fields=["status", "notes"], data={"b": 1, "a": "é", "f": 0.5})
    e.refresh_from_db()
    content = next(chain.rows())[3]
    assert content == (
        '["dalil-audit/1",0,"' + chain.format_at(e.at) + f'",{user.pk},"{user.username}","case.updated","","","",null,"",'
        '["notes","status"],{"a":"\\u00e9","b":1,"f":"0.5"}]'
    ).encode()


AWKWARD = [
    {"actor_label": "Айгуль", "user_agent": "plain"},
    {"actor_label": 'quote " and back\\slash', "user_agent": "tab\there"},
    {"actor_label": "del\x7fchar", "user_agent": "new\nline"},
    {"actor_label": "emoji 🙂", "user_agent": "bell\x07 and \x1f"},
    {"actor_label": "plain/slash <b>&amp;", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "ip": "::ffff:10.0.0.1"},
    {"actor_label": "v6", "user_agent": "", "ip": "2001:db8::1"},
]


@pytest.mark.parametrize("awkward", AWKWARD)
def test_database_written_canonical_text_matches_python(postgres, awkward):
    """On PostgreSQL the verifier lets the database write most of the canonical text; for every kind of
    character it must be the same bytes Python writes, or an honest log would fail to verify."""
    someone = unrecorded_user(awkward["actor_label"])
    token = context.set_current(context.RequestContext(ip=awkward.get("ip", "10.1.2.3"), user_agent=awkward["user_agent"]))
    try:
        with transaction.atomic():
            e = audit_record(actor=someone, action="case.updated", target=someone, fields=["b", "a"],
                             data={"z": [1, {"y": "é", "x": None}], "a": 0.5, "long key": True, "q": 'a"b'})
    finally:
        context.reset(token)
    e.refresh_from_db()
    assert e.actor_label == awkward["actor_label"]
    assert next(chain.rows())[3] == chain.canonical_of(e)
    assert "OK: 1 events verified" in verify_cmd()


def test_rollback_leaves_no_event(user):
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            audit_record(actor=user, action=actions.CASE_UPDATED)
            1 / 0
    assert AuditEvent.objects.count() == 0
    add_events(user, 1)
    assert AuditEvent.objects.get().seq == 0


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(user):
    with pytest.raises(RuntimeError):
        audit_record(actor=user, action=actions.CASE_VIEWED)


def test_audit_read_records_one_read_with_case_ids(user):
    event = audit_read(actor=user, action=actions.CASE_LIST_VIEWED, data={"cases": [3, 1, 2]})
    assert AuditEvent.objects.count() == 1
    assert event.data == {"cases": [3, 1, 2]} and event.actor == user and event.action == "case.list_viewed"


def test_secret_looking_data_is_dropped(user):
    with transaction.atomic():
        e = audit_record(actor=user, action="x.y", data={"password": "p", "api_token": "t", "ok": 1})
    assert e.data == {"ok": 1}


def _bad(match):
    with pytest.raises(CommandError, match=match):
        verify_cmd()


def test_edited_row_is_detected(user):
    events = add_events(user, 5)
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[2].pk).update(actor_label="someone-else")
    _bad(r"event #2 \(id %d\)" % events[2].pk)


def test_edited_json_is_detected(user):
    events = add_events(user, 3)
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[1].pk).update(data={"i": 99})
    _bad("event #1")


def test_deleted_row_in_the_middle_is_detected(user):
    events = add_events(user, 5)
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[2].pk).delete()
    _bad("event #2 is missing")


def test_deleted_and_renumbered_rows_are_detected(user):
    events = add_events(user, 5)
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[2].pk).delete()
        for e in events[3:]:
            AuditEvent.objects.filter(pk=e.pk).update(seq=e.seq - 1)
    _bad("event #2")


def test_inserted_row_is_detected(user):
    events = add_events(user, 4)
    with as_database_admin():
        for e in reversed(events[2:]):
            AuditEvent.objects.filter(pk=e.pk).update(seq=e.seq + 1)
        forged = AuditEvent(seq=2, mac=events[2].mac, at=events[2].at, actor=user, actor_label=user.username, action="case.viewed")
        forged.save(force_insert=True)
    _bad("event #2")


def test_reordered_rows_are_detected(user):
    events = add_events(user, 4)
    with as_database_admin():
        AuditEvent.objects.filter(pk=events[1].pk).update(seq=-1)
        AuditEvent.objects.filter(pk=events[2].pk).update(seq=1)
        AuditEvent.objects.filter(pk=events[1].pk).update(seq=2)
    _bad("event #1")


def test_wrong_key_fails_at_the_first_event(user, settings):
    add_events(user, 2)
    settings.DALIL_AUDIT_KEY = key_line(AUDIT_CHAIN, "other", b"\xab" * 32)
    _bad("event #0")


def test_keys_come_from_settings_and_production_needs_them(settings):
    from django.core.exceptions import ImproperlyConfigured

    assert len(keys.audit_key()) == 32 and keys.verifier_key().startswith("test.dalil/audit+")
    settings.DALIL_AUDIT_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured, match="DALIL_AUDIT_KEY"):
        keys.audit_key()
    settings.DALIL_AUDIT_KEY = ""
    settings.DALIL_AUDIT_SIGNING_KEY = ""
    settings.DEBUG, settings.EMBEDDED, settings.TESTING = False, False, False
    with pytest.raises(ImproperlyConfigured, match="DALIL_AUDIT_KEY"):
        keys.audit_key()
    with pytest.raises(ImproperlyConfigured, match="DALIL_AUDIT_SIGNING_KEY"):
        keys.signing_key()
