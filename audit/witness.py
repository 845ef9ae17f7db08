"""Asking a witness to cosign a checkpoint: the C2SP tlog-witness add-checkpoint protocol.

POST <witness>/add-checkpoint with the body

    old <size the witness is believed to hold>\\n
    <base64 consistency proof hash>\\n ...   (from that size to the checkpoint's)
    \\n
    <the signed checkpoint note>

200: the body is the witness's cosignature line(s), kept beside the published checkpoint. 409 Conflict: the
witness holds another size, given as the body (`text/x.tlog.size`, a decimal and a newline); Dalil proves
consistency from that size and sends again (a witness that joined late or missed a checkpoint catches up).
Anything else is logged as a failure; the next checkpoint tries again.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from django.conf import settings

from audit import checkpoints, proofs
from audit.models import AuditCheckpoint

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
_TIMEOUT = 10


def body(row: AuditCheckpoint, old_size: int, proof: list[str]) -> bytes:
    return (f"old {old_size}\n" + "".join(f"{p}\n" for p in proof) + "\n" + row.note).encode("utf-8")


def _held_size(error: urllib.error.HTTPError) -> int | None:
    """The size a 409 answer says the witness holds, or None if the answer is not that."""
    text = error.read(64).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _proof_from(row: AuditCheckpoint, old_size: int) -> list[str]:
    if old_size == (row.previous_size or 0):
        return list(row.consistency_proof)
    hashes = checkpoints.consistency_hashes(old_size, row.tree_size, new_root=bytes.fromhex(row.root_hash))
    return [proofs.b64(h) for h in hashes]


def submit(row: AuditCheckpoint, url: str) -> str | None:
    """Send the checkpoint to the witness; return (and keep) its cosignature, or None after logging why not."""
    old_size = row.previous_size or 0
    for _attempt in range(MAX_ATTEMPTS):
        request = urllib.request.Request(
            url, data=body(row, old_size, _proof_from(row, old_size)), method="POST", headers={"Content-Type": "text/plain"}
        )
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # nosec B310  # http(s) only: config.env.env_url refuses other schemes
                cosignature = response.read(65536).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            held = _held_size(exc) if exc.code == 409 else None
            if held is None or held > row.tree_size or held == old_size:
                logger.error("audit checkpoint %s: the witness at %s answered %s", row.tree_size, url, exc.code)
                return None
            old_size = held  # C2SP tlog-witness: prove consistency from the size the witness holds
            continue
        except (OSError, ValueError):
            logger.exception("audit checkpoint %s: the witness at %s could not be reached", row.tree_size, url)
            return None
        _keep(row, cosignature)
        return cosignature
    logger.error("audit checkpoint %s: the witness at %s kept answering 409", row.tree_size, url)
    return None


def _keep(row: AuditCheckpoint, cosignature: str) -> None:
    directory = settings.DALIL_AUDIT_CHECKPOINT_DIR
    if not directory:
        return
    from pathlib import Path

    try:
        target = Path(directory) / "cosignatures"
        target.mkdir(parents=True, exist_ok=True)
        (target / str(row.tree_size)).write_text(cosignature, encoding="utf-8")
    except OSError:
        logger.exception("audit checkpoint %s: could not keep the cosignature", row.tree_size)
