import datetime

import pytest

from cases import services as case_services
from tests.cast import build_cast, make_user, sign_in
from tests.factories import make_case


@pytest.fixture
def cast(db):
    """The shared cast (tests/cast.py) without its two cases: these tests count every case, and `known` makes
    them. No passwords: the tests sign in with force_login, and Argon2 hashing is slow."""
    return build_cast(cases=False, password=None)


@pytest.fixture
def nobody(db):
    """A signed-up user with no role at all (the shared outsider is a caseworker): counts nothing, opens no list."""
    return make_user("nobody", password=None)


def add_event(case, actor, type, date=None, precision="day", **extra):
    return case_services.event_add(actor=actor, case=case, data={"type": type, "date": date, "date_precision": precision, **extra})


@pytest.fixture
def known(cast):
    """A known fixture: caseworker1 has 3 Kazakh + 2 Kyrgyz cases (under "cw1"), caseworker2 1 Uzbek case ("cw2")."""
    d = datetime.date
    cases = []
    for i, name in enumerate(["Rustam Nysanbaev", "Erzhan Omarov", "Dauren Seitkazy"]):
        case = make_case(actor=cast.caseworker1, name_latin=name, name_cyrillic="", nationality="KZ", pathway="prison")
        add_event(case, cast.caseworker1, "contract", d(2025, 2 + i, 10))
        cases.append(case)
    for i, name in enumerate(["Mirlan Asanbekov", "Azamat Toktogulov"]):
        case = make_case(actor=cast.caseworker1, name_latin=name, name_cyrillic="", nationality="KG", pathway="migrant_raid")
        add_event(case, cast.caseworker1, "contract", d(2025, 8, 1))
        add_event(case, cast.caseworker1, "detention", d(2025, 4, 1), "approximate")  # about April: H1 yes, Q2 no
        cases.append(case)
    # Imprecise dates: a year only, and unknown.
    add_event(cases[0], cast.caseworker1, "detention", d(2024, 1, 1), "year")
    add_event(cases[1], cast.caseworker1, "detention", None, "unknown")
    uz = make_case(actor=cast.caseworker2, name_latin="Jamshed Khasanov", name_cyrillic="Джамшед Хасанов", nationality="UZ")
    add_event(uz, cast.caseworker2, "contract", d(2025, 3, 3))
    return {"cw1": cases, "cw2": [uz]}


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in(client, user)
    return _login
