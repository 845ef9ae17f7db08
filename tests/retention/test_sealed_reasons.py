"""The reasons of a legal hold, its lifting, an extension and a destruction can name a court, a proceeding or a
person: the database holds them sealed, the pages show them to who may see them, and an old database is sealed
by `migrate`."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import ADMIN
from cases.models import Case
from evidence.models import EvidenceFile
from evidence.services import evidence_attach
from keys.aead import PREFIX
from retention import destruction, services
from retention.models import CaseTombstone, LegalHold, RetentionExtension
from tests.cast import build_cast, ensure_roles, make_user, sign_in
from tests.factories import make_case

WORD = "Kuchkarov"
COLUMNS = (("retention_legalhold", "reason"), ("retention_legalhold", "lift_reason"),
           ("retention_retentionextension", "reason"), ("retention_casetombstone", "reason"))


def _raw_hits(word: str) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE %s', [f"%{word}%"])  # noqa: S608 - fixed names
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def _raw_values(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_reasons_are_sealed_in_the_database_and_shown_on_the_page(client):
    cast = build_cast()
    case = cast.case
    services.hold_set(actor=cast.legal1, case=case, reason=f"Basmanny court, {WORD} v. unit 12345")
    services.hold_lift(actor=cast.legal1, case=case, reason=f"{WORD} appeal ended")
    services.retention_extend(actor=cast.admin1, case=case, until=timezone.localdate() + datetime.timedelta(days=30),
                              reason=f"{WORD} sister asked")
    assert _raw_hits(WORD) == []
    assert all(v.startswith(PREFIX) for t, c in COLUMNS[:3] for v in _raw_values(t, c))
    sign_in(client, cast.admin1)
    body = client.get(f"/retention/cases/{case.reference}/").content.decode()
    assert f"Basmanny court, {WORD} v. unit 12345" in body and f"{WORD} appeal ended" in body and f"{WORD} sister asked" in body


@pytest.mark.django_db
def test_the_tombstone_reason_is_sealed_and_shown_to_who_could_see_the_case(client, django_capture_on_commit_callbacks):
    cast = build_cast()
    services.policy_set(actor=cast.admin1, status="closed", days=365)
    Case.objects.filter(pk=cast.case.pk).update(status="closed", updated_at=timezone.now() - datetime.timedelta(days=400))
    cast.case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        evidence_attach(actor=cast.caseworker1, case=cast.case, content=b"statement", original_name="s.txt", source_label="sister")
    Case.objects.filter(pk=cast.case.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    services.hold_set(actor=cast.legal1, case=cast.case, reason=f"{WORD} hearing")
    services.hold_lift(actor=cast.legal1, case=cast.case, reason="Hearing over")
    destruction.case_destroy(actor=cast.admin1, case=cast.case, reason=f"Past retention, {WORD} file", confirmation=cast.case.reference)
    assert _raw_hits(WORD) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditevent WHERE CAST(data AS TEXT) LIKE %s", [f"%{WORD}%"])
        assert cursor.fetchone()[0] == 0
    assert EvidenceFile.objects.get().destruction_reason == destruction.FILE_REASON  # its own words, not the case's
    assert LegalHold.objects.get().reason == ""  # the hold's words went with the case
    assert CaseTombstone.objects.get().reason == f"Past retention, {WORD} file"
    for user in (cast.caseworker1, cast.admin1):
        sign_in(client, user)
        page = client.get(f"/cases/{cast.case.reference}/")
        assert page.status_code == 410 and f"Past retention, {WORD} file" in page.content.decode()
    sign_in(client, cast.caseworker2)
    assert f"{WORD} file" not in client.get(f"/cases/{cast.case.reference}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_migrate_seals_the_reasons_of_an_old_database():
    ensure_roles()
    admin = make_user("upgrader", ADMIN, password=None)
    case = make_case(actor=admin)
    executor = MigrationExecutor(connection)
    latest = list(executor.loader.graph.leaf_nodes())
    try:
        executor.migrate([("retention", "0001_initial")])
        old = MigrationExecutor(connection).loader.project_state([("retention", "0001_initial")]).apps
        old.get_model("retention", "LegalHold").objects.create(case_id=case.pk, reason=f"{WORD} court", set_by_id=admin.pk,
                                                               lifted_at=timezone.now(), lifted_by_id=admin.pk, lift_reason=f"{WORD} done")
        Extension = old.get_model("retention", "RetentionExtension")
        Extension.objects.create(case_id=case.pk, until=datetime.date(2030, 1, 1), reason=f"{WORD} asked", extended_by_id=admin.pk)
        Extension.objects.create(case_id=case.pk, until=datetime.date(2031, 1, 1), reason="Second", extended_by_id=admin.pk)
        old.get_model("retention", "CaseTombstone").objects.create(
            case_id=case.pk, reference=case.reference, status="closed", opened_at=timezone.now(), last_changed_at=timezone.now(),
            destroyed_by_id=admin.pk, reason=f"{WORD} gone",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert _raw_hits(WORD) == []
    hold = LegalHold.objects.get()
    assert (hold.reason, hold.lift_reason) == (f"{WORD} court", f"{WORD} done")
    assert [e.reason for e in RetentionExtension.objects.all()] == ["Second", f"{WORD} asked"]
    assert all(isinstance(e.pk, type(hold.pk)) for e in RetentionExtension.objects.all())
    assert CaseTombstone.objects.get().reason == f"{WORD} gone"
