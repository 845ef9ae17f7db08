import threading

import pytest
from django.db import connection, transaction

from audit import chain, keys
from audit.models import AuditEvent
from audit.services import audit_read, audit_record


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_postgresql_never_fork_the_chain(postgres, user):
    writers, per_writer = 8, 25
    errors = []
    barrier = threading.Barrier(writers)

    def write(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                if i % 2:
                    audit_read(actor=user, action="case.viewed", data={"writer": n, "i": i})
                else:
                    with transaction.atomic():
                        audit_record(actor=user, action="case.updated", data={"writer": n, "i": i})
        except Exception as exc:  # surfaced by the assert below
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == writers * per_writer
    verified = chain.verify(keys.audit_key())
    assert verified.count == writers * per_writer
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(writers * per_writer))
