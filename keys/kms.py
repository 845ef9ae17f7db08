"""Key-encryption keys held by a KMS speaking the AWS KMS API (the ring's ``kms:`` ids).

The KMS generates and unwraps data keys and never hands over its master key; every unwrap is logged there.
A KMS key serves one purpose like a key file does: it must be a symmetric key tagged
``dalil-purpose=kek``, or the ring refuses it, for wrapping and for unwrapping alike.
"""

from __future__ import annotations

import base64
import threading

from keys.purposes import KEK

PREFIX = "kms:"
PURPOSE_TAG = "dalil-purpose"

_lock = threading.Lock()
_clients: dict[tuple, object] = {}
_checked: dict[tuple, str] = {}  # (endpoint, region, key id or ARN) -> ARN of a key found fit to be a KEK


class KmsError(Exception):
    """The KMS refused, cannot be reached, or the key is not a KEK; the ring turns it into KeyUnavailable."""


def reset() -> None:
    with _lock:
        _clients.clear()
        _checked.clear()


def _client(endpoint: str, region: str):
    sig = (endpoint, region)
    client = _clients.get(sig)
    if client is None:
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "kms",
            endpoint_url=endpoint or None,
            region_name=region or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30),
        )
        _clients[sig] = client
    return client


def encryption_context(context: bytes) -> dict[str, str]:
    try:
        return {"dalil": context.decode("ascii")}
    except UnicodeDecodeError:
        return {"dalil-b64": base64.b64encode(context).decode()}


def call(endpoint: str, region: str, op: str, **kwargs) -> dict:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return getattr(_client(endpoint, region), op)(**kwargs)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        raise KmsError(f"KMS refused {op}: {code}") from None
    except BotoCoreError as exc:
        raise KmsError(f"KMS cannot be reached for {op}: {type(exc).__name__}") from None


def checked_arn(endpoint: str, region: str, key_id: str) -> str:
    """The ARN of ``key_id`` once the KMS shows it is a symmetric key tagged for the KEK purpose (cached)."""
    sig = (endpoint, region, key_id)
    arn = _checked.get(sig)
    if arn is not None:
        return arn
    meta = call(endpoint, region, "describe_key", KeyId=key_id)["KeyMetadata"]
    arn = meta["Arn"]
    if meta.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        raise KmsError(f"KMS key {arn} is not a symmetric key, so it cannot be a {KEK.title}")
    tags = call(endpoint, region, "list_resource_tags", KeyId=arn).get("Tags", [])
    purpose = next((t["TagValue"] for t in tags if t.get("TagKey") == PURPOSE_TAG), None)
    if purpose != KEK.name:
        found = f"tagged {PURPOSE_TAG}={purpose}" if purpose else f"not tagged {PURPOSE_TAG}={KEK.name}"
        raise KmsError(f"KMS key {arn} is {found}; a {KEK.title} must be tagged {PURPOSE_TAG}={KEK.name}")
    with _lock:
        _checked[sig] = arn
        _checked[(endpoint, region, arn)] = arn
    return arn
