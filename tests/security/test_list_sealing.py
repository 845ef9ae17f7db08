"""Item 3: a stolen database names nobody through a published list.

The attacker holds a pg_dump (or the raw database) and the published list itself: they grep the dump for
every name of the list in every form Dalil could have stored it (as typed, any case, each token, the
normalised matching form, the hex of a bytea, base64 of the file, the old plain SHA-256 fingerprint).
None may be there. And an import shows its importer no candidate in a case they may not see.
"""

import base64
import hashlib
import io
import os
import subprocess

import pytest
from django.db import connection
from openpyxl import Workbook

from accounts.roles import CASEWORKER
from cases.names import name_tokens, normalise_name
from patterns.models import ListUpload, MatchCandidate
from tests.cast import ensure_roles, make_user, sign_in
from tests.factories import make_case

LIST_CSV = (
    "ФИО;Дата рождения;Регион;Часть\n"
    "Нысанбаев Рустам;17.05.1994;Алматинская;в/ч 12345\n"  # cw1's person
    "Хасанов Джамшед;17.05.1994;Согдийская;в/ч 54321\n"  # cw2's person
    "Петренко Вячеслав Игоревич;11.11.1981;Курская;в/ч 77777\n"  # nobody in Dalil
    "Zhumabekov Talgat Serikovich;;Karaganda;v/ch 88888\n"
)
NOBODY = ["Петренко Вячеслав Игоревич", "Zhumabekov Talgat Serikovich", "Хасанов Джамшед"]
HEADERLESS = "Ордабаев Нурлан;1985-02-02\nСейткали Жанибек;1986-03-03\n"  # a file whose first row is a name


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Full name", "DOB"])
    book.active.append(["Kudaibergenov Yerlan", "1979-09-09"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _forms(name: str) -> set[bytes]:
    """Every form of a name a careless store could hold."""
    texts = {name, name.lower(), name.upper(), normalise_name(name), normalise_name(name).upper()}
    for token in name.split() + name_tokens(name):
        if len(token) >= 5:
            texts |= {token, token.lower(), token.upper(), token.capitalize()}
    forms = {t.encode("utf-8") for t in texts}
    forms |= {t.encode("utf-8").hex().encode() for t in texts if len(t) >= 5}  # a bytea column in pg_dump
    return forms


def _old_fingerprints(rows: list[tuple[str, str, str]]) -> set[bytes]:
    from patterns.matching import parse_birth_date

    out = set()
    for name, dob, region in rows:
        day = parse_birth_date(dob).isoformat() if dob else ""
        out.add(hashlib.sha256("|".join((normalise_name(name), day, normalise_name(region))).encode()).hexdigest().encode())
    return out


def _pg_dump() -> bytes:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return subprocess.run(
        ["/usr/bin/pg_dump", "-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres", db["NAME"]],
        check=True, capture_output=True, env=env, timeout=120,
    ).stdout


@pytest.fixture
def imported(transactional_db, client, django_capture_on_commit_callbacks):
    ensure_roles()
    cw1, cw2 = make_user("lists1", CASEWORKER, password=None), make_user("lists2", CASEWORKER, password=None)
    mine = make_case(actor=cw1)
    theirs = make_case(actor=cw2, name_latin="Jamshed Khasanov", name_cyrillic="Джамшед Хасанов", nationality="UZ")
    sign_in(client, cw1)
    response = client.post("/patterns/lists/", {"title": "Contract soldiers", "publisher": "A project"})
    list_url = response["Location"]
    uploads = {}
    # A file named after someone on it: the name of the file is sealed too.
    for name, content in (("petrenko_vyacheslav.csv", LIST_CSV.encode()), ("names.csv", HEADERLESS.encode()), ("book.xlsx", _xlsx())):
        f = io.BytesIO(content)
        f.name = name
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(list_url, {"file": f})
        assert response.status_code == 302, response.content[:300]
        uploads[name] = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(uploads["petrenko_vyacheslav.csv"], {"full_name": "ФИО", "birth_date": "Дата рождения", "region": "Регион", "unit": "Часть"})
    assert ListUpload.objects.filter(status="done").count() == 1
    # The importer confirms the match in their case: the name then lives in a case source, sealed too.
    candidate = MatchCandidate.objects.get(person=mine.person)
    assert client.post(f"{list_url}candidates/{candidate.pk}/confirm").status_code == 302
    return {"client": client, "list_url": list_url, "mine": mine, "theirs": theirs, "cw2": cw2}


def test_pg_dump_holds_no_name_of_an_imported_list(imported, postgres):
    dump = _pg_dump()
    assert b"COPY public.patterns_listentry" in dump and b"COPY public.patterns_listupload" in dump
    names = ["Нысанбаев Рустам", "Петренко Вячеслав Игоревич", "Zhumabekov Talgat Serikovich", "Ордабаев Нурлан",
             "Сейткали Жанибек", "Kudaibergenov Yerlan", "в/ч 77777", "v/ch 88888", "Курская"]
    leaked = sorted({n for n in names for form in _forms(n) if form in dump})
    assert not leaked, f"names of the list in the dump: {leaked}"
    for content in (LIST_CSV.encode(), HEADERLESS.encode()):
        assert base64.b64encode(content)[:40] not in dump
    rows = [("Нысанбаев Рустам", "17.05.1994", "Алматинская"), ("Петренко Вячеслав Игоревич", "11.11.1981", "Курская")]
    assert not [fp for fp in _old_fingerprints(rows) if fp in dump], "a plain hash of a name can be tested against guesses"
    assert b"1981-11-11" not in dump and b"11.11.1981" not in dump


def test_match_reasons_name_nobody(imported):
    reasons = list(MatchCandidate.objects.values_list("why", flat=True))
    assert reasons
    tokens = {t for n in ["Нысанбаев Рустам", "Rustam Nysanbaev", *NOBODY] for t in name_tokens(n) + n.lower().split()}
    assert not [r for r in reasons if any(t in r.lower() for t in tokens)], reasons


def test_an_import_shows_its_importer_no_candidate_in_another_users_case(imported, client):
    theirs = imported["theirs"]
    assert not MatchCandidate.objects.filter(person=theirs.person).exists()
    page = imported["client"].get(imported["list_url"]).content.decode()
    assert theirs.reference not in page and "Хасанов" not in page
    # Their owner finds them by matching the list against their own cases.
    sign_in(client, imported["cw2"])
    client.post(imported["list_url"] + "match")
    assert MatchCandidate.objects.filter(person=theirs.person).exists()
    assert imported["mine"].reference not in client.get(imported["list_url"]).content.decode()
