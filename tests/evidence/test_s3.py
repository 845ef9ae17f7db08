"""Blobs in S3-compatible storage (django-storages) against moto's server mode on loopback."""

import hashlib
import secrets
import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keys.stream import SEGMENT_SIZE
from evidence.models import EvidenceFile

from .helpers import attach, plaintext


@pytest.fixture
def s3_bucket(moto_server, settings):
    bucket = f"dalil-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": moto_server, "region_name": "us-east-1",
                "access_key": "testing", "secret_key": "testing", "location": "blobs", "file_overwrite": False,
            },
        },
    }
    yield client, bucket


def _keys(client, bucket):
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_round_trip_and_range_on_s3(cast, s3_bucket):
    client, bucket = s3_bucket
    content = secrets.token_bytes(3 * SEGMENT_SIZE + 11)
    f = attach(cast, content)
    assert _keys(client, bucket) == [f"blobs/{f.blob_name}"]
    stored = client.get_object(Bucket=bucket, Key=f"blobs/{f.blob_name}")["Body"].read()
    assert stored[:4] == b"DLEV" and content[:32] not in stored
    assert plaintext(f) == content
    from evidence.sealing import plaintext_range

    assert b"".join(plaintext_range(f, 2 * SEGMENT_SIZE + 5, 3 * SEGMENT_SIZE + 2)) == content[2 * SEGMENT_SIZE + 5 : 3 * SEGMENT_SIZE + 3]


def test_upload_view_and_tamper_on_s3(client, cast, sign_in, s3_bucket):
    s3, bucket = s3_bucket
    sign_in(client, cast.caseworker1)
    content = secrets.token_bytes(6 * 1024 * 1024 + 3)  # more than one multipart part
    url = reverse("evidence:upload", kwargs={"reference": cast.case.reference})
    assert client.post(url, {"file": SimpleUploadedFile("video.mp4", content)}).status_code == 302
    f = EvidenceFile.objects.get()
    assert f.sha256 == hashlib.sha256(content).hexdigest() and plaintext(f) == content
    key = f"blobs/{f.blob_name}"
    data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    data[-5] ^= 1
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))
    from evidence import services

    assert services.evidence_verify(file_id=f.pk) is False


def test_failed_upload_leaves_no_object(client, cast, sign_in, s3_bucket, settings):
    s3, bucket = s3_bucket
    settings.DALIL_EVIDENCE_MAX_BYTES = 6 * 1024 * 1024
    sign_in(client, cast.caseworker1)
    url = reverse("evidence:upload", kwargs={"reference": cast.case.reference})
    response = client.post(url, {"file": SimpleUploadedFile("big.bin", secrets.token_bytes(6 * 1024 * 1024 + 10))})
    assert response.status_code == 400
    assert _keys(s3, bucket) == [] and not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
    assert not EvidenceFile.objects.exists()


def test_destroy_removes_the_object(cast, s3_bucket, django_capture_on_commit_callbacks):
    s3, bucket = s3_bucket
    f = attach(cast, b"to be shredded")
    from evidence import services

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_destroy(actor=cast.caseworker1, file=f, reason="duplicate")
    assert _keys(s3, bucket) == []
