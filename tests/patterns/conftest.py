import datetime

import pytest

from accounts.roles import ADMIN, CASEWORKER, LEGAL
from cases import services as case_services
from tests.cast import make_user, sign_in
from tests.factories import make_case


@pytest.fixture
def cast(db):
    """Two caseworkers with their own cases, a legal user, an admin, an outsider with no role."""
    class Cast:
        pass

    c = Cast()
    # No passwords: the tests sign in with force_login, and Argon2 hashing is slow.
    c.cw1 = make_user("cw1", CASEWORKER, password=None)
    c.cw2 = make_user("cw2", CASEWORKER, password=None)
    c.legal = make_user("legal1", LEGAL, password=None)
    c.admin = make_user("admin1", ADMIN, password=None)
    c.outsider = make_user("nobody", password=None)
    return c


def add_event(case, actor, type, date=None, precision="day", **extra):
    return case_services.event_add(actor=actor, case=case, data={"type": type, "date": date, "date_precision": precision, **extra})


@pytest.fixture
def known(cast):
    """A known fixture: cw1 has 3 Kazakh + 2 Kyrgyz cases, cw2 has 1 Uzbek case."""
    d = datetime.date
    cases = []
    for i, name in enumerate(["Rustam Nysanbaev", "Erzhan Omarov", "Dauren Seitkazy"]):
        case = make_case(actor=cast.cw1, name_latin=name, name_cyrillic="", nationality="KZ", pathway="prison")
        add_event(case, cast.cw1, "contract", d(2025, 2 + i, 10))
        cases.append(case)
    for i, name in enumerate(["Mirlan Asanbekov", "Azamat Toktogulov"]):
        case = make_case(actor=cast.cw1, name_latin=name, name_cyrillic="", nationality="KG", pathway="migrant_raid")
        add_event(case, cast.cw1, "contract", d(2025, 8, 1))
        add_event(case, cast.cw1, "detention", d(2025, 4, 1), "approximate")  # about April: H1 yes, Q2 no
        cases.append(case)
    # Imprecise dates: a year only, and unknown.
    add_event(cases[0], cast.cw1, "detention", d(2024, 1, 1), "year")
    add_event(cases[1], cast.cw1, "detention", None, "unknown")
    uz = make_case(actor=cast.cw2, name_latin="Jamshed Khasanov", name_cyrillic="Джамшед Хасанов", nationality="UZ")
    add_event(uz, cast.cw2, "contract", d(2025, 3, 3))
    return {"cw1": cases, "cw2": [uz]}


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in(client, user)
    return _login
