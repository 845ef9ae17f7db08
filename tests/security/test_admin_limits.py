"""Issue 15, item 12: what one admin (or whoever runs commands on the server) could do alone.

An admin gives themself the caseworker role to take a case: the change waits for a second admin,
and the log shows who asked and who approved. `dumpdata` would write every protected field
decrypted: it refuses unless asked for by name, then warns and is audited. `seed_demo` would make
users with a published password in production: it refuses unless DALIL_DEBUG or --allow-demo.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import RoleChangeRequest
from accounts.roles import ADMIN, roles_of
from audit import actions
from audit.models import AuditEvent
from tests.cast import make_user, sign_in

pytestmark = pytest.mark.django_db


def roles_now(user) -> set[str]:
    return roles_of(get_user_model().objects.get(pk=user.pk))


def test_an_admin_cannot_give_themself_a_role_alone(cast):
    me = sign_in(Client(), cast.admin1)
    roles_url = reverse("manage:user_roles", kwargs={"pk": cast.admin1.pk})
    assert me.post(roles_url, {"roles": ["admin", "caseworker"]}).status_code == 302
    assert roles_now(cast.admin1) == {ADMIN}
    with pytest.raises(services.AccountError):
        services.user_set_roles(actor=cast.admin1, user=cast.admin1, roles=["admin", "caseworker"])
    assert roles_now(cast.admin1) == {ADMIN}
    request = RoleChangeRequest.objects.get(user=cast.admin1, decided_at__isnull=True)
    # Approving one's own request is refused, through the page and the service.
    decide = reverse("manage:role_change_decide", kwargs={"pk": cast.admin1.pk, "request_id": request.pk})
    me.post(decide, {"decision": "approve"})
    with pytest.raises(services.AccountError):
        services.role_change_decide(actor=cast.admin1, request=request, approve=True)
    assert roles_now(cast.admin1) == {ADMIN}
    # A second admin sees the request and approves it; the log holds both names.
    admin2 = make_user("admin2", ADMIN)
    other = sign_in(Client(), admin2)
    assert b"asked on" in other.get(reverse("manage:user_detail", kwargs={"pk": cast.admin1.pk})).content
    other.post(decide, {"decision": "approve"})
    assert roles_now(cast.admin1) == {ADMIN, "caseworker"}
    trail = AuditEvent.objects.filter(target_id=str(cast.admin1.pk), action__startswith="account.role").order_by("seq")
    assert [(e.action, e.actor_id) for e in trail] == [
        (actions.ACCOUNT_ROLE_CHANGE_REQUESTED, cast.admin1.pk),
        (actions.ACCOUNT_ROLE_CHANGE_APPROVED, admin2.pk),
        (actions.ACCOUNT_ROLE_CHANGED, admin2.pk),
    ]
    # Decided once: it cannot be replayed.
    with pytest.raises(services.AccountError):
        services.role_change_decide(actor=admin2, request=request, approve=True)


def test_a_rejected_request_changes_nothing(cast):
    request = services.role_change_request(actor=cast.admin1, roles=["admin", "legal"])
    admin2 = make_user("admin2", ADMIN)
    services.role_change_decide(actor=admin2, request=request, approve=False)
    assert roles_now(cast.admin1) == {ADMIN}
    assert AuditEvent.objects.filter(action=actions.ACCOUNT_ROLE_CHANGE_REJECTED, actor=admin2).exists()


def test_dumpdata_refuses_without_the_explicit_flag(cast):
    out = io.StringIO()
    with pytest.raises(CommandError, match="decrypted"):
        call_command("dumpdata", "cases", stdout=out)
    assert out.getvalue() == "" and cast.case.person.name_latin not in out.getvalue()
    err = io.StringIO()
    call_command("dumpdata", "cases.person", "--decrypted", stdout=out, stderr=err)
    assert "DECRYPTED" in err.getvalue()
    assert cast.case.person.name_latin in out.getvalue()  # exactly why it is refused by default
    assert AuditEvent.objects.filter(action=actions.DATA_DUMPED_DECRYPTED).count() == 1


def test_seed_demo_refuses_outside_debug_without_the_flag(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DALIL_DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username__in=["caseworker1", "admin1"]).exists()
