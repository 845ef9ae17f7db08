"""Fixtures for the case pages: signed-in caseworkers and a case built through the services."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory, make_case


def role_user(role: str, **kwargs):
    """A user in a role group (made by the access migration), as the demo and real users are."""
    user = UserFactory(**kwargs)
    group = Group.objects.filter(name=role).first()
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture
def caseworker(db):
    return role_user("caseworker", username="caseworker-a")


@pytest.fixture
def caseworker_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def case(caseworker):
    return make_case(actor=caseworker)
