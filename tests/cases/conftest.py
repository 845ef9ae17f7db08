"""Fixtures for the case pages: signed-in caseworkers and a case built through the services."""

import pytest

from tests.cast import role_user
from tests.factories import make_case


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
