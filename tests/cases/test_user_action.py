"""One user action is one transaction: services composed in user_action() commit whole or not at all."""

import pytest

from audit.models import AuditEvent
from cases import services
from cases.models import Case, Contact, Event
from common.transactions import service, user_action
from evidence.models import EvidenceFile
from evidence.services import evidence_attach
from tests.cast import build_cast


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_failing_last_step_leaves_nothing_saved(tmp_path, settings):
    cast = build_cast()
    case = cast.case
    events_before, contacts_before = Event.objects.count(), Contact.objects.count()
    audit_before, files_before = AuditEvent.objects.count(), EvidenceFile.objects.count()
    stored_before = set(_blob_names(settings))
    with pytest.raises(Boom):
        with user_action():
            services.contact_add(actor=cast.caseworker1, case=case, data={"name": "Sister", "relationship": "sister"})
            services.event_add(actor=cast.caseworker1, case=case, data={"type": "detention", "date_precision": "unknown"})
            evidence_attach(actor=cast.caseworker1, case=case, content=b"a letter", original_name="letter.txt")
            raise Boom
    assert Event.objects.count() == events_before and Contact.objects.count() == contacts_before
    assert AuditEvent.objects.count() == audit_before and EvidenceFile.objects.count() == files_before
    assert set(_blob_names(settings)) == stored_before  # the encrypted blob was removed too


@pytest.mark.django_db(transaction=True)
def test_alone_a_service_is_its_own_transaction_and_actions_do_not_nest():
    cast = build_cast()
    services.event_add(actor=cast.caseworker1, case=cast.case, data={"type": "detention", "date_precision": "unknown"})
    assert Event.objects.filter(case=cast.case).exists()
    with pytest.raises(RuntimeError):
        with user_action():
            with user_action():
                pass

    @service
    def touch():
        return Case.objects.count()

    with user_action():
        assert touch() >= 1


def _blob_names(settings):
    import os

    root = settings.MEDIA_ROOT
    for folder, _dirs, files in os.walk(root):
        for name in files:
            yield os.path.join(folder, name)


