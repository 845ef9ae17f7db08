import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from cases.models import Case, Event
from common.models import IdempotencyRecord
from evidence.models import CustodyEvent, EvidenceFile
from evidence.sealing import plaintext_chunks

from .test_endpoints import NEW_CASE

CONTENT = b"%PDF-1.4 statement of the detention, page one\n" * 500


def _upload(client, case, *, content=CONTENT, sha=None, key=None, name="statement.pdf", **extra):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "sha256": sha or hashlib.sha256(content).hexdigest(), **extra}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/v1/cases/{case.reference}/files/", data, format="multipart", **headers)


def test_create_retried_with_the_same_key_makes_one_case(api):
    client = api("caseworker1")
    first = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="intake-7f3a")
    second = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="intake-7f3a")
    assert first.status_code == second.status_code == 201
    assert first.json()["reference"] == second.json()["reference"]
    assert second["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.created").count() == 1
    # Without a key (or with another) a second post is a second case.
    assert client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="intake-8000").status_code == 201
    assert Case.objects.count() == 2


def test_a_key_reused_for_a_different_request_is_422(api):
    client = api("caseworker1")
    client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = {**NEW_CASE, "pathway": "debt"}
    response = client.post("/api/v1/cases/", other, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["fields"]
    assert Case.objects.count() == 1


def test_a_failed_request_frees_its_key(api):
    client = api("caseworker1")
    bad = {"person": {"nationality": "UZ"}}
    assert client.post("/api/v1/cases/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k2").status_code == 400
    assert not IdempotencyRecord.objects.exists()


def test_keys_belong_to_one_user(api):
    first = api("caseworker1").post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    second = api("caseworker2").post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert first.json()["reference"] != second.json()["reference"]


def test_an_event_retried_is_added_once(api, case):
    client = api("caseworker1")
    url = f"/api/v1/cases/{case.reference}/events/"
    ids = {client.post(url, {"type": "detention", "date": "2024"}, format="json", HTTP_IDEMPOTENCY_KEY="ev-1").json()["id"] for _ in range(3)}
    assert len(ids) == 1 and Event.objects.filter(case=case).count() == 1


def test_upload_is_encrypted_checked_and_has_custody(api, case, _media_root):
    client = api("caseworker1")
    response = _upload(client, case, description="Court statement")
    assert response.status_code == 201, response.json()
    body = response.json()
    record = EvidenceFile.objects.get(pk=body["id"])
    assert body["sha256"] == record.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert body["size"] == len(CONTENT) and body["original_name"] == "statement.pdf"
    assert b"".join(plaintext_chunks(record)) == CONTENT
    stored = b"".join(p.read_bytes() for p in _media_root.rglob("*") if p.is_file())
    assert stored and b"statement of the detention" not in stored
    custody = client.get(f"/api/v1/cases/{case.reference}/files/{record.pk}/custody/").json()["results"]
    assert [c["action"] for c in custody][:2] == ["received", "hashed"]
    assert custody[0]["actor"] == "caseworker1"
    listed = client.get(f"/api/v1/cases/{case.reference}/files/").json()["results"]
    assert [f["id"] for f in listed] == [str(record.pk)]
    assert client.get(f"/api/v1/cases/{case.reference}/files/{record.pk}/").json()["description"] == "Court statement"


def test_upload_with_a_wrong_sha256_keeps_nothing(api, case, _media_root):
    response = _upload(api("caseworker1"), case, sha="0" * 64)
    assert response.status_code == 400 and "sha256" in response.json()["fields"]
    assert not EvidenceFile.objects.exists()
    assert not [p for p in _media_root.rglob("*") if p.is_file()]


def test_upload_without_sha256_is_400(api, case):
    client = api("caseworker1")
    response = client.post(f"/api/v1/cases/{case.reference}/files/",
                           {"file": SimpleUploadedFile("a.txt", b"abc")}, format="multipart")
    assert response.status_code == 400 and "sha256" in response.json()["fields"]
    assert not EvidenceFile.objects.exists()


def test_upload_over_the_limit_is_413(api, case, settings):
    settings.DALIL_EVIDENCE_MAX_BYTES = 1000
    response = _upload(api("caseworker1"), case)
    assert response.status_code == 413
    assert not EvidenceFile.objects.exists()


def test_upload_retried_with_the_same_key_yields_one_file(api, case, _media_root):
    client = api("caseworker1")
    first = _upload(client, case, key="upload-1")
    second = _upload(client, case, key="upload-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and second["Idempotent-Replayed"] == "true"
    assert EvidenceFile.objects.count() == 1
    assert CustodyEvent.objects.filter(action="received").count() == 1
    # The retry's encrypted copy was not kept either.
    record = EvidenceFile.objects.get()
    blobs = [p for p in _media_root.rglob("*") if p.is_file()]
    assert len([b for b in blobs if record.blob_name.split("/")[-1] in str(b)]) == 1


def test_upload_needs_an_intake_token_and_change_permission(api, cast, case):
    from cases.access import case_share_with_legal

    assert _upload(api("caseworker1", scope="read"), case).status_code == 403
    assert _upload(api("caseworker2"), case).status_code == 404
    case_share_with_legal(actor=cast.caseworker1, case=case, user=cast.legal1)
    assert _upload(api("legal1"), case).status_code == 404
    assert not EvidenceFile.objects.exists()


def test_custody_of_anothers_file_is_404(api, case):
    record = _upload(api("caseworker1"), case).json()
    client = api("caseworker2")
    assert client.get(f"/api/v1/cases/{case.reference}/files/{record['id']}/custody/").status_code == 404
    assert client.get(f"/api/v1/cases/{case.reference}/files/{record['id']}/").status_code == 404
