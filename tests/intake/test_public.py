"""The public side, as a family and as a state that seizes the public server would see it."""

import re

import pytest
from django.db import connection

from audit.models import AuditEvent
from intake.models import Attachment, Message, Submission

from .conftest import ANSWERS, SECRETS, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def _submit(client, lang="ru", **extra):
    data = {**ANSWERS, **extra}
    response = client.post(f"/report/{lang}/", {**data, "files": [upload("passport.jpg", jpeg_with_gps())]})
    assert response.status_code == 200, response.content[:2000]
    codename = re.search(r'id="codename">([^<]+)<', response.content.decode()).group(1).strip()
    return response, codename


def _dump() -> bytes:
    """Everything the database holds, as a seized server's disk would give it up."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        chunks = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    chunks.append(bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode())
    return b"\n".join(chunks)


def test_a_report_is_sealed_and_nothing_typed_or_sent_is_kept_in_clear(client, caplog, capsys, settings, tmp_path):
    caplog.set_level("DEBUG")
    response, codename = _submit(client)
    assert len(codename.split()) == 7
    assert not response.cookies, "the public side sets no cookie"
    assert response["Cache-Control"].startswith("no-store") and response["Referrer-Policy"] == "no-referrer"
    submission = Submission.objects.get()
    assert submission.attachments.count() == 1
    dump = _dump()
    logs = caplog.text + "".join(capsys.readouterr())
    # The codename in full and every pair of its neighbouring words, however joined. A single word alone is no
    # evidence: the list's common English words ("activate") also occur in permission names and sentences.
    words = codename.split()
    pairs = [sep.join(words[i : i + 2]) for i in range(len(words) - 1) for sep in (" ", "-", "")]
    for secret in SECRETS + [codename, *pairs]:
        assert secret.encode() not in dump, secret
        assert secret not in logs, secret
    for path in (tmp_path, settings.MEDIA_ROOT):
        for file in __import__("pathlib").Path(path).rglob("*"):
            if file.is_file():
                content = file.read_bytes()
                assert not any(s.encode() in content for s in SECRETS), file
    event = AuditEvent.objects.get(action="intake.report.received")
    assert event.ip is None and not event.user_agent and event.actor is None


def test_every_language_has_the_form_with_no_script_and_no_third_party_resource(client):
    for lang in ("en", "ru", "uz", "kk", "ky", "tg"):
        page = client.get(f"/report/{lang}/")
        html = page.content.decode()
        assert page.status_code == 200 and f'lang="{lang}"' in html
        assert "<script" not in html and len(page.content) < 100_000
        assert not re.search(r'(src|href)="(https?:)?//', html), "no third-party resource"
        assert not page.cookies
    assert client.get("/report/de/").status_code == 404


def test_required_answers_missing_come_back_with_what_was_typed(client):
    response = client.post("/report/en/", {"story": "He was taken at night", "relationship": ""})
    assert response.status_code == 400
    assert "He was taken at night" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_file_that_is_not_a_photo_or_recording_is_refused_and_nothing_saved(client):
    response = client.post("/report/en/", {**ANSWERS, "files": [upload("letter.pdf", b"%PDF-1.4 not a photo", "application/pdf")]})
    assert response.status_code == 400 and Submission.objects.count() == 0


def test_metadata_is_stripped_from_photos_before_sealing(client, cast):
    _submit(client)
    from intake import services

    opened = services.attachment_opened(Attachment.objects.get())
    assert opened["type"] == "image/jpeg"
    from PIL import Image
    import io

    with Image.open(io.BytesIO(opened["data"])) as img:
        assert not img.getexif(), "no EXIF (GPS, camera) survives"
    assert b"PhoneMaker-Secret" not in opened["data"]


def test_follow_up_round_trip_with_the_codename(client, cast):
    _response, codename = _submit(client)
    submission = Submission.objects.get()
    from intake import services

    services.reply(actor=cast.caseworker1, submission=submission, text="We have your report; a lawyer will call on Thursday.")
    assert b"lawyer will call" not in bytes(Message.objects.get().sealed)
    page = client.post("/report/ru/follow-up/", {"codename": codename.upper().replace(" ", "-")})
    assert page.status_code == 200 and "a lawyer will call on Thursday" in page.content.decode()
    added = client.post("/report/ru/follow-up/", {"codename": codename, "action": "add", "text": "He called again from Rostov"})
    assert added.status_code == 200 and Message.objects.filter(sender="family").count() == 1
    assert b"Rostov" not in _dump()
    assert "He called again from Rostov" in services.opened(submission)["messages"][-1]["text"]


def test_a_wrong_codename_finds_nothing_and_tries_are_throttled(client, settings):
    _response, codename = _submit(client)
    wrong = " ".join(["wrong"] * 7)
    assert client.post("/report/en/follow-up/", {"codename": wrong}).status_code == 404
    settings.DALIL_INTAKE_FOLLOWUP_TRIES_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/report/en/follow-up/", {"codename": codename}).status_code == 200
    assert client.post("/report/en/follow-up/", {"codename": codename}).status_code == 404


def test_a_flood_is_refused_with_the_answers_kept_and_admins_alerted(client, settings):
    settings.DALIL_INTAKE_RATE_PER_MINUTE = 1
    _submit(client)
    response = client.post("/report/en/", {**ANSWERS})
    assert response.status_code == 503 and "Lyublino" in response.content.decode()
    assert Submission.objects.count() == 1
    assert AuditEvent.objects.filter(action="intake.flood").count() == 1


def test_every_public_string_is_translated_in_every_catalogue():
    import polib
    from django.conf import settings

    reference = polib.pofile(str(settings.LOCALE_PATHS[0] / "ru" / "LC_MESSAGES" / "django.po"))
    places = ("templates/intake/public/", "intake/forms.py", "intake/attachments.py", "intake/views_public.py")
    public = {e.msgid for e in reference if any(path.startswith(places) for path, _line in e.occurrences)}
    assert len(public) > 100
    for lang in ("ru", "uz", "kk", "ky", "tg"):
        catalogue = {e.msgid: e for e in polib.pofile(str(settings.LOCALE_PATHS[0] / lang / "LC_MESSAGES" / "django.po"))}
        missing = [m for m in public if m not in catalogue or not (catalogue[m].msgstr or catalogue[m].msgstr_plural) or "fuzzy" in catalogue[m].flags]
        assert not missing, (lang, missing[:5])


def test_every_codename_word_survives_the_ways_families_type_it():
    """Words are letters only: a codename typed with hyphens, dots or capitals is still the same seven words."""
    from intake import crypto

    crypto.new_codename()
    assert all(w.isalpha() for w in crypto._wordlist) and len(crypto._wordlist) > 7000
    for _ in range(50):
        codename = crypto.new_codename()
        assert crypto.looks_like_codename(codename.upper().replace(" ", "-"))
        assert crypto.normalise_codename(codename.replace(" ", ".")) == codename
