import pytest
from django.db import transaction

from audit import actions, chain, keys
from audit.models import AuditEvent
from audit.services import audit_read, audit_record


def _verify():
    return chain.verify(keys.audit_key())


def test_events_chain_and_verify(user):
    for i in range(5):
        with transaction.atomic():
            audit_record(actor=user, action=actions.CASE_VIEWED, data={"n": i, "f": 1.5})
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [0, 1, 2, 3, 4]
    assert _verify().count == 5
